/**
 * Cross-custodian gaps: in a conversation two or more custodians' sources hold, the messages one
 * custodian's copy lacks while another's holds them. Ingest keeps one row per message and one
 * occurrence per source that held it (dedupe by fingerprint), so a message without an occurrence
 * from custodian X, in a conversation X's sources do hold, is missing from X's copy. Consecutive
 * such messages (in the conversation's time order) form one span.
 */
import type { CrossCustodianGapDTO } from '../../api/analysis-dto.ts';
import { isoTime } from '../../api/dto.ts';
import type { ConversationRef } from '../../case/data/interface.ts';

interface Copy {
  messageId: number;
  sentAt: number;
  holders: Set<number>;
}

/** Spans for one conversation, its messages in time order each with the custodians whose copies hold it. */
function conversationGaps(conv: ConversationRef, copies: readonly Copy[], names: ReadonlyMap<number, string>): CrossCustodianGapDTO[] {
  const custodians = new Set<number>();
  for (const c of copies) for (const h of c.holders) custodians.add(h);
  if (custodians.size < 2) return [];
  const out: CrossCustodianGapDTO[] = [];
  for (const x of [...custodians].sort((a, b) => (names.get(a) ?? '').localeCompare(names.get(b) ?? ''))) {
    let span: Copy[] = [];
    const close = () => {
      if (!span.length) return;
      const presentIn = new Set<string>();
      for (const c of span) for (const h of c.holders) presentIn.add(names.get(h) ?? String(h));
      out.push({
        conversationId: conv.id, conversation: conv.name, missingFrom: names.get(x) ?? String(x), presentIn: [...presentIn].sort(),
        count: span.length, first: isoTime(span[0]!.sentAt)!, last: isoTime(span.at(-1)!.sentAt)!, messageIds: span.map((c) => c.messageId),
      });
      span = [];
    };
    for (const c of copies) {
      if (c.holders.has(x)) close();
      else span.push(c);
    }
    close();
  }
  return out;
}

/** `rows`: one per copy, in conversation then time order (store.messageCopies). */
export function crossCustodianGaps(
  rows: Iterable<[number, number, number, number]>,
  conversations: ReadonlyMap<number, ConversationRef>,
  names: ReadonlyMap<number, string>,
): CrossCustodianGapDTO[] {
  const out: CrossCustodianGapDTO[] = [];
  let convId = -1;
  let copies: Copy[] = [];
  const flush = () => {
    const conv = conversations.get(convId);
    if (conv && copies.length) out.push(...conversationGaps(conv, copies, names));
    copies = [];
  };
  for (const [conversationId, messageId, sentAt, custodianId] of rows) {
    if (conversationId !== convId) {
      flush();
      convId = conversationId;
    }
    const last = copies.at(-1);
    if (last?.messageId === messageId) last.holders.add(custodianId);
    else copies.push({ messageId, sentAt, holders: new Set([custodianId]) });
  }
  flush();
  return out;
}
