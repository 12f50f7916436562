/**
 * Plain functions `(session, args) → DTO` for the app's API layer (and the CLI): start a
 * production in this thread, list and read productions, check a production folder, and the
 * redaction marks. Long productions belong in a worker: the 'produce' job kind runs `produce`.
 */
import { HoldfastError } from '../api/errors.ts';
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
  let attachments = 0;
  for (let i = 0; i < produced.length; i += 500) {
    const slice = produced.slice(i, i + 500);
    // A message redacted whole has its attachments withheld with it.
    attachments += session.db
      .prepare(
        `SELECT count(*) FROM attachments a WHERE a.sha256 IS NOT NULL AND a.message_id IN (${slice.map(() => '?').join(',')})
           AND NOT EXISTS (SELECT 1 FROM redactions r WHERE r.message_id = a.message_id AND r.start IS NULL)`,
      )
      .pluck()
      .get(...slice) as number;
  }
  const conversations = new Set(sel.conversations.filter((_, i) => !sel.withheld.has(sel.ids[i]!))).size;
  return {
    messages: produced.length, contextMessages: sel.context.size, conversations, attachments: def.format === 'privlog' ? 0 : attachments,
    withheld: sel.withheld.size, nextBates: formatBates(def.bates.prefix, def.bates.start, def.bates.width), warnings: definitionWarnings(def),
  };
}

interface Row {
  id: number;
  name: string;
  format: string;
  status: string;
  bates_first: string | null;
  bates_last: string | null;
  out_dir: string;
  created_by: string;
  created_at: number;
  manifest_sha256: string | null;
  messages: number;
}

const SELECT = `SELECT p.id, p.name, p.format, p.status, p.bates_first, p.bates_last, p.out_dir, p.created_by, p.created_at, p.manifest_sha256,
  (SELECT count(*) FROM production_items i WHERE i.production_id = p.id AND i.withheld = 0) AS messages FROM productions p`;

const summary = (r: Row): ProductionSummaryDTO => ({
  id: r.id, name: r.name, format: r.format, status: r.status, batesFirst: r.bates_first, batesLast: r.bates_last, outDir: r.out_dir,
  createdBy: r.created_by, createdAt: new Date(r.created_at).toISOString(), messages: r.messages, manifestSha256: r.manifest_sha256,
});

export function listProductions(session: CaseSession): ProductionSummaryDTO[] {
  return (session.db.prepare(`${SELECT} ORDER BY p.id`).all() as Row[]).map(summary);
}

export function getProduction(session: CaseSession, args: { productionId: number }): ProductionDetailDTO {
  const row = session.db.prepare(`${SELECT} WHERE p.id = ?`).get(args.productionId) as Row | undefined;
  if (!row) throw new HoldfastError('NOT_FOUND', `Production ${args.productionId} does not exist.`, { productionId: args.productionId });
  const extra = session.db.prepare('SELECT definition, manifest FROM productions WHERE id = ?').get(row.id) as { definition: string; manifest: string | null };
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
