import type { DB } from './connection.ts';
import type { CaseLockReader, CaseLockRow, CaseLockWriter } from '../interface.ts';

export function caseLockReader(db: DB): CaseLockReader {
  return {
    holder: () => db.prepare('SELECT * FROM case_lock WHERE id = 1').get() as CaseLockRow | undefined,
  };
}

export function caseLockWriter(db: DB): CaseLockWriter {
  return {
    clear: () => {
      db.prepare('DELETE FROM case_lock WHERE id = 1').run();
    },
    take: (l) => {
      db.prepare('INSERT OR REPLACE INTO case_lock(id, pid, thread, host, purpose, acquired_at) VALUES (1, ?, ?, ?, ?, ?)').run(l.pid, l.thread, l.host, l.purpose, l.at);
    },
    release: (pid, host) => {
      db.prepare('DELETE FROM case_lock WHERE id = 1 AND pid = ? AND host = ?').run(pid, host);
    },
    releaseThread: (pid, thread, host) => db.prepare('DELETE FROM case_lock WHERE id = 1 AND pid = ? AND thread = ? AND host = ?').run(pid, thread, host).changes > 0,
  };
}
