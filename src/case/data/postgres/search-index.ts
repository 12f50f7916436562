import type { Bridge } from './bridge.ts';
import type { SearchIndexReader, SearchIndexWriter, TransactionWriter } from '../interface.ts';

/**
 * The stored search index. Change marks: every committed change to messages, their edits or
 * attachments is announced on the matter's channel (migration 1's triggers), which the connection
 * LISTENs to; the count of announcements received is the data version.
 */
export function searchIndexReader(b: Bridge): SearchIndexReader {
  return {
    chunk: (key) => b.value<Buffer>('SELECT data FROM search_index_chunks WHERE key = $1', [key]),
    chunksFrom: (fromKey, beforeKey) => b.all<{ key: string; data: Buffer }>('SELECT key, data FROM search_index_chunks WHERE key >= $1 AND key < $2 ORDER BY key', [fromKey, beforeKey]).values(),
    contentKeys: () => b.column<string>("SELECT key FROM search_index_chunks WHERE key > 'dead.' AND key < 'seg/' ORDER BY key"),
    snapshot: (read) => {
      if (b.depth > 0) return read();
      b.exec('BEGIN ISOLATION LEVEL REPEATABLE READ');
      b.depth++;
      try {
        return read();
      } finally {
        b.depth--;
        b.exec('COMMIT');
      }
    },
    changeMarks: () => ({ dataVersion: b.notifications(), totalChanges: 0 }),
    maxMessageId: () => b.value<number | null>('SELECT max(id) FROM messages') ?? 0,
    messageCount: () => b.value<number>('SELECT count(*) FROM messages') ?? 0,
    countAbove: (id) => b.value<number>('SELECT count(*) FROM messages WHERE id > $1', [id]) ?? 0,
    countBetween: (afterId, upToId) => b.value<number>('SELECT count(*) FROM messages WHERE id > $1 AND id <= $2', [afterId, upToId]) ?? 0,
    idsUpTo: (id) => b.column<number>('SELECT id FROM messages WHERE id <= $1 ORDER BY id', [id]).values(),
  };
}

export function searchIndexWriter(b: Bridge, transaction: TransactionWriter): SearchIndexWriter {
  return {
    put: (key, data) => {
      b.run('INSERT INTO search_index_chunks(key, data) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET data = excluded.data', [key, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
    },
    clear: () => {
      b.run('DELETE FROM search_index_chunks');
    },
    // Inside a transaction a savepoint of it, else its own (PostgreSQL has no IMMEDIATE to ask for).
    inTransaction: (write) => transaction.run(write),
  };
}
