import type { DB } from './connection.ts';
import type { DerivedTextRow, EnrichmentReader, EnrichmentWriter, EntityViewRow, FacetCount } from '../interface.ts';
import { IN_IDS, jsonIds } from './ids.ts';

/** Image attachments (stored content of an image type) with no recognised text yet, or none recognised with `lang` when given (one `?` more). */
const pendingImages = (lang: string | undefined) => `FROM attachments a JOIN blobs b ON b.sha256 = a.sha256
  WHERE (lower(coalesce(a.mime, b.mime, '')) IN ('image/png','image/jpeg','image/jpg','image/bmp','image/webp','image/gif','image/tiff')
         OR lower(a.name) GLOB '*.[pj][np]g' OR lower(a.name) GLOB '*.jpeg')
    AND NOT EXISTS (SELECT 1 FROM attachment_text t WHERE t.attachment_id = a.id${lang === undefined ? '' : ' AND t.lang = ?'})`;

const DERIVED = `SELECT a.message_id, a.id AS attachment_id, a.name, t.text, t.engine, t.engine_version, t.lang, t.data_sha256, t.confidence
  FROM attachment_text t JOIN attachments a ON a.id = t.attachment_id`;

export function enrichmentReader(db: DB): EnrichmentReader {
  return {
    pendingMessages: (afterId, limit) =>
      db
        .prepare('SELECT m.id, m.text, m.subject FROM messages m WHERE m.id > ? AND NOT EXISTS (SELECT 1 FROM message_languages l WHERE l.message_id = m.id) ORDER BY m.id LIMIT ?')
        .raw()
        .all(afterId, limit) as [number, string, string | null][],
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
  return {
    save: (rows) => {
      const lang = db.prepare('INSERT OR REPLACE INTO message_languages(message_id, lang) VALUES (?, ?)');
      const entity = db.prepare('INSERT OR IGNORE INTO message_entities(message_id, kind, value) VALUES (?, ?, ?)');
      db.transaction(() => {
        for (const r of rows) {
          lang.run(r.id, r.lang);
          for (const e of r.entities) entity.run(r.id, e.kind, e.value);
        }
      })();
    },
    saveRecognised: (attachmentId, r, at) => {
      db.prepare(
        'INSERT OR REPLACE INTO attachment_text(attachment_id, text, engine, engine_version, lang, data_sha256, confidence, recognised_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(attachmentId, r.text, r.engine, r.engineVersion, r.lang, r.dataSha256, r.confidence, at);
    },
  };
}
