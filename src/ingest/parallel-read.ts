/**
 * Reads an importer's records in a second worker thread, so parsing runs on one core while ingest
 * hashes and writes on the other. Records come over in batches (structured clone) with warnings
 * and progress in order; a bounded number of batches in flight keeps memory flat.
 *
 * Only records that are plain data can cross threads: an attachment with an `open()` stream
 * cannot. Sources that usually carry those (folders, zips, importers that declare
 * `carriesAttachments`) are read in this thread from the start; if a single file yields such a
 * record anyway, the worker stops and this thread re-reads the source itself, skipping the
 * records already delivered (importers are deterministic — the same property that makes a
 * re-import add nothing).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { HoldfastError, isErrorCode } from '../api/errors.ts';
import type { ImportContext, Importer, ImportRecord } from '../importers/types.ts';
import { IMPORTERS } from '../importers/registry.ts';
import type { ParseRequest, ParseMessage } from './parse-worker.ts';
import { splitTerms } from '../search/record-terms.ts';

/** The Electron build rewrites this URL to the bundled worker (scripts/bundles.ts). */
const parseWorkerUrl = new URL('./parse-worker.ts', import.meta.url);

/** A record, with a message's index terms when the parser thread already made them (record-terms.ts). */
export interface ReadRecord {
  record: ImportRecord;
  terms?: string[];
}

export async function* readRecords(importer: Importer, ctx: ImportContext): AsyncGenerator<ReadRecord> {
  if (!IMPORTERS.includes(importer) || importer.carriesAttachments || !isPlainFile(ctx.path) || !workerAvailable()) {
    for await (const record of importer.read(ctx)) yield { record };
    return;
  }
  let delivered = 0;
  let inlineFrom: number | null = null;
  for await (const item of fromWorker(importer.id, ctx)) {
    if (typeof item === 'number') {
      inlineFrom = item;
      break;
    }
    delivered++;
    yield item;
  }
  if (inlineFrom === null) return;
  // The rest in this thread: skip what was delivered, and the warnings and progress it caused.
  let seen = 0;
  const quiet: ImportContext = {
    ...ctx,
    warn: (w) => {
      if (seen >= delivered) ctx.warn(w);
    },
    progress: (done) => {
      if (seen >= delivered) ctx.progress(done);
    },
  };
  for await (const record of importer.read(quiet)) {
    if (seen++ < delivered) continue;
    yield { record };
  }
}

/** A bundle that did not build the parser thread (and set its URL) reads in one thread. */
function workerAvailable(): boolean {
  return parseWorkerUrl.protocol !== 'file:' || fs.existsSync(fileURLToPath(parseWorkerUrl));
}

/** A single regular file that is not a zip (zips carry attachments, which cannot cross threads). */
function isPlainFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(4);
      fs.readSync(fd, head, 0, 4, 0);
      return head.readUInt32LE(0) !== 0x04034b50;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** Records from the worker; a number means "from this record on, read in this thread". */
async function* fromWorker(importerId: string, ctx: ImportContext): AsyncGenerator<ReadRecord | number> {
  const request: ParseRequest = { importerId, path: ctx.path, options: ctx.options };
  const worker = new Worker(parseWorkerUrl, { workerData: request });
  const queue: ParseMessage[] = [];
  let wake: (() => void) | null = null;
  let failure: unknown = null;
  let exited = false;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (m: ParseMessage) => {
    queue.push(m);
    notify();
  });
  worker.on('error', (err) => {
    failure = err;
    notify();
  });
  worker.on('exit', () => {
    exited = true;
    notify();
  });
  const onAbort = () => void worker.terminate();
  ctx.signal.addEventListener('abort', onAbort);
  try {
    for (;;) {
      const m = queue.shift();
      if (!m) {
        if (failure) throw failure;
        if (exited && ctx.signal.aborted) throw new HoldfastError('CANCELLED', `Reading ${ctx.path} was cancelled.`, { file: ctx.path });
        if (exited) throw new HoldfastError('INTERNAL', `The parser thread for ${ctx.path} stopped before the end of the source.`, { file: ctx.path });
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (m.type === 'batch') {
        worker.postMessage('ack');
        for (const item of m.items) {
          if (item.type === 'warn') ctx.warn(item.warning);
          else if (item.type === 'progress') ctx.progress(item.done);
          else yield item.terms === undefined ? { record: item.record } : { record: item.record, terms: splitTerms(item.terms) };
        }
      } else if (m.type === 'inline') {
        yield m.from;
        return;
      } else if (m.type === 'done') {
        return;
      } else {
        // Rebuilt as the importer threw it, so ingest maps it exactly as it would in this thread.
        const { holdfast, name, code, message, details } = m.error;
        if (holdfast && isErrorCode(code)) throw new HoldfastError(code, message, details);
        throw Object.assign(new Error(message), { name, ...(code ? { code } : {}) });
      }
    }
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    if (!exited) void worker.terminate();
  }
}
