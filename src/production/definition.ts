/** Arguments → a validated, normalised definition (defaults filled in), and its hash. */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { HoldfastError } from '../api/errors.ts';
import { canonicalJson } from '../case/canonical-json.ts';
import { dataOf } from '../case/data/index.ts';
import type { CaseSession } from '../case/session.ts';
import { assertNoOverlap, nextBatesNumber } from './bates.ts';
import { PAGE_SIZES, PRODUCTION_FORMATS, WORK_PRODUCT_FIELDS } from './types.ts';
import type { ProduceArgs, ProductionDefinition, ProductionGrouping, WorkProductField } from './types.ts';

export const DEFAULT_BATES_PREFIX = 'HF';
export const DEFAULT_BATES_WIDTH = 7;
export const DEFAULT_LEGEND = 'CONFIDENTIAL';
const MAX_CONTEXT = 1000;

function invalid(message: string, field: string): HoldfastError {
  return new HoldfastError('VALIDATION', message, { field });
}

/** The definition without the output folder (which is checked when the production starts): a preview needs none. */
export function normaliseDefinition(session: CaseSession, args: Omit<ProduceArgs, 'out'>): ProductionDefinition {
  if (!(PRODUCTION_FORMATS as readonly string[]).includes(args.format)) {
    throw invalid(`Unknown production format "${args.format}"; use one of ${PRODUCTION_FORMATS.join(', ')}.`, 'format');
  }
  const prefix = args.batesPrefix ?? DEFAULT_BATES_PREFIX;
  // The prefix ends up in file names: keep it to characters every file system and review platform accepts.
  // It also starts cells in load files: a first character of "-" could read as a formula there.
  if (!/^(?:[A-Za-z0-9][A-Za-z0-9_.-]{0,23})?$/.test(prefix)) {
    throw invalid(`Bates prefix "${prefix}" may only hold letters, digits, "_", "-" and "." and starts with a letter or digit (at most 24).`, 'batesPrefix');
  }
  // Numbering continues across the case's productions with this prefix unless a start is given.
  const start = args.batesStart ?? nextBatesNumber(dataOf(session), prefix);
  if (!Number.isSafeInteger(start) || start < 0) throw invalid(`Bates start must be a whole number ≥ 0, not ${start}.`, 'batesStart');
  const width = args.batesWidth ?? DEFAULT_BATES_WIDTH;
  if (!Number.isInteger(width) || width < 1 || width > 15) throw invalid(`Bates width must be 1–15 digits, not ${width}.`, 'batesWidth');
  if (String(start).length > width) throw invalid(`Bates start ${start} does not fit in ${width} digits.`, 'batesStart');
  assertNoOverlap(dataOf(session), prefix, width, start, null);
  const fields = [...new Set(args.fields ?? [])].sort() as WorkProductField[];
  for (const f of fields) {
    if (!(WORK_PRODUCT_FIELDS as readonly string[]).includes(f)) throw invalid(`Unknown field "${f}"; the optional fields are ${WORK_PRODUCT_FIELDS.join(', ')}.`, 'fields');
  }
  let fixedDate: number | null = null;
  if (args.fixedDate !== undefined) {
    fixedDate = Date.parse(args.fixedDate);
    if (!/^\d{4}-\d{2}-\d{2}/.test(args.fixedDate) || !Number.isFinite(fixedDate)) throw invalid(`The fixed date "${args.fixedDate}" is not an ISO 8601 date (2024-03-01 or 2024-03-01T12:00:00Z).`, 'fixedDate');
  }
  const context = args.context ?? 0;
  if (!Number.isInteger(context) || context < 0 || context > MAX_CONTEXT) throw invalid(`Context must be 0–${MAX_CONTEXT} messages, not ${context}.`, 'context');
  const per = groupingFor(args);
  const pageSize = args.pageSize ?? 'LETTER';
  if (!(PAGE_SIZES as readonly string[]).includes(pageSize)) throw invalid(`Page size is one of ${PAGE_SIZES.join(', ')}.`, 'pageSize');
  const query = args.query?.trim() ? args.query.trim() : null;
  const tags = [...new Set((args.tags ?? []).map((t) => t.trim()).filter(Boolean))].sort((a, b) => a.localeCompare(b));
  const conversationIds = [...new Set(args.conversationIds ?? [])].sort((a, b) => a - b);
  for (const id of conversationIds) if (!Number.isSafeInteger(id) || id <= 0) throw invalid(`Conversation id ${id} is not valid.`, 'conversationIds');
  const legend = (args.legend ?? DEFAULT_LEGEND).replace(/\s+/g, ' ').trim();
  if (legend.length > 200) throw invalid('The confidentiality legend is limited to 200 characters.', 'legend');
  const name = (args.name ?? `${prefix}${String(start).padStart(width, '0')} ${args.format}`).trim();
  return {
    version: 2,
    name,
    format: args.format,
    matter: dataOf(session).read.caseMeta.get('matter') ?? path.basename(session.path),
    timeZone: session.displayTz,
    selection: {
      query,
      tags,
      conversationIds,
      includePrivileged: args.format === 'privlog' ? true : (args.includePrivileged ?? false),
      includePersonal: args.includePersonal ?? false,
    },
    bates: { prefix, start, width },
    per,
    context: args.format === 'privlog' ? 0 : context,
    legend,
    pageSize,
    fields,
    allowEmpty: args.allowEmpty ?? false,
    fixedDate,
  };
}

function groupingFor(args: Pick<ProduceArgs, 'format' | 'per'>): ProductionGrouping {
  const per = args.per;
  if (args.format === 'pdf') {
    if (per === undefined) return 'unit';
    if (per === 'unit' || per === 'conversation') return per;
    throw invalid('A PDF production has one transcript per review unit (--per unit) or per conversation (--per conversation).', 'per');
  }
  if (args.format === 'privlog') {
    if (per === undefined) return 'message';
    if (per === 'message' || per === 'unit') return per;
    throw invalid('A privilege log has one row per message (--per message) or per review unit (--per unit).', 'per');
  }
  if (per !== undefined && per !== 'message') throw invalid(`--per does not apply to ${args.format} productions.`, 'per');
  return 'message';
}

/** Warnings about a definition, shown before and after producing. */
export function definitionWarnings(def: ProductionDefinition): string[] {
  const out: string[] = [];
  const what: Record<WorkProductField, string> = { tags: 'reviewer tags', notes: 'reviewer notes', basis: 'recorded privilege bases', coding: 'custom coding fields' };
  const named = WORK_PRODUCT_FIELDS.filter((f) => def.fields.includes(f));
  if (named.length) out.push(`This production includes work product (${named.map((f) => what[f]).join(', ')}); check that it is meant to leave the firm.`);
  if (def.selection.includePrivileged && def.format !== 'privlog') out.push('Privileged messages are produced, not withheld (--include-privileged).');
  return out;
}

/** SHA-256 of the definition's canonical JSON: kept with the production in the case and seeds PDF ids. */
export function definitionHash(def: ProductionDefinition): string {
  return createHash('sha256').update(canonicalJson(def)).digest('hex');
}
