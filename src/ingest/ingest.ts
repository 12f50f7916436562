/**
 * Records → the case. Hashes the source for custody, skips a source already imported, dedupes
 * messages by fingerprint (recording a second occurrence instead), streams attachments into blobs,
 * and writes in large transactions. Every row carries the run id; a failed or cancelled run is
 * removed before the error leaves this function, a killed one on the next writer's open.
 */
import path from 'node:path';
import { HoldfastError } from '../api/errors.ts';
import { mapSqliteError } from '../case/data/index.ts';
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
import type { IngestWriter, CaseData } from '../case/data/interface.ts';
import type { TermsDoc } from '../search/index-store.ts';
import { FLAG_ATTACHMENT, FLAG_DELETED, FLAG_EDITED } from '../search/docs.ts';
import { recordTerms } from '../search/record-terms.ts';

/** Largest single attachment accepted (a zip bomb or a broken size field cannot fill the disk). */
export const MAX_ATTACHMENT_BYTES = 8 * 1024 ** 3;
const BATCH_MESSAGES = 20_000;
const BATCH_MS = 1_000;
/** The first batch is committed sooner, so someone who has the case open can search the import's first messages within moments. */
const FIRST_BATCH_MS = 200;
const WARNINGS_KEPT = 1_000;
/** Warnings written into the import's audit entry (kept small: the entry is hashed and read whole). */
const WARNINGS_AUDITED = 100;

export interface IngestRequest {
  data: CaseData;
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
  /**
   * Called with each batch's new messages and their index terms inside the batch's transaction, just
   * before it commits: the search index stores them with it, so a reader never sees them unindexed.
   */
  onBatch?: ((docs: TermsDoc[]) => void) | undefined;
  /**
   * Applies the active legal holds to what run `runId` wrote, in its last transaction; returns the
   * messages newly held per hold. The app layer passes review's hold scoping (ingest sits below review);
   * required, so no caller can import past a hold by forgetting it.
   */
  applyHolds: (data: CaseData, runId: number) => Record<number, number>;
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
  const { data, importer } = req;
  const signal = req.signal ?? new AbortController().signal;
  const sourceName = path.basename(req.source);
  const cancelled = () => new HoldfastError('CANCELLED', `Import of ${sourceName} was cancelled; nothing from it was kept.`, { file: req.source });
  const estimate = await importer.estimate(req.source).catch(() => ({ total: 0 }));
  const report = throttle(req.onProgress);

  await importer.preflight?.(req.source, req.options);
  let hashed = 0;
  const identity = await hashSource(req.source, signal, (n) => {
    hashed += n;
    report({ phase: 'hashing', done: hashed, total: estimate.total, messages: 0 });
  });
  const tx = data.write.transaction;
  const existing = data.read.importRuns.sourceBySha256(identity.sha256);
  if (existing) {
    const count = data.read.importRuns.occurrenceCount(existing.id);
    tx.run(() => appendAudit(data, req.actor, 'import.skipped', { source: req.source, sha256: identity.sha256, sourceId: existing.id, reason: 'already imported' }));
    return {
      sourceId: existing.id, runId: null, format: existing.format, sha256: identity.sha256, alreadyImported: true,
      messages: 0, conversations: 0, attachments: 0, duplicatesSkipped: count, warnings: [], warningCount: 0,
      report: {
        read: 0, imported: 0, duplicates: 0, flagged: { timeUnknown: 0, authorUnknown: 0 }, skipped: { count: 0, reasons: [] },
        timeZone: { zone: req.options.tz, reason: req.tzReason ?? 'given' },
      },
    };
  }

  const lock = acquireWriteLock(data, req.casePath, `import of ${sourceName}`);
  let keepLock = false;
  let writer: RunWriter;
  try {
    writer = new RunWriter(data, req, identity.sha256, identity.size);
  } catch (err) {
    // The run could not even be recorded: nothing to roll back, but the lock must not outlive it.
    lock.release();
    throw mapSqliteError(err, req.casePath);
  }
  try {
    let inTx = false;
    let batchStart = Date.now();
    let batchDocs: TermsDoc[] = [];
    let batchMs = FIRST_BATCH_MS;
    const commit = () => {
      if (!inTx) return;
      writer.flush();
      if (batchDocs.length) req.onBatch?.(batchDocs);
      tx.commit();
      inTx = false;
      batchMs = BATCH_MS;
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
      if (signal.aborted) throw cancelled();
      if (!inTx) {
        tx.begin();
        inTx = true;
        batchStart = Date.now();
      }
      const added = await writer.write(record, terms);
      if (added !== undefined) batchDocs.push(added);
      if (batchDocs.length >= BATCH_MESSAGES || Date.now() - batchStart > batchMs) commit();
    }
    if (signal.aborted) throw cancelled();
    if (!inTx) tx.begin();
    inTx = true;
    report({ phase: 'finishing', done: estimate.total, total: estimate.total, messages: writer.stats.messages });
    writer.finish();
    commit();
    return writer.result(importer.id);
  } catch (err) {
    if (tx.active()) tx.rollback();
    // A cancel may surface first as another error (the parser thread it stopped ended early): it is a cancel all the same.
    const mapped = signal.aborted
      ? cancelled()
      : namingSource(mapSqliteError(err, req.casePath), req.source);
    const status = mapped instanceof HoldfastError && mapped.code === 'CANCELLED' ? 'cancelled' : 'failed';
    try {
      tx.run(() => {
        const { messages } = deleteRunRows(data, writer.runId);
        finishRun(data, writer.runId, status, { ...writer.stats, rolledBackMessages: messages });
        appendAudit(data, req.actor, 'import.rollback', {
          runId: writer.runId, source: req.source, sha256: identity.sha256, reason: status,
          error: mapped instanceof Error ? mapped.message : String(mapped), rolledBackMessages: messages,
        });
      });
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
  private readonly data: CaseData;
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
  private readonly rows: IngestWriter;

  constructor(data: CaseData, req: IngestRequest, sha256: string, size: number) {
    this.data = data;
    this.req = req;
    this.sha256 = sha256;
    const runs = data.write.importRuns;
    const created = runs.start({
      path: req.source, name: path.basename(req.source), size, sha256, importer: req.importer.id, importerVersion: req.importer.version,
      custodian: req.custodian || null, tz: req.options.tz, tzReason: req.tzReason ?? null, dateOrder: req.options.dateOrder ?? null,
      options: JSON.stringify({
        ...(req.options.conversation ? { conversation: req.options.conversation } : {}),
        ...(req.options.password ? { password: 'supplied' } : {}),
        ...(req.options.backupKey || req.options.backupKeyFile ? { backupKey: 'supplied' } : {}),
        ...(req.options.region ? { region: req.options.region } : {}),
      }),
      at: Date.now(), pid: process.pid,
    });
    this.runId = created.runId;
    this.custodianId = created.custodianId;
    this.sourceId = created.sourceId;
    this.rows = runs.ingest(created);
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
        this.rows.addSourceFile(record.innerPath, record.size, record.sha256);
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
    for (const ext of [r.externalId, ...(r.aliases ?? [])]) {
      const found = this.rows.conversation(r.platform, ext) ?? this.rows.conversationByAlias(r.platform, ext);
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
      if (r.kind === 'group' && found.kind === 'direct') this.rows.makeGroup(id);
    } else {
      id = this.rows.addConversation({ platform: r.platform, externalId: r.externalId, kind: r.kind, name: r.name ?? null });
      this.stats.conversations++;
    }
    for (const ext of [r.externalId, ...(r.aliases ?? [])]) {
      if (ext !== externalId) this.rows.addAlias(r.platform, ext, id);
    }
    for (const n of r.nameHistory ?? []) this.rows.addConversationName(id, n.name, n.fromAt);
    if (r.name && !r.nameHistory?.length) this.rows.addConversationName(id, r.name, null);
    for (const m of r.members ?? []) {
      this.rows.addMember(id, this.handle(m.handle), m.joinedAt ?? null, m.leftAt ?? null);
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
    let id = this.rows.handleId(h.kind, h.value);
    if (id === undefined) {
      id = this.rows.addHandle({ kind: h.kind, value: h.value, display: h.display ?? null, participantName: h.display || h.value, at: Date.now() });
    } else if (h.display) {
      this.rows.fillHandleDisplay(id, h.display);
    }
    for (const name of ref.names ?? []) if (name !== h.display && name !== h.value) this.rows.addHandleName(id, name);
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
    for (const [id, fp] of this.rows.messagesByFingerprintKey(key)) if (fp === fingerprint) existing = id;
    if (existing !== undefined) {
      this.rows.addOccurrence(existing, r.locator);
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
    const id = this.rows.addMessage({
      conversationId: row.conversation_id, senderHandleId: row.sender_handle_id, sentAt: row.sent_at, rawTime: row.raw_time, kind: row.kind,
      systemType: row.system_type, text: row.text, subject: row.subject, edited: row.edited, deleted: row.deleted, direction: row.direction,
      forwardedFrom: row.forwarded_from, externalId: row.external_id, fingerprint, contentSha256: messageContentHash(row), fingerprintKey: key,
      locator: row.locator, timeUnknown: timeUnknown ? 1 : 0, timeSource: r.timeSource ?? (timeUnknown ? 'none' : null),
    });
    this.rows.addOccurrence(id, r.locator);
    this.stats.messages++;
    if (r.key) this.keys.set(`${r.conversationKey}\u001f${r.key}`, id);
    if (r.replyToKey) this.pendingReplies.push({ messageId: id, conversationKey: r.conversationKey, targetKey: r.replyToKey });
    r.edits?.forEach((e, seq) => this.rows.addEdit(id, seq, timeInRange(e.at) ? e.at : null, e.text));
    r.recipients?.forEach((p, seq) => this.rows.addRecipient(id, seq, p.role, this.handle(p.handle)));
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
        const stored = await putBlob(this.data, await a.open(), { mime: a.mime, runId: this.runId, maxBytes: MAX_ATTACHMENT_BYTES });
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
    this.rows.addAttachment({ messageId, seq, name: a.name, mime: a.mime ?? null, size, sha256, missingReason: missing, locator: a.locator ?? null });
    this.stats.attachments++;
  }

  private insertReaction(messageId: number, r: ReactionRecordData, locator: string): void {
    const handleId = r.sender ? this.handle(r.sender) : null;
    this.stats.reactions += this.rows.addReaction({ messageId, handleId, value: r.value, at: timeInRange(r.at) ? r.at : null, removed: r.removed ? 1 : 0, locator });
  }

  private reaction(r: ReactionRecord): void {
    const target = this.keys.get(`${r.conversationKey}\u001f${r.targetKey}`);
    if (target === undefined) this.pendingReactions.push(r);
    else this.insertReaction(target, r, r.locator);
  }

  /** Writes what the data layer held back of this batch (before its commit). */
  flush(): void {
    this.rows.flush();
  }

  /** Links that pointed forward (a reply or reaction before its target) are resolved at the end. */
  finish(): void {
    for (const p of this.pendingReplies) {
      const target = this.keys.get(`${p.conversationKey}\u001f${p.targetKey}`);
      if (target !== undefined) this.rows.setReplyTo(p.messageId, target);
      else this.warn({ code: 'UNKNOWN_TARGET', locator: `message ${p.messageId}`, message: `reply to ${p.targetKey}, which is not in the source` });
    }
    for (const r of this.pendingReactions) {
      const target = this.keys.get(`${r.conversationKey}\u001f${r.targetKey}`);
      if (target !== undefined) this.insertReaction(target, r, r.locator);
      else this.warn({ code: 'UNKNOWN_TARGET', locator: r.locator, message: `reaction ${r.value} to ${r.targetKey}, which is not in the source` });
    }
    // Identity links and holds read the run's rows back.
    this.rows.flush();
    for (const { record, handleIds } of this.identities) linkIdentity(this.data, this.req.actor, record, handleIds, { runId: this.runId, sourceId: this.sourceId, source: this.req.source });
    this.applyHolds();
    const stats = { ...this.stats, warnings: this.warningCount, held: this.held };
    finishRun(this.data, this.runId, 'complete', stats);
    appendAudit(this.data, this.req.actor, 'import', {
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
    this.held = this.req.applyHolds(this.data, this.runId);
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

/** The writer knows the row, not the file: what it refuses of a source's content names the source here. */
function namingSource(err: unknown, source: string): unknown {
  if (!(err instanceof HoldfastError) || err.details?.file) return err;
  // A NUL the matter refused in a statement of its own (a name, a title): the source holds it.
  if (err.details?.nulInText) {
    return new HoldfastError(
      'IMPORT_UNSUPPORTED_SOURCE',
      `${source}: A name or text of this source holds a NUL character (U+0000), which a matter database (PostgreSQL) cannot store; nothing of this import was kept. Import the source into a case file, which keeps it as written.`,
      { file: source },
      { cause: err },
    );
  }
  if (err.code !== 'IMPORT_UNSUPPORTED_SOURCE') return err;
  return new HoldfastError(err.code, `${source}: ${err.message}`, { ...err.details, file: source }, { cause: err });
}
