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
  productions: ProductionReader;
  produced: ProducedReader;
  redactions: RedactionReader;
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
  productions: ProductionWriter;
  redactions: RedactionWriter;
}

export interface CaseData {
  read: CaseReaders;
  write: CaseWriters;
}
