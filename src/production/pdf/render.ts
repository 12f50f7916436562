/**
 * Transcripts of large productions are laid out in worker threads, one unit per task, because
 * shaping and drawing text is where a PDF production spends its time and the machine has more
 * than one core (small productions stay in this thread: see POOL_MIN_MESSAGES). A unit's messages
 * go to its worker batch by batch as the coordinator reads them, so layout starts with the first
 * batch rather than after the whole unit has been read. Bates numbers run across files, so a
 * worker lays a unit out, reports its page count, and stamps the footers and writes the file only
 * when the coordinator has numbered every earlier unit. Without workers (a small production, one
 * unit, or a host that cannot start them) the same steps run in this thread.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ProducedMessage } from '../data.ts';
import type { ProductionDefinition } from '../types.ts';
import { TranscriptPdf } from './transcript.ts';
import type { ReplyInfo, TranscriptHeader } from './transcript.ts';

/** The next messages of a unit, in order, with the quoted parents and thumbnails they need that earlier batches did not carry. */
export interface UnitBatch {
  messages: ProducedMessage[];
  replies: [number, ReplyInfo][];
  images: [string, Uint8Array][];
}

export interface Laid {
  pages: number;
  /** Collected attachments shown, each needing its own Bates number after the pages. */
  attachments: number;
  /** [message id, index of the page it starts on], in message order. */
  placements: [number, number][];
}

export interface Written {
  sha256: string;
  size: number;
}

export interface DocSettings {
  def: ProductionDefinition;
  documentTime: number;
}

/** One unit being laid out, batch by batch. */
export class UnitLayout {
  readonly pdf: TranscriptPdf;
  readonly placements: [number, number][] = [];
  private readonly replies = new Map<number, ReplyInfo>();

  constructor(settings: DocSettings, header: TranscriptHeader) {
    this.pdf = new TranscriptPdf(settings.def, settings.documentTime, header);
  }

  add(batch: UnitBatch): void {
    for (const [sha, data] of batch.images) this.pdf.addImage(sha, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    for (const [id, info] of batch.replies) this.replies.set(id, info);
    for (const m of batch.messages) {
      const reply = m.replyTo === null ? null : (this.replies.get(m.replyTo) ?? { produced: false, sender: null, segments: [] });
      this.placements.push([m.id, this.pdf.addMessage(m, reply)]);
    }
  }

  get laid(): Laid {
    return { pages: this.pdf.pageCount, attachments: this.pdf.attachmentCount, placements: this.placements };
  }
}

export async function writeUnit(pdf: TranscriptPdf, bates: readonly string[], attachments: readonly string[], file: string): Promise<Written> {
  const bytes = pdf.finish(bates, attachments);
  await fs.promises.writeFile(file, bytes, { flag: 'wx' });
  return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

export interface Renderer {
  /** Starts a unit; returns its task number (0-based, in call order). */
  begin(header: TranscriptHeader): number;
  /** The unit's next messages. */
  add(task: number, batch: UnitBatch): void;
  /** No more messages for the unit: resolves when it is laid out. */
  end(task: number): Promise<Laid>;
  /** Stamps and writes the unit laid out as task `task`: a Bates number per page and per attachment. */
  write(task: number, bates: readonly string[], attachments: readonly string[], file: string): Promise<Written>;
  close(): Promise<void>;
}

class InThread implements Renderer {
  private readonly settings: DocSettings;
  private readonly units = new Map<number, UnitLayout>();
  private next = 0;

  constructor(settings: DocSettings) {
    this.settings = settings;
  }

  begin(header: TranscriptHeader): number {
    const task = this.next++;
    this.units.set(task, new UnitLayout(this.settings, header));
    return task;
  }

  add(task: number, batch: UnitBatch): void {
    this.units.get(task)!.add(batch);
  }

  async end(task: number): Promise<Laid> {
    return this.units.get(task)!.laid;
  }

  async write(task: number, bates: readonly string[], attachments: readonly string[], file: string): Promise<Written> {
    const unit = this.units.get(task)!;
    this.units.delete(task);
    return writeUnit(unit.pdf, bates, attachments, file);
  }

  async close(): Promise<void> {
    this.units.clear();
  }
}

type Reply = { type: 'laid'; task: number; pages: number; attachments: number; placements: [number, number][] } | { type: 'written'; task: number; sha256: string; size: number } | { type: 'error'; task: number; message: string };

class Pool implements Renderer {
  private readonly workers: Worker[];
  private readonly owner = new Map<number, { worker: Worker; messages: number }>();
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

  begin(header: TranscriptHeader): number {
    const task = this.next++;
    // The worker with the fewest messages still to lay out and write; ties go to the first.
    const w = this.workers.reduce((a, b) => (this.load.get(b)! < this.load.get(a)! ? b : a));
    this.load.set(w, this.load.get(w)! + header.messages);
    this.owner.set(task, { worker: w, messages: header.messages });
    if (!this.failed) w.postMessage({ type: 'begin', task, header });
    return task;
  }

  add(task: number, batch: UnitBatch): void {
    if (!this.failed) this.owner.get(task)!.worker.postMessage({ type: 'add', task, batch });
  }

  async end(task: number): Promise<Laid> {
    const r = await this.ask(`lay:${task}`, this.owner.get(task)!.worker, { type: 'end', task });
    if (r.type !== 'laid') throw new Error('unexpected reply');
    return { pages: r.pages, attachments: r.attachments, placements: r.placements };
  }

  async write(task: number, bates: readonly string[], attachments: readonly string[], file: string): Promise<Written> {
    const { worker: w, messages } = this.owner.get(task)!;
    const r = await this.ask(`write:${task}`, w, { type: 'write', task, bates, attachments, file });
    this.owner.delete(task);
    this.load.set(w, this.load.get(w)! - messages);
    if (r.type !== 'written') throw new Error('unexpected reply');
    return { sha256: r.sha256, size: r.size };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** The Electron build rewrites this URL to the bundled worker (scripts/bundles.ts). */
const workerUrl = new URL('./render-worker.ts', import.meta.url);

/**
 * A layout worker costs about a second of CPU before it lays anything out — starting its isolate,
 * loading pdfkit and fontkit, and fontkit decoding each face's tables and lookups on first use —
 * while this thread has all of that done after its first unit. Measured on 2 cores, a 10,000-message
 * production is faster in this thread (about 1.7–2.0 s against 2.1–3.2 s with two workers) and takes
 * a third less CPU; from about twice that, laying units out in parallel pays.
 */
export const POOL_MIN_MESSAGES = 20_000;

/** A renderer for `units` transcripts holding `messages` messages in all. */
export function makeRenderer(settings: DocSettings, units: number, messages: number, poolMinMessages = POOL_MIN_MESSAGES): Renderer {
  const n = messages < poolMinMessages ? 1 : Math.min(units, Math.max(1, os.availableParallelism()), 4);
  if (n < 2) return new InThread(settings);
  try {
    return new Pool(settings, n);
  } catch {
    return new InThread(settings);
  }
}
