import type { DB } from './connection.ts';
import type { SearchIndexReader, SearchIndexWriter } from '../interface.ts';
import { lazyStatement } from './lazy-statement.ts';

export function searchIndexReader(db: DB): SearchIndexReader {
  const chunk = lazyStatement(db, 'SELECT data FROM search_index_chunks WHERE key = ?', (s) => s.pluck());
  // One statement, run before every search: the pragma as a table-valued function.
  const marks = lazyStatement(db, 'SELECT data_version AS dataVersion, total_changes() AS totalChanges FROM pragma_data_version');
  return {
    chunk: (key) => chunk().get(key) as Buffer | undefined,
    chunksFrom: (fromKey, beforeKey) =>
      db.prepare('SELECT key, data FROM search_index_chunks WHERE key >= ? AND key < ? ORDER BY key').iterate(fromKey, beforeKey) as IterableIterator<{ key: string; data: Buffer }>,
    contentKeys: () => db.prepare("SELECT key FROM search_index_chunks WHERE key > 'dead.' AND key < 'seg/' ORDER BY key").pluck().all() as string[],
    snapshot: (read) => db.transaction(read)(),
    changeMarks: () => marks().get() as { dataVersion: number; totalChanges: number },
    maxMessageId: () => (db.prepare('SELECT max(id) FROM messages').pluck().get() as number | null) ?? 0,
    // count(*) of the whole table reads its smallest index; a rowid range count would read every page.
    messageCount: () => db.prepare('SELECT count(*) FROM messages').pluck().get() as number,
    countAbove: (id) => db.prepare('SELECT count(*) FROM messages WHERE id > ?').pluck().get(id) as number,
    countBetween: (afterId, upToId) => db.prepare('SELECT count(*) FROM messages WHERE id > ? AND id <= ?').pluck().get(afterId, upToId) as number,
    idsUpTo: (id) => db.prepare('SELECT id FROM messages WHERE id <= ?').pluck().iterate(id) as IterableIterator<number>,
  };
}

export function searchIndexWriter(db: DB): SearchIndexWriter {
  return {
    put: (key, data) => {
      db.prepare('INSERT OR REPLACE INTO search_index_chunks(key, data) VALUES (?, ?)').run(key, data);
    },
    clear: () => {
      db.prepare('DELETE FROM search_index_chunks').run();
    },
    inTransaction: (write) => {
      const tx = db.transaction(write);
      return db.inTransaction ? tx() : tx.immediate();
    },
  };
}
