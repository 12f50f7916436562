/**
 * Privacy on personal devices: a conversation marked personal (out of scope) stays preserved, and
 * under any hold that covers it, but review lists, search and productions leave it out unless
 * asked to include it. The decision and its reason are audited.
 */
import type { PersonalResultDTO } from '../api/dto.ts';
import { HoldfastError } from '../api/errors.ts';
import type { CaseSession } from '../case/session.ts';
import { appendAudit } from '../case/audit.ts';
import { dataOf } from '../case/data/index.ts';
import { requireConversation } from './ids.ts';

export function setPersonal(session: CaseSession, args: { conversationId: number; personal: boolean; reason?: string }): PersonalResultDTO {
  const data = dataOf(session);
  const reason = args.reason?.trim() || null;
  if (reason && reason.length > 4000) throw new HoldfastError('VALIDATION', 'A reason is at most 4,000 characters.');
  const { read, write } = dataOf(session);
  return data.write.transaction.run(() => {
    const conv = requireConversation(data, args.conversationId);
    const before = conv.personal === 1;
    if (before === args.personal) return { conversationId: conv.id, personal: before, changed: false };
    write.conversations.setPersonal(conv.id, args.personal);
    const messages = read.messages.countInConversation(conv.id);
    appendAudit(dataOf(session), session.actor, 'conversation.personal', {
      conversationId: conv.id, name: conv.name, platform: conv.platform, messages, reason,
      before: { personal: before }, after: { personal: args.personal },
    });
    return { conversationId: conv.id, personal: args.personal, changed: true };
  });
}
