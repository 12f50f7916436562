import type { Bridge } from './bridge.ts';
import type { BlobContentReader, BlobContentWriter, BlobReader } from '../interface.ts';
import type { BlobStore } from './blob-store.ts';

export function blobReader(b: Bridge): BlobReader {
  return {
    attachment: (attachmentId) =>
      b.get<{ name: string; sha256: string | null; mime: string | null; size: number | null }>(
        'SELECT a.name, a.sha256, COALESCE(a.mime, bl.mime) AS mime, bl.size FROM attachments a LEFT JOIN blobs bl ON bl.sha256 = a.sha256 WHERE a.id = $1',
        [attachmentId],
      ),
  };
}

/** The blobs table records each blob; its chunks are the store's, read one at a time (memory stays at one chunk). */
export function blobContentReader(b: Bridge, store: BlobStore): BlobContentReader {
  return {
    exists: (sha256) => b.get('SELECT 1 FROM blobs WHERE sha256 = $1', [sha256]) !== undefined,
    chunkCount: (sha256) => b.value<number>('SELECT chunks FROM blobs WHERE sha256 = $1', [sha256]),
    chunkReader: (sha256) => (seq) => store.chunk(sha256, seq),
    chunks: function* (sha256) {
      for (let seq = 0, data = store.chunk(sha256, 0); data; data = store.chunk(sha256, ++seq)) yield data;
    },
    all: () => b.all<{ sha256: string; size: number }>('SELECT sha256, size FROM blobs ORDER BY sha256'),
  };
}

export function blobContentWriter(b: Bridge, store: BlobStore): BlobContentWriter {
  return {
    chunkWriter: (key) => (seq, data) => store.putChunk(key, seq, data),
    dropChunks: (key) => store.drop(key),
    keepStaged: (key, blob) => {
      store.promote(key, blob.sha256);
      b.run('INSERT INTO blobs(sha256, size, mime, chunks, run_id) VALUES ($1, $2, $3, $4, $5)', [blob.sha256, blob.size, blob.mime, blob.chunks, blob.runId]);
    },
  };
}
