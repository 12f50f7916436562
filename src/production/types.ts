/** Shapes of a production: what the caller asks for, the normalised definition, and the JSON-safe results. */

export const PRODUCTION_FORMATS = ['pdf', 'xlsx', 'rsmf', 'dat', 'privlog'] as const;
export type ProductionFormat = (typeof PRODUCTION_FORMATS)[number];

/** How messages are grouped into files (PDF transcripts) or log rows (privilege log). */
export const PRODUCTION_GROUPINGS = ['unit', 'conversation', 'message'] as const;
export type ProductionGrouping = (typeof PRODUCTION_GROUPINGS)[number];

export const PAGE_SIZES = ['LETTER', 'A4'] as const;

/**
 * Work-product fields: reviewer tags, reviewer notes, recorded privilege bases and the values of
 * custom coding fields. No format carries them unless the producer names them (--fields); the
 * result warns when any is on.
 */
export const WORK_PRODUCT_FIELDS = ['tags', 'notes', 'basis', 'coding'] as const;
export type WorkProductField = (typeof WORK_PRODUCT_FIELDS)[number];
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
  /** Work-product fields to include (none by default). */
  fields?: WorkProductField[] | undefined;
  /** Produce even when nothing is selected (otherwise PRODUCTION_EMPTY). */
  allowEmpty?: boolean | undefined;
  /** A fixed document date (ISO 8601) for reproducible files; otherwise the time of production. */
  fixedDate?: string | undefined;
}

/** The normalised definition, stored with the production; the same definition on the same case gives the same files. */
export interface ProductionDefinition {
  version: 2;
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
  fields: WorkProductField[];
  allowEmpty: boolean;
  /** UTC ms of the fixed document date, or null: the time of production. */
  fixedDate: number | null;
}

// The result shapes cross the API, whose DTO module may import nothing of the project: they live there.
export type { ProductionFileDTO, ProductionResultDTO, ProductionSummaryDTO, ProductionDetailDTO, RedactionDTO, ProductionPreviewDTO } from '../api/dto.ts';

export interface ProductionProgress {
  phase: 'selecting' | 'writing' | 'finishing';
  done: number;
  total: number;
  items: number;
}
