/**
 * Conversations for review: counts, period, participants, custodians and holds per conversation,
 * and one conversation in detail with its members over time (joins, leaves) and its names over time.
 */
import type { ConversationDetailDTO, ConversationMemberDTO, ConversationSummaryDTO, ParticipantRefDTO } from '../api/dto.ts';
import { isoTime } from '../api/dto.ts';
import type { CaseSession } from '../case/session.ts';
import { dataOf } from '../case/data/index.ts';
import type { ConversationListFilter, ConversationReviewReader, ConversationRow } from '../case/data/interface.ts';
import { requireConversation } from './ids.ts';

export function listConversations(session: CaseSession, filters: ConversationListFilter = {}): ConversationSummaryDTO[] {
  const conversations = dataOf(session).read.conversationReview;
  return summarise(conversations, conversations.list(filters));
}

function summarise(conversations: ConversationReviewReader, rows: ConversationRow[]): ConversationSummaryDTO[] {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const counts = new Map(conversations.counts(ids).map((r) => [r.id, r]));
  const participants = groupBy(conversations.participants(ids), (r): ParticipantRefDTO => ({ id: r.id, name: r.name }));
  const custodians = groupBy(conversations.custodians(ids), (r) => r.name);
  const notes = new Map(conversations.noteCounts(ids).map((r) => [r.cid, r.n]));
  const held = new Map(conversations.heldCounts(ids).map((r) => [r.cid, r.n]));
  return rows.map((r) => {
    const c = counts.get(r.id);
    return {
      id: r.id, platform: r.platform, kind: r.kind, name: r.name ?? r.external_id, personal: r.personal === 1,
      messages: c?.messages ?? 0, events: c?.events ?? 0, firstAt: isoTime(c?.firstAt), lastAt: isoTime(c?.lastAt),
      participants: participants.get(r.id) ?? [], custodians: custodians.get(r.id) ?? [], notes: notes.get(r.id) ?? 0, heldMessages: held.get(r.id) ?? 0,
    };
  });
}

export function getConversation(session: CaseSession, conversationId: number): ConversationDetailDTO {
  requireConversation(dataOf(session), conversationId);
  const conversations = dataOf(session).read.conversationReview;
  const row = conversations.get(conversationId)!;
  const [summary] = summarise(conversations, [row]);
  const nameHistory = conversations.nameHistory(conversationId).map((n) => ({ name: n.name, fromAt: isoTime(n.from_at) }));
  const members = conversations.members(conversationId).map(
    (m): ConversationMemberDTO => ({
      participantId: m.participant_id, participant: m.participant, handleId: m.handle_id, handle: m.display ?? m.value, handleKind: m.kind,
      joinedAt: isoTime(m.joined_at), leftAt: isoTime(m.left_at), messages: m.messages, firstAt: isoTime(m.first_at), lastAt: isoTime(m.last_at),
    }),
  );
  const membershipEvents = conversations.membershipEvents(conversationId).map((e) => ({ messageId: e.id, at: isoTime(e.sent_at)!, type: e.system_type, sender: e.sender, text: e.text }));
  return { ...summary!, externalId: row.external_id, nameHistory, members, membershipEvents };
}

function groupBy<R extends { cid: number }, T>(rows: R[], map: (r: R) => T): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const list = out.get(r.cid);
    if (list) list.push(map(r));
    else out.set(r.cid, [map(r)]);
  }
  return out;
}
