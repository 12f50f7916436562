import type { DB } from './connection.ts';
import type { DerivedTextRow, EnrichmentReader, EnrichmentWriter, EntityViewRow, FacetCount } from '../interface.ts';
import { IN_IDS, jsonIds } from './ids.ts';
import { lazyStatement } from './lazy-statement.ts';

/** Image attachments (stored content of an image type) with no recognised text yet, or none recognised with `lang` when given (one `?` more). */
const pendingImages = (lang: string | undefined) => `FROM attachments a JOIN blobs b ON b.sha256 = a.sha256
  WHERE (lower(coalesce(a.mime, b.mime, '')) IN ('image/png','image/jpeg','image/jpg','image/bmp','image/webp','image/gif','image/tiff')
         OR lower(a.name) GLOB '*.[pj][np]g' OR lower(a.name) GLOB '*.jpeg')
    AND NOT EXISTS (SELECT 1 FROM attachment_text t WHERE t.attachment_id = a.id${lang === undefined ? '' : ' AND t.lang = ?'})`;

const DERIVED = `SELECT a.message_id, a.id AS attachment_id, a.name, t.text, t.engine, t.engine_version, t.lang, t.data_sha256, t.confidence
  FROM attachment_text t JOIN attachments a ON a.id = t.attachment_id`;

export function enrichmentReader(db: DB): EnrichmentReader {
  const pending = lazyStatement(
    db,
    'SELECT m.id, m.text, m.subject FROM messages m WHERE m.id > ? AND NOT EXISTS (SELECT 1 FROM message_languages l WHERE l.message_id = m.id) ORDER BY m.id LIMIT ?',
    (s) => s.raw(),
  );
  return {
    pendingMessages: (afterId, limit) => pending().all(afterId, limit) as [number, string, string | null][],
    entityView: (f) => {
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
    },
    languageCounts: () => db.prepare('SELECT lang AS value, count(*) AS count FROM message_languages GROUP BY lang ORDER BY count DESC, lang').all() as FacetCount[],
    pendingImageCount: (lang) => db.prepare(`SELECT count(*) ${pendingImages(lang)}`).pluck().get(...(lang === undefined ? [] : [lang])) as number,
    pendingImages: (afterId, limit, lang) =>
      db
        .prepare(`SELECT a.id, a.sha256, b.size ${pendingImages(lang)} AND a.id > ? ORDER BY a.id LIMIT ?`)
        .all(...(lang === undefined ? [] : [lang]), afterId, limit) as { id: number; sha256: string; size: number }[],
    recognisedTexts: () => db.prepare('SELECT a.message_id, t.text FROM attachment_text t JOIN attachments a ON a.id = t.attachment_id').raw().all() as [number, string][],
    derivedTexts: (messageIds) => db.prepare(`${DERIVED} WHERE a.message_id ${IN_IDS} ORDER BY a.message_id, a.seq`).all(jsonIds(messageIds)) as DerivedTextRow[],
    derivedTextOfAttachment: (attachmentId) => db.prepare(`${DERIVED} WHERE a.id = ?`).get(attachmentId) as DerivedTextRow | undefined,
  };
}

export function enrichmentWriter(db: DB): EnrichmentWriter {
  // The languages of a whole batch in one statement ([[id, lang], …] as JSON: ids and ISO codes only): a
  // statement run per message cost more than the row it writes. Entities are few and bound one by one.
  const languages = lazyStatement(
    db,
    'INSERT INTO message_languages(message_id, lang) SELECT value ->> 0, value ->> 1 FROM json_each(?) WHERE true ON CONFLICT(message_id) DO UPDATE SET lang = excluded.lang',
  );
  const entity = lazyStatement(db, 'INSERT OR IGNORE INTO message_entities(message_id, kind, value) VALUES (?, ?, ?)');
  const save = db.transaction((rows: Parameters<EnrichmentWriter['save']>[0]) => {
    languages().run(JSON.stringify(rows.map((r) => [r.id, r.lang])));
    const insert = entity();
    for (const r of rows) for (const e of r.entities) insert.run(r.id, e.kind, e.value);
  });
  return {
    save: (rows) => save(rows),
    saveRecognised: (attachmentId, r, at) => {
      db.prepare(
        'INSERT OR REPLACE INTO attachment_text(attachment_id, text, engine, engine_version, lang, data_sha256, confidence, recognised_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(attachmentId, r.text, r.engine, r.engineVersion, r.lang, r.dataSha256, r.confidence, at);
    },
  };
}
