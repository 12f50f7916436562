import type { Bridge } from './bridge.ts';
import type { AuditAnchorReader, AuditReader, AuditRow, AuditStoredRow, AuditWriter } from '../interface.ts';

const COLUMNS = 'seq, at, actor, action, details, prev_hash, hash';

/**
 * The audit log's rows; src/case/audit.ts chains and hashes them. Inside a transaction `last()`
 * first takes audit_log in EXCLUSIVE mode (readers go on, other appenders wait until commit), so the
 * head it returns is still the head when the next entry is appended: with many server processes
 * appending, sequence numbers stay gap-free and each prev_hash is the real previous hash.
 */
export function auditReader(b: Bridge): AuditReader {
  const filter = (action: string | undefined, first: number) => (action ? { sql: `AND action = $${first}`, params: [action] } : { sql: '', params: [] });
  return {
    last: () => {
      if (b.depth > 0) b.exec('LOCK TABLE audit_log IN EXCLUSIVE MODE');
      return b.get<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    },
    // LIMIT NULL is no limit (SQLite's -1).
    after: (afterSeq, action, limit) => {
      const f = filter(action, 3);
      return b.all<AuditStoredRow>(`SELECT ${COLUMNS} FROM audit_log WHERE seq > $1 ${f.sql} ORDER BY seq LIMIT $2`, [afterSeq, limit < 0 ? null : limit, ...f.params]);
    },
    chain: () => b.all<AuditStoredRow>(`SELECT ${COLUMNS} FROM audit_log ORDER BY seq`).values(),
    count: (action) => {
      const f = filter(action, 1);
      return b.value<number>(`SELECT count(*) FROM audit_log WHERE true ${f.sql}`, f.params) ?? 0;
    },
    page: (action, limit, offset) => {
      const f = filter(action, 3);
      return b.all<AuditRow>(`SELECT seq, at, actor, action, details, hash FROM audit_log WHERE true ${f.sql} ORDER BY seq DESC LIMIT $1 OFFSET $2`, [limit, offset, ...f.params]);
    },
    ofActions: (actions) => b.rows<[string, string]>('SELECT action, details FROM audit_log WHERE action = ANY($1::text[]) ORDER BY seq', [actions]).values(),
  };
}

export function auditWriter(b: Bridge): AuditWriter {
  return {
    append: (e) => {
      b.run(`INSERT INTO audit_log(${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [e.seq, e.at, e.actor, e.action, e.details, e.prev_hash, e.hash]);
    },
  };
}

export function auditAnchorReader(b: Bridge): AuditAnchorReader {
  return {
    head: () => b.get<{ seq: number; hash: string; at: number }>('SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1'),
    hashAt: (seq) => b.value<string>('SELECT hash FROM audit_log WHERE seq = $1', [seq]),
  };
}
