/** Shapes of the analysis results (deletion gaps) shared by the CLI, the API and the renderer. Times are ISO 8601 UTC. */
import type { TagResultDTO } from './dto.ts';

/** A run of consecutive messages of a conversation that one custodian's copy lacks and others' copies hold. */
export interface CrossCustodianGapDTO {
  conversationId: number;
  conversation: string;
  /** The custodian whose copy lacks the messages. */
  missingFrom: string;
  /** The custodians whose copies hold them. */
  presentIn: string[];
  count: number;
  first: string;
  last: string;
  messageIds: number[];
}

/** A message and its conversation: what a finding points at so it can be opened. */
export interface MessageRefDTO {
  messageId: number;
  conversationId: number;
}

/** A hole in a source's own row or message ids: `missing` ids between `after` and `before` were never imported. */
export interface SequenceGapDTO {
  sourceId: number;
  /** Which id sequence, named as in the source ("msgstore.db message._id", "chat.db message.ROWID"). */
  field: string;
  after: number;
  before: number;
  missing: number;
  /** The messages the source recorded as id `after` and id `before` (for a reaction's id, the message it is on). */
  messageBeforeHole: MessageRefDTO;
  messageAfterHole: MessageRefDTO;
}

/** A silence in a conversation far outside its usual rhythm. */
export interface SilenceDTO {
  conversationId: number;
  conversation: string;
  from: string;
  to: string;
  days: number;
  /** The test the gap failed, with its numbers, in words a court can follow. */
  statistic: string;
  /** The messages on either side of the silence. */
  beforeMessageId: number;
  afterMessageId: number;
}

/** Messages of a conversation its sources mark as deleted, close together in time. */
export interface DeletionClusterDTO {
  conversationId: number;
  conversation: string;
  first: string;
  last: string;
  count: number;
  /** The deleted messages (their notices), in time order. */
  messageIds: number[];
  /** The custodians whose copies hold the deletions. */
  custodians: string[];
  /** The clustering rule, with its numbers. */
  rule: string;
}

export interface CoverageSourceDTO {
  sourceId: number;
  name: string;
  format: string;
  /** First and last message time the source holds (null when it holds none with a known time). */
  from: string | null;
  to: string | null;
  messages: number;
  /** The messages at `from` and `to` (null when it holds none with a known time). */
  firstMessage: MessageRefDTO | null;
  lastMessage: MessageRefDTO | null;
}

/** The time ranges one custodian's sources cover against the matter's date range. */
export interface CoverageDTO {
  custodian: string;
  matterFrom: string;
  matterTo: string;
  sources: CoverageSourceDTO[];
  /**
   * Parts of the matter range none of the custodian's sources covers, with the last message of the
   * coverage before it and the first after it (null at the matter range's ends).
   */
  uncovered: { from: string; to: string; days: number; messageBefore: MessageRefDTO | null; messageAfter: MessageRefDTO | null }[];
}

export interface GapReportDTO {
  crossCustodian: CrossCustodianGapDTO[];
  sequence: SequenceGapDTO[];
  silences: SilenceDTO[];
  coverage: CoverageDTO[];
  deletions: DeletionClusterDTO[];
}

/** A tag applied from a gap finding: the messages it went on (the finding's and those around them). */
export interface FindingTagResultDTO extends TagResultDTO {
  messageIds: number[];
}

/** A findings report written for counsel. */
export interface GapReportFileDTO {
  path: string;
  format: 'xlsx' | 'pdf';
  sha256: string;
  findings: number;
  /** Messages of evidence listed, over all findings. */
  evidence: number;
}

/** One entity (normalised value) with the conversations it appears in. */
export interface EntityViewDTO {
  kind: 'phone' | 'email' | 'url' | 'iban' | 'card' | 'amount' | 'isin';
  value: string;
  messages: number;
  conversations: { conversationId: number; conversation: string; messages: number }[];
}

/** A text-recognition (OCR) job's result. */
export interface OcrResultDTO {
  images: number;
  recognised: number;
  /** Images tesseract could not read (not an image after all, damaged, too large), with why. */
  failed: { attachmentId: number; error: string }[];
  /** The languages read with, in tesseract's notation (`deu+eng`). */
  lang: string;
}

/** A language text recognition can read (its data is installed). */
export interface OcrLanguageDTO {
  /** tesseract's code: `eng`, `deu`, `chi_sim`… */
  code: string;
  name: string;
}

/** What the app needs to offer text recognition: the languages, the case's default, the images left. */
export interface OcrOptionsDTO {
  languages: OcrLanguageDTO[];
  /** The languages detected in the case's messages that have data (the most frequent three), then English. */
  suggested: string[];
  /** Image attachments with no recognised text yet. */
  pendingImages: number;
}

/** Text recognised in an attachment: derived, not what the sender wrote; how it was made, to reproduce it. */
export interface DerivedTextDTO {
  kind: 'ocr';
  attachmentId: number;
  attachment: string;
  text: string;
  engine: string;
  engineVersion: string;
  /** The languages read with, in tesseract's notation (`deu+eng`). */
  lang: string;
  /** Each language's data SHA-256 (of the packaged file), in the same order, joined with `+`. */
  dataSha256: string;
  /** Mean word confidence, 0–100. */
  confidence: number;
}
