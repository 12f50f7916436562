/**
 * Privacy on personal devices: a conversation marked personal (out of scope) stays preserved, and
 * under any hold that covers it, but review lists, search and productions leave it out unless
 * asked to include it. The decision and its reason are audited.
 */
import type { PersonalResultDTO } from '../api/dto.ts';
import { HoldfastError } from '../api/errors.ts';
import type { CaseSession } from '../case/session.ts';
import { appendAudit } from '../case/audit.ts';
import { requireConversation } from './ids.ts';

export function setPersonal(session: CaseSession, args: { conversationId: number; personal: boolean; reason?: string }): PersonalResultDTO {
  const db = session.db;
  const reason = args.reason?.trim() || null;
  if (reason && reason.length > 4000) throw new HoldfastError('VALIDATION', 'A reason is at most 4,000 characters.');
  return db.transaction(() => {
    const conv = requireConversation(db, args.conversationId);
    const before = conv.personal === 1;
    if (before === args.personal) return { conversationId: conv.id, personal: before, changed: false };
    db.prepare('UPDATE conversations SET personal = ? WHERE id = ?').run(args.personal ? 1 : 0, conv.id);
    const messages = db.prepare('SELECT count(*) FROM messages WHERE conversation_id = ?').pluck().get(conv.id) as number;
    appendAudit(db, session.actor, 'conversation.personal', {
      conversationId: conv.id, name: conv.name, platform: conv.platform, messages, reason,
      before: { personal: before }, after: { personal: args.personal },
    });
    return { conversationId: conv.id, personal: args.personal, changed: true };
  })();
}
