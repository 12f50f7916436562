/**
 * One production, start to end: validate the definition, select, write the format into a
 * temporary sibling folder, write the manifest, move the folder into place, and record the
 * production, its items and an audit entry in the case. Cancelled or failed: the folder is
 * removed, the attempt is audited, and nothing else is kept.
 */
import { HoldfastError } from '../api/errors.ts';
import { appendAudit } from '../case/audit.ts';
import { auditHead } from '../case/anchors.ts';
import { mapSqliteError, dataOf } from '../case/data/index.ts';
import type { ProductionItem } from '../case/data/interface.ts';
import type { CaseSession } from '../case/session.ts';
import { assertNoOverlap, BatesCounter } from './bates.ts';
import { ItemLedger, makeTick } from './context.ts';
import type { FormatWriter, WriterContext } from './context.ts';
import { ConversationCache } from './data.ts';
import { definitionHash, definitionWarnings, normaliseDefinition } from './definition.ts';
import { writerFor } from './formats/index.ts';
import { writeAccompanyingPrivilegeLog } from './formats/privlog.ts';
import { buildManifest } from './manifest.ts';
import { signManifest } from './signature.ts';
import { cleanAbandonedProductions, forgetPartial, rememberPartial } from './abandoned.ts';
import { ProductionOutput } from './output.ts';
import { defaultQueryMatcher } from './query.ts';
import { selectMessages } from './select.ts';
import type { QueryMatcher } from './select.ts';
import type { ProduceArgs, ProductionProgress, ProductionResultDTO } from './types.ts';
import fs from 'node:fs';
import path from 'node:path';

export interface RunOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((p: ProductionProgress) => void) | undefined;
  /** Overrides how --query is matched (null: queries refused). */
  matcher?: QueryMatcher | null | undefined;
  /** Replaces the format's writer (tests use it to lower per-file limits). */
  writer?: FormatWriter | undefined;
}

export async function runProduction(session: CaseSession, args: ProduceArgs, opts: RunOptions = {}): Promise<ProductionResultDTO> {
  const signal = opts.signal ?? new AbortController().signal;
  const report = opts.onProgress ?? (() => {});
  if (typeof args.out !== 'string' || args.out.trim() === '') throw new HoldfastError('VALIDATION', 'Choose an output folder (--out DIR).', { field: 'out' });
  const def = normaliseDefinition(session, args);
  const defHash = definitionHash(def);
  report({ phase: 'selecting', done: 0, total: 0, items: 0 });
  const matcher = opts.matcher === undefined ? await defaultQueryMatcher() : opts.matcher;
  const selection = await selectMessages(session, def, matcher);
  const produced = selection.ids.length - selection.withheld.size;
  if (produced === 0 && !def.allowEmpty) throw emptyError(def.format, selection.withheld.size);
  if (signal.aborted) throw new HoldfastError('CANCELLED', 'The production was cancelled before it started.');
  cleanAbandonedProductions(dataOf(session));
  const output = ProductionOutput.create(args.out);
  rememberPartial(dataOf(session), output.tempDir);
  const total = selection.ids.length;
  const ctx: WriterContext = {
    session, def, defHash, selection, output,
    documentTime: def.fixedDate ?? Date.now(),
    attachments: 0,
    bates: new BatesCounter(def.bates.prefix, def.bates.start, def.bates.width),
    conversations: new ConversationCache(session),
    items: new ItemLedger(selection.ids),
    tick: makeTick(signal, (done) => report({ phase: 'writing', done, total, items: done }), def.format),
  };
  let committed = false;
  try {
    await (opts.writer ?? writerFor(def.format))(ctx);
    if (selection.withheld.size && def.format !== 'privlog') await writeAccompanyingPrivilegeLog(ctx);
    if (signal.aborted) throw new HoldfastError('CANCELLED', `The ${def.format} production was cancelled; nothing was written.`);
    // The start was checked; the end is known only now (PDF pages, attachments).
    if (ctx.bates.lastNumber !== null) assertNoOverlap(dataOf(session), def.bates.prefix, def.bates.width, def.bates.start, ctx.bates.lastNumber);
    report({ phase: 'finishing', done: total, total, items: total });
    const files = output.files();
    const documentDate = new Date(ctx.documentTime).toISOString();
    const { json, sha256 } = buildManifest({
      name: def.name, matter: def.matter, format: def.format, documentDate: { value: documentDate, fixed: def.fixedDate !== null },
      messages: produced, contextMessages: selection.context.size, withheld: selection.withheld.size, attachments: ctx.attachments,
      bates: { prefix: def.bates.prefix, width: def.bates.width, first: ctx.bates.first, last: ctx.bates.last },
      files,
      auditHead: auditHead(dataOf(session)),
    });
    await output.commit(json, signManifest(dataOf(session), json));
    committed = true;
    const productionId = record(session, ctx, json, sha256);
    forgetPartial(dataOf(session), output.tempDir);
    return {
      productionId, name: def.name, format: def.format, outDir: output.outDir,
      messages: produced, contextMessages: selection.context.size,
      batesFirst: ctx.bates.first, batesLast: ctx.bates.last, manifestSha256: sha256,
      files: files.map((f) => ({ ...f, path: path.join(output.outDir, ...f.path.split('/')) })),
      withheld: selection.withheld.size, attachments: ctx.attachments, documentDate, documentDateFixed: def.fixedDate !== null,
      warnings: definitionWarnings(def),
    };
  } catch (err) {
    if (committed) fs.rmSync(output.outDir, { recursive: true, force: true });
    else output.abort();
    try {
      forgetPartial(dataOf(session), output.tempDir);
    } catch {
      // The case itself may be what failed: the next open removes the record.
    }
    const mapped = mapSqliteError(err, session.path);
    const cancelled = mapped instanceof HoldfastError && mapped.code === 'CANCELLED';
    try {
      dataOf(session).write.transaction.run(() =>
        appendAudit(dataOf(session), session.actor, cancelled ? 'production.cancel' : 'production.fail', {
          name: def.name, format: def.format, definitionSha256: defHash, out: output.outDir,
          error: mapped instanceof Error ? mapped.message : String(mapped),
        }),
      );
    } catch {
      // The case itself may be what failed; the original error matters more.
    }
    throw mapped;
  }
}

function emptyError(format: string, withheld: number): HoldfastError {
  const what = format === 'privlog' ? 'No privileged messages fall within this privilege log' : 'No messages match this production (after leaving out privileged and personal messages)';
  return new HoldfastError(
    'PRODUCTION_EMPTY',
    `${what}${withheld ? ` — all ${withheld} selected are withheld as privileged` : ''}; nothing was written. Use --allow-empty to produce it anyway.`,
    { field: 'selection', withheld },
  );
}

function record(session: CaseSession, ctx: WriterContext, manifest: Buffer, manifestSha256: string): number {
  const data = dataOf(session);
  const { def } = ctx;
  const now = Date.now();
  return data.write.transaction.immediate(() => {
    // Again under the write lock: another production with the prefix may have been recorded meanwhile.
    if (ctx.bates.lastNumber !== null) assertNoOverlap(data, def.bates.prefix, def.bates.width, def.bates.start, ctx.bates.lastNumber);
    const { write } = dataOf(session);
    const productionId = write.productions.record({
      name: def.name, definition: JSON.stringify(def), format: def.format, batesPrefix: def.bates.prefix, batesFirst: ctx.bates.first, batesLast: ctx.bates.last,
      outDir: ctx.output.outDir, createdBy: session.actor, createdAt: now, manifest: manifest.toString('utf8'), manifestSha256,
    });
    write.productions.addItems(productionId, items(ctx));
    // The selection (query, tags, conversations) is recorded here and in the definition, never in the manifest.
    appendAudit(dataOf(session), session.actor, 'production.create', {
      productionId, name: def.name, format: def.format, definition: def, definitionSha256: ctx.defHash,
      messages: ctx.selection.ids.length - ctx.selection.withheld.size, withheld: ctx.selection.withheld.size, contextMessages: ctx.selection.context.size,
      batesFirst: ctx.bates.first, batesLast: ctx.bates.last, out: ctx.output.outDir, manifestSha256,
    }, now);
    return productionId;
  });
}

/** Where each message landed, with whether it was context or withheld. */
function* items(ctx: WriterContext): Generator<ProductionItem> {
  const { context, withheld } = ctx.selection;
  for (const item of ctx.items.entries()) yield { ...item, context: context.has(item.messageId), withheld: withheld.has(item.messageId) };
}
