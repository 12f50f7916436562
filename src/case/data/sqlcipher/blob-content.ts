import type { DB } from './connection.ts';
import type { BlobContentReader, BlobContentWriter } from '../interface.ts';

export function blobContentReader(db: DB): BlobContentReader {
  return {
    exists: (sha256) => db.prepare('SELECT 1 FROM blobs WHERE sha256 = ?').get(sha256) !== undefined,
    chunkCount: (sha256) => (db.prepare('SELECT chunks FROM blobs WHERE sha256 = ?').get(sha256) as { chunks: number } | undefined)?.chunks,
    chunkReader: (sha256) => {
      const read = db.prepare('SELECT data FROM blob_chunks WHERE sha256 = ? AND seq = ?').pluck();
      return (seq) => read.get(sha256, seq) as Buffer | undefined;
    },
    chunks: (sha256) => db.prepare('SELECT data FROM blob_chunks WHERE sha256 = ? ORDER BY seq').pluck().iterate(sha256) as IterableIterator<Buffer>,
    all: () => db.prepare('SELECT sha256, size FROM blobs ORDER BY sha256').all() as { sha256: string; size: number }[],
  };
}

export function blobContentWriter(db: DB): BlobContentWriter {
  return {
    chunkWriter: (key) => {
      const insert = db.prepare('INSERT INTO blob_chunks(sha256, seq, data) VALUES (?, ?, ?)');
      return (seq, data) => {
        insert.run(key, seq, data);
      };
    },
    dropChunks: (key) => {
      db.prepare('DELETE FROM blob_chunks WHERE sha256 = ?').run(key);
    },
    keepStaged: (key, b) => {
      db.prepare('UPDATE blob_chunks SET sha256 = ? WHERE sha256 = ?').run(b.sha256, key);
      db.prepare('INSERT INTO blobs(sha256, size, mime, chunks, run_id) VALUES (?, ?, ?, ?, ?)').run(b.sha256, b.size, b.mime, b.chunks, b.runId);
    },
  };
}
