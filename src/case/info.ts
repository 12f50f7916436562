import type { CaseInfoDTO } from '../api/dto.ts';
import type { DB } from './store.ts';
import { readMeta } from './store.ts';
import { signingKeyInfo } from './signing-key.ts';
import { dataOfConnection } from './data/index.ts';

export function caseInfo(db: DB): CaseInfoDTO {
  const counts = dataOfConnection(db).read.caseFacts.counts();
  return {
    schemaVersion: Number(readMeta(db, 'schema_version')),
    matter: readMeta(db, 'matter') ?? '',
    examiner: readMeta(db, 'examiner') ?? '',
    displayTz: readMeta(db, 'display_tz') ?? 'UTC',
    sources: counts.sources,
    custodians: counts.custodians,
    conversations: counts.conversations,
    participants: counts.participants,
    messages: counts.messages,
    attachments: counts.attachments,
    events: counts.events,
    signingKey: signingKeyInfo(db),
  };
}
