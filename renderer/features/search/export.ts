/** Search results to CSV for the team: each message's time (display zone), conversation, sender, full text and tags. */
import { api } from '../../lib/api.ts';
import { compactDateTime } from '../../lib/format.ts';
import { toCsv } from '../../lib/csv.ts';

/** More than this many rows is a production's job, not a spreadsheet's. */
export const EXPORT_MAX = 10_000;

export async function resultsCsv(query: string, sort: 'relevance' | 'time-asc' | 'time-desc', includePersonal: boolean, tz: string): Promise<{ csv: string; rows: number }> {
  const ids: number[] = [];
  for (let offset = 0; offset < EXPORT_MAX; offset += 1000) {
    const page = await api.call('search.query', { query, sort, offset, limit: Math.min(1000, EXPORT_MAX - offset), includePersonal });
    ids.push(...page.hits.map((h) => h.messageId));
    if (offset + page.hits.length >= page.total || page.hits.length === 0) break;
  }
  const rows: (string | number)[][] = [['Message id', `Sent (${tz})`, 'Conversation', 'Sender', 'Text', 'Tags']];
  for (let i = 0; i < ids.length; i += 500) {
    for (const m of await api.call('messages.get', { ids: ids.slice(i, i + 500) })) {
      rows.push([m.id, compactDateTime(m.sentAt, tz), m.conversation, m.sender ?? '', m.text, m.tags.join('; ')]);
    }
  }
  return { csv: toCsv(rows), rows: rows.length - 1 };
}
