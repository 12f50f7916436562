/** JSON-safe shapes that cross the API (and the CLI's --json output). Times are ISO 8601 UTC strings. */
import type { SurveillanceRunDTO } from './surveillance-dto.ts';
import type { DerivedTextDTO, OcrResultDTO } from './analysis-dto.ts';

export interface CaseInfoDTO {
  schemaVersion: number;
  matter: string;
  examiner: string;
  displayTz: string;
  sources: number;
  custodians: number;
  conversations: number;
  participants: number;
  messages: number;
  attachments: number;
  events: number;
  /** The key that signs production manifests (src/case/signing-key.ts); null until the case is first opened writable. */
  signingKey: { algorithm: 'Ed25519'; publicKey: string; fingerprint: string } | null;
}

export interface AttachmentDTO {
  id: number;
  name: string;
  sha256: string | null;
  size: number | null;
  mime: string | null;
  missingReason: string | null;
}

export interface ReactionDTO {
  value: string;
  sender: string | null;
  sentAt: string | null;
  removed: boolean;
}

export interface EditDTO {
  seq: number;
  editedAt: string | null;
  text: string;
}

export interface MessageDTO {
  id: number;
  conversationId: number;
  conversation: string;
  sender: string | null;
  senderId: number | null;
  senderHandle: string | null;
  direction: 'in' | 'out' | 'unknown';
  sentAt: string;
  rawTime: string;
  /** The source's time was unusable: sentAt is the epoch, rawTime what the source said. */
  timeUnknown?: true;
  /** Where sentAt came from when the source's own time was missing or unreadable ('received', 'mbox-separator', 'previous-message', 'none'); null when it is the message's own. */
  timeSource: string | null;
  text: string;
  subject: string | null;
  kind: 'message' | 'system';
  systemType: string | null;
  attachments: AttachmentDTO[];
  reactions: ReactionDTO[];
  edits: EditDTO[];
  edited: boolean;
  deleted: boolean;
  replyTo: number | null;
  forwardedFrom: string | null;
  /** Addressees (email To/Cc/Bcc) in the source's order. */
  recipients: RecipientDTO[];
  tags: string[];
  /** Coded (a coding or privilege tag) or marked reviewed. */
  reviewed: boolean;
  /** Redaction marks (character ranges; both null = the whole message): productions leave these out. */
  redacted: { start: number | null; end: number | null }[];
  source: { sourceId: number; locator: string };
}

export interface RecipientDTO {
  role: 'to' | 'cc' | 'bcc';
  name: string | null;
  handle: string;
}

export interface ImportWarningDTO {
  code: string;
  locator: string;
  message: string;
}

export interface ImportResultDTO {
  sourceId: number;
  format: string;
  sha256: string;
  alreadyImported: boolean;
  messages: number;
  conversations: number;
  attachments: number;
  duplicatesSkipped: number;
  warnings: ImportWarningDTO[];
  warningCount: number;
  report: ImportReportDTO;
  /** Messages given a language and entities after the import (src/enrich). */
  enriched?: number;
  /** The alerts the standing surveillance policies raised on what this import brought. */
  surveillance?: SurveillanceRunDTO;
}

/** Per source: what was read, imported, already there, flagged, skipped (with why), and the zone used. */
export interface ImportReportDTO {
  read: number;
  imported: number;
  duplicates: number;
  flagged: { timeUnknown: number; authorUnknown: number };
  skipped: { count: number; reasons: { reason: string; count: number }[] };
  timeZone: { zone: string; reason: string };
}

/** One imported source, for the chain-of-custody screen. */
export interface SourceDTO {
  id: number;
  name: string;
  path: string;
  size: number;
  sha256: string;
  format: string;
  formatName: string;
  importerVersion: string;
  custodian: string | null;
  timeZone: string;
  /** Why that zone: 'given', 'source', 'case display zone', ... (null for cases imported before it was kept). */
  timeZoneReason: string | null;
  dateOrder: string | null;
  importedAt: string;
  runId: number;
  runStatus: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Messages found in this source (a message in two sources counts in both). */
  messages: number;
  /** Files read inside it (zip entries, backup files), each hashed. */
  files: number;
  stats: { conversations: number; attachments: number; duplicatesSkipped: number; warnings: number; held: number };
  /** The import report as its audit entry recorded it (null for imports older than the report). */
  report: ImportReportDTO | null;
  /** The first warnings (up to 100) as the import's audit entry recorded them; null for older imports. */
  warningsListed: ImportWarningDTO[] | null;
  auditSeq: number | null;
}

export interface SourcesDTO {
  sources: SourceDTO[];
  /** Import runs that failed, were cancelled or interrupted (rolled back; nothing of them stays in the case). */
  otherRuns: { runId: number; path: string; sha256: string; format: string; importerVersion: string; startedAt: string; finishedAt: string | null; status: string; rolledBackMessages: number }[];
}

export interface SourceFileDTO {
  path: string;
  size: number;
  sha256: string;
}

export interface VerifyProblemDTO {
  table: string;
  id: string | number;
  field: string;
  message: string;
}

export interface VerifyResultDTO {
  ok: boolean;
  checked: number;
  problems: VerifyProblemDTO[];
}

export interface AuditEntryDTO {
  seq: number;
  at: string;
  actor: string;
  action: string;
  details: unknown;
  hash: string;
}

export interface FormatDTO {
  id: string;
  name: string;
  description: string;
}

/** A stored time as ISO 8601; a value no Date can hold reads as the epoch (the unknown time) instead of throwing. */
export function isoTime(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined) return null;
  if (Number.isInteger(ms) && ms >= 0 && ms < YEAR_10000) return isoOfMs(ms);
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
}

/** 10000-01-01T00:00:00Z: from there toISOString writes six-digit years. */
const YEAR_10000 = 253402300800000;

/** The character code of digit d. */
const digit = (d: number) => 48 + d;

/**
 * toISOString of a whole number of milliseconds in 1970-9999, written directly (days to the civil
 * date as in Howard Hinnant's days_from_civil inverse): a page of 50 hits spent ~20 µs in Date.
 */
function isoOfMs(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const sec = Math.floor(rest / 1000);
  const milli = rest - sec * 1000;
  // One string made from its 24 characters (years from 1970 have four digits): joining the padded
  // fields made a dozen intermediate strings, ~400 bytes of garbage a time.
  const d = digit;
  return String.fromCharCode(
    d(Math.floor(year / 1000)), d(Math.floor(year / 100) % 10), d(Math.floor(year / 10) % 10), d(year % 10), 45,
    d(Math.floor(month / 10)), d(month % 10), 45, d(Math.floor(day / 10)), d(day % 10), 84,
    d(Math.floor(h / 10)), d(h % 10), 58, d(Math.floor(m / 10)), d(m % 10), 58, d(Math.floor(sec / 10)), d(sec % 10), 46,
    d(Math.floor(milli / 100)), d(Math.floor(milli / 10) % 10), d(milli % 10), 90,
  );
}

// ---- The app: cases, jobs, conversations, dashboard (src/api/methods) ----

/** The case the app has open, or none. */
export interface CaseStateDTO {
  open: boolean;
  path: string | null;
  caseId: string | null;
  matter: string | null;
  examiner: string | null;
  schemaVersion: number | null;
  displayTz: string | null;
}

export interface RecentCaseDTO {
  path: string;
  /** The case file's name without .hfcase (the list keeps no matter names outside the case). */
  matter: string;
  lastOpenedAt: string;
  /** False when the file is no longer where it was. */
  exists: boolean;
}

/** One account connected to a matter of the matter server. */
export interface PresenceDTO {
  name: string;
  role: string;
  /** Open connections (windows, command-line sessions) of the account to the matter. */
  connections: number;
  /** When its oldest open connection was made. */
  since: string;
}

/** The signed-in account on a matter server, and the methods it cannot call there: its role's refusals and what the server does not serve (the UI hides those actions). */
export interface AccountDTO {
  name: string;
  role: string;
  forbidden: string[];
}

/** The app's connection to a matter server. */
export interface MatterStateDTO {
  connected: boolean;
  /** holdfasts://HOST:PORT/MATTER (holdfast:// without TLS). */
  url: string | null;
  matter: string | null;
  account: { name: string; role: string } | null;
  /** Why the last connection ended, when the server ended it (stopped, session expired). */
  problem: string | null;
}

export interface RecentMatterDTO {
  url: string;
  user: string;
  lastConnectedAt: string;
}

export interface AppInfoDTO {
  version: string;
  /** How the UI talks to the core. */
  transport: 'electron' | 'loopback' | 'in-process' | 'matter-server';
  /** On the matter server: who is connected to this matter now (everyone else shows []). */
  presence: PresenceDTO[];
  /** On a matter (the server, or the app connected to one): the signed-in account; null on a case file. */
  account: AccountDTO | null;
  /** True when the host can show native open/save dialogs (`dialog.pickPath`). */
  canPickPaths: boolean;
  /** The examiner's computer's time zone (imports default to the case's matter zone instead). */
  defaultTz: string;
  /** A case file the app was started with (file association, command line), to open first. */
  launchCase: string | null;
}

export interface ProbeDTO {
  variant: string | null;
  conversations: number | null;
  messages: number | null;
  hasAttachments: boolean | null;
  hasReactions: boolean | null;
  hasEdits: boolean | null;
  encrypted: boolean | null;
}

export interface DetectResultDTO {
  path: string;
  format: string;
  name: string;
  description: string;
  confidence: number;
  probe: ProbeDTO;
  /** The zone times without one would be read in, and why (shown before importing). */
  timeZone: { zone: string; reason: string };
}

export interface JobProgressDTO {
  phase: string;
  done: number;
  total: number;
  items: number;
}

export type JobState = 'running' | 'succeeded' | 'failed' | 'cancelled';

interface JobBaseDTO {
  id: string;
  label: string;
  state: JobState;
  progress: JobProgressDTO | null;
  startedAt: string;
  finishedAt: string | null;
  error: { code: string; message: string; details?: Record<string, unknown> } | null;
}

/** A long piece of work; `result` is set once it succeeded. One union member per job kind. */
export type JobDTO =
  | (JobBaseDTO & { kind: 'import'; result: ImportResultDTO | null })
  | (JobBaseDTO & { kind: 'verify'; result: VerifyResultDTO | null })
  | (JobBaseDTO & { kind: 'produce'; result: ProductionResultDTO | null })
  | (JobBaseDTO & { kind: 'ocr'; result: OcrResultDTO | null })
  | (JobBaseDTO & { kind: 'reindex'; result: ReindexResultDTO | null });

/** A rebuilt search index. */
export interface ReindexResultDTO {
  messages: number;
  terms: number;
  tookMs: number;
}

export type JobKind = JobDTO['kind'];

export interface JobStartedDTO {
  jobId: string;
}

export interface PageDTO<T> {
  total: number;
  offset: number;
  items: T[];
}

/** A window of one conversation's messages in (time, id) order. */
export interface ConversationWindowDTO {
  /** Messages in the conversation (system events included). */
  total: number;
  /** Index of `messages[0]` within the conversation. */
  offset: number;
  messages: MessageDTO[];
  /** Index within the conversation of the anchor message, when one was asked for. */
  anchorIndex: number | null;
}

export interface DashboardDTO {
  bucket: 'day' | 'week' | 'month';
  /** Message counts per period start (YYYY-MM-DD in the case's display time zone), oldest first. */
  volume: { period: string; messages: number }[];
  topParticipants: { name: string; handle: string | null; messages: number }[];
  /** Directed sender → recipient counts (recipients: the conversation's other members). */
  pairs: { from: string; to: string; messages: number }[];
  totals: { messages: number; conversations: number; participants: number; firstAt: string | null; lastAt: string | null };
}

// ---- Review: conversations, units, threads, identities, tags, notes, holds, retention (src/review) ----

export interface ParticipantRefDTO {
  id: number;
  name: string;
}

export interface ConversationSummaryDTO {
  id: number;
  platform: string;
  kind: 'direct' | 'group' | 'channel';
  name: string;
  personal: boolean;
  /** Messages (kind "message") and events (system messages included). */
  messages: number;
  events: number;
  firstAt: string | null;
  lastAt: string | null;
  participants: ParticipantRefDTO[];
  custodians: string[];
  notes: number;
  /** Messages under an active legal hold. */
  heldMessages: number;
}

export interface ConversationMemberDTO {
  participantId: number | null;
  participant: string | null;
  handleId: number;
  handle: string;
  handleKind: string;
  joinedAt: string | null;
  leftAt: string | null;
  /** What this handle sent in the conversation. */
  messages: number;
  firstAt: string | null;
  lastAt: string | null;
}

export interface ConversationDetailDTO extends ConversationSummaryDTO {
  externalId: string;
  /** Names over time, oldest first (`fromAt` null when the source gave no time). */
  nameHistory: { name: string; fromAt: string | null }[];
  members: ConversationMemberDTO[];
  /** System messages about membership and naming (joins, leaves, renames, number changes), in time order. */
  membershipEvents: { messageId: number; at: string; type: string | null; sender: string | null; text: string }[];
}

/** A conversation-day in the case's display time zone (split in parts of at most 10,000 events). */
export interface ReviewUnitDTO {
  key: string;
  conversationId: number;
  /** YYYY-MM-DD in the display time zone. */
  day: string;
  part: number;
  parts: number;
  timeZone: string;
  /** The day's bounds in UTC: [from, to). */
  from: string;
  to: string;
  firstAt: string;
  lastAt: string;
  events: number;
  messages: number;
  /** Events carrying a coding or privilege tag. */
  coded: number;
  status: 'uncoded' | 'partial' | 'coded';
}

/** A review unit of a length the reviewer picks (the conversation view's slices); 24 hours gives the days of ReviewUnitDTO. */
export interface ReviewSliceDTO extends Omit<ReviewUnitDTO, 'key' | 'day'> {
  hours: number;
}

export interface ThreadMessageDTO extends MessageDTO {
  /** 0 for the root, 1 for a direct reply, ... */
  depth: number;
}

export interface ThreadDTO {
  focusId: number;
  root: MessageDTO;
  /** Every reply below the root, in time order. */
  replies: ThreadMessageDTO[];
}

export interface HandleDTO {
  id: number;
  kind: string;
  value: string;
  display: string | null;
  participantId: number | null;
  messages: number;
}

export interface ParticipantDTO {
  id: number;
  name: string;
  handles: HandleDTO[];
  messages: number;
  conversations: number;
}

export interface IdentitySuggestionDTO {
  reason: 'same-phone' | 'same-email' | 'same-name';
  /** The normalised value they share (E.164 number, lower-case address, folded name). */
  key: string;
  participants: ParticipantRefDTO[];
  handles: HandleDTO[];
}

export interface TagDTO {
  id: number;
  name: string;
  kind: 'coding' | 'issue' | 'privilege';
  color: string | null;
  shortcut: number | null;
  builtin: boolean;
  messages: number;
  /** The tag group (coding layout) it belongs to, if any. */
  group: number | null;
}

export interface TagResultDTO {
  tag: string;
  /** Messages whose tagging changed (added, removed, or basis changed). */
  changed: number;
  /** Messages the target selected. */
  selected: number;
  /** The change's id for tags.undo (null when nothing changed). */
  change: number | null;
  /** Sibling tags of a single-choice group that this tag replaced (messages × tags). */
  replaced?: number;
}

export interface ReviewMarkResultDTO {
  reviewed: boolean;
  selected: number;
  /** Messages whose mark changed. */
  changed: number;
  /** After an unmark: messages still reviewed because they carry a coding or privilege tag. */
  stillCoded: number;
}

export interface ReviewProgressDTO {
  total: number;
  /** Of those, coded (coding or privilege tag) or marked reviewed. */
  reviewed: number;
}

export interface UndoResultDTO {
  change: number;
  /** Messages whose coding went back. */
  changed: number;
}

/** A coding layout's group: single-choice tags exclude each other; a required group must be answered. */
export interface TagGroupDTO {
  id: number;
  name: string;
  choice: 'single' | 'multi';
  required: boolean;
  /** Its tags' ids. */
  tags: number[];
}

/** A custom coding field made in the app: free text, one of fixed choices, or a date (YYYY-MM-DD). */
export interface CodingFieldDTO {
  id: number;
  name: string;
  type: 'text' | 'choice' | 'date';
  /** A choice field's values, in the order given; empty for the other types. */
  choices: string[];
  /** Messages with a value in it. */
  messages: number;
  createdBy: string;
  createdAt: string;
}

/** A message's value in one coding field, with who set it and when. */
export interface FieldValueDTO {
  fieldId: number;
  field: string;
  value: string;
  by: string;
  at: string;
}

export interface FieldSetResultDTO {
  field: string;
  /** null: the value was cleared. */
  value: string | null;
  selected: number;
  changed: number;
}

export interface NoteDTO {
  id: number;
  messageId: number | null;
  conversationId: number | null;
  by: string;
  at: string;
  text: string;
}

/** What a hold would cover if created now: messages in all, and what each selector alone brings (null: not in the scope). */
export interface HoldPreviewDTO {
  messages: number;
  custodians: number | null;
  conversations: number | null;
  query: number | null;
}

export interface HoldScopeDTO {
  custodians: string[];
  conversations: number[];
  query: string | null;
  /** Inclusive lower and exclusive upper bound on the sent time. */
  after: string | null;
  before: string | null;
}

export interface HoldDTO {
  holdId: number;
  name: string;
  matter: string | null;
  reason: string | null;
  createdBy: string;
  createdAt: string;
  active: boolean;
  releasedAt: string | null;
  releasedBy: string | null;
  releaseReason: string | null;
  scope: HoldScopeDTO;
  /** Messages the hold covers. */
  messages: number;
}

export interface DeleteResultDTO {
  deleted: number;
  attachments: number;
  /** Attachment contents no longer used by any message, removed from the case. */
  blobs: number;
  /** Conversations left empty and removed. */
  conversationsRemoved: number[];
}

export interface RetentionResultDTO {
  dryRun: boolean;
  olderThan: string;
  /** Messages sent before this are expired. */
  cutoff: string;
  /** Purged (or, in a dry run, that would be). */
  purged: number;
  /** Expired but under an active legal hold. */
  spared: number;
  sparedByHold: { holdId: number; name: string; messages: number }[];
  /** Expired in the scoped custodians' sources but also held by another custodian's source. */
  keptForOtherCustodians: number;
  purgedIds: number[];
  sparedIds: number[];
  attachments: number;
  blobs: number;
  conversationsRemoved: number[];
}

export interface RetentionPolicyDTO {
  id: number;
  name: string;
  keep: string;
  custodians: string[];
  conversations: number[];
  createdBy: string;
  createdAt: string;
}

export interface PersonalResultDTO {
  conversationId: number;
  personal: boolean;
  changed: boolean;
}
// ---- end of review DTOs ----

export type SearchSort = 'relevance' | 'time-asc' | 'time-desc';

/** A named query stored in the case (shared by everyone who opens it). */
export interface SavedSearchDTO {
  id: number;
  name: string;
  query: string;
  sort: SearchSort;
  includePersonal: boolean;
  createdBy: string;
  createdAt: string;
}

export interface SearchRequestDTO {
  /** The query language: words, "phrases", prefix*, OR, NOT/-, (), from: in: custodian: source: tag: has: is: after: before:. */
  query: string;
  /** Hits to return (default 50, at most 10,000). */
  limit?: number;
  offset?: number;
  /** Relevance (then time, oldest first) by default. */
  sort?: SearchSort;
  /** Include conversations marked personal (excluded by default). */
  includePersonal?: boolean;
}

/** Characters to highlight: UTF-16 offsets [start, end) into a text as stored (not folded). */
export type HighlightRange = [start: number, end: number];

export interface SearchHitDTO {
  messageId: number;
  conversationId: number;
  conversation: string;
  sender: string | null;
  sentAt: string;
  /** Plain text: the message around the first hit (… where cut), line breaks as spaces. */
  snippet: string;
  /** The hits in `snippet`: ascending, never overlapping or touching. */
  highlights: HighlightRange[];
  /** Relevance (higher is better); 0 when the query has no search terms. */
  score: number;
  /** With an ocr: term: the recognised image text the hit matched on, marked as derived (not the sender's words). */
  derived?: DerivedTextDTO[];
}

/** Where a query lights up in one message it matches. */
export interface MessageHighlightsDTO {
  messageId: number;
  /** Into the message's `text`: ascending, never overlapping or touching. */
  highlights: HighlightRange[];
}

export interface SearchResultDTO {
  query: string;
  /** Exact number of matching messages (never capped by limit). */
  total: number;
  tookMs: number;
  offset: number;
  limit: number;
  sort: SearchSort;
  hits: SearchHitDTO[];
  /** Parts of the query that were ignored or matched nothing by name (e.g. an unknown tag). */
  warnings: string[];
  /** The indexed terms each fuzzy~ or stem: operand was expanded to (what was really searched). */
  expansions?: SearchExpansionDTO[];
}

export interface SearchExpansionDTO {
  /** The operand as written (kickbak~, stem:run) and its character position in the query. */
  operand: string;
  position: number;
  kind: 'fuzzy' | 'stem';
  /** The terms searched, most frequent first (at most 200), and how many more there were. */
  terms: string[];
  more: number;
}

/** One facet of a search: values with their message counts, largest first (months in time order), and how many values are not listed. */
export interface FacetDTO {
  values: { value: string; count: number }[];
  more: number;
}

export interface FacetsDTO {
  custodians: FacetDTO;
  platforms: FacetDTO;
  conversations: FacetDTO;
  senders: FacetDTO;
  tags: FacetDTO;
  /** Detected language (ISO 639-3; und: undetermined) and entity kinds, once messages are enriched. */
  languages: FacetDTO;
  entities: FacetDTO;
  /** YYYY-MM in the case's display time zone. */
  months: FacetDTO;
}

export interface TermReportRowDTO {
  /** 1-based line of the terms file. */
  line: number;
  query: string;
  /** Messages the term matches. */
  hits: number;
  /** Messages matched by this term and by no other term of the list. */
  uniqueHits: number;
  /** Matching messages with their conversations, and the custodians that held them. */
  byCustodian: { custodian: string; hits: number }[];
  byConversation: { conversationId: number; conversation: string; hits: number }[];
  /** Set when the line is not a valid query (the other lines still run). */
  error?: { code: string; message: string };
  /** Review units (conversation-days: the unit a reviewer codes) holding at least one hit: the family hits. */
  familyHits?: number;
  /** Messages in those review units (the hits with their families). */
  familyMessages?: number;
  /** What fuzzy~ and stem: operands of the line were expanded to. */
  expansions?: SearchExpansionDTO[];
}

export interface TermReportDTO {
  terms: TermReportRowDTO[];
  /** Messages matched by at least one term. */
  unionTotal: number;
  /** Review units holding a hit of any term, and the messages in them. */
  unionFamilyHits?: number;
  unionFamilyMessages?: number;
  tookMs: number;
}

// ---- Productions as the API shows them (src/production returns these shapes) ----

export type ProductionFormat = 'pdf' | 'xlsx' | 'rsmf' | 'dat' | 'privlog';

export interface ProductionFileDTO {
  /** Absolute path in results; relative to the output folder inside the manifest. */
  path: string;
  sha256: string;
  size: number;
  firstBates: string | null;
  lastBates: string | null;
  /** PDF page count. */
  pages?: number;
}

export interface ProductionResultDTO {
  productionId: number;
  name: string;
  format: ProductionFormat;
  outDir: string;
  messages: number;
  contextMessages: number;
  batesFirst: string | null;
  batesLast: string | null;
  manifestSha256: string;
  files: ProductionFileDTO[];
  /** Withheld messages given a slip sheet (and a privilege-log row) in place. */
  withheld: number;
  /** Attachments produced as natives with their own Bates numbers. */
  attachments: number;
  /** The date in the files' metadata (ISO 8601), and whether it was fixed by the producer. */
  documentDate: string;
  documentDateFixed: boolean;
  /** Said before and after producing, e.g. that work-product fields are included. */
  warnings: string[];
}

/** What a production would hold, counted before it is started (the app shows it beside the button). */
export interface ProductionPreviewDTO {
  messages: number;
  contextMessages: number;
  conversations: number;
  attachments: number;
  withheld: number;
  /** The first Bates number the production would use. */
  nextBates: string;
  warnings: string[];
}

export interface ProductionSummaryDTO {
  id: number;
  name: string;
  format: string;
  status: string;
  batesFirst: string | null;
  batesLast: string | null;
  outDir: string;
  createdBy: string;
  createdAt: string;
  messages: number;
  manifestSha256: string | null;
}

export interface ProductionDefinitionDTO {
  version: 2;
  name: string;
  format: ProductionFormat;
  matter: string;
  timeZone: string;
  selection: { query: string | null; tags: string[]; conversationIds: number[]; includePrivileged: boolean; includePersonal: boolean };
  bates: { prefix: string; start: number; width: number };
  per: 'unit' | 'conversation' | 'message';
  context: number;
  legend: string;
  pageSize: 'LETTER' | 'A4';
  fields: ('tags' | 'notes' | 'basis' | 'coding')[];
  allowEmpty: boolean;
  fixedDate: number | null;
}

export interface ProductionDetailDTO extends ProductionSummaryDTO {
  definition: ProductionDefinitionDTO;
  files: ProductionFileDTO[];
}

export interface RedactionDTO {
  id: number;
  messageId: number;
  /** UTF-16 code-unit offsets into the message text; null for the whole message. */
  start: number | null;
  end: number | null;
  reason: string;
  by: string;
  at: string;
}

/** The newest entry of the audit chain: what an examiner writes down or a manifest carries. */
export interface AuditHead {
  seq: number;
  hash: string;
  /** ISO 8601 UTC time of that entry. */
  at: string;
}

/** An earlier production's manifest checked against the chain. */
export interface AnchorCheckDTO {
  productionId: number;
  name: string;
  manifest: string;
  /** holds: the chain still has that entry; broken: it does not; unavailable: no folder, or a manifest without a head. */
  status: 'holds' | 'broken' | 'unavailable';
  seq: number | null;
  message: string;
}

// ---- review batches and QC (src/review/batches/) ----

export type BatchState = 'open' | 'checked-out' | 'checked-in';

/** Where a batch set's units came from: a saved search (as it was at the cut) or a list of conversations. */
export type BatchSourceDTO = { savedSearchId: number; name: string; query: string; includePersonal: boolean } | { conversationIds: number[] };

/** Counts over units' frozen messages; reviewed = coded or marked, coded = a coding or privilege tag. */
export interface BatchCountsDTO {
  units: number;
  reviewedUnits: number;
  messages: number;
  reviewedMessages: number;
  codedMessages: number;
}

export interface BatchDTO extends BatchCountsDTO {
  batchId: number;
  setId: number;
  number: number;
  state: BatchState;
  assignee: string | null;
  /** Who has it checked out (or had, once checked in). */
  holder: string | null;
  checkedOutAt: string | null;
  checkedInBy: string | null;
  checkedInAt: string | null;
}

export interface BatchSetDTO extends BatchCountsDTO {
  setId: number;
  name: string;
  source: BatchSourceDTO;
  unitSize: number;
  createdBy: string;
  createdAt: string;
  batches: BatchDTO[];
}

export interface BatchUnitDTO {
  unitId: number;
  /** The review unit key, CONVERSATION:YYYY-MM-DD:PART, as cut when the set was made. */
  key: string;
  conversationId: number;
  /** The unit's messages as frozen at the cut (less any deleted since), in time order. */
  messageIds: number[];
  reviewed: number;
  coded: number;
  status: 'unreviewed' | 'partial' | 'reviewed';
}

export interface BatchDetailDTO extends BatchDTO {
  setName: string;
  unitList: BatchUnitDTO[];
}

export interface ReviewerProgressDTO extends BatchCountsDTO {
  reviewer: string;
  batches: number;
  checkedIn: number;
  qcSampled: number;
  qcDecided: number;
  qcOverturned: number;
  /** Overturned of decided, 0–1; null before any decision. */
  overturnRate: number | null;
}

export interface BatchProgressDTO extends BatchCountsDTO {
  setId: number;
  name: string;
  batches: BatchDTO[];
  reviewers: ReviewerProgressDTO[];
}

/** What an overturn changed: per tag, the unit's messages carrying it before and after, and the coding change (for tags.undo). */
export interface QcChangeDTO {
  reason: string | null;
  before: Record<string, number[]>;
  after: Record<string, number[]>;
  changes: number[];
}

export interface QcSampleDTO {
  sampleId: number;
  setId: number;
  batchId: number;
  batchNumber: number;
  unitId: number;
  unit: string;
  messageIds: number[];
  reviewer: string;
  seed: string;
  sampledBy: string;
  sampledAt: string;
  decision: 'confirmed' | 'overturned' | null;
  decidedBy: string | null;
  decidedAt: string | null;
  changes: QcChangeDTO | null;
}

export interface QcSampleResultDTO {
  setId: number;
  percent: number;
  seed: string;
  reviewers: { reviewer: string; candidates: number; sampled: string[] }[];
  samples: QcSampleDTO[];
}
