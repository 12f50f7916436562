import type { Bridge } from './bridge.ts';
import type { CaseLockReader, CaseLockRow, CaseLockWriter } from '../interface.ts';

export function caseLockReader(b: Bridge): CaseLockReader {
  return {
    holder: () => b.get<CaseLockRow>('SELECT * FROM case_lock WHERE id = 1'),
  };
}

export function caseLockWriter(b: Bridge): CaseLockWriter {
  return {
    clear: () => {
      b.run('DELETE FROM case_lock WHERE id = 1');
    },
    take: (l) => {
      b.run(
        `INSERT INTO case_lock(id, pid, thread, host, purpose, acquired_at) VALUES (1, $1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, thread = excluded.thread, host = excluded.host, purpose = excluded.purpose, acquired_at = excluded.acquired_at`,
        [l.pid, l.thread, l.host, l.purpose, l.at],
      );
    },
    release: (pid, host) => {
      b.run('DELETE FROM case_lock WHERE id = 1 AND pid = $1 AND host = $2', [pid, host]);
    },
    releaseThread: (pid, thread, host) => b.run('DELETE FROM case_lock WHERE id = 1 AND pid = $1 AND thread = $2 AND host = $3', [pid, thread, host]) > 0,
  };
}
