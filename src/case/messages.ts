/** Reading messages back as DTOs: the CLI's `messages`, the conversation view, productions. */
import type { AttachmentDTO, EditDTO, MessageDTO, ReactionDTO, RecipientDTO } from '../api/dto.ts';
import { isoTime } from '../api/dto.ts';
import type { CaseSession } from './session.ts';
import { dataOf } from './data/index.ts';
import type { MessageViewReader, MessageViewRow } from './data/interface.ts';

/**
 * The sender as reviewers named them: the participant's name (so merged and renamed identities
 * read the same everywhere), except where that name is only the raw handle an import first saw
 * and the handle has since got a display name.
 */
function senderName(r: MessageViewRow): string | null {
  if (r.sender_handle_id === null) return null;
  const handleName = r.sender_display ?? r.sender_value;
  if (r.sender_name === null || (r.sender_name === r.sender_value && r.sender_display !== null)) return handleName;
  return r.sender_name;
}

export interface MessageFilter {
  conversationId?: number;
  ids?: readonly number[];
  /** Include conversations marked personal (hidden from review by default). */
  includePersonal?: boolean;
}

/** Messages in conversation then time order; attachments, reactions, edits and tags filled in. */
export function* iterateMessages(session: CaseSession, filter: MessageFilter = {}): Generator<MessageDTO> {
  const view = dataOf(session).read.messageView;
  for (const rows of view.batches({ conversationId: filter.conversationId, ids: filter.ids, includePersonal: filter.includePersonal ?? false })) yield* hydrate(view, rows);
}

export function getMessages(session: CaseSession, ids: readonly number[]): MessageDTO[] {
  const byId = new Map<number, MessageDTO>();
  for (const m of iterateMessages(session, { ids, includePersonal: true })) byId.set(m.id, m);
  return ids.map((id) => byId.get(id)).filter((m): m is MessageDTO => m !== undefined);
}

function* hydrate(view: MessageViewReader, rows: MessageViewRow[]): Generator<MessageDTO> {
  if (rows.length === 0) return;
  const details = view.details(rows.map((r) => r.id));
  const attachments = groupBy(
    details.attachments,
    (a): AttachmentDTO => ({ id: a.id, name: a.name, sha256: a.sha256, size: a.size, mime: a.mime, missingReason: a.missing_reason }),
  );
  const reactions = groupBy(details.reactions, (r): ReactionDTO => ({ value: r.value, sender: r.sender, sentAt: isoTime(r.at), removed: r.removed === 1 }));
  const edits = groupBy(details.edits, (e): EditDTO => ({ seq: e.seq, editedAt: isoTime(e.edited_at), text: e.text }));
  const recipients = groupBy(details.recipients, (r): RecipientDTO => ({ role: r.role, name: r.display, handle: r.value }));
  const redacted = groupBy(details.redactions, (x) => ({ start: x.start, end: x.end }));
  const tags = groupBy(details.tags, (t) => t.name);
  const reviewed = new Set(details.reviewed);
  for (const r of rows) {
    yield {
      id: r.id,
      conversationId: r.conversation_id,
      conversation: r.conversation ?? '',
      sender: senderName(r),
      senderId: r.sender_participant,
      senderHandle: r.sender_value,
      direction: r.direction,
      sentAt: isoTime(r.sent_at)!,
      rawTime: r.raw_time,
      ...(r.time_unknown === 1 ? { timeUnknown: true as const } : {}),
      timeSource: r.time_source,
      text: r.text,
      subject: r.subject,
      kind: r.kind,
      systemType: r.system_type,
      attachments: attachments.get(r.id) ?? [],
      reactions: reactions.get(r.id) ?? [],
      edits: edits.get(r.id) ?? [],
      edited: r.edited === 1,
      deleted: r.deleted === 1,
      replyTo: r.reply_to_id,
      forwardedFrom: r.forwarded_from,
      recipients: recipients.get(r.id) ?? [],
      tags: tags.get(r.id) ?? [],
      reviewed: reviewed.has(r.id),
      redacted: redacted.get(r.id) ?? [],
      source: { sourceId: r.source_id, locator: r.locator },
    };
  }
}

function groupBy<R extends { message_id: number }, T>(rows: R[], map: (r: R) => T): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const list = out.get(r.message_id);
    if (list) list.push(map(r));
    else out.set(r.message_id, [map(r)]);
  }
  return out;
}
