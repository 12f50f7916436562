/** What every format writer gets: the definition, the selection, the output folder, Bates, and the run's plumbing. */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { HoldfastError } from '../api/errors.ts';
import type { CaseSession } from '../case/session.ts';
import type { BatesCounter } from './bates.ts';
import type { ConversationCache } from './data.ts';
import type { ProductionOutput } from './output.ts';
import type { Selection } from './select.ts';
import type { ProductionDefinition } from './types.ts';

export interface WriterContext {
  session: CaseSession;
  def: ProductionDefinition;
  defHash: string;
  selection: Selection;
  /** The time in document metadata (PDF dates, zip entries): the production's, or the fixed date it was given. */
  documentTime: number;
  /** Attachments produced as natives with their own Bates numbers (writers count them). */
  attachments: number;
  output: ProductionOutput;
  bates: BatesCounter;
  conversations: ConversationCache;
  items: ItemLedger;
  /** Call often: reports progress, lets cancellation in, and throws CANCELLED once it has arrived. */
  tick(done: number): Promise<void>;
}

export type FormatWriter = (ctx: WriterContext) => Promise<void>;

/**
 * Where each produced message landed (its Bates number and file), recorded in selection order —
 * every writer walks the selection in order — and kept in flat arrays so a million items stay small.
 */
export class ItemLedger {
  private readonly ids: readonly number[];
  private readonly bates: (string | null)[];
  private readonly fileIndex: Int32Array;
  private readonly files: string[] = [];
  private readonly fileIds = new Map<string, number>();
  private cursor = 0;

  constructor(ids: readonly number[]) {
    this.ids = ids;
    this.bates = new Array<string | null>(ids.length).fill(null);
    this.fileIndex = new Int32Array(ids.length).fill(-1);
  }

  place(messageId: number, bates: string | null, file: string | null): void {
    // Writers that skip nothing place in order; find forward otherwise (a privilege log per unit).
    while (this.cursor < this.ids.length && this.ids[this.cursor] !== messageId) this.cursor++;
    if (this.cursor >= this.ids.length) throw new Error(`message ${messageId} placed out of selection order`);
    this.bates[this.cursor] = bates;
    if (file !== null) {
      let f = this.fileIds.get(file);
      if (f === undefined) {
        f = this.files.length;
        this.files.push(file);
        this.fileIds.set(file, f);
      }
      this.fileIndex[this.cursor] = f;
    }
    this.cursor++;
  }

  *entries(): Generator<{ messageId: number; bates: string | null; file: string | null }> {
    for (let i = 0; i < this.ids.length; i++) {
      const f = this.fileIndex[i]!;
      yield { messageId: this.ids[i]!, bates: this.bates[i] ?? null, file: f >= 0 ? this.files[f]! : null };
    }
  }
}

export function makeTick(signal: AbortSignal, report: (done: number) => void, what: string): (done: number) => Promise<void> {
  let last = 0;
  return async (done: number) => {
    const now = Date.now();
    if (now - last < 50 && !signal.aborted) return;
    last = now;
    report(done);
    await yieldToLoop();
    if (signal.aborted) throw new HoldfastError('CANCELLED', `The ${what} production was cancelled; nothing was written.`);
  };
}
