import type { DB } from './connection.ts';
import type { AuditReader, AuditRow, AuditStoredRow, AuditWriter } from '../interface.ts';

export function auditReader(db: DB): AuditReader {
  const where = (action: string | undefined) => (action ? 'WHERE action = ?' : '');
  const params = (action: string | undefined) => (action ? [action] : []);
  return {
    last: () => db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined,
    after: (afterSeq, action, limit) =>
      db
        .prepare(
          `SELECT * FROM audit_log WHERE seq > ? ${action ? 'AND action = ?' : ''} ORDER BY seq LIMIT ?`,
        )
        .all(...[afterSeq, ...(action ? [action] : []), limit]) as AuditStoredRow[],
    chain: () => db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditStoredRow>,
    count: (action) => db.prepare(`SELECT count(*) FROM audit_log ${where(action)}`).pluck().get(...params(action)) as number,
    page: (action, limit, offset) =>
      db.prepare(`SELECT seq, at, actor, action, details, hash FROM audit_log ${where(action)} ORDER BY seq DESC LIMIT ? OFFSET ?`).all(...params(action), limit, offset) as AuditRow[],
    ofActions: (actions) =>
      db
        .prepare(`SELECT action, details FROM audit_log WHERE action IN (${actions.map(() => '?').join(', ')}) ORDER BY seq`)
        .raw()
        .iterate(...actions) as IterableIterator<[string, string]>,
  };
}

export function auditWriter(db: DB): AuditWriter {
  return {
    append: (e) => {
      db.prepare('INSERT INTO audit_log(seq, at, actor, action, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        e.seq, e.at, e.actor, e.action, e.details, e.prev_hash, e.hash,
      );
    },
  };
}
