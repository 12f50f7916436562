import type { DB } from './connection.ts';
import type { CaseFactsReader } from '../interface.ts';

export function caseFactsReader(db: DB): CaseFactsReader {
  const count = (sql: string) => db.prepare(sql).pluck().get() as number;
  return {
    counts: () => ({
      sources: count('SELECT count(*) FROM sources'),
      custodians: count('SELECT count(*) FROM custodians'),
      conversations: count('SELECT count(*) FROM conversations'),
      participants: count('SELECT count(*) FROM participants'),
      messages: count("SELECT count(*) FROM messages WHERE kind = 'message'"),
      attachments: count('SELECT count(*) FROM attachments'),
      events: count("SELECT count(*) FROM messages WHERE kind = 'system'"),
    }),
  };
}
