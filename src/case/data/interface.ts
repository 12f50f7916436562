/**
 * The one data-access interface of a case: what the domain modules (review, search, production, the
 * app layer) read and write, one interface per domain, readers apart from writers. Only an
 * implementation (sqlcipher/ today) knows SQL; a second storage back end implements the same.
 * Domains move behind it one at a time: test/architecture/sql.test.ts lists the files that still
 * hold SQL of their own.
 */
import type { AlertStatus, PolicyScopeDTO } from '../../api/surveillance-dto.ts';

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

export interface CaseReaders {
  audit: AuditReader;
  blobs: BlobReader;
  conversations: ConversationReader;
  custodians: CustodianReader;
  messages: MessageReader;
  tags: TagReader;
  notes: NoteReader;
  holds: HoldReader;
  tagGroups: TagGroupReader;
  searchDocs: SearchDocReader;
  searchLookups: SearchLookupReader;
  searchIndex: SearchIndexReader;
  surveillance: SurveillanceReader;
}

export interface AuditWriter {
  append(entry: AuditStoredRow): void;
}

export interface CaseWriters {
  audit: AuditWriter;
  conversations: ConversationWriter;
  notes: NoteWriter;
  holds: HoldWriter;
  tagGroups: TagGroupWriter;
  searchIndex: SearchIndexWriter;
  surveillance: SurveillanceWriter;
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
  /** Those of `ids` that are messages, in no particular order. */
  byId(ids: readonly number[]): SearchDocRow[];
  /** [id, subject, text] of the messages lo..hi, read as they come. */
  textsInRange(lo: number, hi: number): IterableIterator<[number, string | null, string]>;
  /** [id, subject, text] of those of `ids` that are messages, read as they come. */
  textsById(ids: ArrayLike<number>): IterableIterator<[number, string | null, string]>;
  /** [message id, text] of the earlier versions of messages lo..hi, read as they come. */
  editsInRange(lo: number, hi: number): IterableIterator<[number, string]>;
  /** [message id, name] of the attachments of messages lo..hi, read as they come. */
  attachmentNamesInRange(lo: number, hi: number): IterableIterator<[number, string]>;
  /** [id, conversation id, sent_at] of every message in (conversation, time, id) order, read as they come. */
  inUnitOrder(): IterableIterator<[number, number, number]>;
}

/** A hit's conversation, sender (as reviewers named them) and time. */
export interface SearchHitRow {
  id: number;
  conversation_id: number;
  conversation: string | null;
  sender: string | null;
  sent_at: number;
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
