/**
 * Records → the case. Hashes the source for custody, skips a source already imported, dedupes
 * messages by fingerprint (recording a second occurrence instead), streams attachments into blobs,
 * and writes in large transactions. Every row carries the run id; a failed or cancelled run is
 * removed before the error leaves this function, a killed one on the next writer's open.
 */
import path from 'node:path';
import { HoldfastError } from '../api/errors.ts';
import type { DB } from '../case/store.ts';
import { mapSqliteError } from '../case/store.ts';
import { appendAudit } from '../case/audit.ts';
import { acquireWriteLock } from '../case/lock.ts';
import { deleteRunRows, finishRun } from '../case/runs.ts';
import { putBlob, BlobTooLargeError } from '../case/blobs.ts';
import { checkedTime, timeInRange } from '../importers/time-range.ts';
import { fingerprintKey, messageContentHash, messageFingerprint } from '../case/message-hash.ts';
import type {
  ConversationRecord,
  HandleRef,
  IdentityRecord,
  Importer,
  ImportOptions,
  ImportRecord,
  ImportWarning,
  MessageRecord,
  ReactionRecord,
  ReactionRecordData,
} from '../importers/types.ts';
import { hashSource } from '../importers/common/source-hash.ts';
import { readRecords } from './parallel-read.ts';
import { handleKey, normalizeHandle } from '../importers/common/handles.ts';
import { linkIdentity } from './identity-links.ts';
import type { TermsDoc } from '../search/index-store.ts';
import { FLAG_ATTACHMENT, FLAG_DELETED, FLAG_EDITED } from '../search/docs.ts';
import { recordTerms } from '../search/record-terms.ts';

/** Largest single attachment accepted (a zip bomb or a broken size field cannot fill the disk). */
export const MAX_ATTACHMENT_BYTES = 8 * 1024 ** 3;
const BATCH_MESSAGES = 20_000;
const BATCH_MS = 1_000;
const WARNINGS_KEPT = 1_000;
/** Warnings written into the import's audit entry (kept small: the entry is hashed and read whole). */
const WARNINGS_AUDITED = 100;

export interface IngestRequest {
  db: DB;
  /** The case file path, for messages and the lock. */
  casePath: string;
  source: string;
  importer: Importer;
  options: ImportOptions;
  /** Why `options.tz` is the zone wall-clock times are read in (recorded with the source and in the report). */
  tzReason?: string | undefined;
  custodian?: string | undefined;
  actor: string;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: IngestProgress) => void) | undefined;
  /** Called after each committed batch with the messages it added and their index terms (the search index listens). */
  onMessagesCommitted?: ((docs: TermsDoc[]) => void) | undefined;
  /**
   * Applies the active legal holds to what run `runId` wrote, in its last transaction; returns the
   * messages newly held per hold. The app layer passes review's hold scoping (ingest sits below review);
   * required, so no caller can import past a hold by forgetting it.
   */
  applyHolds: (db: DB, runId: number) => Record<number, number>;
}

export interface IngestProgress {
  phase: 'hashing' | 'importing' | 'finishing';
  done: number;
  total: number;
  messages: number;
}

export interface IngestResult {
  sourceId: number;
  runId: number | null;
  format: string;
  sha256: string;
  alreadyImported: boolean;
  messages: number;
  conversations: number;
  attachments: number;
  duplicatesSkipped: number;
  warnings: ImportWarning[];
  warningCount: number;
  report: ImportReport;
}

/** What the source held and what became of it (the import report, per source). */
export interface ImportReport {
  /** Messages the importer read from the source. */
  read: number;
  imported: number;
  /** Already in the case (another source, or the same message twice in this one). */
  duplicates: number;
  flagged: {
    /** Messages whose time is not their own readable timestamp (see MessageRecord.timeSource). */
    timeUnknown: number;
    /** Messages (not system notices) whose author the source does not say. */
    authorUnknown: number;
  };
  /** Messages read but not imported, by reason; 0 unless the source's bytes could not be read. */
  skipped: { count: number; reasons: { reason: string; count: number }[] };
  /** The zone wall-clock times without a zone were read in, and why that zone. */
  timeZone: { zone: string; reason: string };
}

interface PendingLink {
  messageId: number;
  conversationKey: string;
  targetKey: string;
}

export async function ingest(req: IngestRequest): Promise<IngestResult> {
  const { db, importer } = req;
  const signal = req.signal ?? new AbortController().signal;
  const sourceName = path.basename(req.source);
  const estimate = await importer.estimate(req.source).catch(() => ({ total: 0 }));
  const report = throttle(req.onProgress);

  await importer.preflight?.(req.source, req.options);
  let hashed = 0;
  const identity = await hashSource(req.source, signal, (n) => {
    hashed += n;
    report({ phase: 'hashing', done: hashed, total: estimate.total, messages: 0 });
  });
  const existing = db.prepare('SELECT id, format FROM sources WHERE sha256 = ?').get(identity.sha256) as { id: number; format: string } | undefined;
  if (existing) {
    const count = db.prepare('SELECT count(*) FROM message_occurrences WHERE source_id = ?').pluck().get(existing.id) as number;
    db.transaction(() => appendAudit(db, req.actor, 'import.skipped', { source: req.source, sha256: identity.sha256, sourceId: existing.id, reason: 'already imported' }))();
    return {
      sourceId: existing.id, runId: null, format: existing.format, sha256: identity.sha256, alreadyImported: true,
      messages: 0, conversations: 0, attachments: 0, duplicatesSkipped: count, warnings: [], warningCount: 0,
      report: {
        read: 0, imported: 0, duplicates: 0, flagged: { timeUnknown: 0, authorUnknown: 0 }, skipped: { count: 0, reasons: [] },
        timeZone: { zone: req.options.tz, reason: req.tzReason ?? 'given' },
      },
    };
  }

  const lock = acquireWriteLock(db, req.casePath, `import of ${sourceName}`);
  let keepLock = false;
  const writer = new RunWriter(db, req, identity.sha256, identity.size);
  try {
    let inTx = false;
    let batchStart = Date.now();
    let batchDocs: TermsDoc[] = [];
    const commit = () => {
      if (!inTx) return;
      db.exec('COMMIT');
      inTx = false;
      if (batchDocs.length) req.onMessagesCommitted?.(batchDocs);
      batchDocs = [];
    };
    const ctx = {
      path: req.source,
      options: req.options,
      signal,
      warn: (w: ImportWarning) => writer.warn(w),
      progress: (done: number) => report({ phase: 'importing', done, total: estimate.total, messages: writer.stats.messages }),
    };
    for await (const { record, terms } of sourceErrorsTyped(readRecords(importer, ctx), req.source)) {
      if (signal.aborted) throw new HoldfastError('CANCELLED', `Import of ${sourceName} was cancelled; nothing from it was kept.`, { file: req.source });
      if (!inTx) {
        db.exec('BEGIN IMMEDIATE');
        inTx = true;
        batchStart = Date.now();
      }
      const added = await writer.write(record, terms);
      if (added !== undefined) batchDocs.push(added);
      if (batchDocs.length >= BATCH_MESSAGES || Date.now() - batchStart > BATCH_MS) commit();
    }
    if (signal.aborted) throw new HoldfastError('CANCELLED', `Import of ${sourceName} was cancelled; nothing from it was kept.`, { file: req.source });
    if (!inTx) db.exec('BEGIN IMMEDIATE');
    inTx = true;
    report({ phase: 'finishing', done: estimate.total, total: estimate.total, messages: writer.stats.messages });
    writer.finish();
    commit();
    return writer.result(importer.id);
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    const mapped = mapSqliteError(err, req.casePath);
    const status = mapped instanceof HoldfastError && mapped.code === 'CANCELLED' ? 'cancelled' : 'failed';
    try {
      db.transaction(() => {
        const { messages } = deleteRunRows(db, writer.runId);
        finishRun(db, writer.runId, status, { ...writer.stats, rolledBackMessages: messages });
        appendAudit(db, req.actor, 'import.rollback', {
          runId: writer.runId, source: req.source, sha256: identity.sha256, reason: status,
          error: mapped instanceof Error ? mapped.message : String(mapped), rolledBackMessages: messages,
        });
      })();
    } catch {
      // Rolling back needs the disk too; if even that fails the run stays 'running' and the next
      // open rolls it back (recoverStaleWork). The lock is left so that open knows the run is dead.
      keepLock = true;
    }
    throw mapped;
  } finally {
    if (!keepLock) lock.release();
  }
}

/** Per-run state: id caches, ordinals, pending reply/reaction links, counts. */
class RunWriter {
  readonly runId: number;
  readonly sourceId: number;
  readonly stats = { messages: 0, conversations: 0, attachments: 0, duplicatesSkipped: 0, reactions: 0 };
  private readonly counts = { read: 0, timeUnknown: 0, authorUnknown: 0 };
  private readonly skipped = new Map<string, number>();
  private readonly warnings: ImportWarning[] = [];
  private warningCount = 0;
  private readonly db: DB;
  private readonly req: IngestRequest;
  private readonly sha256: string;
  private readonly custodianId: number | null;
  private readonly conversations = new Map<string, { id: number; platform: string; externalId: string }>();
  private readonly handles = new Map<string, { id: number; key: string }>();
  /** Importer keys → message ids, per conversation key. */
  private readonly keys = new Map<string, number>();
  private readonly pendingReplies: PendingLink[] = [];
  private readonly pendingReactions: ReactionRecord[] = [];
  /** Address-book entries with their handles' ids, linked when the run completes (a failed run links nothing). */
  private readonly identities: { record: IdentityRecord; handleIds: number[] }[] = [];
  /** Messages newly held, per hold id. */
  private held: Record<number, number> = {};
  private ordinalAt = Number.NaN;
  private readonly ordinals = new Map<string, number>();
  private readonly stmt;

  constructor(db: DB, req: IngestRequest, sha256: string, size: number) {
    this.db = db;
    this.req = req;
    this.sha256 = sha256;
    const now = Date.now();
    this.stmt = {
      findHandle: db.prepare('SELECT id FROM handles WHERE kind = ? AND value = ?').pluck(),
      insertParticipant: db.prepare('INSERT INTO participants(display_name, created_at) VALUES (?, ?)'),
      insertHandle: db.prepare('INSERT INTO handles(kind, value, display, participant_id, run_id) VALUES (?, ?, ?, ?, ?)'),
      fillHandleDisplay: db.prepare('UPDATE handles SET display = ? WHERE id = ? AND display IS NULL'),
      findConversation: db.prepare('SELECT id, name, kind, external_id AS externalId FROM conversations WHERE platform = ? AND external_id = ?'),
      findAlias: db.prepare(
        'SELECT c.id, c.name, c.kind, c.external_id AS externalId FROM conversation_aliases a JOIN conversations c ON c.id = a.conversation_id WHERE a.platform = ? AND a.external_id = ?',
      ),
      insertAlias: db.prepare('INSERT OR IGNORE INTO conversation_aliases(platform, external_id, conversation_id, run_id) VALUES (?, ?, ?, ?)'),
      insertHandleName: db.prepare('INSERT OR IGNORE INTO handle_names(handle_id, name, run_id) VALUES (?, ?, ?)'),
      insertRecipient: db.prepare('INSERT OR IGNORE INTO message_recipients(message_id, seq, role, handle_id, run_id) VALUES (?, ?, ?, ?, ?)'),
      makeGroup: db.prepare("UPDATE conversations SET kind = 'group' WHERE id = ? AND kind = 'direct'"),
      insertConversation: db.prepare('INSERT INTO conversations(platform, external_id, kind, name, run_id) VALUES (?, ?, ?, ?, ?)'),
      insertConversationName: db.prepare('INSERT OR IGNORE INTO conversation_names(conversation_id, name, from_at, run_id) VALUES (?, ?, ?, ?)'),
      insertMember: db.prepare('INSERT OR IGNORE INTO conversation_members(conversation_id, handle_id, joined_at, left_at, run_id) VALUES (?, ?, ?, ?, ?)'),
      findMessage: db.prepare('SELECT id, fingerprint FROM messages WHERE fingerprint_key = ?').raw(),
      insertMessage: db.prepare(
        `INSERT INTO messages(conversation_id, sender_handle_id, sent_at, raw_time, kind, system_type, text, subject, edited, deleted,
           direction, forwarded_from, external_id, fingerprint, content_sha256, fingerprint_key, run_id, source_id, locator, time_unknown, time_source)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertOccurrence: db.prepare('INSERT OR IGNORE INTO message_occurrences(message_id, source_id, custodian_id, locator, run_id) VALUES (?, ?, ?, ?, ?)'),
      insertEdit: db.prepare('INSERT OR IGNORE INTO message_edits(message_id, seq, edited_at, text, run_id) VALUES (?, ?, ?, ?, ?)'),
      insertReaction: db.prepare('INSERT OR IGNORE INTO reactions(message_id, handle_id, value, at, removed, run_id, locator) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      insertAttachment: db.prepare('INSERT INTO attachments(message_id, seq, name, mime, size, sha256, missing_reason, run_id, locator) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      setReply: db.prepare('UPDATE messages SET reply_to_id = ? WHERE id = ?'),
      insertSourceFile: db.prepare('INSERT INTO source_files(source_id, inner_path, size, sha256, run_id) VALUES (?, ?, ?, ?, ?)'),
    };
    const created = db.transaction(() => {
      const runId = Number(
        db.prepare(
          `INSERT INTO import_runs(source_path, source_sha256, importer, importer_version, started_at, status, pid, messages_after)
           VALUES (?, ?, ?, ?, ?, 'running', ?, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'messages'), 0))`,
        ).run(req.source, sha256, req.importer.id, req.importer.version, now, process.pid).lastInsertRowid,
      );
      let custodianId: number | null = null;
      if (req.custodian) {
        db.prepare('INSERT OR IGNORE INTO custodians(name, created_at) VALUES (?, ?)').run(req.custodian, now);
        custodianId = db.prepare('SELECT id FROM custodians WHERE name = ?').pluck().get(req.custodian) as number;
      }
      const sourceId = Number(
        db.prepare(
          `INSERT INTO sources(path, name, size, sha256, format, importer_version, custodian_id, tz, tz_reason, date_order, options, imported_at, run_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          req.source, path.basename(req.source), size, sha256, req.importer.id, req.importer.version, custodianId,
          req.options.tz, req.tzReason ?? null, req.options.dateOrder ?? null,
          JSON.stringify({
            ...(req.options.conversation ? { conversation: req.options.conversation } : {}),
            ...(req.options.password ? { password: 'supplied' } : {}),
            ...(req.options.backupKey || req.options.backupKeyFile ? { backupKey: 'supplied' } : {}),
            ...(req.options.region ? { region: req.options.region } : {}),
          }),
          now, runId,
        ).lastInsertRowid,
      );
      return { runId, custodianId, sourceId };
    })();
    this.runId = created.runId;
    this.custodianId = created.custodianId;
    this.sourceId = created.sourceId;
  }

  warn(w: ImportWarning): void {
    this.warningCount++;
    if (w.skipped) this.skip(w.message);
    if (this.warnings.length < WARNINGS_KEPT) this.warnings.push(w);
  }

  /** Returns a newly added message as the search index takes it, if the record added one. */
  async write(record: ImportRecord, terms: string[] | undefined): Promise<TermsDoc | undefined> {
    switch (record.type) {
      case 'conversation':
        this.conversation(record);
        return undefined;
      case 'message':
        return this.message(record, terms);
      case 'reaction':
        this.reaction(record);
        return undefined;
      case 'source-file':
        this.stmt.insertSourceFile.run(this.sourceId, record.innerPath, record.size, record.sha256, this.runId);
        return undefined;
      case 'identity': {
        if (record.handles.length < 2) return undefined;
        const handleIds = [...new Set(record.handles.map((h) => this.handle(record.name && !h.display ? { ...h, display: record.name } : h)))];
        if (handleIds.length > 1) this.identities.push({ record, handleIds });
        return undefined;
      }
    }
  }

  private skip(reason: string): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
  }

  /** The conversation under its own external id, or under one of the ids it is also known by (aliases, both ways). */
  private findConversation(r: ConversationRecord): { id: number; kind: string; externalId: string } | undefined {
    type Found = { id: number; kind: string; externalId: string } | undefined;
    for (const ext of [r.externalId, ...(r.aliases ?? [])]) {
      const found = (this.stmt.findConversation.get(r.platform, ext) ?? this.stmt.findAlias.get(r.platform, ext)) as Found;
      if (found) return found;
    }
    return undefined;
  }

  private conversation(r: ConversationRecord): void {
    const found = this.findConversation(r);
    let id: number;
    // Fingerprints use the stored conversation's id, so a chat met again under an alias dedupes.
    let externalId = r.externalId;
    if (found) {
      id = found.id;
      externalId = found.externalId;
      // Announced again with more people (an email thread someone was copied into): no longer direct.
      if (r.kind === 'group' && found.kind === 'direct') this.stmt.makeGroup.run(id);
    } else {
      id = Number(this.stmt.insertConversation.run(r.platform, r.externalId, r.kind, r.name ?? null, this.runId).lastInsertRowid);
      this.stats.conversations++;
    }
    for (const ext of [r.externalId, ...(r.aliases ?? [])]) {
      if (ext !== externalId) this.stmt.insertAlias.run(r.platform, ext, id, this.runId);
    }
    for (const n of r.nameHistory ?? []) this.stmt.insertConversationName.run(id, n.name, n.fromAt, this.runId);
    if (r.name && !r.nameHistory?.length) this.stmt.insertConversationName.run(id, r.name, null, this.runId);
    for (const m of r.members ?? []) {
      this.stmt.insertMember.run(id, this.handle(m.handle), m.joinedAt ?? null, m.leftAt ?? null, this.runId);
    }
    this.conversations.set(r.key, { id, platform: r.platform, externalId });
  }

  /** Handle id and normalised key; cached on the raw reference because normalising phone numbers is costly. */
  private handle(ref: HandleRef): number {
    return this.resolveHandle(ref).id;
  }

  private resolveHandle(ref: HandleRef): { id: number; key: string } {
    const rawKey = `${ref.kind}\u001f${ref.value}\u001f${ref.display ?? ''}${ref.names ? `\u001f${ref.names.join('\u001f')}` : ''}`;
    const cached = this.handles.get(rawKey);
    if (cached !== undefined) return cached;
    const h = normalizeHandle(ref);
    const key = handleKey(h);
    let id = this.stmt.findHandle.get(h.kind, h.value) as number | undefined;
    if (id === undefined) {
      const participant = Number(this.stmt.insertParticipant.run(h.display || h.value, Date.now()).lastInsertRowid);
      id = Number(this.stmt.insertHandle.run(h.kind, h.value, h.display ?? null, participant, this.runId).lastInsertRowid);
    } else if (h.display) {
      this.stmt.fillHandleDisplay.run(h.display, id);
    }
    for (const name of ref.names ?? []) if (name !== h.display && name !== h.value) this.stmt.insertHandleName.run(id, name, this.runId);
    const resolved = { id, key };
    this.handles.set(rawKey, resolved);
    return resolved;
  }

  private async message(r: MessageRecord, terms: string[] | undefined): Promise<TermsDoc | undefined> {
    this.counts.read++;
    const conv = this.conversations.get(r.conversationKey);
    if (!conv) {
      this.warn({ code: 'BAD_RECORD', locator: r.locator, message: `message refers to unknown conversation ${r.conversationKey}`, skipped: true });
      return undefined;
    }
    // Whatever an importer let through, no time outside the range is stored (reading it would fail later).
    const timeUnknown = r.timeUnknown === true || !timeInRange(r.sentAt);
    if (timeUnknown && !r.timeUnknown) checkedTime((w) => this.warn(w), r.locator, r.rawTime || String(r.sentAt), undefined);
    if (timeUnknown) r = { ...r, sentAt: 0 };
    if (r.timeSource || timeUnknown) this.counts.timeUnknown++;
    if (r.kind === 'message' && !r.sender && r.direction !== 'out') this.counts.authorUnknown++;
    const sender = r.sender ? this.resolveHandle(r.sender) : null;
    const senderId = sender?.id ?? null;
    const senderKey = sender?.key ?? '';
    let ordinal = 0;
    if (!r.externalId && r.timePrecision !== 'ms') {
      // Identical messages within one coarse timestamp are distinct messages: number them.
      if (r.sentAt !== this.ordinalAt) {
        this.ordinals.clear();
        this.ordinalAt = r.sentAt;
      }
      const k = `${conv.id}\u001f${senderKey}\u001f${r.kind}\u001f${r.text}`;
      ordinal = this.ordinals.get(k) ?? 0;
      this.ordinals.set(k, ordinal + 1);
    }
    const fingerprint = messageFingerprint({
      platform: conv.platform, conversationExternalId: conv.externalId, externalId: r.externalId,
      senderKey, sentAt: r.sentAt, kind: r.kind, text: r.text, ordinal,
    });
    const key = fingerprintKey(fingerprint, r.externalId ? null : { sentAt: r.sentAt });
    let existing: number | undefined;
    for (const [id, fp] of this.stmt.findMessage.all(key) as [number, string][]) if (fp === fingerprint) existing = id;
    if (existing !== undefined) {
      this.stmt.insertOccurrence.run(existing, this.sourceId, this.custodianId, r.locator, this.runId);
      this.stats.duplicatesSkipped++;
      if (r.key) this.keys.set(`${r.conversationKey}\u001f${r.key}`, existing);
      return undefined;
    }
    const row = {
      conversation_id: conv.id, sender_handle_id: senderId, sent_at: r.sentAt, raw_time: r.rawTime, kind: r.kind,
      system_type: r.systemType ?? null, text: r.text, subject: r.subject ?? null, edited: r.edited || r.edits?.length ? 1 : 0,
      deleted: r.deleted ? 1 : 0, direction: r.direction, forwarded_from: r.forwardedFrom ?? null, external_id: r.externalId ?? null,
      fingerprint, source_id: this.sourceId, locator: r.locator,
    };
    const id = Number(
      this.stmt.insertMessage.run(
        row.conversation_id, row.sender_handle_id, row.sent_at, row.raw_time, row.kind, row.system_type, row.text, row.subject, row.edited,
        row.deleted, row.direction, row.forwarded_from, row.external_id, fingerprint, messageContentHash(row), key, this.runId,
        row.source_id, row.locator, timeUnknown ? 1 : 0, r.timeSource ?? (timeUnknown ? 'none' : null),
      ).lastInsertRowid,
    );
    this.stmt.insertOccurrence.run(id, this.sourceId, this.custodianId, r.locator, this.runId);
    this.stats.messages++;
    if (r.key) this.keys.set(`${r.conversationKey}\u001f${r.key}`, id);
    if (r.replyToKey) this.pendingReplies.push({ messageId: id, conversationKey: r.conversationKey, targetKey: r.replyToKey });
    r.edits?.forEach((e, seq) => this.stmt.insertEdit.run(id, seq, timeInRange(e.at) ? e.at : null, e.text, this.runId));
    r.recipients?.forEach((p, seq) => this.stmt.insertRecipient.run(id, seq, p.role, this.handle(p.handle), this.runId));
    for (const reaction of r.reactions ?? []) this.insertReaction(id, reaction, r.locator);
    let seq = 0;
    for (const a of r.attachments ?? []) {
      await this.attachment(id, seq++, a, r.locator);
    }
    return {
      id, conversationId: conv.id, senderId: senderId ?? 0, sentAt: r.sentAt, terms: terms ?? recordTerms(r),
      flags: (row.edited ? FLAG_EDITED : 0) | (row.deleted ? FLAG_DELETED : 0) | (seq > 0 ? FLAG_ATTACHMENT : 0),
    };
  }

  private async attachment(messageId: number, seq: number, a: NonNullable<MessageRecord['attachments']>[number], locator: string): Promise<void> {
    let sha256: string | null = null;
    let size: number | null = a.size ?? null;
    let missing = a.missingReason ?? null;
    if (a.open) {
      try {
        const stored = await putBlob(this.db, await a.open(), { mime: a.mime, runId: this.runId, maxBytes: MAX_ATTACHMENT_BYTES });
        sha256 = stored.sha256;
        size = stored.size;
        missing = null;
      } catch (err) {
        if (err instanceof HoldfastError && err.code === 'CANCELLED') throw err;
        const why = err instanceof BlobTooLargeError ? `larger than ${err.limit} bytes` : err instanceof Error ? err.message : String(err);
        missing = `could not be read: ${why}`;
        this.warn({ code: 'MISSING_ATTACHMENT', locator: a.locator ?? locator, message: `attachment ${a.name} ${missing}` });
      }
    } else if (!missing) {
      missing = 'not included in the source';
    }
    if (missing && !a.open) this.warn({ code: 'MISSING_ATTACHMENT', locator: a.locator ?? locator, message: `attachment ${a.name}: ${missing}` });
    this.stmt.insertAttachment.run(messageId, seq, a.name, a.mime ?? null, size, sha256, missing, this.runId, a.locator ?? null);
    this.stats.attachments++;
  }

  private insertReaction(messageId: number, r: ReactionRecordData, locator: string): void {
    const handleId = r.sender ? this.handle(r.sender) : null;
    const { changes } = this.stmt.insertReaction.run(messageId, handleId, r.value, timeInRange(r.at) ? r.at : null, r.removed ? 1 : 0, this.runId, locator);
    this.stats.reactions += changes;
  }

  private reaction(r: ReactionRecord): void {
    const target = this.keys.get(`${r.conversationKey}\u001f${r.targetKey}`);
    if (target === undefined) this.pendingReactions.push(r);
    else this.insertReaction(target, r, r.locator);
  }

  /** Links that pointed forward (a reply or reaction before its target) are resolved at the end. */
  finish(): void {
    for (const p of this.pendingReplies) {
      const target = this.keys.get(`${p.conversationKey}\u001f${p.targetKey}`);
      if (target !== undefined) this.stmt.setReply.run(target, p.messageId);
      else this.warn({ code: 'UNKNOWN_TARGET', locator: `message ${p.messageId}`, message: `reply to ${p.targetKey}, which is not in the source` });
    }
    for (const r of this.pendingReactions) {
      const target = this.keys.get(`${r.conversationKey}\u001f${r.targetKey}`);
      if (target !== undefined) this.insertReaction(target, r, r.locator);
      else this.warn({ code: 'UNKNOWN_TARGET', locator: r.locator, message: `reaction ${r.value} to ${r.targetKey}, which is not in the source` });
    }
    for (const { record, handleIds } of this.identities) linkIdentity(this.db, this.req.actor, record, handleIds, { runId: this.runId, sourceId: this.sourceId, source: this.req.source });
    this.applyHolds();
    const stats = { ...this.stats, warnings: this.warningCount, held: this.held };
    finishRun(this.db, this.runId, 'complete', stats);
    appendAudit(this.db, this.req.actor, 'import', {
      runId: this.runId, sourceId: this.sourceId, source: this.req.source, sha256: this.sha256, format: this.req.importer.id,
      importerVersion: this.req.importer.version, custodian: this.req.custodian ?? null, tz: this.req.options.tz,
      tzReason: this.req.tzReason ?? null, dateOrder: this.req.options.dateOrder ?? null, ...stats, report: this.report(),
      // The first warnings themselves, so the sources screen can show them later (the count is in `warnings`).
      warningsListed: this.warnings.slice(0, WARNINGS_AUDITED),
    });
  }

  /**
   * Holds cover what arrives later: custodian, conversation and date-range scopes are materialised
   * here, in the run's last transaction (req.applyHolds); query scopes after the run is indexed (src/review/holds.ts).
   */
  private applyHolds(): void {
    this.held = this.req.applyHolds(this.db, this.runId);
  }

  result(format: string): IngestResult {
    return {
      sourceId: this.sourceId, runId: this.runId, format, sha256: this.sha256, alreadyImported: false,
      messages: this.stats.messages, conversations: this.stats.conversations, attachments: this.stats.attachments,
      duplicatesSkipped: this.stats.duplicatesSkipped, warnings: this.warnings, warningCount: this.warningCount, report: this.report(),
    };
  }

  report(): ImportReport {
    const reasons = [...this.skipped].map(([reason, count]) => ({ reason, count }));
    return {
      read: this.counts.read, imported: this.stats.messages, duplicates: this.stats.duplicatesSkipped,
      flagged: { timeUnknown: this.counts.timeUnknown, authorUnknown: this.counts.authorUnknown },
      skipped: { count: reasons.reduce((n, r) => n + r.count, 0), reasons },
      timeZone: { zone: this.req.options.tz, reason: this.req.tzReason ?? 'given' },
    };
  }
}

/**
 * A raw SQLite error escaping an importer comes from the SOURCE database (the case's own errors
 * arise in the writer, outside this iterator): it must not be reported as a damaged case, so it
 * becomes a typed error naming the source.
 */
async function* sourceErrorsTyped<T>(records: AsyncIterable<T>, source: string): AsyncGenerator<T> {
  try {
    yield* records;
  } catch (err) {
    const code = err instanceof Error && !(err instanceof HoldfastError) ? String((err as { code?: unknown }).code ?? '') : '';
    if (!code.startsWith('SQLITE_')) throw err;
    const why = /^SQLITE_(BUSY|LOCKED)/.test(code) ? 'is locked by another program (close it, or import a copy)' : `cannot be read as a database (${(err as Error).message})`;
    throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${source} ${why}.`, { file: source }, { cause: err });
  }
}

function throttle(fn: ((p: IngestProgress) => void) | undefined): (p: IngestProgress) => void {
  if (!fn) return () => {};
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last >= 100 || p.phase === 'finishing') {
      last = now;
      fn(p);
    }
  };
}
