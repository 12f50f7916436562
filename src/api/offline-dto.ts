/** Offline check-out of a review batch (src/review/batches/offline/): what travels between the matter and the file. */

/** A slot's value: tag ids for a tag group or ungrouped tag, a field's value, true for a review mark (an empty slot is absent). */
export type OfflineSlotValue = number[] | string | true;

/** What the matter recorded when the batch was checked out offline (its `batch.checkout-offline` audit entry), and the file's manifest. */
export interface OfflineManifestDTO {
  checkout: string;
  matter: string;
  caseId: string | null;
  setId: number;
  setName: string;
  batchId: number;
  number: number;
  by: string;
  /** UTC milliseconds. */
  at: number;
  messageIds: number[];
  /** Each message's coding at the check-out, by message id then slot (messages with none left out). */
  base: Record<string, Record<string, OfflineSlotValue>>;
  /** The notes carried (on the batch's messages and their conversations): id to SHA-256 of the text. */
  baseNotes: Record<string, string>;
  /** The matter's audit entry of the check-out (and so the matter's audit head then). */
  serverAudit: { seq: number; hash: string };
}

/** What `batches.checkoutOffline` hands the client, which writes it as a new case file. */
export interface OfflineCheckoutDTO {
  manifest: OfflineManifestDTO;
  displayTz: string;
  /** The batch's rows, table by table, parents first. */
  tables: { table: string; rows: Record<string, unknown>[] }[];
  /** The attachment contents, in 1 MiB chunks (base64). */
  blobs: { sha256: string; chunks: string[] }[];
  /** Messages per import run (the file's `verify` checks them). */
  runs: Record<string, number>;
}

/** One slot of one message as it stands in the file, where it differs from the check-out. */
export interface OfflineChangeDTO {
  messageId: number;
  slot: string;
  /** null: the slot was emptied. */
  value: OfflineSlotValue | null;
  /** The privilege basis per tag id of the value's privilege tags ('' for a basis taken off offline). */
  bases?: Record<string, string>;
  by: string;
  /** When it was changed in the file, UTC milliseconds (from the file's audit log). */
  at: number;
}

export interface OfflineNoteDTO {
  messageId: number | null;
  conversationId: number | null;
  text: string;
  by: string;
  at: number;
}

/** What `batches.checkinOffline` takes: read from a verified file by the client. */
export interface OfflineCheckinDTO {
  checkout: string;
  caseId: string | null;
  matter: string;
  batchId: number;
  serverAuditSeq: number;
  /** The file's audit log: entries and head, verified before it was read. */
  fileAudit: { entries: number; head: string };
  changes: OfflineChangeDTO[];
  notes: OfflineNoteDTO[];
  /** Notes of the check-out deleted in the file (kept on the matter). */
  notesDeleted: number;
  force?: boolean;
  reason?: string;
}

export interface OfflineCheckinResultDTO {
  batchId: number;
  number: number;
  checkout: string;
  /** Slots whose offline change was applied (offline only, or offline won a conflict). */
  applied: number;
  /** Slots both sides changed, differently. */
  conflicts: number;
  offlineWon: number;
  serverWon: number;
  /** Both sides made the same change. */
  same: number;
  notesAdded: number;
  notesDeleted: number;
  /** Changes to messages deleted on the matter since the check-out. */
  gone: number;
  /** The coding change id of the tags applied and removed (tags.undo takes it); null when no tag was (field values and review marks have none). */
  change: number | null;
  auditSeq: number;
}

export interface BatchConflictDTO {
  conflictId: number;
  setId: number;
  batchId: number;
  checkout: string;
  messageId: number;
  slot: string;
  label: string;
  /** Tag names for a tag slot, the value for a field, true/false for the review mark. */
  base: string[] | string | boolean | null;
  offline: string[] | string | boolean | null;
  server: string[] | string | boolean | null;
  offlineBy: string;
  offlineAt: string;
  serverBy: string;
  serverAt: string;
  winner: 'offline' | 'server';
  recordedAt: string;
}
