/** A least-recently-used map bounded by the bytes of its values (and their keys); 0 bytes keeps nothing. */
export class ByteLru {
  private entries = new Map<string, Buffer>();
  private used = 0;

  constructor(private readonly maxBytes: number) {}

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): Buffer | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    // Re-inserted: a Map iterates in insertion order, so the first key is always the least recently used.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: Buffer): void {
    const cost = costOf(key, value);
    if (cost > this.maxBytes) return;
    this.delete(key);
    this.entries.set(key, value);
    this.used += cost;
    for (const [oldest, old] of this.entries) {
      if (this.used <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.used -= costOf(oldest, old);
    }
  }

  delete(key: string): void {
    const old = this.entries.get(key);
    if (old === undefined) return;
    this.entries.delete(key);
    this.used -= costOf(key, old);
  }
}

const costOf = (key: string, value: Buffer) => value.length + key.length * 2;
