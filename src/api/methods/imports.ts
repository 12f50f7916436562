import { z } from 'zod';
import { method } from '../contract.ts';
import type { DetectResultDTO, FormatDTO, JobStartedDTO, SourceFileDTO, SourcesDTO } from '../dto.ts';
import { dateOrder, filePath, id, limit, noArgs, offset, timeZone } from './common.ts';

const formatId = z.string().regex(/^[a-z0-9-]{1,40}$/, 'is not a format id');

export const importsMethods = {
  'imports.formats': method<FormatDTO[]>()(noArgs),
  /** Which importer recognises the source, and what the source contains. */
  'imports.detect': method<DetectResultDTO>()(
    z.strictObject({ path: filePath, format: formatId.optional(), tz: timeZone.optional(), dateOrder: dateOrder.optional() }),
  ),
  'imports.start': method<JobStartedDTO>()(
    z.strictObject({
      source: filePath,
      format: formatId.optional(),
      custodian: z.string().min(1).max(200).optional(),
      tz: timeZone.optional(),
      dateOrder: dateOrder.optional(),
      conversation: z.string().min(1).max(500).optional(),
      /** The device owner's name as the source shows it (WhatsApp text exports): their messages are outgoing. */
      owner: z.string().trim().min(1).max(200).optional(),
      /** Password of an encrypted source (iPhone backup); never logged. */
      password: z.string().min(1).max(1024).optional(),
      /** The 64-digit key of an encrypted WhatsApp for Android backup; never logged. */
      backupKey: z.string().min(1).max(200).optional(),
      /** A WhatsApp key file (encrypted_backup.key, key). */
      backupKeyFile: filePath.optional(),
      /** Region for phone numbers without a country code (Android SMS databases). */
      region: z.string().regex(/^[A-Z]{2}$/, 'is not a two-letter region code').optional(),
    }),
  ),
};

export const sourcesMethods = {
  /** Chain of custody: every source with its hash, importer, time-zone decision, counts, warnings and import report. */
  'sources.list': method<SourcesDTO>()(noArgs),
  /** The files read inside a source, each with its SHA-256. */
  'sources.files': method<{ total: number; files: SourceFileDTO[] }>()(z.strictObject({ sourceId: id, offset, limit: limit(1000, 200) })),
};
