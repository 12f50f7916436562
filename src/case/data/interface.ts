/**
 * The one data-access interface of a case: what the domain modules (review, search, production, the
 * app layer) read and write, one interface per domain, readers apart from writers. Only an
 * implementation (sqlcipher/ today) knows SQL; a second storage back end implements the same.
 * Domains move behind it one at a time: test/architecture/sql.test.ts lists the files that still
 * hold SQL of their own.
 */

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
  findings: FindingReader;
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
}

export interface CaseData {
  read: CaseReaders;
  write: CaseWriters;
}
