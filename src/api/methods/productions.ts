import { z } from 'zod';
import { method } from '../contract.ts';
import type { JobStartedDTO, ProductionDetailDTO, ProductionPreviewDTO, ProductionSummaryDTO, RedactionDTO } from '../dto.ts';
import { filePath, id, noArgs } from './common.ts';
import { query } from './search.ts';

const definition = {
  format: z.enum(['pdf', 'xlsx', 'rsmf', 'dat', 'privlog']),
  query: query.min(1).optional(),
  tags: z.array(z.string().min(1).max(100)).max(100).optional(),
  conversationIds: z.array(id).max(100_000).optional(),
  includePrivileged: z.boolean().optional(),
  includePersonal: z.boolean().optional(),
  batesPrefix: z.string().regex(/^[A-Za-z0-9_.-]{0,20}$/, 'is letters, digits, _ . - (at most 20)').optional(),
  batesStart: z.number().int().min(1).max(999_999_999).optional(),
  batesWidth: z.number().int().min(1).max(12).optional(),
  per: z.enum(['unit', 'conversation', 'message']).optional(),
  context: z.number().int().min(0).max(100).optional(),
  legend: z.string().max(200).optional(),
  name: z.string().trim().min(1).max(200).optional(),
  pageSize: z.enum(['LETTER', 'A4']).optional(),
  /** Work product to include (none by default; the result warns when any is on). */
  fields: z.array(z.enum(['tags', 'notes', 'basis', 'coding'])).max(4).optional(),
  /** Produce even when nothing is selected (otherwise PRODUCTION_EMPTY). */
  allowEmpty: z.boolean().optional(),
  /** A fixed document date (ISO 8601) for reproducible files; otherwise the time of production. */
  fixedDate: z.string().regex(/^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?$/, 'is an ISO 8601 date').optional(),
};

export const productionsMethods = {
  /** A production in a job (progress, cancel); the job's result is the production with its files and hashes. */
  'productions.start': method<JobStartedDTO>()(
    z.strictObject({
      ...definition,
      /** Output folder: must not exist yet, or be empty. */
      out: filePath,
    }),
  ),
  /** What the production would hold (messages, conversations, attachments, withheld) and its first Bates number, before it starts. */
  'productions.preview': method<ProductionPreviewDTO>()(z.strictObject(definition)),
  'productions.list': method<ProductionSummaryDTO[]>()(noArgs),
  'productions.get': method<ProductionDetailDTO>()(z.strictObject({ productionId: id })),
  /** Recomputes every file's hash in the production's folder against the manifest recorded in the case. */
  'productions.verify': method<{ ok: boolean; checked: number; problems: string[] }>()(z.strictObject({ productionId: id })),
};

export const redactionsMethods = {
  'redactions.list': method<RedactionDTO[]>()(z.strictObject({ messageId: id.optional() })),
  /** A mark, not an edit: productions leave the span (or, without start/end, the message) out. */
  'redactions.add': method<RedactionDTO>()(
    z
      .strictObject({ messageId: id, start: z.number().int().min(0).optional(), end: z.number().int().min(1).optional(), reason: z.string().trim().min(1).max(500) })
      .refine((a) => (a.start === undefined) === (a.end === undefined) && (a.start === undefined || a.end! > a.start), 'give both start and end (end after start), or neither for the whole message'),
  ),
  'redactions.remove': method<{ removed: RedactionDTO }>()(z.strictObject({ redactionId: id })),
  /** "Redact all instances of …": a span mark on every occurrence of `text` in the conversation, or in the whole case. */
  'redactions.addAll': method<{ added: number; messages: number }>()(
    z.strictObject({ text: z.string().min(1).max(500), reason: z.string().trim().min(1).max(500), conversationId: id.optional() }),
  ),
};
