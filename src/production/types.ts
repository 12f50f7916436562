/** Shapes of a production: what the caller asks for, the normalised definition, and the JSON-safe results. */

export const PRODUCTION_FORMATS = ['pdf', 'xlsx', 'rsmf', 'dat', 'privlog'] as const;
export type ProductionFormat = (typeof PRODUCTION_FORMATS)[number];

/** How messages are grouped into files (PDF transcripts) or log rows (privilege log). */
export const PRODUCTION_GROUPINGS = ['unit', 'conversation', 'message'] as const;
export type ProductionGrouping = (typeof PRODUCTION_GROUPINGS)[number];

export const PAGE_SIZES = ['LETTER', 'A4'] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

/** What a caller (CLI, API) asks for; everything but format and out has a default. */
export interface ProduceArgs {
  format: ProductionFormat;
  /** Output folder: must not exist yet, or be empty. */
  out: string;
  query?: string | undefined;
  /** Messages carrying any of these tags (with a query: both must match). */
  tags?: string[] | undefined;
  conversationIds?: number[] | undefined;
  /** Privileged (any tag of kind 'privilege') messages are withheld unless this is set. */
  includePrivileged?: boolean | undefined;
  /** Conversations marked personal are left out unless this is set. */
  includePersonal?: boolean | undefined;
  batesPrefix?: string | undefined;
  batesStart?: number | undefined;
  /** Digits of the Bates number (PREFIX0000001 is width 7). */
  batesWidth?: number | undefined;
  /** pdf: one transcript per review unit (conversation-day) or per conversation; privlog: one row per message or per unit. */
  per?: ProductionGrouping | undefined;
  /** Messages before and after each selected one, produced and marked as context. */
  context?: number | undefined;
  /** Confidentiality legend on every PDF page. */
  legend?: string | undefined;
  name?: string | undefined;
  pageSize?: PageSize | undefined;
}

/** The normalised definition, stored with the production; the same definition on the same case gives the same files. */
export interface ProductionDefinition {
  version: 1;
  name: string;
  format: ProductionFormat;
  matter: string;
  timeZone: string;
  selection: {
    query: string | null;
    tags: string[];
    conversationIds: number[];
    includePrivileged: boolean;
    includePersonal: boolean;
  };
  bates: { prefix: string; start: number; width: number };
  per: ProductionGrouping;
  context: number;
  legend: string;
  pageSize: PageSize;
}

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
  /** Messages in the output (selected plus context); for a privilege log, messages logged. */
  messages: number;
  contextMessages: number;
  batesFirst: string | null;
  batesLast: string | null;
  manifestSha256: string;
  files: ProductionFileDTO[];
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

export interface ProductionDetailDTO extends ProductionSummaryDTO {
  definition: ProductionDefinition;
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

export interface ProductionProgress {
  phase: 'selecting' | 'writing' | 'finishing';
  done: number;
  total: number;
  items: number;
}
