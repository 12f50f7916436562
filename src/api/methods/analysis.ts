import { z } from 'zod';
import { method } from '../contract.ts';
import type { DerivedTextDTO, EntityViewDTO, FindingTagResultDTO, GapReportDTO, GapReportFileDTO, OcrOptionsDTO } from '../analysis-dto.ts';
import type { JobStartedDTO } from '../dto.ts';
import { noArgs } from './common.ts';

const isoDateTime = z.iso.datetime({ offset: true });

const id = z.number().int().positive();
const gapOptions = {
  from: isoDateTime.optional(), to: isoDateTime.optional(), minSilenceDays: z.number().positive().max(3650).optional(),
  deletionWindowMinutes: z.number().positive().max(525_600).optional(),
};
/** Messages of context on either side of a finding (default 3). */
const around = z.number().int().min(0).max(50).default(3);

export const analysisMethods = {
  /** The deletion-gap report (`holdfast gaps`): the matter range defaults to the case's first to last message. */
  'analysis.gaps': method<GapReportDTO>()(z.strictObject(gapOptions)),
  /** Writes the findings report for counsel (.xlsx or .pdf by the path's extension; never over an existing file), audited with its SHA-256. */
  'analysis.gapsReport': method<GapReportFileDTO>()(z.strictObject({ ...gapOptions, path: z.string().min(1).max(4096), around })),
  /** Tags a finding's messages and `around` more on either side in its conversation; `finding` describes it for the audit entry. */
  'analysis.tagFinding': method<FindingTagResultDTO>()(
    z.strictObject({
      tag: z.union([z.string().min(1).max(100), id]), finding: z.string().min(1).max(500), conversationId: id,
      messageIds: z.array(id).min(1).max(100_000), around,
    }),
  ),
};

export const enrichMethods = {
  /**
   * Recognises text in the image attachments not read yet, in a cancellable job (the result is the
   * job's OcrResultDTO): with `langs` (tesseract codes, read together, the first the main one; default
   * the case's suggestion, see `enrich.ocrOptions`); `redo` also reads again the images whose text was
   * recognised with other languages. A language without data is refused (VALIDATION, listing those with).
   */
  'enrich.ocr': method<JobStartedDTO>()(
    z.strictObject({ langs: z.array(z.string().min(1).max(20)).min(1).max(12).optional(), redo: z.boolean().optional() }),
  ),
  /** The languages text recognition can read, the case's default choice and how many images are not read yet. */
  'enrich.ocrOptions': method<OcrOptionsDTO>()(noArgs),
  /** Detects the language and entities of every message not enriched yet (imports do this themselves). */
  'enrich.pending': method<{ messages: number }>()(noArgs),
  /** Which entity appears in which conversations, most frequent first; `value` as written (normalised here). */
  /** The text recognised in one attachment, marked derived with how it was made (null when none). */
  'enrich.imageText': method<DerivedTextDTO | null>()(z.strictObject({ attachmentId: z.number().int().positive() })),
  /**
   * The entity view (`holdfast entities`): each entity with the conversations it appears in, most
   * frequent first; `value` as written (normalised here); the first `limit` of `total`, or all without one.
   */
  'enrich.entities': method<{ total: number; items: EntityViewDTO[] }>()(
    z.strictObject({
      kind: z.enum(['phone', 'email', 'url', 'iban', 'card', 'amount', 'isin']).optional(), value: z.string().min(1).max(500).optional(),
      limit: z.number().int().min(1).max(10_000).optional(),
    }),
  ),
};
