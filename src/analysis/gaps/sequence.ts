/**
 * Holes in a source's own id sequences. The importers record each message's row or message id in
 * its locator (chain of custody); ids a source assigns one by one (Android msgstore `_id`, iMessage
 * `ROWID`, WhatsApp iOS `Z_PK`, SMS/MMS `_id`, Telegram message ids) skip where rows were deleted
 * before collection — or where the importer did not turn a row into a message (its import warnings
 * say so). Reactions stored as rows of their own (iMessage tapbacks) count as present.
 */
import type { SequenceGapDTO } from '../../api/analysis-dto.ts';
import type { ConversationRef } from '../../case/data/interface.ts';

/** Which id sequence a locator belongs to, and the id; undefined when the locator names no sequential id. */
export function nativeId(locator: string, conv: ConversationRef | undefined): { field: string; id: number } | undefined {
  let m = /^(.+): (\w+) row (\d+)$/.exec(locator);
  if (m) return { field: `${m[1]} ${m[2]}._id`, id: Number(m[3]) };
  m = /^(.+): ZWAMESSAGE (\d+)$/.exec(locator);
  if (m) return { field: `${m[1]} ZWAMESSAGE.Z_PK`, id: Number(m[2]) };
  m = /^(.+) message rowid (\d+)(?: \(in Recently Deleted.*\))?$/.exec(locator);
  if (m) return { field: `${m[1]} message.ROWID`, id: Number(m[2]) };
  if (conv?.platform === 'telegram') {
    m = /message \d+ \(id (\d+)\)$/.exec(locator);
    // Supergroups and channels number their messages on their own; private chats and basic groups share one account-wide sequence.
    if (m) return conv.externalId.startsWith('channel') ? { field: `Telegram message id in ${conv.name}`, id: Number(m[1]) } : { field: 'Telegram message id (account)', id: Number(m[1]) };
  }
  return undefined;
}

export function sequenceGaps(rows: Iterable<[number, string, number, number]>, conversations: ReadonlyMap<number, ConversationRef>): SequenceGapDTO[] {
  const ids = new Map<string, { sourceId: number; field: string; ids: [id: number, messageId: number, conversationId: number][] }>();
  for (const [sourceId, locator, conversationId, messageId] of rows) {
    const found = nativeId(locator, conversations.get(conversationId));
    if (!found) continue;
    const key = `${sourceId}\u001f${found.field}`;
    let seq = ids.get(key);
    if (!seq) ids.set(key, (seq = { sourceId, field: found.field, ids: [] }));
    seq.ids.push([found.id, messageId, conversationId]);
  }
  const out: SequenceGapDTO[] = [];
  for (const seq of [...ids.values()].sort((a, b) => a.sourceId - b.sourceId || a.field.localeCompare(b.field))) {
    const sorted = seq.ids.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (let i = 1; i < sorted.length; i++) {
      const [after, afterMessage, afterConversation] = sorted[i - 1]!;
      const [before, beforeMessage, beforeConversation] = sorted[i]!;
      if (before - after > 1) {
        out.push({
          sourceId: seq.sourceId, field: seq.field, after, before, missing: before - after - 1,
          messageBeforeHole: { messageId: afterMessage, conversationId: afterConversation },
          messageAfterHole: { messageId: beforeMessage, conversationId: beforeConversation },
        });
      }
    }
  }
  return out;
}
