import type { CaseInfoDTO } from '../api/dto.ts';
import { signingKeyInfo } from './signing-key.ts';
import type { CaseData } from './data/interface.ts';

export function caseInfo(data: CaseData): CaseInfoDTO {
  const { caseFacts, caseMeta } = data.read;
  const counts = caseFacts.counts();
  return {
    schemaVersion: Number(caseMeta.get('schema_version')),
    matter: caseMeta.get('matter') ?? '',
    examiner: caseMeta.get('examiner') ?? '',
    displayTz: caseMeta.get('display_tz') ?? 'UTC',
    sources: counts.sources,
    custodians: counts.custodians,
    conversations: counts.conversations,
    participants: counts.participants,
    messages: counts.messages,
    attachments: counts.attachments,
    events: counts.events,
    signingKey: signingKeyInfo(data),
  };
}
