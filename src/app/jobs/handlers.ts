/**
 * What a worker thread can run. Each handler opens nothing itself: it gets the worker's own
 * connection to the case, an abort signal and a progress callback.
 */
import type { CaseSession } from '../../case/session.ts';
import type { JobProgress } from './types.ts';
import { runImport } from '../run-import.ts';
import type { ImportParams } from '../run-import.ts';
import { afterImport } from '../after-import.ts';
import { verifyCase } from '../../case/verify.ts';
import { checkAnchors } from '../../case/anchors.ts';
import type { Anchor } from '../../case/anchors.ts';
import { reindex } from '../../search/index-manager.ts';
import type { ProduceArgs } from '../../production/types.ts';
import type { OcrOptions } from '../../enrich/ocr.ts';
import { productionManifestCheck } from '../../production/manifest.ts';
import { messageCountCheck } from '../../review/verify-counts.ts';
import { dataOf } from '../../case/data/index.ts';
import type { CaseData } from '../../case/data/interface.ts';

export type JobHandler = (session: CaseSession, params: never, signal: AbortSignal, progress: (p: JobProgress) => void) => Promise<unknown>;

export const JOB_HANDLERS: Record<string, JobHandler> = {
  import: async (session, params: ImportParams, signal, progress) =>
    afterImport(session, await runImport(session, params, signal, (p) => progress({ phase: p.phase, done: p.done, total: p.total, items: p.messages })), signal),
  // Loaded on first use, like produce: tesseract.js is only needed by this job.
  ocr: async (session, params: OcrOptions, signal, progress) =>
    (await import('../../enrich/ocr.ts')).recognizeImages(session, params, signal, (done, total) => progress({ phase: 'recognising', done, total, items: done })),
  // Anchors are optional: a verify started with none (the app's own check, an embedding caller) checks the chain alone.
  verify: async (session, params: { anchors?: Anchor[] }) => {
    const anchors = params.anchors ?? [];
    const anchorCheck = anchors.length ? [(data: CaseData) => ({ checked: anchors.length, problems: checkAnchors(data, anchors) })] : [];
    return verifyCase(dataOf(session), [productionManifestCheck, messageCountCheck, ...anchorCheck]);
  },
  reindex: async (session, _params: Record<string, never>, _signal, progress) => reindex(session, (done) => progress({ phase: 'indexing', done, total: 0, items: done })),
  // Loaded on first use: the production stack (pdfkit, fontkit, ExcelJS) costs every other job ~0.5 s of start-up.
  produce: async (session, params: ProduceArgs, signal, progress) =>
    (await import('../../production/run.ts')).runProduction(session, params, { signal, onProgress: progress }),
};
