/**
 * The one data-access interface of a case: what the domain modules (review, search, production, the
 * app layer) read and write, one interface per domain, readers apart from writers. Only an
 * implementation (sqlcipher/ today) knows SQL; a second storage back end implements the same.
 * test/architecture/sql.test.ts keeps SQL inside the data layer, and connection.test.ts keeps the
 * connection there: domain code holds the open case or its CaseData.
 */

import type { AlertStatus, PolicyScopeDTO } from '../../api/surveillance-dto.ts';
import type { EntityViewDTO } from '../../api/analysis-dto.ts';

export interface AuditRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  /** The entry's details as stored (JSON text). */
  details: string;
  hash: string;
}

/** An audit entry as stored: the chain's fields (src/case/audit.ts computes the hashes). */
export interface AuditStoredRow extends AuditRow {
  prev_hash: string;
}

export interface AuditReader {
  /** The newest entry's sequence number and hash (the chain's head). */
  last(): { seq: number; hash: string } | undefined;
  /** Entries after `afterSeq`, oldest first, of one action or all; `limit` -1 for all. */
  after(afterSeq: number, action: string | undefined, limit: number): AuditStoredRow[];
  /** Every entry, oldest first, read as they come. */
  chain(): IterableIterator<AuditStoredRow>;
  /** Entries, or those of one action. */
  count(action: string | undefined): number;
  /** Newest first. */
  page(action: string | undefined, limit: number, offset: number): AuditRow[];
  /** [action, details JSON] of every entry of these actions, oldest first, read as they come. */
  ofActions(actions: readonly string[]): IterableIterator<[string, string]>;
}

export interface MessageReader {
  /** Of `ids`, those in the conversation, as [id, sent_at] in time order. */
  inConversation(conversationId: number, ids: readonly number[]): [number, number][];
  countInConversation(conversationId: number): number;
  /** [run id, messages] for every import run that still has messages. */
  countByRun(): [number, number][];
  /** Events of the conversation in [start, end). */
  countInRange(conversationId: number, start: number, end: number): number;
  /** Ids of the conversation's events in [start, end), in (time, id) order. */
  idsInRange(conversationId: number, start: number, end: number): number[];
  /** The conversation's message ids, ascending. */
  idsInConversation(conversationId: number): number[];
  exists(messageId: number): boolean;
  /** Those of `ids` that are messages of the case. */
  existing(ids: readonly number[]): number[];
  /** The first message of the reply chain above `messageId` (itself when it replies to none); at most `maxDepth` steps. */
  threadRoot(messageId: number, maxDepth: number): number;
  /** Every reply below `rootId`, with its depth, in time order. */
  threadBelow(rootId: number, maxDepth: number): { id: number; depth: number }[];
  /** Direct replies per message of `ids` (those with none left out). */
  replyCounts(ids: readonly number[]): { id: number; n: number }[];
}

export interface ConversationBrief {
  id: number;
  name: string | null;
  personal: number;
  platform: string;
  kind: string;
}

export interface ConversationReader {
  brief(conversationId: number): ConversationBrief | undefined;
  /** What a deletion's audit entry records of the conversation. */
  identity(conversationId: number): { id: number; platform: string; externalId: string; name: string | null } | undefined;
  /** Every conversation's id and name. */
  names(): { id: number; name: string | null }[];
}

export interface CustodianReader {
  all(): { id: number; name: string }[];
  /** [message id, custodian id] of every occurrence of a message in a source, read as they come. */
  occurrences(): IterableIterator<[number, number | null]>;
}

export interface ConversationWriter {
  /** Deletes the conversation row (its messages are purged first). */
  delete(conversationId: number): void;
  setPersonal(conversationId: number, personal: boolean): void;
}

export interface HoldRow {
  id: number;
  name: string;
  matter: string | null;
  reason: string | null;
  created_by: string;
  created_at: number;
  released_at: number | null;
  released_by: string | null;
  release_reason: string | null;
  /** The HoldScope as JSON. */
  scope: string;
}

export interface HoldReader {
  get(holdId: number): HoldRow | undefined;
  itemCount(holdId: number): number;
  /** With their item counts; active only, released only, or all. */
  list(active: boolean | undefined): (HoldRow & { items: number })[];
  /** [hold id, hold name, message id] for every active hold covering one of `ids`. */
  activeOn(ids: readonly number[]): [number, string, number][];
  /** Active holds whose scope names the conversation. */
  namingConversation(conversationId: number): { id: number; name: string }[];
  /** Active holds with a query in their scope. */
  activeWithQuery(): { id: number; scope: string }[];
}

export interface HoldWriter {
  /** The new hold's id. */
  create(hold: { name: string; matter: string | null; reason: string | null; createdBy: string; createdAt: number; scope: string }): number;
  release(holdId: number, release: { at: number; by: string; reason: string }): void;
}

export interface TagReader {
  /** [message id, tag name] for every tag on the messages, by tag name. */
  namesOn(messageIds: readonly number[]): [number, string][];
}

export interface NoteRow {
  id: number;
  message_id: number | null;
  conversation_id: number | null;
  by: string;
  at: number;
  text: string;
}

export interface NoteReader {
  get(noteId: number): NoteRow | undefined;
  onMessage(messageId: number): NoteRow[];
  /** Notes on the conversation, and with `withMessages` those on its messages too. */
  onConversation(conversationId: number, withMessages: boolean): NoteRow[];
  all(): NoteRow[];
}

export interface NoteWriter {
  /** The new note's id. */
  add(note: { messageId: number | null; conversationId: number | null; by: string; at: number; text: string }): number;
  edit(noteId: number, change: { text: string; by: string; at: number }): void;
  delete(noteId: number): void;
}

export interface TagGroupRow {
  id: number;
  name: string;
  choice: 'single' | 'multi';
  required: number;
}

export interface TagGroupReader {
  get(groupId: number): TagGroupRow | undefined;
  /** By name, case-insensitively. */
  all(): TagGroupRow[];
  /** The name of another group (not `self`) with this name, case-insensitively. */
  nameTaken(name: string, self: number | null): string | undefined;
  /** The group's tag ids, in key then name order. */
  tagIds(groupId: number): number[];
  /** The group's tag ids in storage order (as a deleted group's audit entry lists them). */
  members(groupId: number): number[];
  /** Messages that carry more than one of the group's tags. */
  conflicts(groupId: number): number;
}

export interface TagGroupWriter {
  /** The new group's id. */
  create(group: { name: string; choice: string; required: number }): number;
  /** False when there is no such tag. */
  assignTag(tagId: number, groupId: number): boolean;
  update(groupId: number, group: { name: string; choice: string; required: number }): void;
  /** Ungroups its tags and deletes the group. */
  delete(groupId: number): void;
}

export interface BlobReader {
  /** An attachment's name and content: its SHA-256, media type (the attachment's, else the blob's) and size; null when the source lacked it. */
  attachment(attachmentId: number): { name: string; sha256: string | null; mime: string | null; size: number | null } | undefined;
}

// ── Case storage: transactions, import runs and ingest, blob content, sources, the message view,
// ── the case's facts, the dashboard, identity links from address books, the lock and the signing key.

/** Transactions of the caller's choosing (a nested one is a savepoint of the outer). */
export interface TransactionWriter {
  /** Runs `fn` in a transaction (deferred), committed when it returns, rolled back when it throws. */
  run<T>(fn: () => T): T;
  /** The same, taking the write lock at once (BEGIN IMMEDIATE). */
  immediate<T>(fn: () => T): T;
  /** Opens a transaction left open across awaits (ingest's batches); `commit` or `rollback` ends it. */
  begin(): void;
  commit(): void;
  rollback(): void;
  /** Whether a transaction is open on the connection. */
  active(): boolean;
}

/** What a new import run records about itself and its source. */
export interface NewImportRun {
  path: string;
  name: string;
  size: number;
  sha256: string;
  importer: string;
  importerVersion: string;
  /** Created if the case does not know them yet. */
  custodian: string | null;
  tz: string;
  tzReason: string | null;
  dateOrder: string | null;
  /** The import options as JSON. */
  options: string;
  at: number;
  pid: number;
}

/** A run's ids, bound into every row its ingest writer adds. */
export interface RunIds {
  runId: number;
  sourceId: number;
  custodianId: number | null;
}

/** A message as ingest stores it (the fields of StoredMessageFields and those that are not hashed). */
export interface NewMessageRow {
  conversationId: number;
  senderHandleId: number | null;
  sentAt: number;
  rawTime: string;
  kind: string;
  systemType: string | null;
  text: string;
  subject: string | null;
  edited: number;
  deleted: number;
  direction: string;
  forwardedFrom: string | null;
  externalId: string | null;
  fingerprint: string;
  contentSha256: string;
  fingerprintKey: number;
  locator: string;
  timeUnknown: number;
  timeSource: string | null;
}

export interface FoundConversation {
  id: number;
  name: string | null;
  kind: string;
  externalId: string;
}

/**
 * One run's rows, its statements prepared once when the writer is made (ingest writes hundreds of
 * thousands of rows a second). Every row carries the run's id; "add" ignores a row already there
 * where the schema says it is one fact (occurrences, names, members, reactions, edits, recipients).
 */
export interface IngestWriter {
  /**
   * Writes the rows held back (a back end may load them in bulk): ingest calls it before each commit
   * and before the run's own rows are read back (holds, identity links). Ids and answers given before
   * stay true.
   */
  flush(): void;
  handleId(kind: string, value: string): number | undefined;
  /** A new participant and its first handle; the handle's id. */
  addHandle(handle: { kind: string; value: string; display: string | null; participantName: string; at: number }): number;
  /** Sets the handle's display name where it has none. */
  fillHandleDisplay(handleId: number, display: string): void;
  addHandleName(handleId: number, name: string): void;
  conversation(platform: string, externalId: string): FoundConversation | undefined;
  /** The conversation an alias names. */
  conversationByAlias(platform: string, externalId: string): FoundConversation | undefined;
  addConversation(c: { platform: string; externalId: string; kind: string; name: string | null }): number;
  /** A direct conversation becomes a group. */
  makeGroup(conversationId: number): void;
  addAlias(platform: string, externalId: string, conversationId: number): void;
  addConversationName(conversationId: number, name: string, fromAt: number | null): void;
  addMember(conversationId: number, handleId: number, joinedAt: number | null, leftAt: number | null): void;
  /** [id, fingerprint] of the messages under this fingerprint key. */
  messagesByFingerprintKey(key: number): [number, string][];
  addMessage(m: NewMessageRow): number;
  /** The message as met in this run's source. */
  addOccurrence(messageId: number, locator: string): void;
  addEdit(messageId: number, seq: number, editedAt: number | null, text: string): void;
  addRecipient(messageId: number, seq: number, role: string, handleId: number): void;
  /** 1 if added, 0 if the reaction was there already. */
  addReaction(r: { messageId: number; handleId: number | null; value: string; at: number | null; removed: number; locator: string }): number;
  addAttachment(a: { messageId: number; seq: number; name: string; mime: string | null; size: number | null; sha256: string | null; missingReason: string | null; locator: string | null }): void;
  setReplyTo(messageId: number, replyToId: number): void;
  addSourceFile(innerPath: string, size: number, sha256: string): void;
}

export interface ImportRunReader {
  /** The source already imported with this SHA-256. */
  sourceBySha256(sha256: string): { id: number; format: string } | undefined;
  /** Messages met in the source. */
  occurrenceCount(sourceId: number): number;
  /** Runs left 'running'. */
  running(): number[];
  /** Whether any run is left 'running'. */
  anyRunning(): boolean;
}

export interface ImportRunWriter {
  /** The run, its custodian and its source, in one transaction. */
  start(run: NewImportRun): RunIds;
  ingest(ids: RunIds): IngestWriter;
  /** Removes everything the run wrote; the messages removed. Call inside a transaction. */
  deleteRows(runId: number): { messages: number };
  finish(runId: number, status: string, at: number, stats: string): void;
}

export interface BlobContentReader {
  exists(sha256: string): boolean;
  /** How many chunks the blob has; undefined when it is not in the case. */
  chunkCount(sha256: string): number | undefined;
  /** Reads chunks of one blob by sequence number (one statement for them all). */
  chunkReader(sha256: string): (seq: number) => Buffer | undefined;
  /** Its chunks in order, read as they come. */
  chunks(sha256: string): IterableIterator<Buffer>;
  /** Every blob's hash and recorded size, by hash. */
  all(): { sha256: string; size: number }[];
}

export interface BlobContentWriter {
  /** Writes chunks under a staging key (one statement for them all). */
  chunkWriter(key: string): (seq: number, data: Buffer) => void;
  dropChunks(key: string): void;
  /** Renames the staged chunks to their hash and records the blob. */
  keepStaged(key: string, blob: { sha256: string; size: number; mime: string | null; chunks: number; runId: number | null }): void;
}

export interface SourceListRow {
  id: number; path: string; name: string; size: number; sha256: string; format: string; importer_version: string;
  custodian: string | null; tz: string; tz_reason: string | null; date_order: string | null; imported_at: number; run_id: number;
  started_at: number | null; finished_at: number | null; status: string | null; stats: string | null;
  messages: number; files: number; audit_seq: number | null; audit_details: string | null;
}

export interface UnfinishedRunRow {
  id: number; source_path: string; source_sha256: string; importer: string; importer_version: string;
  started_at: number; finished_at: number | null; status: string; stats: string;
}

export interface SourceReader {
  /** Every source with its custodian, run, counts and latest import audit entry, in import order. */
  list(): SourceListRow[];
  /** Runs that did not complete, oldest first. */
  unfinishedRuns(): UnfinishedRunRow[];
  exists(sourceId: number): boolean;
  fileCount(sourceId: number): number;
  files(sourceId: number, limit: number, offset: number): { path: string; size: number; sha256: string }[];
}

/** A message as the viewer and productions read it, with its conversation and sender. */
export interface MessageViewRow {
  id: number;
  conversation_id: number;
  conversation: string | null;
  sender_handle_id: number | null;
  sender_display: string | null;
  sender_value: string | null;
  sender_participant: number | null;
  sender_name: string | null;
  direction: 'in' | 'out' | 'unknown';
  sent_at: number;
  raw_time: string;
  time_unknown: number;
  text: string;
  subject: string | null;
  kind: 'message' | 'system';
  system_type: string | null;
  edited: number;
  deleted: number;
  reply_to_id: number | null;
  forwarded_from: string | null;
  source_id: number;
  locator: string;
  time_source: string | null;
}

/** What hangs off a batch of messages, each list ordered by message id then as shown. */
export interface MessageViewDetails {
  attachments: { id: number; message_id: number; name: string; sha256: string | null; size: number | null; mime: string | null; missing_reason: string | null }[];
  reactions: { message_id: number; value: string; sender: string | null; at: number | null; removed: number }[];
  edits: { message_id: number; seq: number; edited_at: number | null; text: string }[];
  recipients: { message_id: number; role: 'to' | 'cc' | 'bcc'; display: string | null; value: string }[];
  redactions: { message_id: number; start: number | null; end: number | null }[];
  tags: { message_id: number; name: string }[];
  reviewed: number[];
}

/** A stored message's hashed fields, its id and stored hash (StoredMessageFields and more). */
export interface StoredMessageRow {
  id: number;
  content_sha256: string;
  conversation_id: number; sender_handle_id: number | null; sent_at: number; raw_time: string; kind: string; system_type: string | null;
  text: string; subject: string | null; edited: number; deleted: number; direction: string; forwarded_from: string | null;
  external_id: string | null; fingerprint: string; source_id: number; locator: string;
}

export interface MessageViewReader {
  /**
   * Messages in (conversation, time, id) order, in batches of at most 500; by `ids` when given,
   * personal conversations left out unless asked for. A batch is read whole before it is handed on.
   */
  batches(filter: { conversationId?: number | undefined; ids?: readonly number[] | undefined; includePersonal: boolean }): Generator<MessageViewRow[]>;
  details(ids: readonly number[]): MessageViewDetails;
  /** Messages of the conversation before `messageId` in (time, id) order; undefined when it is not in it. */
  position(conversationId: number, messageId: number): number | undefined;
  /** Ids `offset .. offset+limit` of the conversation in (time, id) order. */
  page(conversationId: number, limit: number, offset: number): number[];
  /** Every message as stored, by id, read as they come. */
  stored(): IterableIterator<StoredMessageRow>;
}

export interface CaseCounts {
  sources: number; custodians: number; conversations: number; participants: number;
  /** Messages proper, and system events. */
  messages: number; events: number; attachments: number;
}

export interface CaseFactsReader {
  counts(): CaseCounts;
}

/** Over messages (not events) in conversations not marked personal. */
export interface DashboardReader {
  totals(): { n: number; first: number | null; last: number | null };
  /** Messages per UTC hour (hour since the epoch). */
  perHour(): { h: number; n: number }[];
  /** Per sending handle: its person ('p' + participant id, or 'h' + handle id) and that person's name. */
  senders(): { handle_id: number; handle: string; who: string; name: string; n: number }[];
  /** Messages per conversation and sending handle. */
  perSenderConversation(): { c: number; h: number; n: number }[];
  /** Members of each conversation, and everyone who wrote in it. */
  members(): { c: number; h: number }[];
  /** Every handle's person and name, read as they come. */
  handlePeople(): IterableIterator<{ id: number; name: string; who: string }>;
  conversations(): number;
}

export interface LinkedHandleRow {
  id: number;
  kind: string;
  value: string;
  participantId: number;
  participant: string;
}

export interface IdentityLinkReader {
  /** The handles with their participants, by handle id. */
  handles(handleIds: readonly number[]): LinkedHandleRow[];
  /** The participants' names, by id. */
  participants(participantIds: readonly number[]): { id: number; name: string }[];
  /** Whether one of the participant's handles has this value. */
  hasHandleValue(participantId: number, value: string): boolean;
}

export interface IdentityLinkWriter {
  /** Moves the handles of `merged` to `target` and deletes those participants. */
  merge(target: number, merged: readonly number[]): void;
  rename(participantId: number, name: string): void;
}

export interface CaseLockRow {
  pid: number;
  host: string;
  purpose: string;
  acquired_at: number;
}

export interface CaseLockReader {
  holder(): CaseLockRow | undefined;
}

export interface CaseLockWriter {
  clear(): void;
  take(lock: { pid: number; thread: number; host: string; purpose: string; at: number }): void;
  /** Releases the lock if this process holds it. */
  release(pid: number, host: string): void;
  /** Releases the lock if that thread held it; whether it did. */
  releaseThread(pid: number, thread: number, host: string): boolean;
}

export interface SigningKeyReader {
  /** False in a case from before signing keys (its schema has no place for one). */
  supported(): boolean;
  /** Whether the case has its key. */
  present(): boolean;
  publicKey(): { public_key: Buffer; fingerprint: string } | undefined;
  /** The private key (PKCS#8 DER); the caller wipes it after use. */
  privateKey(): Buffer;
}

export interface SigningKeyWriter {
  create(key: { publicKey: Buffer; privateKey: Buffer; fingerprint: string; at: number }): void;
}

export interface AuditAnchorReader {
  /** The newest entry. */
  head(): { seq: number; hash: string; at: number } | undefined;
  hashAt(seq: number): string | undefined;
}
// ── end of case storage

/** A production as listed: its record and how many messages it produced (withheld ones not counted). */
export interface ProductionSummaryRow {
  id: number;
  name: string;
  format: string;
  status: string;
  bates_first: string | null;
  bates_last: string | null;
  out_dir: string;
  created_by: string;
  created_at: number;
  manifest_sha256: string | null;
  messages: number;
}

/** What `verify` checks of a complete production: its Bates range and the manifest stored with its hash. */
export interface ProductionManifestRow {
  id: number;
  format: string;
  bates_first: string | null;
  bates_last: string | null;
  manifest: string | null;
  manifest_sha256: string | null;
  status: string;
}

export interface ProductionReader {
  /** Every production, by id. */
  summaries(): ProductionSummaryRow[];
  summary(productionId: number): ProductionSummaryRow | undefined;
  /** The stored definition (JSON) and manifest (JSON, null until complete). */
  stored(productionId: number): { definition: string; manifest: string | null } | undefined;
  /** Complete productions with this Bates prefix (exact, case-sensitive) and a recorded range, by id. */
  issued(prefix: string): { id: number; name: string; bates_first: string; bates_last: string }[];
  /** Complete productions with the folder they were written to, by id. */
  complete(): { id: number; name: string; out_dir: string }[];
  /** Complete productions' stored manifests, by id. */
  completeManifests(): ProductionManifestRow[];
  /** The production's items: produced (not withheld), marked context (null when none), withheld. */
  itemTotals(productionId: number): { n: number; ctx: number | null; w: number };
  /** The files the production's items name. */
  itemFiles(productionId: number): string[];
  /** Temporary folders recorded by running productions, with the recording process id (as stored). */
  partials(): { dir: string; pid: string }[];
}

/** A produced message's place: its Bates number and file, and whether it was context or withheld. */
export interface ProductionItem {
  messageId: number;
  bates: string | null;
  file: string | null;
  context: boolean;
  withheld: boolean;
}

export interface ProductionWriter {
  /** Records the temporary folder a running production (process `pid`) writes into. */
  rememberPartial(dir: string, pid: number): void;
  forgetPartial(dir: string): void;
  /** Records a complete production; its id. */
  record(p: {
    name: string; definition: string; format: string; batesPrefix: string; batesFirst: string | null; batesLast: string | null;
    outDir: string; createdBy: string; createdAt: number; manifest: string; manifestSha256: string;
  }): number;
  addItems(productionId: number, items: Iterable<ProductionItem>): void;
}

/** Eligible messages for a production: which conversations and which messages count. */
export interface EligibleFilter {
  /** Personal conversations too. */
  includePersonal: boolean;
  /** Only messages with a privilege tag (a privilege log). */
  privilegedOnly: boolean;
  /** Report per message whether it carries a privilege tag (else 0 for all). */
  markPrivileged: boolean;
  /** Only these conversations (empty: all). */
  conversationIds: readonly number[];
}

/** A handle as productions name it: `display` is its identity's display name, else its own display or value. */
export interface ProducedHandle {
  handleId: number;
  display: string;
  value: string;
  kind: string;
}

/** A sender's or reactor's handle as stored (display as the source gave it). */
export interface HandleRow {
  id: number;
  display: string | null;
  value: string;
  kind: string;
}

/**
 * What productions read of the case's messages beyond the MessageDTO: the selection, content hashes,
 * custodians, work product, conversation facts, attachment sizes. Methods taking `ids` accept any
 * number of them.
 */
export interface ProducedReader {
  /** The tag with this name, case-insensitively. */
  tagId(name: string): number | undefined;
  /** Messages carrying any of the tags. */
  taggedWith(tagIds: readonly number[]): number[];
  /** [id, conversation id, sent at, privileged 0/1] in (conversation, time, id) order, read as they come. */
  eligible(filter: EligibleFilter): IterableIterator<[number, number, number, number]>;
  /** Collected attachments of the messages, leaving out those of messages redacted whole. */
  collectedAttachments(ids: readonly number[]): number;
  /** [id, content SHA-256, sent at]. */
  contentHashes(ids: readonly number[]): [number, string, number][];
  /** [message id, custodian name] per occurrence, by message then name. */
  custodians(ids: readonly number[]): [number, string][];
  /** [message id, note text], by message, time, id. */
  notes(ids: readonly number[]): [number, string][];
  /** [message id, "tag: basis"] for each privilege tag with a recorded basis, by message then tag. */
  privilegeBases(ids: readonly number[]): [number, string][];
  /** [participant id, display name] of the identities that sent the messages. */
  senderIdentities(ids: readonly number[]): [number, string][];
  sourceName(sourceId: number): string | undefined;
  conversation(conversationId: number): { id: number; name: string | null; platform: string; kind: 'direct' | 'group' | 'channel'; external_id: string } | undefined;
  /** Recorded members with when they joined and left, by display name. */
  members(conversationId: number): (ProducedHandle & { joinedAt: number | null; leftAt: number | null })[];
  /** Everyone who wrote in the conversation, by display name. */
  writers(conversationId: number): ProducedHandle[];
  /** Senders of the conversation's outgoing messages (the device owner), by display name. */
  owners(conversationId: number): ProducedHandle[];
  /** Custodians of any of the conversation's messages, by name. */
  conversationCustodians(conversationId: number): string[];
  /** A message's text and its sender as the source named them (a reply's quote). */
  quote(messageId: number): { text: string; sender: string | null } | undefined;
  /** [message id, attachments] for messages with any. */
  attachmentCounts(ids: readonly number[]): [number, number][];
  /** [message id, total bytes of its collected attachments]. */
  attachmentBytes(ids: readonly number[]): [number, number][];
  /** Privilege tags on the messages with their recorded bases, by message then tag. */
  privilegeTags(ids: readonly number[]): { message_id: number; name: string; basis: string | null }[];
  /** Each message's sender handle (messages without one left out). */
  senderHandles(ids: readonly number[]): (HandleRow & { mid: number })[];
  /** Reactions still standing, with their handle when known, by message, time, id. */
  reactionHandles(ids: readonly number[]): { message_id: number; reaction: string; handleId: number | null; display: string | null; value: string | null; kind: string | null }[];
  /** A stored blob's size. */
  blobSize(sha256: string): number | undefined;
}

export interface RedactionRow {
  id: number;
  message_id: number;
  /** UTF-16 offsets into the message text; both null for the whole message. */
  start: number | null;
  end: number | null;
  reason: string;
  by: string;
  at: number;
}

export interface RedactionReader {
  get(redactionId: number): RedactionRow | undefined;
  /** By message, start, id. */
  all(): RedactionRow[];
  /** By start, id. */
  onMessage(messageId: number): RedactionRow[];
  /** The marks on the messages (without who and when), by message, start, id. */
  marksOn(ids: readonly number[]): Omit<RedactionRow, 'by' | 'at'>[];
  /** Whether this exact span of the message is marked. */
  spanMarked(messageId: number, start: number, end: number): boolean;
  /** The message's text (what span offsets count in). */
  messageText(messageId: number): { id: number; text: string } | undefined;
  /** Messages whose text contains `text` (SQLite LIKE: ASCII letters in either case), of one conversation or all, by id. */
  containing(text: string, conversationId: number | undefined): { id: number; text: string }[];
}

export interface RedactionWriter {
  /** The new mark's id; start and end null for the whole message. */
  add(mark: { messageId: number; start: number | null; end: number | null; reason: string; by: string; at: number }): number;
  delete(redactionId: number): void;
}


// --- Review: saved searches, review units and marks, facets, tagging, conversations, identities, hold items, purge, retention ---

export interface SavedSearchRow {
  id: number;
  name: string;
  query: string;
  /** A SearchSort. */
  sort: string;
  include_personal: number;
  created_by: string;
  created_at: number;
}

export interface SavedSearchReader {
  /** By name, case-insensitively. */
  all(): SavedSearchRow[];
  get(savedSearchId: number): SavedSearchRow | undefined;
  /** The name of a saved search with this name, case-insensitively. */
  nameTaken(name: string): string | undefined;
}

export interface SavedSearchWriter {
  /** The new saved search's id. */
  create(search: { name: string; query: string; sort: string; includePersonal: boolean; createdBy: string; createdAt: number }): number;
  delete(savedSearchId: number): void;
}

export interface ReviewUnitReader {
  /** [sent_at, is a message (1) not a system event, coded (1)] for every event of the conversation in (time, id) order, read as they come; coded = a coding or privilege tag. */
  events(conversationId: number): IterableIterator<[number, number, number]>;
  /** Ids of the conversation's events in [start, end), in (time, id) order, `limit` from `offset`. */
  partIds(conversationId: number, start: number, end: number, limit: number, offset: number): number[];
}

/** Reviewed = a reviewer's mark or a coding or privilege tag (src/case/review-status.ts). */
export interface ReviewMarkReader {
  /** Those of `ids` that carry a reviewer's mark. */
  marked(ids: readonly number[]): number[];
  /** How many of `ids` are reviewed. */
  countReviewed(ids: readonly number[]): number;
  /** [messages, reviewed messages] of the conversation. */
  conversationProgress(conversationId: number): [number, number];
  /** Every reviewed message id. */
  reviewedIds(): number[];
  /** Those of `ids` that are reviewed (coded or marked; src/case/review-status.ts), ascending. */
  reviewedOf(ids: readonly number[]): number[];
  /** [sent_at, 1 for a message (0 a system event), 1 when coded (a coding or privilege tag)] of the conversation's events in (time, id) order, read as they come. */
  codedTimeline(conversationId: number): IterableIterator<[number, number, number]>;
}

export interface ReviewMarkWriter {
  mark(ids: readonly number[], by: string, at: number): void;
  unmark(ids: readonly number[]): void;
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface FacetReader {
  /** How the messages `ids` fall by each facet, largest first then by value. */
  counts(ids: readonly number[]): {
    custodians: FacetCount[];
    platforms: FacetCount[];
    conversations: FacetCount[];
    senders: FacetCount[];
    tags: FacetCount[];
    languages: FacetCount[];
    entities: FacetCount[];
  };
  /** The sent_at of each message of `ids`. */
  sentTimes(ids: readonly number[]): number[];
}

export interface TagRow {
  id: number;
  name: string;
  kind: 'coding' | 'issue' | 'privilege';
  color: string | null;
  shortcut: number | null;
  builtin: number;
  group_id: number | null;
}

/** A tag on a message as stored: who put it there, when, and the privilege basis. */
export interface Tagging {
  messageId: number;
  basis: string | null;
  by: string;
  at: number;
}

/** Tags and the tags on messages (coding). */
export interface TaggingReader {
  /** With how many messages carry each, in shortcut key then name order. */
  withCounts(): (TagRow & { messages: number })[];
  get(tagId: number): TagRow | undefined;
  /** Case-insensitively. */
  byName(name: string): TagRow | undefined;
  countTagged(tagId: number): number;
  /** The name of another tag (not `self`) on this shortcut key. */
  shortcutOwner(shortcut: number, self: number | null): string | undefined;
  /** The other tags of the group. */
  siblings(groupId: number, tagId: number): TagRow[];
  /** The tag's taggings on `messageIds` (every one when omitted), by message id. */
  taggings(tagId: number, messageIds?: readonly number[]): Tagging[];
  /** [message id, basis] of the tag on those of `messageIds` that carry it. */
  bases(tagId: number, messageIds: readonly number[]): [number, string | null][];
  /** Those of `messageIds` that carry the tag put on at `at` (by one coding action). */
  taggedAt(tagId: number, at: number, messageIds: readonly number[]): number[];
  /** The privilege tags on a message with their basis, by tag name. */
  privilegeBases(messageId: number): { tagId: number; tag: string; basis: string | null }[];
  /** The audit entries (tag.apply, tag.remove, tag.basis) of coding change `change`, newest first, details as JSON. */
  changeEntries(change: number): { seq: number; action: 'tag.apply' | 'tag.remove' | 'tag.basis'; details: string }[];
  /** The audit entry that undid coding change `change`, if one did. */
  undoneBy(change: number): number | undefined;
}

export interface TaggingWriter {
  /** The new tag's id. */
  create(tag: { name: string; kind: string; color: string | null; shortcut: number | null; groupId: number | null }): number;
  update(tagId: number, tag: { name: string; kind: string; color: string | null; shortcut: number | null; groupId: number | null }): void;
  /** Deletes the tag and its taggings. */
  delete(tagId: number): void;
  /** Puts the tag on `messageIds`. */
  apply(tagId: number, messageIds: readonly number[], tagging: { by: string; at: number; basis: string | null }): void;
  /** Takes the tag off `messageIds`. */
  remove(tagId: number, messageIds: readonly number[]): void;
  /** A new basis (with its author and time) on the tag on `messageIds`. */
  rebase(tagId: number, messageIds: readonly number[], tagging: { by: string; at: number; basis: string | null }): void;
  /** Puts removed taggings back as they were, on messages that still exist and lack it; the messages it restored. */
  restore(tagId: number, taggings: readonly Tagging[]): number[];
  /** Sets `bases[i]` back on message `messageIds[i]` where the tag is still the one put on at `at`; the messages it changed. */
  restoreBases(tagId: number, at: number, messageIds: readonly number[], bases: readonly (string | null)[]): number[];
}

export interface ConversationListFilter {
  /** Include conversations marked personal (hidden from review by default). */
  includePersonal?: boolean;
  /** Only personal (true) or only in-scope (false) conversations; overrides includePersonal. */
  personal?: boolean;
  platform?: string;
  /** Conversations with at least one message from this custodian's sources. */
  custodian?: string;
  /** Conversations this person took part in (sent a message or was a member). */
  participantId?: number;
  /** Part of the conversation's name, case-insensitive. */
  name?: string;
  ids?: readonly number[];
}

export interface ConversationRow {
  id: number;
  platform: string;
  kind: 'direct' | 'group' | 'channel';
  name: string | null;
  external_id: string;
  personal: number;
}

/** A handle seen in a conversation (sender or listed member) with what it did there. */
export interface ConversationMemberRow {
  handle_id: number;
  kind: string;
  value: string;
  display: string | null;
  participant_id: number | null;
  participant: string | null;
  joined_at: number | null;
  left_at: number | null;
  messages: number;
  first_at: number | null;
  last_at: number | null;
}

/** Conversations as review lists and shows them; per-conversation figures come keyed by conversation id (cid). */
export interface ConversationReviewReader {
  /** Matching every given filter, by id. */
  list(filter: ConversationListFilter): ConversationRow[];
  get(conversationId: number): ConversationRow | undefined;
  /** Messages (kind message), events, first and last sent_at of each conversation that has any. */
  counts(ids: readonly number[]): { id: number; messages: number; events: number; firstAt: number; lastAt: number }[];
  /** The people who sent or were members, by name. */
  participants(ids: readonly number[]): { cid: number; id: number; name: string }[];
  /** The custodians whose sources hold its messages, by name. */
  custodians(ids: readonly number[]): { cid: number; name: string }[];
  /** Notes on the conversation or its messages. */
  noteCounts(ids: readonly number[]): { cid: number; n: number }[];
  /** Messages an active hold covers. */
  heldCounts(ids: readonly number[]): { cid: number; n: number }[];
  /** Its names over time, unknown start first. */
  nameHistory(conversationId: number): { name: string; from_at: number | null }[];
  /** Its senders and listed members, by joining or first message. */
  members(conversationId: number): ConversationMemberRow[];
  /** Its join, leave, rename, created and number-change events in time order. */
  membershipEvents(conversationId: number): { id: number; sent_at: number; system_type: string | null; sender: string | null; text: string }[];
}

/** A handle with how many messages it sent. */
export interface HandleRow {
  id: number;
  kind: string;
  value: string;
  display: string | null;
  participant_id: number | null;
  messages: number;
}

/** People (participants) and their handles. */
export interface IdentityReader {
  /** Every participant, or those of `ids`, by name. */
  participants(ids: readonly number[] | undefined): { id: number; name: string }[];
  /** [id, name] of every participant. */
  participantNames(): [number, string][];
  participantName(participantId: number): string | undefined;
  /** The handles of these participants, by kind and value. */
  handlesOf(participantIds: readonly number[]): HandleRow[];
  /** Those of `handleIds` that exist, by id. */
  handles(handleIds: readonly number[]): HandleRow[];
  /** Every handle that has a participant, by id. */
  linkedHandles(): HandleRow[];
  /** In how many conversations each participant sent a message or was a member (those in none left out). */
  conversationCounts(participantIds: readonly number[]): { id: number; n: number }[];
  /** How many handles the participant has besides `handleId`. */
  otherHandles(participantId: number, handleId: number): number;
}

export interface IdentityWriter {
  /** The new participant's id. */
  createParticipant(name: string, createdAt: number): number;
  renameParticipant(participantId: number, name: string): void;
  /** Gives `handleIds` to the participant. */
  assignHandles(participantId: number, handleIds: readonly number[]): void;
  moveHandle(handleId: number, participantId: number): void;
  /** Removes those of `candidates` left without any handle; returns them. */
  dropEmptyParticipants(candidates: readonly number[]): { id: number; name: string }[];
}

/** What a legal hold covers: the messages of any of its custodians, conversations or query (a union), narrowed by a date range or, alone, every message in it. */
export interface HoldScope {
  custodians?: string[];
  conversations?: number[];
  query?: string;
  /** UTC ms, inclusive. */
  after?: number;
  /** UTC ms, exclusive. */
  before?: number;
}

/** A hold scope over the messages as stored (src/review/hold-scope.ts). */
export interface HoldItemReader {
  /** What a hold with this scope would cover now: in all, and by each selector alone (null when the scope has none); the query's matches are `queryIds`. */
  countScope(scope: HoldScope, queryIds: readonly number[]): { messages: number; custodians: number | null; conversations: number | null; query: number | null };
  /** Active holds with their scope (JSON), by id. */
  activeScopes(): { id: number; scope: string }[];
}

export interface HoldItemWriter {
  /**
   * Adds to the hold the messages its custodian, conversation and date-range selectors cover (of
   * the import run `runId` only, when given) and `queryIds`; the number newly held.
   */
  materialise(holdId: number, scope: HoldScope, opts: { runId?: number; queryIds?: readonly number[] }): number;
}

/** A purged message as the audit log records it: id, conversation id, sent_at, fingerprint, content SHA-256, run id, source id. */
export type PurgedRecord = [number, number, number, string, string, number, number];

export interface PurgeResult {
  records: PurgedRecord[];
  attachments: { id: number; messageId: number; name: string; sha256: string | null }[];
  blobs: string[];
  conversations: { id: number; platform: string; externalId: string; name: string | null }[];
  /** Handles (people's numbers, addresses, names) nothing in the case refers to any more, and people left without one. */
  handles: { id: number; kind: string; value: string; display: string | null; participantId: number | null }[];
  participants: { id: number; name: string }[];
}

export interface PurgeWriter {
  /**
   * Removes the messages for good with what hangs off them (src/review/purge.ts says what);
   * returns what went, for the audit entries.
   */
  messages(ids: readonly number[]): PurgeResult;
}

export interface RetentionPolicyRow {
  id: number;
  name: string;
  keep: string;
  /** The scope as JSON: custodian names and conversation ids. */
  scope: string;
  created_by: string;
  created_at: number;
}

export interface RetentionReader {
  policies(): RetentionPolicyRow[];
  policy(policyId: number): RetentionPolicyRow | undefined;
  policyNamed(name: string): boolean;
  /** Those of `names` that are custodians of the case. */
  knownCustodians(names: readonly string[]): string[];
  /**
   * [id, 1 when another custodian's source also holds it] of the messages sent before `cutoff`,
   * in the conversations and of the custodians given (all when not), by id.
   */
  expired(cutoff: number, scope: { custodians?: readonly string[]; conversations?: readonly number[] }): [number, number][];
  /** Attachments of the messages. */
  attachmentCount(ids: readonly number[]): number;
  /** Attachment contents only these messages use. */
  orphanedBlobCount(ids: readonly number[]): number;
  /** Conversations every message of which is in `ids` and that no active hold names. */
  conversationsEmptied(ids: readonly number[]): number[];
}

export interface RetentionWriter {
  /** The new policy's id. */
  createPolicy(policy: { name: string; keep: string; scope: string; createdBy: string; createdAt: number }): number;
  deletePolicy(policyId: number): void;
}

export interface ReviewReaders {
  savedSearches: SavedSearchReader;
  reviewUnits: ReviewUnitReader;
  reviewMarks: ReviewMarkReader;
  facets: FacetReader;
  tagging: TaggingReader;
  conversationReview: ConversationReviewReader;
  identities: IdentityReader;
  holdItems: HoldItemReader;
  retention: RetentionReader;
}

export interface ReviewWriters {
  savedSearches: SavedSearchWriter;
  reviewMarks: ReviewMarkWriter;
  tagging: TaggingWriter;
  identities: IdentityWriter;
  holdItems: HoldItemWriter;
  purge: PurgeWriter;
  retention: RetentionWriter;
}

// --- end of review ------------------------------------------------------------------------------

export interface CaseReaders extends ReviewReaders {
  audit: AuditReader;
  blobs: BlobReader;
  conversations: ConversationReader;
  custodians: CustodianReader;
  messages: MessageReader;
  tags: TagReader;
  notes: NoteReader;
  holds: HoldReader;
  tagGroups: TagGroupReader;
  importRuns: ImportRunReader;
  blobContent: BlobContentReader;
  sources: SourceReader;
  messageView: MessageViewReader;
  caseFacts: CaseFactsReader;
  dashboard: DashboardReader;
  identityLinks: IdentityLinkReader;
  caseLock: CaseLockReader;
  signingKey: SigningKeyReader;
  auditAnchors: AuditAnchorReader;
  productions: ProductionReader;
  produced: ProducedReader;
  redactions: RedactionReader;
  searchDocs: SearchDocReader;
  searchLookups: SearchLookupReader;
  searchIndex: SearchIndexReader;
  surveillance: SurveillanceReader;
  fields: CodingFieldReader;
  findings: FindingReader;
  gaps: GapReader;
  enrichment: EnrichmentReader;
  caseMeta: CaseMetaReader;
  batches: BatchReader;
  slice: CaseSliceReader;
}

export interface AuditWriter {
  append(entry: AuditStoredRow): void;
}

export interface CaseWriters extends ReviewWriters {
  audit: AuditWriter;
  conversations: ConversationWriter;
  notes: NoteWriter;
  holds: HoldWriter;
  tagGroups: TagGroupWriter;
  transaction: TransactionWriter;
  importRuns: ImportRunWriter;
  blobContent: BlobContentWriter;
  identityLinks: IdentityLinkWriter;
  caseLock: CaseLockWriter;
  signingKey: SigningKeyWriter;
  productions: ProductionWriter;
  redactions: RedactionWriter;
  searchIndex: SearchIndexWriter;
  surveillance: SurveillanceWriter;
  fields: CodingFieldWriter;
  enrichment: EnrichmentWriter;
  caseMeta: CaseMetaWriter;
  batches: BatchWriter;
  slice: CaseSliceWriter;
}

/** The case's own facts by key (matter, examiner, case id, display zone, schema version). */
export interface CaseMetaReader {
  get(key: string): string | undefined;
}

export interface CaseMetaWriter {
  set(key: string, value: string): void;
}

export interface CaseData {
  read: CaseReaders;
  write: CaseWriters;
}

// ---- search storage (the stored index, what the index and its queries read) and surveillance ----

/** A message's searchable fields as stored; src/search/docs.ts makes the index's document of it. */
export interface SearchDocRow {
  id: number;
  conversation_id: number;
  sender_handle_id: number | null;
  sent_at: number;
  edited: number;
  deleted: number;
  subject: string | null;
  text: string;
  /** Attachment names joined by U+001F; null without attachments. */
  attachments: string | null;
  /** Earlier versions of the text, oldest first, joined by U+001F; null when never edited. */
  edits: string | null;
}

/** The messages as the search index and a /regex/ scan read them. */
export interface SearchDocReader {
  /** Messages with afterId < id <= upToId, ascending, at most `limit`. */
  after(afterId: number, upToId: number, limit: number): SearchDocRow[];
  /** [id, subject, text] of the messages lo..hi (a scan's batch: read whole, faster than row by row). */
  textsInRange(lo: number, hi: number): [number, string | null, string][];
  /** [id, subject, text] of those of `ids` that are messages. */
  textsById(ids: ArrayLike<number>): [number, string | null, string][];
  /** [message id, text] of the earlier versions of messages lo..hi. */
  editsInRange(lo: number, hi: number): [number, string][];
  /** [message id, name] of the attachments of messages lo..hi. */
  attachmentNamesInRange(lo: number, hi: number): [number, string][];
}

/** A hit's conversation, sender (as reviewers named them) and time. */
/** A hit of a page: the message as the index reads it, with its conversation's name and its sender's. */
export interface SearchHitRow extends SearchDocRow {
  conversation: string | null;
  sender: string | null;
}

/** An identity with every name it is known by. */
export interface SearchHandleRow {
  id: number;
  participant_id: number | null;
  display: string | null;
  value: string;
  display_name: string | null;
  /** Other names its source gave, joined by U+001F; null when none. */
  names: string | null;
}

/** What a query reads from the case tables besides the index: its filters' look-ups and its hits' rows. */
export interface SearchLookupReader {
  /** Ids of personal conversations, ascending. */
  personalConversations(): number[];
  /** At most 512 ids a call. */
  hitRows(ids: readonly number[]): SearchHitRow[];
  handles(): SearchHandleRow[];
  conversationExists(conversationId: number): boolean;
  /** Each conversation's name and its earlier names (joined by U+001F; null when none). */
  conversationNames(): { id: number; name: string | null; names: string | null }[];
  /** Messages held by these custodians (a message once per occurrence). */
  messagesOfCustodians(custodianIds: readonly number[]): number[];
  /** Messages held by the source (a message once per occurrence). */
  messagesOfSource(sourceId: number): number[];
  sourceExists(sourceId: number): boolean;
  tags(): { id: number; name: string }[];
  /** Messages carrying these tags (a message once per tag). */
  messagesTagged(tagIds: readonly number[]): number[];
  messagesTaggedOfKind(kinds: readonly string[]): number[];
  /** [id, subject] of messages with a subject. */
  subjects(): [number, string][];
  /** [message id, name] of every attachment. */
  attachmentNames(): [number, string][];
  /** Conversations on the platform, case-insensitively. */
  conversationsOnPlatform(platform: string): number[];
  /** The platforms of the case, sorted. */
  platforms(): string[];
  /** Messages whose recipients in `role` (to, cc) include one of the handles. */
  messagesToHandles(role: string, handleIds: readonly number[]): number[];
  /** Whether any message has a detected language. */
  hasLanguages(): boolean;
  messagesInLanguage(lang: string): number[];
  messagesWithEntityKind(kind: string): number[];
  /** Messages with an entity whose normalised value is `key` (lower case). */
  messagesWithEntityValue(key: string): number[];
  /** Messages with a reaction not removed. */
  messagesWithReactions(): number[];
}

/** The stored search index (its chunks, src/search/index-store.ts) and what keeping it in step with the messages reads. */
export interface SearchIndexReader {
  /** The stored chunk under `key`. */
  chunk(key: string): Buffer | undefined;
  /** Chunks with fromKey <= key < beforeKey, in key order, read as they come. */
  chunksFrom(fromKey: string, beforeKey: string): IterableIterator<{ key: string; data: Buffer }>;
  /** Keys of the dictionary, deletion, position and segment chunks, in key order. */
  contentKeys(): string[];
  /** Runs `read` in one read transaction: what it reads is one snapshot. */
  snapshot<T>(read: () => T): T;
  /** Counters that move whenever this or another connection changes the case (cheap: asked before every search). */
  changeMarks(): { dataVersion: number; totalChanges: number };
  /** The highest message id (0 without messages). */
  maxMessageId(): number;
  messageCount(): number;
  /** Messages with an id above `id`. */
  countAbove(id: number): number;
  /** Messages with afterId < id <= upToId. */
  countBetween(afterId: number, upToId: number): number;
  /** Ids of messages at or below `id`, read as they come. */
  idsUpTo(id: number): IterableIterator<number>;
}

export interface SearchIndexWriter {
  /** Stores (or replaces) a chunk. */
  put(key: string, data: Buffer | Uint8Array): void;
  /** Forgets every chunk. */
  clear(): void;
  /** Runs `write` in a write transaction (an immediate one, unless already inside one). */
  inTransaction<T>(write: () => T): T;
}

export interface PolicyRow {
  id: number;
  name: string;
  description: string | null;
  /** The terms as JSON. */
  terms: string;
  /** The PolicyScopeDTO as JSON. */
  scope: string;
  example: number;
  enabled: number;
  created_by: string;
  created_at: number;
}

export interface AlertRow {
  id: number;
  policy_id: number;
  policy: string;
  term: string;
  message_id: number;
  conversation_id: number;
  conversation: string;
  sender: string | null;
  sent_at: number;
  text: string;
  source_id: number | null;
  raised_at: number;
  status: AlertStatus;
  reason: string | null;
  disposed_by: string | null;
  disposed_at: number | null;
}

export interface SurveillanceReader {
  /** By id; enabled ones only, or one policy. */
  policies(filter?: { enabledOnly?: boolean; id?: number }): PolicyRow[];
  /** Whether another policy (not `exceptId`) has this name. */
  policyNameTaken(name: string, exceptId?: number): boolean;
  /** Of `ids`, the messages inside the scope (and, with `sourceId`, held by that source), ascending. */
  inScope(ids: readonly number[], scope: PolicyScopeDTO, sourceId?: number): number[];
  /** One page of alerts by id, and how many match. */
  alerts(filter: { policyId?: number; status?: AlertStatus; id?: number; limit: number; offset: number }): { total: number; rows: AlertRow[] };
  /** Up to `n` messages before and after a message in its conversation, in time order. */
  context(messageId: number, n: number): { id: number; sender: string | null; sent_at: number; text: string }[];
  /** Each policy's alerts by status, and the hours from raised to dispositioned of those dispositioned. */
  metrics(): { counts: { policy_id: number; status: AlertStatus; n: number }[]; waits: { policy_id: number; hours: number }[] };
}

export interface SurveillanceWriter {
  /** The new policy's id. */
  addPolicy(p: { name: string; description: string | null; terms: string[]; scope: PolicyScopeDTO; example: boolean; actor: string; at: number }): number;
  updatePolicy(id: number, p: { name: string; description: string | null; terms: string[]; scope: PolicyScopeDTO; enabled: boolean }): void;
  /** Raises alerts not raised before for this policy and message; returns how many were new. */
  raiseAlerts(policyId: number, hits: readonly { messageId: number; term: string }[], sourceId: number | null, at: number): number;
  dispose(alertId: number, status: AlertStatus, reason: string | null, actor: string, at: number): void;
}

// ---- custom coding fields ----

export interface CodingFieldRow {
  id: number;
  name: string;
  type: 'text' | 'choice' | 'date';
  /** JSON array of a choice field's values; null for the other types. */
  choices: string | null;
  created_by: string;
  created_at: number;
}

export interface FieldValueRow {
  message_id: number;
  field_id: number;
  value: string;
  by: string;
  at: number;
}

export interface CodingFieldReader {
  get(fieldId: number): CodingFieldRow | undefined;
  /** By name, case-insensitively, with how many messages have a value in each. */
  all(): (CodingFieldRow & { messages: number })[];
  /** The id of the field with this name, case-insensitively. */
  named(name: string): number | undefined;
  /** The message's values, in field name order. */
  onMessage(messageId: number): (FieldValueRow & { name: string })[];
  /** [message id, value] of the field on those of `ids` that have one. */
  valuesOf(fieldId: number, ids: readonly number[]): [number, string][];
  /** [message id, value] of every message with a value in the field. */
  everyValue(fieldId: number): [number, string][];
  /** [message id, "Field: value"] for every value on the messages, by message then field name. */
  labelledOn(ids: readonly number[]): [number, string][];
}

export interface CodingFieldWriter {
  /** The new field's id. */
  create(field: { name: string; type: string; choices: string | null; by: string; at: number }): number;
  /** Deletes the field and every value in it. */
  delete(fieldId: number): void;
  /** Sets the field's value on the messages (replacing any). */
  set(fieldId: number, ids: readonly number[], value: { value: string; by: string; at: number }): void;
  clear(fieldId: number, ids: readonly number[]): void;
}


// ---- gap analysis ----

/** What the gap analysis reads beyond the messages themselves: deletion markers and each finding's evidence. */
export interface FindingReader {
  /**
   * One row per copy of each dated message its source marked deleted ("deleted for everyone", "This
   * message was deleted"): [conversation id, message id, sent_at, custodian id or null], in
   * conversation, then time order, read as they come.
   */
  deletedCopies(): IterableIterator<[number, number, number, number | null]>;
  /** The conversation's message ids from the first to the last of `ids` in (time, id) order, with `around` more on either side. */
  around(conversationId: number, ids: readonly number[], around: number): number[];
  /** [message id, custodian name or null, source name] of every copy of the messages, by message then source. */
  provenance(ids: readonly number[]): [number, string | null, string][];
}

export interface ConversationRef {
  id: number;
  name: string;
  platform: string;
  externalId: string;
}

export interface SourceSpan {
  sourceId: number;
  name: string;
  format: string;
  custodianId: number;
  from: number | null;
  to: number | null;
  messages: number;
}

/**
 * What the gap analysis walks. Rows come in the order the analyses walk them, and the large reads are
 * iterators so a million-message case is never held in memory at once.
 */
export interface GapReader {
  /** Every conversation by id, with its display name (its name, else its external id). */
  conversations(): Map<number, ConversationRef>;
  custodianNames(): Map<number, string>;
  /**
   * One row per copy of each dated message (not system events): [conversation id, message id, sent_at,
   * custodian id of the source that held that copy]; in conversation, then time order.
   */
  messageCopies(): IterableIterator<[number, number, number, number]>;
  /** Dated messages (not system events): [conversation id, message id, sent_at], in conversation, then time order. */
  datedMessages(): IterableIterator<[number, number, number]>;
  /**
   * Where each source recorded each message and reaction it held (the locator names the source's own
   * row or message id): [source id, locator, conversation id, message id (a reaction's: the message it is on)].
   */
  sourceLocators(): IterableIterator<[number, string, number, number]>;
  /** Each custodian's sources with the first and last dated message each holds. */
  sourceSpans(): SourceSpan[];
  /**
   * [source id, first message id, its conversation, last message id, its conversation] of each source's
   * dated messages (not system events), first and last by (time, id); sources holding none are left out.
   */
  sourceWindowEnds(): [number, number, number, number, number][];
  /** The first and last dated message of the whole case (null in an empty case). */
  caseSpan(): { from: number | null; to: number | null };
}

// ---- enrichment: language, entities, text recognised in images ----

type EntityKind = EntityViewDTO['kind'];

export interface EntityViewRow {
  kind: EntityKind;
  value: string;
  conversation_id: number;
  conversation: string;
  messages: number;
}

export interface RecognisedText {
  text: string;
  engine: string;
  engineVersion: string;
  /** The language data used, in tesseract's order and notation (`deu+eng`). */
  lang: string;
  /** The SHA-256 of each language's data file as packaged, in the same order, joined the same way. */
  dataSha256: string;
  confidence: number;
}

export interface DerivedTextRow {
  message_id: number;
  attachment_id: number;
  name: string;
  text: string;
  engine: string;
  engine_version: string;
  lang: string;
  data_sha256: string;
  confidence: number;
}

export interface EnrichmentReader {
  /** The next `limit` messages after `afterId` with no language row yet (not enriched): [id, text, subject]. */
  pendingMessages(afterId: number, limit: number): [number, string, string | null][];
  /** Each entity with the conversations it appears in and how many messages there, by kind and value. */
  entityView(filter: { kind?: EntityKind; value?: string }): EntityViewRow[];
  /** Each detected message language (ISO 639-3, `und` included) with its message count, most messages first then by code. */
  languageCounts(): FacetCount[];
  /**
   * How many image attachments (stored content of an image type) have no recognised text yet; with
   * `lang`, none recognised with exactly that language set (`deu+eng`), so other languages' text is redone.
   */
  pendingImageCount(lang?: string): number;
  /** The next `limit` of those images after attachment `afterId`. */
  pendingImages(afterId: number, limit: number, lang?: string): { id: number; sha256: string; size: number }[];
  /** Recognised text of every attachment (for `ocr:` search): [message id, text]. */
  recognisedTexts(): [number, string][];
  /** The recognised texts of some messages' attachments, with how they were made. */
  derivedTexts(messageIds: readonly number[]): DerivedTextRow[];
  derivedTextOfAttachment(attachmentId: number): DerivedTextRow | undefined;
}

export interface EnrichmentWriter {
  /** Each message's language and entities, in one transaction. */
  save(rows: readonly { id: number; lang: string; entities: readonly { kind: EntityKind; value: string }[] }[]): void;
  /** Replaces any text recognised before in the attachment. */
  saveRecognised(attachmentId: number, text: RecognisedText, at: number): void;
}

// ---- review batches and QC samples (src/review/batches/) ----

export interface BatchSetRow {
  id: number;
  name: string;
  /** Where the units came from, as JSON. */
  source: string;
  unit_size: number;
  created_by: string;
  created_at: number;
}

export type BatchState = 'open' | 'checked-out' | 'checked-in';

export interface BatchRow {
  id: number;
  set_id: number;
  number: number;
  state: BatchState;
  assignee: string | null;
  /** Who has it checked out (or last had, once checked in). */
  holder: string | null;
  checked_out_at: number | null;
  checked_in_by: string | null;
  checked_in_at: number | null;
  /** The offline check-out its file belongs to, while checked out offline (migration 010). */
  offline_checkout: string | null;
}

export interface BatchUnitRow {
  id: number;
  batch_id: number;
  seq: number;
  unit_key: string;
  conversation_id: number;
}

/** One review unit's counts now: its frozen messages, how many are reviewed (coded or marked), how many coded. */
export interface BatchUnitProgressRow {
  unitId: number;
  batchId: number;
  messages: number;
  reviewed: number;
  coded: number;
}

export interface QcSampleRow {
  id: number;
  set_id: number;
  unit_id: number;
  reviewer: string;
  seed: string;
  sampled_by: string;
  sampled_at: number;
  decision: 'confirmed' | 'overturned' | null;
  decided_by: string | null;
  decided_at: number | null;
  /** What an overturn changed, as JSON. */
  changes: string | null;
  unit_key: string;
  batch_id: number;
  batch_number: number;
}

/** A message's place in a batch, for a deletion's audit entry. */
export interface BatchedMessageRow {
  setId: number;
  batchId: number;
  unitId: number;
  unitKey: string;
  messageId: number;
}

export interface BatchReader {
  /** Every batch set, by name. */
  sets(): BatchSetRow[];
  set(setId: number): BatchSetRow | undefined;
  /** The name of a set with this name, case-insensitively. */
  nameTaken(name: string): string | undefined;
  /** The set's batches by number. */
  batches(setId: number): BatchRow[];
  batch(batchId: number): BatchRow | undefined;
  /** The batch's units in cut order. */
  units(batchId: number): BatchUnitRow[];
  /** The unit's frozen message ids, in (time, id) order. */
  unitMessages(unitId: number): number[];
  /** Every unit of the set with its counts, in batch then cut order; of one batch of it when `batchId` is given. */
  unitProgress(setId: number, batchId?: number): BatchUnitProgressRow[];
  /** [id, conversation id, sent_at] of those of `ids` that are messages, in (conversation, time, id) order. */
  placement(ids: readonly number[]): [number, number, number][];
  /** The set's QC samples, oldest first. */
  samples(setId: number): QcSampleRow[];
  sample(sampleId: number): QcSampleRow | undefined;
  /** Where each of `messageIds` sits in a batch. */
  batchedMessages(messageIds: readonly number[]): BatchedMessageRow[];
  /** Conflicts offline check-ins found, of one set or one batch, oldest first. */
  conflicts(filter: { setId: number } | { batchId: number }): BatchConflictRow[];
}

export interface BatchWriter {
  /** The new set's id. */
  createSet(set: { name: string; source: string; unitSize: number; createdBy: string; createdAt: number }): number;
  /** The new batch's id. */
  createBatch(setId: number, number: number): number;
  /** Adds a unit with its frozen messages; the unit's id. */
  addUnit(unit: { batchId: number; setId: number; seq: number; unitKey: string; conversationId: number; messageIds: readonly number[] }): number;
  assign(batchId: number, assignee: string | null): void;
  checkOut(batchId: number, holder: string, at: number): void;
  checkIn(batchId: number, by: string, at: number): void;
  addSample(sample: { setId: number; unitId: number; reviewer: string; seed: string; sampledBy: string; sampledAt: number }): number;
  decide(sampleId: number, decision: { decision: 'confirmed' | 'overturned'; by: string; at: number; changes: string | null }): void;
  /** Removes those of `unitIds` left without messages (with their QC samples); the ids removed. */
  dropEmptyUnits(unitIds: readonly number[]): number[];
  /** Ties the batch to an offline check-out (null: none). */
  markOffline(batchId: number, checkout: string | null): void;
  addConflict(conflict: Omit<BatchConflictRow, 'id'>): void;
}

/** A coding conflict an offline check-in found: both sides changed one slot of a message since the check-out. */
export interface BatchConflictRow {
  id: number;
  set_id: number;
  batch_id: number;
  checkout: string;
  message_id: number;
  /** 'group:ID', 'tag:ID', 'field:ID' or 'review'; `label` its name at the check-in. */
  slot: string;
  label: string;
  /** Values as JSON. */
  base: string;
  offline: string;
  server: string;
  offline_by: string;
  offline_at: number;
  server_by: string;
  server_at: number;
  winner: 'offline' | 'server';
  recorded_at: number;
}

// ---- a batch's rows copied into a case file of their own (offline check-out) ----

/** One table's rows as stored, column name to value. */
export interface SliceTable {
  table: string;
  rows: Record<string, unknown>[];
}

export interface CaseSliceReader {
  /**
   * Every row an offline check-out of the batch carries (portable-sql.ts's BATCH_SLICE: its messages
   * with provenance, conversations, people, attachments and their blob rows, the coding layout, their
   * coding and notes, the batch itself), parents before children. Blob chunks are read through blobContent.
   */
  ofBatch(batchId: number): SliceTable[];
}

export interface CaseSliceWriter {
  /** Writes the rows into a new case as they are (ids kept), in place of the rows its schema starts with (default tags and groups). */
  load(tables: readonly SliceTable[]): void;
}
