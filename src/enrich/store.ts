/** Every SQL statement of enrichment: messages still to enrich, their entities and language, the entity view. */
import type { DB } from '../case/store.ts';
import type { Entity } from './entities.ts';
import type { EntityKind } from './codes.ts';

/** The next `limit` messages after `afterId` with no language row yet (not enriched). */
export function pendingMessages(db: DB, afterId: number, limit: number): [id: number, text: string, subject: string | null][] {
  return db
    .prepare('SELECT m.id, m.text, m.subject FROM messages m WHERE m.id > ? AND NOT EXISTS (SELECT 1 FROM message_languages l WHERE l.message_id = m.id) ORDER BY m.id LIMIT ?')
    .raw()
    .all(afterId, limit) as [number, string, string | null][];
}

export function saveEnrichment(db: DB, rows: readonly { id: number; lang: string; entities: Entity[] }[]): void {
  const lang = db.prepare('INSERT OR REPLACE INTO message_languages(message_id, lang) VALUES (?, ?)');
  const entity = db.prepare('INSERT OR IGNORE INTO message_entities(message_id, kind, value) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (const r of rows) {
      lang.run(r.id, r.lang);
      for (const e of r.entities) entity.run(r.id, e.kind, e.value);
    }
  })();
}

export function hasLanguageData(db: DB): boolean {
  return db.prepare('SELECT 1 FROM message_languages LIMIT 1').get() !== undefined;
}

export interface EntityViewRow {
  kind: EntityKind;
  value: string;
  conversation_id: number;
  conversation: string;
  messages: number;
}

/** Each entity with the conversations it appears in and how many messages there, most frequent first. */
export function entityView(db: DB, f: { kind?: EntityKind; value?: string }): EntityViewRow[] {
  const where = [f.kind ? 'e.kind = ?' : '', f.value ? 'lower(e.value) = ?' : ''].filter(Boolean);
  const params = [f.kind, f.value].filter((v) => v !== undefined);
  return db
    .prepare(
      `SELECT e.kind, e.value, m.conversation_id, coalesce(c.name, c.external_id) AS conversation, count(*) AS messages
         FROM message_entities e JOIN messages m ON m.id = e.message_id JOIN conversations c ON c.id = m.conversation_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        GROUP BY e.kind, e.value, m.conversation_id ORDER BY e.kind, e.value, messages DESC, m.conversation_id`,
    )
    .all(...params) as EntityViewRow[];
}
