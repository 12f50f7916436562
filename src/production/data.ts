/**
 * Messages as a production reads them: the MessageDTO plus what the outputs need beside it
 * (content hash, custodians, source file, redaction marks, conversation facts), in batches so a
 * million-row production keeps memory flat.
 */
import type { MessageDTO } from '../api/dto.ts';
import { dataOf } from '../case/data/index.ts';
import type { ProducedReader } from '../case/data/interface.ts';
import { iterateMessages } from '../case/messages.ts';
import type { CaseSession } from '../case/session.ts';
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

export const BATCH = 500;

export interface ProducedMarks {
  context: ReadonlySet<number>;
  withheld: ReadonlySet<number>;
}

/** Produced messages in the order given (the selection's), batch by batch. */
export function* iterateProduced(session: CaseSession, ids: readonly number[], marks_: ProducedMarks, fields: readonly WorkProductField[] = []): Generator<ProducedMessage[]> {
  const { context, withheld } = marks_;
  const { read } = dataOf(session);
  const sources = new Map<number, string>();
  for (let i = 0; i < ids.length; i += BATCH) {
    const slice = ids.slice(i, i + BATCH);
    const extra = new Map<number, { sha: string; at: number }>();
    for (const [id, sha, at] of read.produced.contentHashes(slice)) extra.set(id, { sha, at });
    const custodians = new Map<number, string[]>();
    for (const [id, name] of read.produced.custodians(slice)) {
      const list = custodians.get(id) ?? [];
      if (!list.includes(name)) list.push(name);
      custodians.set(id, list);
    }
    const redactions = loadRedactions(session, slice);
    const notes = fields.includes('notes') ? listsBy(read.produced.notes(slice)) : new Map<number, string[]>();
    const bases = fields.includes('basis') ? listsBy(read.produced.privilegeBases(slice)) : new Map<number, string[]>();
    const coding = fields.includes('coding') ? listsBy(read.fields.labelledOn(slice)) : new Map<number, string[]>();
    // Productions name people as the case's identities do: a merged identity's display name.
    const names = new Map<number, string>(read.produced.senderIdentities(slice));
    const byId = new Map<number, MessageDTO>();
    for (const m of iterateMessages(session, { ids: slice, includePersonal: true })) byId.set(m.id, m);
    const batch: ProducedMessage[] = [];
    for (const id of slice) {
      const m = byId.get(id);
      if (!m) continue;
      let sourceName = sources.get(m.source.sourceId);
      if (sourceName === undefined) {
        sourceName = read.produced.sourceName(m.source.sourceId) ?? '';
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

function listsBy(rows: readonly [number, string][]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const [id, v] of rows) {
    const list = out.get(id) ?? [];
    list.push(v);
    out.set(id, list);
  }
  return out;
}

export class ConversationCache {
  private readonly produced: ProducedReader;
  private readonly cache = new Map<number, ConversationInfo>();

  constructor(session: CaseSession) {
    this.produced = dataOf(session).read.produced;
  }

  get(id: number): ConversationInfo {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const c = this.produced.conversation(id)!;
    const members = this.produced.members(id);
    const participants = members.length ? members.map((m) => ({ handleId: m.handleId, display: m.display, value: m.value, kind: m.kind })) : this.produced.writers(id);
    // Who sent this conversation's outgoing messages: the device owner, who received the incoming ones.
    const owners = this.produced.owners(id);
    const custodians = this.produced.conversationCustodians(id);
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
