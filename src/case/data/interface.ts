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

export interface AuditReader {
  /** Entries, or those of one action. */
  count(action: string | undefined): number;
  /** Newest first. */
  page(action: string | undefined, limit: number, offset: number): AuditRow[];
}

export interface MessageReader {
  /** Of `ids`, those in the conversation, as [id, sent_at] in time order. */
  inConversation(conversationId: number, ids: readonly number[]): [number, number][];
  countInConversation(conversationId: number): number;
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
}

export interface ConversationWriter {
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

export interface CaseReaders {
  audit: AuditReader;
  conversations: ConversationReader;
  messages: MessageReader;
  tags: TagReader;
  notes: NoteReader;
  holds: HoldReader;
}

export interface CaseWriters {
  conversations: ConversationWriter;
  notes: NoteWriter;
  holds: HoldWriter;
}

export interface CaseData {
  read: CaseReaders;
  write: CaseWriters;
}
