import type { DB } from './connection.ts';
import type { HoldReader, HoldRow, HoldWriter } from '../interface.ts';

export function holdReader(db: DB): HoldReader {
  return {
    get: (holdId) => db.prepare('SELECT * FROM holds WHERE id = ?').get(holdId) as HoldRow | undefined,
    itemCount: (holdId) => db.prepare('SELECT count(*) FROM hold_items WHERE hold_id = ?').pluck().get(holdId) as number,
    list: (active) => {
      const where = active === undefined ? '' : active ? 'WHERE h.released_at IS NULL' : 'WHERE h.released_at IS NOT NULL';
      return db.prepare(`SELECT h.*, (SELECT count(*) FROM hold_items hi WHERE hi.hold_id = h.id) AS items FROM holds h ${where} ORDER BY h.id`).all() as (HoldRow & { items: number })[];
    },
    activeOn: (ids) =>
      db
        .prepare('SELECT h.id, h.name, hi.message_id FROM hold_items hi JOIN holds h ON h.id = hi.hold_id WHERE h.released_at IS NULL AND hi.message_id IN (SELECT value FROM json_each(?)) ORDER BY h.id, hi.message_id')
        .raw()
        .all(JSON.stringify(ids)) as [number, string, number][],
    namingConversation: (conversationId) =>
      db
        .prepare("SELECT h.id, h.name FROM holds h, json_each(h.scope, '$.conversations') j WHERE h.released_at IS NULL AND j.value = ? ORDER BY h.id")
        .all(conversationId) as { id: number; name: string }[],
    activeWithQuery: () =>
      db.prepare("SELECT id, scope FROM holds WHERE released_at IS NULL AND json_extract(scope, '$.query') IS NOT NULL ORDER BY id").all() as { id: number; scope: string }[],
  };
}

export function holdWriter(db: DB): HoldWriter {
  return {
    create: (h) =>
      Number(
        db.prepare('INSERT INTO holds(name, matter, reason, created_by, created_at, scope) VALUES (?, ?, ?, ?, ?, ?)').run(h.name, h.matter, h.reason, h.createdBy, h.createdAt, h.scope).lastInsertRowid,
      ),
    release: (holdId, r) => {
      db.prepare('UPDATE holds SET released_at = ?, released_by = ?, release_reason = ? WHERE id = ?').run(r.at, r.by, r.reason, holdId);
    },
  };
}
