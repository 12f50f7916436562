/**
 * Parser thread (see parallel-read.ts): runs one importer over one source and posts its records
 * in batches, never more than IN_FLIGHT batches ahead of the writer's acknowledgements.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { HoldfastError } from '../api/errors.ts';
import type { ErrorDetails } from '../api/errors.ts';
import type { ImportOptions, ImportRecord, ImportWarning } from '../importers/types.ts';
import { importerById } from '../importers/registry.ts';
import { joinTerms, recordTerms } from '../search/record-terms.ts';

export interface ParseRequest {
  importerId: string;
  path: string;
  options: ImportOptions;
}

export type ParseItem =
  /** `terms`: a message's index terms joined by NUL (record-terms.ts), null when it has none. */
  | { type: 'record'; record: ImportRecord; terms?: string | null }
  | { type: 'warn'; warning: ImportWarning }
  | { type: 'progress'; done: number };

export type ParseMessage =
  | { type: 'batch'; items: ParseItem[] }
  /** Record number `from` cannot cross threads (it holds a stream opener): read on from there in the writer's thread. */
  | { type: 'inline'; from: number }
  | { type: 'done' }
  | { type: 'error'; error: { holdfast: boolean; name: string; code?: string; message: string; details?: ErrorDetails } };

const BATCH = 2_000;
/** Batches the parser may run ahead of the writer; with ~2,000 records a batch this is a few MB. */
const IN_FLIGHT = 8;

const port = parentPort;
if (!port) throw new Error('ingest/parse-worker.ts must run in a worker thread');
const request = workerData as ParseRequest;
let credit = IN_FLIGHT;
let resume: (() => void) | null = null;
port.on('message', (m: unknown) => {
  if (m !== 'ack') return;
  credit++;
  resume?.();
  resume = null;
});

let items: ParseItem[] = [];
const post = async () => {
  if (items.length === 0) return;
  while (credit === 0) await new Promise<void>((r) => (resume = r));
  credit--;
  port.postMessage({ type: 'batch', items } satisfies ParseMessage);
  items = [];
};

const hasOpener = (r: ImportRecord) => r.type === 'message' && (r.attachments ?? []).some((a) => typeof a.open === 'function');

try {
  const importer = importerById(request.importerId);
  const ctx = {
    path: request.path,
    options: request.options,
    signal: new AbortController().signal,
    warn: (warning: ImportWarning) => void items.push({ type: 'warn', warning }),
    progress: (done: number) => void items.push({ type: 'progress', done }),
  };
  let n = 0;
  let inline = false;
  for await (const record of importer.read(ctx)) {
    if (hasOpener(record)) {
      await post();
      port.postMessage({ type: 'inline', from: n } satisfies ParseMessage);
      inline = true;
      break;
    }
    // Tokenising here keeps it off the writer's thread, the import's bottleneck.
    items.push(record.type === 'message' ? { type: 'record', record, terms: joinTerms(recordTerms(record)) } : { type: 'record', record });
    n++;
    if (items.length >= BATCH) await post();
  }
  if (!inline) {
    await post();
    port.postMessage({ type: 'done' } satisfies ParseMessage);
  }
} catch (err) {
  await post().catch(() => {});
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  port.postMessage({
    type: 'error',
    error: {
      holdfast: err instanceof HoldfastError, name: e.name, message: e.message,
      ...(typeof code === 'string' ? { code } : {}),
      ...(err instanceof HoldfastError && err.details ? { details: err.details } : {}),
    },
  } satisfies ParseMessage);
}
