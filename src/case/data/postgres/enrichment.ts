import type { Bridge } from './bridge.ts';
import type { DerivedTextRow, EnrichmentReader, EnrichmentWriter, EntityViewRow, FacetCount, TransactionWriter } from '../interface.ts';

/**
 * Image attachments (stored content of an image type) with no recognised text yet, or none recognised
 * with `lang` ($1) when given; the name patterns are SQLite's GLOBs.
 */
const pendingImages = (lang: string | undefined) => `FROM attachments a JOIN blobs b ON b.sha256 = a.sha256
  WHERE (lower(coalesce(a.mime, b.mime, '')) IN ('image/png','image/jpeg','image/jpg','image/bmp','image/webp','image/gif','image/tiff')
         OR lower(a.name) ~ '\\.[pj][np]g$' OR lower(a.name) LIKE '%.jpeg')
    AND NOT EXISTS (SELECT 1 FROM attachment_text t WHERE t.attachment_id = a.id${lang === undefined ? '' : ' AND t.lang = $1'})`;

const DERIVED = `SELECT a.message_id, a.id AS attachment_id, a.name, t.text, t.engine, t.engine_version, t.lang, t.data_sha256, t.confidence
  FROM attachment_text t JOIN attachments a ON a.id = t.attachment_id`;

export function enrichmentReader(b: Bridge): EnrichmentReader {
  return {
    pendingMessages: (afterId, limit) =>
      b.rows<[number, string, string | null]>(
        'SELECT m.id, m.text, m.subject FROM messages m WHERE m.id > $1 AND NOT EXISTS (SELECT 1 FROM message_languages l WHERE l.message_id = m.id) ORDER BY m.id LIMIT $2',
        [afterId, limit],
      ),
    entityView: (f) => {
      const where: string[] = [];
      const params: unknown[] = [];
      if (f.kind) where.push(`e.kind = $${params.push(f.kind)}`);
      if (f.value) where.push(`lower(e.value) = $${params.push(f.value)}`);
      return b.all<EntityViewRow>(
        `SELECT e.kind, e.value, m.conversation_id, coalesce(c.name, c.external_id) AS conversation, count(*) AS messages
           FROM message_entities e JOIN messages m ON m.id = e.message_id JOIN conversations c ON c.id = m.conversation_id
          ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          GROUP BY e.kind, e.value, m.conversation_id, c.name, c.external_id
          ORDER BY e.kind COLLATE "C", e.value COLLATE "C", messages DESC, m.conversation_id`,
        params,
      );
    },
    languageCounts: () =>
      b.all<FacetCount>('SELECT lang AS value, count(*)::int AS count FROM message_languages GROUP BY lang ORDER BY count DESC, lang COLLATE "C"'),
    pendingImageCount: (lang) => b.value<number>(`SELECT count(*) ${pendingImages(lang)}`, lang === undefined ? [] : [lang]) ?? 0,
    pendingImages: (afterId, limit, lang) => {
      const params: unknown[] = lang === undefined ? [] : [lang];
      return b.all(`SELECT a.id, a.sha256, b.size ${pendingImages(lang)} AND a.id > $${params.push(afterId)} ORDER BY a.id LIMIT $${params.push(limit)}`, params);
    },
    recognisedTexts: () => b.rows<[number, string]>('SELECT a.message_id, t.text FROM attachment_text t JOIN attachments a ON a.id = t.attachment_id ORDER BY t.attachment_id'),
    derivedTexts: (messageIds) => b.all<DerivedTextRow>(`${DERIVED} WHERE a.message_id = ANY($1::bigint[]) ORDER BY a.message_id, a.seq`, [Array.from(messageIds)]),
    derivedTextOfAttachment: (attachmentId) => b.get<DerivedTextRow>(`${DERIVED} WHERE a.id = $1`, [attachmentId]),
  };
}

export function enrichmentWriter(b: Bridge, transaction: TransactionWriter): EnrichmentWriter {
  return {
    save: (rows) => {
      if (!rows.length) return;
      const entities = rows.flatMap((r) => r.entities.map((e) => [r.id, e.kind, e.value] as const));
      transaction.run(() => {
        b.run(
          'INSERT INTO message_languages(message_id, lang) SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT (message_id) DO UPDATE SET lang = excluded.lang',
          [rows.map((r) => r.id), rows.map((r) => r.lang)],
        );
        if (entities.length) {
          b.run('INSERT INTO message_entities(message_id, kind, value) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING', [
            entities.map((e) => e[0]),
            entities.map((e) => e[1]),
            entities.map((e) => e[2]),
          ]);
        }
      });
    },
    saveRecognised: (attachmentId, r, at) => {
      b.run(
        `INSERT INTO attachment_text(attachment_id, text, engine, engine_version, lang, data_sha256, confidence, recognised_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (attachment_id) DO UPDATE SET text = excluded.text, engine = excluded.engine, engine_version = excluded.engine_version, lang = excluded.lang,
           data_sha256 = excluded.data_sha256, confidence = excluded.confidence, recognised_at = excluded.recognised_at`,
        [attachmentId, r.text, r.engine, r.engineVersion, r.lang, r.dataSha256, r.confidence, at],
      );
    },
  };
}
