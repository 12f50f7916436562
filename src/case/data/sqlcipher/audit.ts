import type { DB } from '../../store.ts';
import type { AuditReader, AuditRow } from '../interface.ts';

export function auditReader(db: DB): AuditReader {
  const where = (action: string | undefined) => (action ? 'WHERE action = ?' : '');
  const params = (action: string | undefined) => (action ? [action] : []);
  return {
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
