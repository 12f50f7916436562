import type { AuditEntryDTO } from '../../api/dto.ts';
import { isoTime } from '../../api/dto.ts';
import type { NamespaceHandlers } from '../dispatch.ts';
import { auditHead, parseAnchor } from '../../case/anchors.ts';
import { dataOf } from '../../case/data/index.ts';
import { listAudit } from '../../case/audit.ts';
import { auditCsv } from '../../api/audit-text.ts';
import { checkEarlierProductions } from '../../production/earlier-anchors.ts';

export const auditHandlers: NamespaceHandlers<'audit'> = {
  'audit.head': (ctx) => auditHead(dataOf(ctx.session())),
  'audit.anchors': (ctx) => checkEarlierProductions(dataOf(ctx.session())),
  'audit.export': (ctx, a) => {
    const s = ctx.session();
    const entries = listAudit(dataOf(s)).map((e): AuditEntryDTO => ({ seq: e.seq, at: isoTime(e.at) ?? '', actor: e.actor, action: e.action, details: e.details, hash: e.hash }));
    return { format: a.format, text: a.format === 'csv' ? auditCsv(entries, s.displayTz) : `${JSON.stringify(entries, null, 2)}\n` };
  },
  'audit.list': (ctx, a) => {
    const audit = dataOf(ctx.session()).read.audit;
    const total = audit.count(a.action);
    const rows = audit.page(a.action, a.limit, a.offset);
    const items = rows.map((r): AuditEntryDTO => ({ seq: r.seq, at: isoTime(r.at) ?? '', actor: r.actor, action: r.action, details: JSON.parse(r.details) as unknown, hash: r.hash }));
    return { total, offset: a.offset, items };
  },
};

export const verifyHandlers: NamespaceHandlers<'verify'> = {
  // Anchors are read here, so a bad one fails the call instead of the job.
  'verify.run': (ctx, a) => ({ jobId: ctx.jobs.start('verify', 'Verify the case', { anchors: (a.anchors ?? []).map(parseAnchor) }, ctx.jobTarget()).id }),
};
