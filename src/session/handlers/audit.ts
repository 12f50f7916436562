import type { AuditEntryDTO } from '../../api/dto.ts';
import { isoTime } from '../../api/dto.ts';
import type { NamespaceHandlers } from '../dispatch.ts';

export const auditHandlers: NamespaceHandlers<'audit'> = {
  'audit.list': (ctx, a) => {
    const db = ctx.session().db;
    const where = a.action ? 'WHERE action = ?' : '';
    const params = a.action ? [a.action] : [];
    const total = db.prepare(`SELECT count(*) FROM audit_log ${where}`).pluck().get(...params) as number;
    const rows = db.prepare(`SELECT seq, at, actor, action, details, hash FROM audit_log ${where} ORDER BY seq DESC LIMIT ? OFFSET ?`).all(...params, a.limit, a.offset) as {
      seq: number; at: number; actor: string; action: string; details: string; hash: string;
    }[];
    const items = rows.map((r): AuditEntryDTO => ({ seq: r.seq, at: isoTime(r.at) ?? '', actor: r.actor, action: r.action, details: JSON.parse(r.details) as unknown, hash: r.hash }));
    return { total, offset: a.offset, items };
  },
};

export const verifyHandlers: NamespaceHandlers<'verify'> = {
  'verify.run': (ctx) => ({ jobId: ctx.jobs.start('verify', 'Verify the case', {}, ctx.jobTarget()).id }),
};
