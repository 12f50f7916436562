import type { Bridge } from './bridge.ts';

/**
 * Where a blob's chunks live, by key: a blob's SHA-256, or a staging key while it is being written.
 * PostgreSQL (blob_chunks, bytea) today; an S3-compatible store can implement the same later, with
 * the blobs table (sizes, media types, run ids, holds) staying in the database.
 */
export interface BlobStore {
  putChunk(key: string, seq: number, data: Buffer): void;
  chunk(key: string, seq: number): Buffer | undefined;
  /** Moves the chunks staged under `key` to the blob's hash. */
  promote(key: string, sha256: string): void;
  drop(key: string): void;
}

export function postgresBlobStore(b: Bridge): BlobStore {
  return {
    putChunk: (key, seq, data) => {
      b.run('INSERT INTO blob_chunks(sha256, seq, data) VALUES ($1, $2, $3)', [key, seq, data]);
    },
    chunk: (key, seq) => b.value<Buffer>('SELECT data FROM blob_chunks WHERE sha256 = $1 AND seq = $2', [key, seq]),
    promote: (key, sha256) => {
      b.run('UPDATE blob_chunks SET sha256 = $1 WHERE sha256 = $2', [sha256, key]);
    },
    drop: (key) => {
      b.run('DELETE FROM blob_chunks WHERE sha256 = $1', [key]);
    },
  };
}
