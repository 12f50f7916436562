import type { DB } from './connection.ts';
import type { AuditAnchorReader } from '../interface.ts';

export function auditAnchorReader(db: DB): AuditAnchorReader {
  return {
    head: () => db.prepare('SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string; at: number } | undefined,
    hashAt: (seq) => db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(seq) as string | undefined,
  };
}
