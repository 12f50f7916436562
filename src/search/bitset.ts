/** The set bits of a 32-bit word. */
export function bitCount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/**
 * Sets the bit of each of `ids` in `words` (a bitmap over ids or token positions). Typed arrays
 * only: fed FlexSearch's plain arrays too, its loop was slower for both.
 */
export function setIds(words: Uint32Array, ids: Uint32Array): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    words[id >>> 5]! |= 1 << (id & 31);
  }
}

const NO_ROOM = new Uint32Array(0);

/** A set of message ids as bits: the exact-total engine of the evaluator (AND/OR/NOT are word operations). */
export class Bitset {
  readonly words: Uint32Array;

  constructor(size: number, words?: Uint32Array) {
    this.words = words ?? new Uint32Array((size >>> 5) + 1);
  }

  add(id: number): void {
    this.words[id >>> 5]! |= 1 << (id & 31);
  }

  delete(id: number): void {
    this.words[id >>> 5]! &= ~(1 << (id & 31));
  }

  has(id: number): boolean {
    const w = id >>> 5;
    return w < this.words.length && (this.words[w]! & (1 << (id & 31))) !== 0;
  }

  clone(): Bitset {
    return new Bitset(0, this.words.slice());
  }

  /** this ∩= other (other may be shorter: missing words count as empty). */
  and(other: Bitset): this {
    const a = this.words;
    const b = other.words;
    const n = Math.min(a.length, b.length);
    // One loop, nothing after it: code optimised mid-loop (on-stack replacement) that then reaches
    // statements it has no type feedback for is thrown away again, on every call.
    for (let i = 0; i < a.length; i++) a[i] = i < n ? a[i]! & b[i]! : 0;
    return this;
  }

  or(other: Bitset): this {
    const a = this.words;
    const b = other.words;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) a[i]! |= b[i]!;
    return this;
  }

  andNot(other: Bitset): this {
    const a = this.words;
    const b = other.words;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) a[i]! &= ~b[i]!;
    return this;
  }

  count(): number {
    return this.collect(NO_ROOM);
  }

  /**
   * How many members the set has, the first `out.length` of them written to `out`, ascending: one
   * pass for a query with few matches, whose ranking reads them all (past the room, words are only
   * counted). Four words at a time, skipped at once when all are zero: a query's matches are often
   * a few thousand ids spread over a million (`kickback w/3 money`: 1.5k of 31k words are not zero).
   */
  collect(out: Uint32Array): number {
    const words = this.words;
    const len = words.length;
    const room = out.length;
    let n = 0;
    for (let i = 0; i < len; i += 4) {
      if (i + 3 < len) {
        if ((words[i]! | words[i + 1]! | words[i + 2]! | words[i + 3]!) === 0) continue;
        if (n >= room) {
          n += bitCount(words[i]!) + bitCount(words[i + 1]!) + bitCount(words[i + 2]!) + bitCount(words[i + 3]!);
          continue;
        }
      }
      const end = Math.min(i + 4, len);
      for (let j = i; j < end; j++) {
        let v = words[j]!;
        while (v !== 0) {
          const bit = v & -v;
          if (n < room) out[n] = (j << 5) + (31 - Math.clz32(bit));
          n++;
          v ^= bit;
        }
      }
    }
    return n;
  }

  isEmpty(): boolean {
    const a = this.words;
    for (let i = 0; i < a.length; i++) if (a[i] !== 0) return false;
    return true;
  }

  /** Calls fn for every member, ascending. */
  forEach(fn: (id: number) => void): void {
    const a = this.words;
    for (let i = 0; i < a.length; i++) {
      let v = a[i]!;
      while (v !== 0) {
        const bit = v & -v;
        fn((i << 5) + (31 - Math.clz32(bit)));
        v ^= bit;
      }
    }
  }

  toArray(): number[] {
    const out: number[] = [];
    this.forEach((id) => out.push(id));
    return out;
  }
}

/**
 * Bitsets for one query, carved from buffers kept from query to query. At a million messages a
 * query needs a few dozen sets of 125 KB; allocating them afresh each time (external memory) made
 * V8 run full collections of the index's ~90 MB heap every few dozen queries — a 10-50 ms pause
 * that lands in some query's p95. Everything taken is handed back at once by reset(), when the
 * query is done; no set may outlive it.
 */
export class BitsetArena {
  /** Words per set: sized for ids up to the index's maxId when the arena was made. */
  readonly words: number;
  private readonly blocks: Uint32Array[] = [];
  private used = 0;

  constructor(size: number) {
    this.words = (size >>> 5) + 1;
  }

  /** An empty set (a fresh one beyond MAX_KEPT sets in one query: those are not kept). */
  take(): Bitset {
    if (this.used === this.blocks.length) {
      if (this.blocks.length >= BitsetArena.MAX_KEPT) return new Bitset(0, new Uint32Array(this.words));
      this.blocks.push(new Uint32Array(this.words));
    } else {
      this.blocks[this.used]!.fill(0);
    }
    return new Bitset(0, this.blocks[this.used++]!);
  }

  reset(): void {
    this.used = 0;
  }

  static readonly MAX_KEPT = 64;
}
