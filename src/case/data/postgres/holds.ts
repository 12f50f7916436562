import type { Bridge } from './bridge.ts';
import type { HoldReader, HoldRow, HoldWriter } from '../interface.ts';

/** SQL true when an active hold's scope names the conversation `conversation` (an SQL expression). */
export const namedByActiveHold = (conversation: string) =>
  `EXISTS (SELECT 1 FROM holds h WHERE h.released_at IS NULL AND jsonb_typeof(h.scope::jsonb -> 'conversations') = 'array'
     AND h.scope::jsonb -> 'conversations' @> jsonb_build_array(${conversation}))`;

/** The scope stays the JSON text it was written as; queries read it as jsonb. */
export function holdReader(b: Bridge): HoldReader {
  return {
    get: (holdId) => b.get<HoldRow>('SELECT * FROM holds WHERE id = $1', [holdId]),
    itemCount: (holdId) => b.value<number>('SELECT count(*) FROM hold_items WHERE hold_id = $1', [holdId]) ?? 0,
    list: (active) => {
      const where = active === undefined ? '' : active ? 'WHERE h.released_at IS NULL' : 'WHERE h.released_at IS NOT NULL';
      return b.all<HoldRow & { items: number }>(`SELECT h.*, (SELECT count(*) FROM hold_items hi WHERE hi.hold_id = h.id) AS items FROM holds h ${where} ORDER BY h.id`);
    },
    activeOn: (ids) =>
      b.rows<[number, string, number]>(
        'SELECT h.id, h.name, hi.message_id FROM hold_items hi JOIN holds h ON h.id = hi.hold_id WHERE h.released_at IS NULL AND hi.message_id = ANY($1::bigint[]) ORDER BY h.id, hi.message_id',
        [ids],
      ),
    namingConversation: (conversationId) =>
      b.all<{ id: number; name: string }>(
        "SELECT id, name FROM holds WHERE released_at IS NULL AND jsonb_typeof(scope::jsonb -> 'conversations') = 'array' AND scope::jsonb -> 'conversations' @> jsonb_build_array($1::bigint) ORDER BY id",
        [conversationId],
      ),
    activeWithQuery: () => b.all<{ id: number; scope: string }>("SELECT id, scope FROM holds WHERE released_at IS NULL AND scope::jsonb ->> 'query' IS NOT NULL ORDER BY id"),
  };
}

export function holdWriter(b: Bridge): HoldWriter {
  return {
    create: (h) =>
      b.value<number>('INSERT INTO holds(name, matter, reason, created_by, created_at, scope) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id', [
        h.name, h.matter, h.reason, h.createdBy, h.createdAt, h.scope,
      ])!,
    release: (holdId, r) => {
      b.run('UPDATE holds SET released_at = $1, released_by = $2, release_reason = $3 WHERE id = $4', [r.at, r.by, r.reason, holdId]);
    },
  };
}
