/**
 * Large buffers handed back once their bytes are no longer needed, so the next buffer of that
 * size is memory the process has already touched. A fresh large allocation costs page faults on
 * first write, and garbage collection later; on a small VM a copy into fresh memory runs about
 * ten times slower than one into reused memory. Buffers come in power-of-two sizes; only what
 * is released comes back, and at most `maxPooledBytes` wait here, so memory stays bounded.
 */
export class BufferRecycler {
  private readonly free = new Map<number, Buffer[]>();
  private pooledBytes = 0;

  constructor(
    readonly maxPooledBytes: number,
    /** Smaller requests are plain allocations (Node's own pool serves them well). */
    readonly minBytes = 64 * 1024,
    /** Larger requests are plain allocations too: rare, and costly to keep. */
    readonly maxBytes = 16 * 1024 * 1024,
  ) {}

  /** Bytes waiting to be reused. */
  get sizeBytes(): number {
    return this.pooledBytes;
  }

  /** Whether `size` is served from the pool (else acquire is a plain allocation). */
  pools(size: number): boolean {
    return size >= this.minBytes && size <= this.maxBytes;
  }

  /**
   * A buffer of at least `size` bytes (exactly a power of two when pooled), contents undefined.
   * Hand the buffer itself, not a slice of it, to release().
   */
  acquire(size: number): Buffer {
    if (!this.pools(size)) return Buffer.allocUnsafe(size);
    const capacity = classOf(size);
    const list = this.free.get(capacity);
    const reused = list?.pop();
    if (reused) {
      this.pooledBytes -= capacity;
      return reused;
    }
    return Buffer.allocUnsafeSlow(capacity);
  }

  /** Gives back a buffer from acquire() whose bytes nobody reads any more. */
  release(buffer: Buffer): void {
    const capacity = buffer.length;
    if (!this.pools(capacity) || capacity !== classOf(capacity) || buffer.byteOffset !== 0 || buffer.buffer.byteLength !== capacity) return;
    if (this.pooledBytes + capacity > this.maxPooledBytes) return;
    let list = this.free.get(capacity);
    if (!list) this.free.set(capacity, (list = []));
    list.push(buffer);
    this.pooledBytes += capacity;
  }
}

function classOf(size: number): number {
  return 2 ** Math.ceil(Math.log2(size));
}
