import { z } from 'zod';
import { method } from '../contract.ts';
import type { DerivedTextDTO, EntityViewDTO, GapReportDTO } from '../analysis-dto.ts';
import type { JobStartedDTO } from '../dto.ts';
import { noArgs } from './common.ts';

const isoDateTime = z.iso.datetime({ offset: true });

export const analysisMethods = {
  /** The deletion-gap report (`holdfast gaps`): the matter range defaults to the case's first to last message. */
  'analysis.gaps': method<GapReportDTO>()(
    z.strictObject({ from: isoDateTime.optional(), to: isoDateTime.optional(), minSilenceDays: z.number().positive().max(3650).optional() }),
  ),
};

export const enrichMethods = {
  /** Recognises text in the image attachments not read yet, in a cancellable job; the result is the job's. */
  'enrich.ocr': method<JobStartedDTO>()(noArgs),
  /** Detects the language and entities of every message not enriched yet (imports do this themselves). */
  'enrich.pending': method<{ messages: number }>()(noArgs),
  /** Which entity appears in which conversations, most frequent first; `value` as written (normalised here). */
  'enrich.entities': method<EntityViewDTO[]>()(
    z.strictObject({ kind: z.enum(['phone', 'email', 'url', 'iban', 'card', 'amount', 'isin']).optional(), value: z.string().min(1).max(500).optional() }),
  ),
  /** The text recognised in one attachment, marked derived with how it was made (null when none). */
  'enrich.imageText': method<DerivedTextDTO | null>()(z.strictObject({ attachmentId: z.number().int().positive() })),
};
