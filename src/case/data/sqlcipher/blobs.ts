import type { DB } from './connection.ts';
import type { BlobReader } from '../interface.ts';

export function blobReader(db: DB): BlobReader {
  return {
    attachment: (attachmentId) =>
      db
        .prepare('SELECT a.name, a.sha256, COALESCE(a.mime, b.mime) AS mime, b.size FROM attachments a LEFT JOIN blobs b ON b.sha256 = a.sha256 WHERE a.id = ?')
        .get(attachmentId) as { name: string; sha256: string | null; mime: string | null; size: number | null } | undefined,
  };
}
