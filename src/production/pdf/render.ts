/**
 * Transcripts are laid out in worker threads, one unit per task, because shaping and drawing text
 * is where a PDF production spends its time and the machine has more than one core. Bates numbers
 * run across files, so a worker lays a unit out, reports its page count, and stamps the footers and
 * writes the file only when the coordinator has numbered every earlier unit. Without workers (one
 * unit, or a host that cannot start them) the same steps run in this thread.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import type { ProducedMessage } from '../data.ts';
import type { ProductionDefinition } from '../types.ts';
import { TranscriptPdf } from './transcript.ts';
import type { ReplyInfo, TranscriptHeader } from './transcript.ts';

export interface UnitJob {
  header: TranscriptHeader;
  messages: ProducedMessage[];
  replies: [number, ReplyInfo][];
  images: [string, Uint8Array][];
}

export interface Laid {
  pages: number;
  /** [message id, index of the page it starts on], in message order. */
  placements: [number, number][];
}

export interface Written {
  sha256: string;
  size: number;
}

export interface DocSettings {
  def: ProductionDefinition;
  defHash: string;
  documentTime: number;
}

export function layoutUnit(settings: DocSettings, job: UnitJob): { pdf: TranscriptPdf; placements: [number, number][] } {
  const pdf = new TranscriptPdf(settings.def, settings.defHash, settings.documentTime, job.header);
  for (const [sha, data] of job.images) pdf.addImage(sha, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  const replies = new Map(job.replies);
  const placements: [number, number][] = [];
  for (const m of job.messages) placements.push([m.id, pdf.addMessage(m, m.replyTo === null ? null : (replies.get(m.replyTo) ?? { produced: false, sender: null, segments: [] }))]);
  return { pdf, placements };
}

export async function writeUnit(pdf: TranscriptPdf, bates: readonly string[], file: string): Promise<Written> {
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  const done = pipeline(pdf.doc, tap, fs.createWriteStream(file, { flags: 'wx' }));
  pdf.finish(bates);
  await done;
  return { sha256: hash.digest('hex'), size };
}

export interface Renderer {
  lay(job: UnitJob): Promise<Laid>;
  /** Stamps and writes the unit laid out by the lay() call number `task` (0-based, in call order). */
  write(task: number, bates: readonly string[], file: string): Promise<Written>;
  close(): Promise<void>;
}

class InThread implements Renderer {
  private readonly settings: DocSettings;
  private readonly laid = new Map<number, TranscriptPdf>();
  private next = 0;

  constructor(settings: DocSettings) {
    this.settings = settings;
  }

  async lay(job: UnitJob): Promise<Laid> {
    const { pdf, placements } = layoutUnit(this.settings, job);
    this.laid.set(this.next++, pdf);
    return { pages: pdf.pageCount, placements };
  }

  async write(task: number, bates: readonly string[], file: string): Promise<Written> {
    const pdf = this.laid.get(task)!;
    this.laid.delete(task);
    return writeUnit(pdf, bates, file);
  }

  async close(): Promise<void> {
    this.laid.clear();
  }
}

type Reply = { type: 'laid'; task: number; pages: number; placements: [number, number][] } | { type: 'written'; task: number; sha256: string; size: number } | { type: 'error'; task: number; message: string };

class Pool implements Renderer {
  private readonly workers: Worker[];
  private readonly owner = new Map<number, Worker>();
  private readonly load = new Map<Worker, number>();
  private readonly waiting = new Map<string, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private next = 0;
  private failed: Error | null = null;

  constructor(settings: DocSettings, n: number) {
    this.workers = Array.from({ length: n }, () => new Worker(workerUrl, { workerData: settings }));
    for (const w of this.workers) {
      this.load.set(w, 0);
      w.on('message', (r: Reply) => {
        if (r.type === 'error') {
          for (const key of [`lay:${r.task}`, `write:${r.task}`]) {
            const v = this.waiting.get(key);
            this.waiting.delete(key);
            v?.reject(new Error(r.message));
          }
          return;
        }
        const key = `${r.type === 'laid' ? 'lay' : 'write'}:${r.task}`;
        const v = this.waiting.get(key);
        this.waiting.delete(key);
        v?.resolve(r);
      });
      w.on('error', (err) => this.fail(err));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a PDF worker stopped (exit ${code})`));
      });
    }
  }

  private fail(err: Error): void {
    this.failed ??= err;
    for (const v of this.waiting.values()) v.reject(err);
    this.waiting.clear();
  }

  private ask(key: string, w: Worker, message: unknown): Promise<Reply> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<Reply>((resolve, reject) => {
      this.waiting.set(key, { resolve, reject });
      w.postMessage(message);
    });
  }

  async lay(job: UnitJob): Promise<Laid> {
    const task = this.next++;
    // The least busy worker; ties go to the first, so the assignment is the same on every run.
    const w = this.workers.reduce((a, b) => (this.load.get(b)! < this.load.get(a)! ? b : a));
    this.load.set(w, this.load.get(w)! + 1);
    this.owner.set(task, w);
    const r = await this.ask(`lay:${task}`, w, { type: 'lay', task, job });
    if (r.type !== 'laid') throw new Error('unexpected reply');
    return { pages: r.pages, placements: r.placements };
  }

  async write(task: number, bates: readonly string[], file: string): Promise<Written> {
    const w = this.owner.get(task)!;
    const r = await this.ask(`write:${task}`, w, { type: 'write', task, bates, file });
    this.owner.delete(task);
    this.load.set(w, this.load.get(w)! - 1);
    if (r.type !== 'written') throw new Error('unexpected reply');
    return { sha256: r.sha256, size: r.size };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

let workerUrl: URL = new URL('./render-worker.ts', import.meta.url);
/** Set by the Electron bundle, where the worker is a built file. */
export function setPdfWorkerUrl(url: URL): void {
  workerUrl = url;
}

export function makeRenderer(settings: DocSettings, units: number): Renderer {
  const n = Math.min(units, Math.max(1, os.availableParallelism()), 4);
  if (n < 2) return new InThread(settings);
  try {
    return new Pool(settings, n);
  } catch {
    return new InThread(settings);
  }
}
