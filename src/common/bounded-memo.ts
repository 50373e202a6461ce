// A small memo for pure functions of strings on hot paths (REST request heads, command method keys):
// at most `limit` entries, the oldest inserted entry evicted first; keys longer than `maxKeyLength` are
// computed every time and never kept, so memory stays bounded whatever the input.

export class BoundedMemo<V> {
  private readonly entries = new Map<string, V>();

  constructor(
    private readonly compute: (key: string) => V,
    private readonly limit = 256,
    private readonly maxKeyLength = 4096,
  ) {}

  get(key: string): V {
    const known = this.entries.get(key);
    if (known !== undefined) return known;
    const value = this.compute(key);
    if (key.length <= this.maxKeyLength) {
      if (this.entries.size >= this.limit) {
        const oldest = this.entries.keys().next();
        if (oldest.done !== true) this.entries.delete(oldest.value);
      }
      this.entries.set(key, value);
    }
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
