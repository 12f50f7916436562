import type { Bridge } from './bridge.ts';
import type { CaseFactsReader } from '../interface.ts';

export function caseFactsReader(b: Bridge): CaseFactsReader {
  return {
    counts: () =>
      b.get(
        `SELECT (SELECT count(*) FROM sources) AS sources, (SELECT count(*) FROM custodians) AS custodians,
           (SELECT count(*) FROM conversations) AS conversations, (SELECT count(*) FROM participants) AS participants,
           (SELECT count(*) FROM messages WHERE kind = 'message') AS messages, (SELECT count(*) FROM attachments) AS attachments,
           (SELECT count(*) FROM messages WHERE kind = 'system') AS events`,
      )!,
  };
}
