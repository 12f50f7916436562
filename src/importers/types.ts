/**
 * The one interface every importer implements, and the normalised records they yield.
 * Importers only parse: they never touch the case store (ingest does), and they report a bad
 * record as a warning and go on. A source that cannot be read at all is a HoldfastError
 * (IMPORT_SOURCE_CORRUPT / IMPORT_UNSUPPORTED_SOURCE / IMPORT_NEEDS_PASSWORD) naming the file.
 */
import type { Readable } from 'node:stream';

export type Platform =
  | 'whatsapp'
  | 'imessage'
  | 'sms'
  | 'telegram'
  | 'slack'
  | 'email'
  | 'rsmf'
  | (string & {});

/** phone (E.164 when it can be normalised), email, wa-jid, wa-lid, apple-id, telegram, slack, name (only a display name is known). */
export type HandleKind = 'phone' | 'email' | 'wa-jid' | 'wa-lid' | 'apple-id' | 'telegram' | 'slack' | 'name' | 'other';

export interface HandleRef {
  kind: HandleKind;
  /** The identifying value, normalised where the kind allows (E.164, lower-case email). */
  value: string;
  /** What the source calls this person (contact name, profile name). */
  display?: string;
  /** Every other name the source knows this identity by (real name, user name, email), matched by `from:`. */
  names?: string[];
}

/** Where a record came from inside the source, for chain of custody: "line 12", "_chat.txt:line 12", "message rowid 55". */
export type Locator = string;

export type TimePrecision = 'minute' | 'second' | 'ms';

export type TimeSource = 'received' | 'mbox-separator' | 'previous-message' | 'none';

export type RecipientRole = 'to' | 'cc' | 'bcc';

export interface ConversationRecord {
  type: 'conversation';
  /** Importer-local key that messages refer to. */
  key: string;
  platform: Platform;
  /** Stable identity of the conversation on its platform (chat guid, JID, channel id, or the export's chat name). */
  externalId: string;
  kind: 'direct' | 'group' | 'channel';
  name?: string;
  /** Earlier names with the time they took effect (group renames). */
  nameHistory?: { name: string; fromAt: number }[];
  members?: { handle: HandleRef; joinedAt?: number; leftAt?: number }[];
  /**
   * Other external ids the same conversation may have been imported under from another container
   * of the same export (a bare chat text named differently from its zip): ingest joins them.
   */
  aliases?: string[];
  locator: Locator;
}

export interface AttachmentRecord {
  name: string;
  mime?: string;
  /** Bytes when known in advance (progress); ingest measures the real size. */
  size?: number;
  /** Opens the content; absent when the file is not in the source (then `missingReason` says why). */
  open?: () => Promise<Readable>;
  missingReason?: string;
  locator?: Locator;
}

export interface ReactionRecordData {
  sender: HandleRef | null;
  value: string;
  at?: number;
  removed?: boolean;
}

export interface MessageRecord {
  type: 'message';
  conversationKey: string;
  /** Importer-local key, for replies/reactions/edits that point at this message. */
  key?: string;
  /** Platform's own message id (guid, rowid-independent id); when present it alone identifies the message. */
  externalId?: string;
  sender: HandleRef | null;
  direction: 'in' | 'out' | 'unknown';
  /** UTC milliseconds. */
  sentAt: number;
  /** The timestamp exactly as the source wrote it ("12/03/2024, 14:05", "727000000000000000"). */
  rawTime: string;
  timePrecision: TimePrecision;
  /** The source's time was missing or unusable (time-range.ts): `sentAt` is 0, `rawTime` holds what it said. */
  timeUnknown?: boolean;
  /**
   * Set when `sentAt` is not the message's own readable timestamp, saying where it came from instead:
   * 'received' (an email's Received header), 'mbox-separator' (the mbox From_ line), 'previous-message'
   * (the line's timestamp could not be read), 'none' (no evidence; sentAt is 0). Such a message is
   * counted as "time unknown" in the import report.
   */
  timeSource?: TimeSource;
  kind: 'message' | 'system';
  /** System event kind when kind is 'system': encryption, join, leave, rename, number-change, disappearing, created, other. */
  systemType?: string;
  text: string;
  subject?: string;
  replyToKey?: string;
  edited?: boolean;
  deleted?: boolean;
  /** Earlier versions of the text, oldest first. */
  edits?: { at?: number; text: string }[];
  attachments?: AttachmentRecord[];
  reactions?: ReactionRecordData[];
  forwardedFrom?: string;
  /** Addressees as the source lists them (email To/Cc/Bcc), in order. */
  recipients?: { role: RecipientRole; handle: HandleRef }[];
  locator: Locator;
}

/** A reaction that arrives as its own row (iMessage tapbacks, RSMF reaction events). */
export interface ReactionRecord extends ReactionRecordData {
  type: 'reaction';
  conversationKey: string;
  targetKey: string;
  locator: Locator;
}

/** An inner file the importer read (zip entry, backup file) — hashed into the custody record by ingest. */
export interface SourceFileRecord {
  type: 'source-file';
  innerPath: string;
  size: number;
  sha256: string;
}

/**
 * An address-book entry (an Outlook contact, a phone's contact card): the source's own evidence that
 * these handles are one person. Not a message; ingest links the handles into one identity, audited
 * with the source and locator. Only handles a card names together — never a display name alone.
 */
export interface IdentityRecord {
  type: 'identity';
  /** The name the address book gives the person. */
  name?: string;
  handles: HandleRef[];
  locator: Locator;
}

export type ImportRecord = ConversationRecord | MessageRecord | ReactionRecord | SourceFileRecord | IdentityRecord;

export type WarningCode =
  | 'BAD_LINE'
  | 'BAD_RECORD'
  | 'BAD_DATE'
  | 'AMBIGUOUS_DATE'
  | 'MISSING_ATTACHMENT'
  | 'MISSING_FILE'
  | 'UNKNOWN_TARGET'
  | 'UNSUPPORTED_FEATURE'
  | 'LIMIT_EXCEEDED';

export interface ImportWarning {
  code: WarningCode;
  locator: Locator;
  message: string;
  /** The message this warning is about was not imported (its bytes could not be read); counted as skipped, by `message`. */
  skipped?: boolean;
}

export interface ImportOptions {
  /** IANA zone used when the source's times carry none (WhatsApp exports). */
  tz: string;
  dateOrder?: 'dmy' | 'mdy' | 'ymd';
  /** Conversation name to use instead of the one derived from the file name. */
  conversation?: string;
  /** Password of an encrypted source (iPhone backup), never logged. */
  password?: string;
  /** The device owner's name as the source shows it (a WhatsApp text export): their messages are outgoing. */
  owner?: string;
  /** Key of an encrypted WhatsApp for Android backup (.crypt12/14/15): the 64 hexadecimal digits, never logged. */
  backupKey?: string;
  /** Path of a WhatsApp key file (encrypted_backup.key for .crypt15, key for .crypt12/.crypt14). */
  backupKeyFile?: string;
  /** ISO 3166 region ("GB", "US") for phone numbers written without a country code. */
  region?: string;
}

export interface ImportContext {
  /** The source path exactly as the user gave it (file or folder). */
  path: string;
  options: ImportOptions;
  signal: AbortSignal;
  warn(warning: ImportWarning): void;
  /** Bytes (or rows) read so far, out of `estimate().total`. */
  progress(done: number): void;
}

export interface Detection {
  /** 0 = not this format, 1 = certain. */
  confidence: number;
  variant?: string;
}

export interface Probe {
  variant?: string;
  conversations?: number;
  messages?: number;
  hasAttachments?: boolean;
  hasReactions?: boolean;
  hasEdits?: boolean;
  encrypted?: boolean;
}

export interface Importer {
  id: string;
  name: string;
  description: string;
  version: string;
  /** Cheap look at the path (name, first bytes, folder layout). Must not throw for foreign files. */
  detect(path: string): Promise<Detection>;
  probe(path: string, options: ImportOptions): Promise<Probe>;
  /** Units of work for progress (usually bytes). */
  estimate(path: string): Promise<{ total: number }>;
  /**
   * Optional cheap check run before the source is hashed, so that a missing or wrong password or an
   * unreadable structure fails at once instead of after hashing a large backup.
   */
  preflight?(path: string, options: ImportOptions): Promise<void>;
  /**
   * A single-file source whose messages usually carry attachment streams (which cannot cross
   * threads): read in the ingest thread from the start instead of in a parser thread.
   */
  carriesAttachments?: boolean;
  read(ctx: ImportContext): AsyncIterable<ImportRecord>;
}
