/**
 * Facets beside search results: how the query's messages fall by custodian, platform,
 * conversation, sender, tag, language, entity kind and month (in the case's display zone), largest first, so a reviewer
 * can narrow the search with one click.
 */
import type { FacetsDTO } from '../api/dto.ts';
import type { CaseSession } from '../case/session.ts';
import { queryMessageIds } from './query.ts';

/** Values listed per facet (the rest are counted in `more`). */
const TOP = 12;

type Row = { value: string; count: number };

function top(rows: Row[]): { values: Row[]; more: number } {
  return { values: rows.slice(0, TOP), more: Math.max(0, rows.length - TOP) };
}

export function searchFacets(session: CaseSession, args: { query: string; includePersonal?: boolean }): FacetsDTO {
  const db = session.db;
  const ids = JSON.stringify(queryMessageIds(session, args.query, { includePersonal: args.includePersonal ?? false }));
  const q = (sql: string) => db.prepare(`WITH hit(id) AS (SELECT value FROM json_each(?)) ${sql} ORDER BY count DESC, value`).all(ids) as Row[];
  const custodians = q(
    'SELECT c.name AS value, count(DISTINCT o.message_id) AS count FROM hit JOIN message_occurrences o ON o.message_id = hit.id JOIN custodians c ON c.id = o.custodian_id GROUP BY c.id',
  );
  const platforms = q('SELECT cv.platform AS value, count(*) AS count FROM hit JOIN messages m ON m.id = hit.id JOIN conversations cv ON cv.id = m.conversation_id GROUP BY cv.platform');
  const conversations = q('SELECT cv.name AS value, count(*) AS count FROM hit JOIN messages m ON m.id = hit.id JOIN conversations cv ON cv.id = m.conversation_id GROUP BY cv.id');
  const senders = q(
    `SELECT coalesce(p.display_name, h.display, h.value) AS value, count(*) AS count FROM hit JOIN messages m ON m.id = hit.id
       JOIN handles h ON h.id = m.sender_handle_id LEFT JOIN participants p ON p.id = h.participant_id GROUP BY value`,
  );
  const tags = q('SELECT t.name AS value, count(*) AS count FROM hit JOIN message_tags mt ON mt.message_id = hit.id JOIN tags t ON t.id = mt.tag_id GROUP BY t.id');
  const languages = q('SELECT l.lang AS value, count(*) AS count FROM hit JOIN message_languages l ON l.message_id = hit.id GROUP BY l.lang');
  const entities = q('SELECT e.kind AS value, count(DISTINCT e.message_id) AS count FROM hit JOIN message_entities e ON e.message_id = hit.id GROUP BY e.kind');
  // Months in the display zone. Zone offsets are whole quarter hours, so a local midnight always
  // starts a UTC quarter hour: the month is formatted once per quarter hour, not per message.
  const times = db.prepare('WITH hit(id) AS (SELECT value FROM json_each(?)) SELECT m.sent_at FROM hit JOIN messages m ON m.id = hit.id').pluck().all(ids) as number[];
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: session.displayTz, year: 'numeric', month: '2-digit' });
  const bySlot = new Map<number, string>();
  const months = new Map<string, number>();
  for (const at of times) {
    const slot = Math.floor(at / 900_000);
    let month = bySlot.get(slot);
    if (month === undefined) bySlot.set(slot, (month = fmt.format(new Date(slot * 900_000)).slice(0, 7)));
    months.set(month, (months.get(month) ?? 0) + 1);
  }
  const monthRows = [...months].map(([value, count]) => ({ value, count })).sort((a, b) => a.value.localeCompare(b.value));
  return {
    custodians: top(custodians),
    platforms: top(platforms),
    conversations: top(conversations),
    senders: top(senders),
    tags: top(tags),
    languages: top(languages),
    entities: top(entities),
    months: { values: monthRows, more: 0 },
  };
}
