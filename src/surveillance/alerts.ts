/** The alert queue: alerts with their message and its context, and dispositions (audited). */
import type { CaseSession } from '../case/session.ts';
import { HoldfastError } from '../api/errors.ts';
import { isoTime } from '../api/dto.ts';
import type { PageDTO } from '../api/dto.ts';
import type { AlertDTO, AlertStatus } from '../api/surveillance-dto.ts';
import { appendAudit } from '../case/audit.ts';
import { dataOf } from '../case/data/index.ts';
import type { AlertRow } from '../case/data/interface.ts';

const CONTEXT = 2;

function toDTO(session: CaseSession, r: AlertRow): AlertDTO {
  return {
    id: r.id, policyId: r.policy_id, policy: r.policy, term: r.term, messageId: r.message_id, conversationId: r.conversation_id,
    conversation: r.conversation, sender: r.sender, sentAt: isoTime(r.sent_at)!, text: r.text, sourceId: r.source_id,
    raisedAt: isoTime(r.raised_at)!, status: r.status, reason: r.reason, disposedBy: r.disposed_by, disposedAt: isoTime(r.disposed_at),
    context: dataOf(session).read.surveillance.context(r.message_id, CONTEXT).map((c) => ({ messageId: c.id, sender: c.sender, sentAt: isoTime(c.sent_at)!, text: c.text })),
  };
}

export function listAlerts(session: CaseSession, f: { policyId?: number; status?: AlertStatus; limit?: number; offset?: number } = {}): PageDTO<AlertDTO> {
  const offset = f.offset ?? 0;
  const { total, rows } = dataOf(session).read.surveillance.alerts({ ...f, limit: f.limit ?? 1000, offset });
  return { total, offset, items: rows.map((r) => toDTO(session, r)) };
}

/**
 * Escalates an alert or closes it as a false positive. Closing needs a reason; either can be changed
 * later (a reviewer reconsiders), every change audited with what it was before.
 */
export function dispositionAlert(session: CaseSession, args: { alertId: number; status: Exclude<AlertStatus, 'open'>; reason?: string }): AlertDTO {
  const reason = args.reason?.trim() || null;
  if (args.status === 'false-positive' && !reason) throw new HoldfastError('VALIDATION', 'Closing an alert as a false positive needs a reason.');
  const { read, write } = dataOf(session);
  return write.transaction.run(() => {
    const row = read.surveillance.alerts({ id: args.alertId, limit: 1, offset: 0 }).rows[0];
    if (!row) throw new HoldfastError('NOT_FOUND', `No alert with id ${args.alertId} in this case.`, { alertId: args.alertId });
    const at = Date.now();
    write.surveillance.dispose(row.id, args.status, reason, session.actor, at);
    appendAudit(dataOf(session), session.actor, 'alert.disposition', {
      alertId: row.id, policyId: row.policy_id, policy: row.policy, messageId: row.message_id,
      before: { status: row.status, reason: row.reason }, after: { status: args.status, reason },
    }, at);
    return toDTO(session, read.surveillance.alerts({ id: row.id, limit: 1, offset: 0 }).rows[0]!);
  });
}
