/**
 * One in-memory index per open connection, kept consistent with the messages table:
 * - messages above the indexed watermark are added (catch-up);
 * - messages the table no longer holds (deleted, rolled back) are dropped.
 * The check runs on first use and again whenever this or another connection changed the case.
 */
import type { DB } from '../case/store.ts';
import type { CaseSession } from '../session/session.ts';
import { Bitset } from './bitset.ts';
import { readDocs } from './docs.ts';
import { MemoryIndex } from './memory-index.ts';

interface Entry {
  index: MemoryIndex;
  /** PRAGMA data_version and total_changes() when last checked: unchanged means nothing to check. */
  dataVersion: number;
  totalChanges: number;
}

const open = new WeakMap<DB, Entry>();

function changeMarks(db: DB): { dataVersion: number; totalChanges: number } {
  return {
    dataVersion: db.pragma('data_version', { simple: true }) as number,
    totalChanges: db.prepare('SELECT total_changes()').pluck().get() as number,
  };
}

/** Adds every message above the watermark. */
function catchUp(db: DB, index: MemoryIndex): number {
  let added = 0;
  for (const page of readDocs(db, index.maxId)) {
    index.addDocs(page);
    added += page.length;
  }
  return added;
}

/** Drops messages the table no longer holds. Cheap when counts agree. */
function reconcile(db: DB, index: MemoryIndex): number[] {
  const inTable = db.prepare('SELECT count(*) FROM messages WHERE id <= ?').pluck().get(index.maxId) as number;
  if (inTable === index.liveCount) return [];
  const present = new Bitset(index.maxId + 1);
  for (const id of db.prepare('SELECT id FROM messages WHERE id <= ?').pluck().iterate(index.maxId) as IterableIterator<number>) present.add(id);
  const gone = index.live.clone().andNot(present).toArray();
  index.remove(gone);
  return gone;
}

/** The case's index, loaded or built on first use and brought up to date with the table. */
export function ensureIndex(session: CaseSession): MemoryIndex {
  const db = session.db;
  let entry = open.get(db);
  const marks = changeMarks(db);
  if (!entry) {
    const index = new MemoryIndex();
    catchUp(db, index);
    entry = { index, ...changeMarks(db) };
    open.set(db, entry);
    return index;
  }
  if (marks.dataVersion !== entry.dataVersion || marks.totalChanges !== entry.totalChanges) {
    catchUp(db, entry.index);
    reconcile(db, entry.index);
    Object.assign(entry, changeMarks(db));
  }
  return entry.index;
}

/** The index if this connection has one loaded (hooks update it; they never load it). */
export function loadedIndex(session: CaseSession): MemoryIndex | undefined {
  return open.get(session.db)?.index;
}

/**
 * Drops messages from search results: call it when messages are deleted (delete, retention), in
 * the transaction that deletes them or right after it commits.
 */
export function removeFromIndex(session: CaseSession, ids: readonly number[]): void {
  open.get(session.db)?.index.remove(ids);
}
