import { z } from 'zod';
import { method } from '../contract.ts';
import type { DerivedTextDTO, GapReportDTO } from '../analysis-dto.ts';
import type { JobStartedDTO } from '../dto.ts';
import { noArgs } from './common.ts';

const isoDateTime = z.iso.datetime({ offset: true });

export const analysisMethods = {
  /** The deletion-gap report (`holdfast gaps`): the matter range defaults to the case's first to last message. */
  'analysis.gaps': method<GapReportDTO>()(
    z.strictObject({ from: isoDateTime.optional(), to: isoDateTime.optional(), minSilenceDays: z.number().positive().max(3650).optional(),
      deletionWindowMinutes: z.number().positive().max(525_600).optional() }),
  ),
};

export const enrichMethods = {
  /** Recognises text in the image attachments not read yet, in a cancellable job; the result is the job's. */
  'enrich.ocr': method<JobStartedDTO>()(noArgs),
  /** The text recognised in one attachment, marked derived with how it was made (null when none). */
  'enrich.imageText': method<DerivedTextDTO | null>()(z.strictObject({ attachmentId: z.number().int().positive() })),
};
