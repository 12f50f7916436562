/**
 * Clusters of deletions. The importers flag a message its source marks as deleted: WhatsApp's
 * "This message was deleted" / "You deleted this message" / deleted by an admin notices in the
 * export's language, WhatsApp database rows of the deleted type and revoked keys, Signal's
 * "deleted for everyone", iMessage unsent and Recently Deleted messages, Slack tombstones, Google
 * Chat and Meta deletions, RSMF's `deleted`. One deletion says little; several close together can
 * be a clean-up. The rule: in each conversation, a deletion no more than `windowMinutes` (default
 * 60) after the previous one joins its cluster; a cluster of at least MIN_DELETIONS is reported.
 */
import type { DeletionClusterDTO } from '../../api/analysis-dto.ts';
import { isoTime } from '../../api/dto.ts';
import type { ConversationRef } from '../../case/data/interface.ts';

export const MIN_DELETIONS = 2;
export const DEFAULT_WINDOW_MINUTES = 60;

interface Deletion {
  messageId: number;
  sentAt: number;
  custodians: Set<number>;
}

function conversationClusters(conv: ConversationRef, deletions: readonly Deletion[], names: ReadonlyMap<number, string>, windowMinutes: number): DeletionClusterDTO[] {
  const out: DeletionClusterDTO[] = [];
  const rule = `deletions no more than ${windowMinutes} minutes apart, at least ${MIN_DELETIONS}`;
  let run: Deletion[] = [];
  const close = () => {
    if (run.length >= MIN_DELETIONS) {
      const custodians = new Set<string>();
      for (const d of run) for (const c of d.custodians) custodians.add(names.get(c) ?? String(c));
      out.push({
        conversationId: conv.id, conversation: conv.name, first: isoTime(run[0]!.sentAt)!, last: isoTime(run.at(-1)!.sentAt)!, count: run.length,
        messageIds: run.map((d) => d.messageId), custodians: [...custodians].sort(), rule,
      });
    }
    run = [];
  };
  for (const d of deletions) {
    if (run.length && d.sentAt - run.at(-1)!.sentAt > windowMinutes * 60_000) close();
    run.push(d);
  }
  close();
  return out;
}

/** `rows`: one per copy of each deleted message, in conversation then time order (FindingReader.deletedCopies). */
export function deletionClusters(
  rows: Iterable<[number, number, number, number | null]>,
  conversations: ReadonlyMap<number, ConversationRef>,
  names: ReadonlyMap<number, string>,
  windowMinutes = DEFAULT_WINDOW_MINUTES,
): DeletionClusterDTO[] {
  const out: DeletionClusterDTO[] = [];
  let convId = -1;
  let deletions: Deletion[] = [];
  const flush = () => {
    const conv = conversations.get(convId);
    if (conv) out.push(...conversationClusters(conv, deletions, names, windowMinutes));
    deletions = [];
  };
  for (const [conversationId, messageId, sentAt, custodianId] of rows) {
    if (conversationId !== convId) {
      flush();
      convId = conversationId;
    }
    let last = deletions.at(-1);
    if (last?.messageId !== messageId) deletions.push((last = { messageId, sentAt, custodians: new Set() }));
    if (custodianId !== null) last.custodians.add(custodianId);
  }
  flush();
  return out;
}
