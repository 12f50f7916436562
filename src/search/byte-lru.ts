/**
 * A least-recently-used cache bounded by bytes: what the search keeps between queries (decoded
 * position lists, common words' position bitmaps, slot bitmaps) without growing past its budget.
 */
export class ByteLru<K, V> {
  private readonly entries = new Map<K, { value: V; bytes: number }>();
  private held = 0;
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** The value kept for `key`, now the most recently used; undefined when none is. */
  get(key: K): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value;
  }

  /** Keeps `value` (`bytes` large), dropping the least recently used others while over the limit. */
  set(key: K, value: V, bytes: number): void {
    const old = this.entries.get(key);
    if (old) this.held -= old.bytes;
    this.entries.delete(key);
    this.entries.set(key, { value, bytes });
    this.held += bytes;
    for (const [k, v] of this.entries) {
      if (this.held <= this.limit || k === key) break;
      this.entries.delete(k);
      this.held -= v.bytes;
    }
  }

  clear(): void {
    this.entries.clear();
    this.held = 0;
  }
}
