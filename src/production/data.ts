/**
 * Messages as a production reads them: the MessageDTO plus what the outputs need beside it
 * (content hash, custodians, source file, redaction marks, conversation facts), in batches so a
 * million-row production keeps memory flat.
 */
import type { MessageDTO } from '../api/dto.ts';
import { iterateMessages, prepared } from '../case/messages.ts';
import type { DB } from '../case/store.ts';
import { loadRedactions } from './redactions.ts';
import type { RedactionMark } from './redactions.ts';

export interface ProducedMessage extends MessageDTO {
  context: boolean;
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
}

export const BATCH = 500;

/** Produced messages in the order given (the selection's), batch by batch. */
export function* iterateProduced(db: DB, ids: readonly number[], context: ReadonlySet<number>): Generator<ProducedMessage[]> {
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
      batch.push({
        ...m, context: context.has(id), contentSha256: e.sha, sentAtMs: e.at,
        custodians: custodians.get(id) ?? [], sourceName, redactions: redactions.get(id) ?? [],
      });
    }
    yield batch;
  }
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
    let participants = this.db
      .prepare(
        `SELECT h.id AS handleId, COALESCE(h.display, h.value) AS display, h.value, h.kind FROM conversation_members cm JOIN handles h ON h.id = cm.handle_id
          WHERE cm.conversation_id = ? ORDER BY display, h.id`,
      )
      .all(id) as P[];
    if (participants.length === 0) {
      participants = this.db
        .prepare(
          `SELECT h.id AS handleId, COALESCE(h.display, h.value) AS display, h.value, h.kind FROM handles h
            WHERE h.id IN (SELECT DISTINCT sender_handle_id FROM messages WHERE conversation_id = ? AND sender_handle_id IS NOT NULL) ORDER BY display, h.id`,
        )
        .all(id) as P[];
    }
    const custodians = this.db
      .prepare(
        `SELECT DISTINCT cu.name FROM message_occurrences o JOIN custodians cu ON cu.id = o.custodian_id
          WHERE o.message_id IN (SELECT id FROM messages WHERE conversation_id = ?) ORDER BY cu.name`,
      )
      .pluck()
      .all(id) as string[];
    const info: ConversationInfo = { id: c.id, name: c.name ?? c.external_id, platform: c.platform, kind: c.kind, participants, custodians };
    this.cache.set(id, info);
    return info;
  }

  /** Everyone in the conversation but the sender: the recipients of a message. */
  recipients(conversationId: number, senderHandle: string | null): string[] {
    return this.get(conversationId).participants.filter((p) => p.value !== senderHandle).map((p) => p.display);
  }
}
