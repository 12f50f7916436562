/**
 * Messages as a production reads them: the MessageDTO plus what the outputs need beside it
 * (content hash, custodians, source file, redaction marks, conversation facts), in batches so a
 * million-row production keeps memory flat.
 */
import type { MessageDTO } from '../api/dto.ts';
import { iterateMessages, prepared } from '../case/messages.ts';
import { dataOfConnection } from '../case/data/index.ts';
import type { DB } from '../case/store.ts';
import { loadRedactions } from './redactions.ts';
import type { RedactionMark } from './redactions.ts';
import type { WorkProductField } from './types.ts';

export interface ProducedMessage extends MessageDTO {
  context: boolean;
  /** Withheld as privileged: everything but who, when and where is emptied here, so no format can show it. */
  withheld: boolean;
  /** Reviewer notes, privilege bases and custom coding field values ("Field: value"): loaded only when the producer named them (--fields notes, basis, coding). */
  notes: string[];
  bases: string[];
  coding: string[];
  contentSha256: string;
  sentAtMs: number;
  custodians: string[];
  sourceName: string;
  redactions: RedactionMark[];
}

export interface ConversationInfo {
  id: number;
  name: string;
  platform: string;
  kind: 'direct' | 'group' | 'channel';
  /** Everyone known in the conversation: members, else everyone who wrote in it. */
  participants: { handleId: number; display: string; value: string; kind: string }[];
  custodians: string[];
  /** Recorded members with when they joined and left (UTC ms, null when not known). */
  members: { handleId: number; display: string; value: string; kind: string; joinedAt: number | null; leftAt: number | null }[];
  /** Senders of the conversation's outgoing messages (the device owner). */
  owners: { handleId: number; display: string; value: string; kind: string }[];
}

/** A handle as productions name it: its identity's display name, else its own. */
const DISPLAY = 'COALESCE(p.display_name, h.display, h.value)';

export const BATCH = 500;

export interface ProducedMarks {
  context: ReadonlySet<number>;
  withheld: ReadonlySet<number>;
}

/** Produced messages in the order given (the selection's), batch by batch. */
export function* iterateProduced(db: DB, ids: readonly number[], marks_: ProducedMarks, fields: readonly WorkProductField[] = []): Generator<ProducedMessage[]> {
  const { context, withheld } = marks_;
  const sources = new Map<number, string>();
  for (let i = 0; i < ids.length; i += BATCH) {
    const slice = ids.slice(i, i + BATCH);
    const marks = slice.map(() => '?').join(',');
    const extra = new Map<number, { sha: string; at: number }>();
    for (const [id, sha, at] of prepared(db, `SELECT id, content_sha256, sent_at FROM messages WHERE id IN (${marks})`).raw().all(...slice) as [number, string, number][]) {
      extra.set(id, { sha, at });
    }
    const custodians = new Map<number, string[]>();
    for (const [id, name] of prepared(
      db,
      `SELECT o.message_id, c.name FROM message_occurrences o JOIN custodians c ON c.id = o.custodian_id WHERE o.message_id IN (${marks}) ORDER BY o.message_id, c.name`,
    )
      .raw()
      .all(...slice) as [number, string][]) {
      const list = custodians.get(id) ?? [];
      if (!list.includes(name)) list.push(name);
      custodians.set(id, list);
    }
    const redactions = loadRedactions(db, slice);
    const notes = fields.includes('notes') ? listsBy(db, `SELECT message_id, text FROM notes WHERE message_id IN (${marks}) ORDER BY message_id, at, id`, slice) : new Map<number, string[]>();
    const bases = fields.includes('basis')
      ? listsBy(db, `SELECT mt.message_id, t.name || ': ' || mt.basis FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.kind = 'privilege' AND mt.basis IS NOT NULL AND mt.message_id IN (${marks}) ORDER BY mt.message_id, t.name`, slice)
      : new Map<number, string[]>();
    const coding = fields.includes('coding') ? grouped(dataOfConnection(db).read.fields.labelledOn(slice)) : new Map<number, string[]>();
    // Productions name people as the case's identities do: a merged identity's display name.
    const names = new Map<number, string>();
    for (const [pid, name] of prepared(db, `SELECT DISTINCT p.id, p.display_name FROM messages m JOIN handles h ON h.id = m.sender_handle_id JOIN participants p ON p.id = h.participant_id WHERE m.id IN (${marks})`)
      .raw()
      .all(...slice) as [number, string][]) names.set(pid, name);
    const byId = new Map<number, MessageDTO>();
    for (const m of iterateMessages(db, { ids: slice, includePersonal: true })) byId.set(m.id, m);
    const batch: ProducedMessage[] = [];
    for (const id of slice) {
      const m = byId.get(id);
      if (!m) continue;
      let sourceName = sources.get(m.source.sourceId);
      if (sourceName === undefined) {
        sourceName = (db.prepare('SELECT name FROM sources WHERE id = ?').pluck().get(m.source.sourceId) as string | undefined) ?? '';
        sources.set(m.source.sourceId, sourceName);
      }
      const e = extra.get(id)!;
      const sender = m.senderId !== null ? (names.get(m.senderId) ?? m.sender) : m.sender;
      const base: ProducedMessage = {
        ...m, sender, context: context.has(id), withheld: false, contentSha256: e.sha, sentAtMs: e.at,
        custodians: custodians.get(id) ?? [], sourceName, redactions: redactions.get(id) ?? [], notes: notes.get(id) ?? [], bases: bases.get(id) ?? [], coding: coding.get(id) ?? [],
      };
      batch.push(withheld.has(id) ? withhold(base) : base);
    }
    yield batch;
  }
}

/** A withheld message as every format sees it: who, when, where — no content, no attachments, no coding. */
function withhold(m: ProducedMessage): ProducedMessage {
  return {
    ...m, withheld: true, text: '', subject: null, attachments: [], reactions: [], edits: [], edited: false, replyTo: null, forwardedFrom: null,
    tags: [], redactions: [], notes: [], bases: [], coding: [], contentSha256: '', context: false,
  };
}

function listsBy(db: DB, sql: string, ids: readonly number[]): Map<number, string[]> {
  return grouped(prepared(db, sql).raw().all(...ids) as [number, string][]);
}

function grouped(rows: readonly [number, string][]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const [id, v] of rows) {
    const list = out.get(id) ?? [];
    list.push(v);
    out.set(id, list);
  }
  return out;
}

export class ConversationCache {
  private readonly db: DB;
  private readonly cache = new Map<number, ConversationInfo>();

  constructor(db: DB) {
    this.db = db;
  }

  get(id: number): ConversationInfo {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const c = this.db.prepare('SELECT id, name, platform, kind, external_id FROM conversations WHERE id = ?').get(id) as {
      id: number; name: string | null; platform: string; kind: ConversationInfo['kind']; external_id: string;
    };
    type P = ConversationInfo['participants'][number];
    const members = this.db
      .prepare(
        `SELECT h.id AS handleId, ${DISPLAY} AS display, h.value, h.kind, cm.joined_at AS joinedAt, cm.left_at AS leftAt FROM conversation_members cm
          JOIN handles h ON h.id = cm.handle_id LEFT JOIN participants p ON p.id = h.participant_id
          WHERE cm.conversation_id = ? ORDER BY display, h.id`,
      )
      .all(id) as ConversationInfo['members'];
    let participants: P[] = members.map((m) => ({ handleId: m.handleId, display: m.display, value: m.value, kind: m.kind }));
    if (participants.length === 0) {
      participants = this.db
        .prepare(
          `SELECT h.id AS handleId, ${DISPLAY} AS display, h.value, h.kind FROM handles h LEFT JOIN participants p ON p.id = h.participant_id
            WHERE h.id IN (SELECT DISTINCT sender_handle_id FROM messages WHERE conversation_id = ? AND sender_handle_id IS NOT NULL) ORDER BY display, h.id`,
        )
        .all(id) as P[];
    }
    // Who sent this conversation's outgoing messages: the device owner, who received the incoming ones.
    const owners = this.db
      .prepare(
        `SELECT h.id AS handleId, ${DISPLAY} AS display, h.value, h.kind FROM handles h LEFT JOIN participants p ON p.id = h.participant_id
          WHERE h.id IN (SELECT DISTINCT sender_handle_id FROM messages WHERE conversation_id = ? AND direction = 'out' AND sender_handle_id IS NOT NULL) ORDER BY display, h.id`,
      )
      .all(id) as P[];
    const custodians = this.db
      .prepare(
        `SELECT DISTINCT cu.name FROM message_occurrences o JOIN custodians cu ON cu.id = o.custodian_id
          WHERE o.message_id IN (SELECT id FROM messages WHERE conversation_id = ?) ORDER BY cu.name`,
      )
      .pluck()
      .all(id) as string[];
    const info: ConversationInfo = {
      id: c.id, name: c.name ?? c.external_id, platform: c.platform, kind: c.kind, participants, custodians,
      members, owners,
    };
    this.cache.set(id, info);
    return info;
  }

  /**
   * Who received a message: the recipients the source recorded for it (email To/Cc/Bcc), else the conversation's members at the time it was sent (joined before,
   * not yet left) but the sender, else everyone known in it; an incoming message also reached the
   * device owner (whoever sent the conversation's outgoing messages), whom a one-to-one export
   * often does not list as a member.
   */
  recipients(m: { conversationId: number; senderHandle: string | null; sentAtMs: number; direction: string; recipients?: MessageDTO['recipients'] }): string[] {
    // The source named this message's own recipients (email To/Cc/Bcc): those, not the thread's members.
    if (m.recipients?.length) return m.recipients.map((r) => `${r.role === 'to' ? '' : `${r.role}: `}${r.name ?? r.handle}`);
    const c = this.get(m.conversationId);
    const pool = c.members.length ? c.members.filter((x) => (x.joinedAt === null || x.joinedAt <= m.sentAtMs) && (x.leftAt === null || x.leftAt >= m.sentAtMs)) : c.participants;
    const out: string[] = [];
    const add = (p: { value: string; display: string }) => {
      if (p.value !== m.senderHandle && !out.includes(p.display)) out.push(p.display);
    };
    for (const p of pool) add(p);
    if (m.direction === 'in') for (const o of c.owners) add(o);
    return out;
  }
}
