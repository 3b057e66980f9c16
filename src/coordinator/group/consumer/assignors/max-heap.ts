/** A binary max-heap of (key, index) pairs; ties pop the lower index first. */
export class MaxHeap {
  private readonly keys: number[] = [];
  private readonly indexes: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  push(key: number, index: number): void {
    this.keys.push(key);
    this.indexes.push(index);
    let i = this.keys.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** The top pair, removed; undefined when empty. */
  pop(): [key: number, index: number] | undefined {
    if (this.keys.length === 0) return undefined;
    const top: [number, number] = [this.keys[0]!, this.indexes[0]!];
    const lastKey = this.keys.pop()!;
    const lastIndex = this.indexes.pop()!;
    if (this.keys.length > 0) {
      this.keys[0] = lastKey;
      this.indexes[0] = lastIndex;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < this.keys.length && this.before(l, best)) best = l;
        if (r < this.keys.length && this.before(r, best)) best = r;
        if (best === i) break;
        this.swap(i, best);
        i = best;
      }
    }
    return top;
  }

  private before(a: number, b: number): boolean {
    return this.keys[a]! > this.keys[b]! || (this.keys[a] === this.keys[b] && this.indexes[a]! < this.indexes[b]!);
  }

  private swap(a: number, b: number): void {
    [this.keys[a], this.keys[b]] = [this.keys[b]!, this.keys[a]!];
    [this.indexes[a], this.indexes[b]] = [this.indexes[b]!, this.indexes[a]!];
  }
}
