/** JSON-safe shapes that cross the API (and the CLI's --json output). Times are ISO 8601 UTC strings. */

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
  tags: string[];
  source: { sourceId: number; locator: string };
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

export function isoTime(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}
