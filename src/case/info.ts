import type { CaseInfoDTO } from '../api/dto.ts';
import type { DB } from './store.ts';
import { readMeta } from './store.ts';
import { signingKeyInfo } from './signing-key.ts';

export function caseInfo(db: DB): CaseInfoDTO {
  const count = (sql: string) => db.prepare(sql).pluck().get() as number;
  return {
    schemaVersion: Number(readMeta(db, 'schema_version')),
    matter: readMeta(db, 'matter') ?? '',
    examiner: readMeta(db, 'examiner') ?? '',
    displayTz: readMeta(db, 'display_tz') ?? 'UTC',
    sources: count('SELECT count(*) FROM sources'),
    custodians: count('SELECT count(*) FROM custodians'),
    conversations: count('SELECT count(*) FROM conversations'),
    participants: count('SELECT count(*) FROM participants'),
    messages: count("SELECT count(*) FROM messages WHERE kind = 'message'"),
    attachments: count('SELECT count(*) FROM attachments'),
    events: count("SELECT count(*) FROM messages WHERE kind = 'system'"),
    signingKey: signingKeyInfo(db),
  };
}
