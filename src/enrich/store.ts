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

/** Image attachments (stored content of an image type) with no recognised text yet. */
const PENDING_IMAGES = `FROM attachments a JOIN blobs b ON b.sha256 = a.sha256
  WHERE (lower(coalesce(a.mime, b.mime, '')) IN ('image/png','image/jpeg','image/jpg','image/bmp','image/webp','image/gif','image/tiff')
         OR lower(a.name) GLOB '*.[pj][np]g' OR lower(a.name) GLOB '*.jpeg')
    AND NOT EXISTS (SELECT 1 FROM attachment_text t WHERE t.attachment_id = a.id)`;

export function countPendingImages(db: DB): number {
  return db.prepare(`SELECT count(*) ${PENDING_IMAGES}`).pluck().get() as number;
}

/** The next `limit` pending images after attachment `afterId`. */
export function pendingImages(db: DB, afterId: number, limit: number): { id: number; sha256: string; size: number }[] {
  return db.prepare(`SELECT a.id, a.sha256, b.size ${PENDING_IMAGES} AND a.id > ? ORDER BY a.id LIMIT ?`).all(afterId, limit) as { id: number; sha256: string; size: number }[];
}

export interface RecognisedText {
  text: string;
  engine: string;
  engineVersion: string;
  lang: string;
  dataSha256: string;
  confidence: number;
}

export function saveRecognised(db: DB, attachmentId: number, r: RecognisedText, at: number): void {
  db.prepare('INSERT OR REPLACE INTO attachment_text(attachment_id, text, engine, engine_version, lang, data_sha256, confidence, recognised_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    attachmentId, r.text, r.engine, r.engineVersion, r.lang, r.dataSha256, r.confidence, at,
  );
}

/** Recognised text of every attachment (for `ocr:` search): message id and text. */
export function recognisedTexts(db: DB): [messageId: number, text: string][] {
  return db.prepare('SELECT a.message_id, t.text FROM attachment_text t JOIN attachments a ON a.id = t.attachment_id').raw().all() as [number, string][];
}

export interface DerivedTextRow {
  message_id: number;
  attachment_id: number;
  name: string;
  text: string;
  engine: string;
  engine_version: string;
  lang: string;
  data_sha256: string;
  confidence: number;
}

const DERIVED = `SELECT a.message_id, a.id AS attachment_id, a.name, t.text, t.engine, t.engine_version, t.lang, t.data_sha256, t.confidence
  FROM attachment_text t JOIN attachments a ON a.id = t.attachment_id`;

/** The recognised texts of some messages' attachments, with how they were made. */
export function derivedTexts(db: DB, messageIds: readonly number[]): DerivedTextRow[] {
  return db.prepare(`${DERIVED} WHERE a.message_id IN (SELECT value FROM json_each(?)) ORDER BY a.message_id, a.seq`).all(JSON.stringify(messageIds)) as DerivedTextRow[];
}

export function derivedTextOfAttachment(db: DB, attachmentId: number): DerivedTextRow | undefined {
  return db.prepare(`${DERIVED} WHERE a.id = ?`).get(attachmentId) as DerivedTextRow | undefined;
}
