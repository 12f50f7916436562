/**
 * Plain functions `(session, args) → DTO` for the app's API layer (and the CLI): start a
 * production in this thread, list and read productions, check a production folder, and the
 * redaction marks. Long productions belong in a worker: the 'produce' job kind runs `produce`.
 */
import { HoldfastError } from '../api/errors.ts';
import { dataOf } from '../case/data/index.ts';
import type { ProductionSummaryRow } from '../case/data/interface.ts';
import type { CaseSession } from '../case/session.ts';
import type { Manifest } from './manifest.ts';
import { verifyProductionFolder } from './manifest.ts';
import { discardPartialOutput } from './output.ts';
import { formatBates } from './bates.ts';
import { definitionWarnings, normaliseDefinition } from './definition.ts';
import { defaultQueryMatcher } from './query.ts';
import { runProduction } from './run.ts';
import type { RunOptions } from './run.ts';
import { selectMessages } from './select.ts';
import type { ProduceArgs, ProductionDefinition, ProductionDetailDTO, ProductionPreviewDTO, ProductionResultDTO, ProductionSummaryDTO } from './types.ts';
import path from 'node:path';

export { addRedaction, listRedactions, redactAllInstances, removeRedaction } from './redactions.ts';

export async function produce(session: CaseSession, args: ProduceArgs, opts: RunOptions = {}): Promise<ProductionResultDTO> {
  try {
    return await runProduction(session, args, opts);
  } catch (err) {
    if (typeof args.out === 'string' && args.out.trim()) discardPartialOutput(args.out);
    throw err;
  }
}

/**
 * What a production of this definition would hold, before it is started: messages, context,
 * conversations, collected attachments (each a Bates number of its own), withheld messages (slip
 * sheets), the first Bates number, and the warnings. PRODUCTION_BATES_OVERLAP and VALIDATION errors
 * come here as they would from produce; an empty selection is not an error (the counts say so).
 */
export async function previewProduction(session: CaseSession, args: Omit<ProduceArgs, 'out'>): Promise<ProductionPreviewDTO> {
  const def = normaliseDefinition(session, args);
  const sel = await selectMessages(session, def, await defaultQueryMatcher());
  const produced = sel.ids.filter((id) => !sel.withheld.has(id));
  // A message redacted whole has its attachments withheld with it.
  const attachments = dataOf(session).read.produced.collectedAttachments(produced);
  const conversations = new Set(sel.conversations.filter((_, i) => !sel.withheld.has(sel.ids[i]!))).size;
  return {
    messages: produced.length, contextMessages: sel.context.size, conversations, attachments: def.format === 'privlog' ? 0 : attachments,
    withheld: sel.withheld.size, nextBates: formatBates(def.bates.prefix, def.bates.start, def.bates.width), warnings: definitionWarnings(def),
  };
}

const summary = (r: ProductionSummaryRow): ProductionSummaryDTO => ({
  id: r.id, name: r.name, format: r.format, status: r.status, batesFirst: r.bates_first, batesLast: r.bates_last, outDir: r.out_dir,
  createdBy: r.created_by, createdAt: new Date(r.created_at).toISOString(), messages: r.messages, manifestSha256: r.manifest_sha256,
});

export function listProductions(session: CaseSession): ProductionSummaryDTO[] {
  return dataOf(session).read.productions.summaries().map(summary);
}

export function getProduction(session: CaseSession, args: { productionId: number }): ProductionDetailDTO {
  const productions = dataOf(session).read.productions;
  const row = productions.summary(args.productionId);
  if (!row) throw new HoldfastError('NOT_FOUND', `Production ${args.productionId} does not exist.`, { productionId: args.productionId });
  const extra = productions.stored(row.id)!;
  const manifest = extra.manifest ? (JSON.parse(extra.manifest) as Manifest) : null;
  return {
    ...summary(row),
    definition: JSON.parse(extra.definition) as ProductionDefinition,
    files: (manifest?.files ?? []).map((f) => ({ ...f, path: path.join(row.out_dir, ...f.path.split('/')) })),
  };
}

/** Recomputes every file's hash in the production's folder against the manifest recorded in the case. */
export async function verifyProduction(session: CaseSession, args: { productionId: number }): Promise<{ ok: boolean; checked: number; problems: string[] }> {
  const p = getProduction(session, args);
  return verifyProductionFolder(p.outDir, p.manifestSha256 ?? undefined);
}
