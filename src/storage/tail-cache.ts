/**
 * The most recent appends of a partition, kept in memory so consumers and followers reading near
 * the end are served without touching the file. It holds whole batches, contiguous up to the log
 * end offset, and at most `maxBytes` of them: the oldest go first.
 */
import { batchesIn } from './file-batches.js';

interface CachedBatch {
  baseOffset: bigint;
  lastOffset: bigint;
  bytes: Buffer;
}

export class TailCache {
  private batches: CachedBatch[] = [];
  private head = 0;
  private size = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes held. */
  get sizeBytes(): number {
    return this.size;
  }

  /** The base offset of the oldest batch held, or null when empty. */
  get firstOffset(): bigint | null {
    return this.head < this.batches.length ? this.batches[this.head]!.baseOffset : null;
  }

  /**
   * Adds the batches of one write, which must follow the last batch held (the log calls this for
   * every write, in order). Keeps the newest batches that fit.
   */
  add(data: Buffer): void {
    if (this.maxBytes <= 0) return;
    const incoming = batchesIn(data);
    let from = 0;
    let incomingSize = data.length;
    while (from < incoming.length && incomingSize > this.maxBytes) incomingSize -= incoming[from++]!.bytes.length;
    if (from > 0) this.clear();
    for (let i = from; i < incoming.length; i++) {
      const { info, bytes } = incoming[i]!;
      this.batches.push({ baseOffset: info.baseOffset, lastOffset: info.lastOffset, bytes });
      this.size += bytes.length;
    }
    while (this.size > this.maxBytes && this.head < this.batches.length) this.size -= this.batches[this.head++]!.bytes.length;
    if (this.head > 1024 && this.head * 2 > this.batches.length) {
      this.batches = this.batches.slice(this.head);
      this.head = 0;
    }
  }

  /** Drops the batches whose last offset is >= `offset` (the log was truncated). */
  truncateFrom(offset: bigint): void {
    while (this.batches.length > this.head && this.batches[this.batches.length - 1]!.lastOffset >= offset) {
      this.size -= this.batches.pop()!.bytes.length;
    }
  }

  clear(): void {
    this.batches = [];
    this.head = 0;
    this.size = 0;
  }

  /**
   * The batches from the one holding `fetchOffset`, up to `maxBytes` (the first one whole when
   * `minOneBatch`), stopping before a batch that reaches `maxOffset`; null when `fetchOffset` is
   * older than the cache.
   */
  read(fetchOffset: bigint, maxBytes: number, minOneBatch: boolean, maxOffset: bigint): Buffer | null {
    const first = this.firstOffset;
    if (first === null || fetchOffset < first) return null;
    let lo = this.head;
    let hi = this.batches.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.batches[mid]!.lastOffset < fetchOffset) lo = mid + 1;
      else hi = mid;
    }
    const out: Buffer[] = [];
    let total = 0;
    for (let i = lo; i < this.batches.length; i++) {
      const batch = this.batches[i]!;
      if (batch.lastOffset >= maxOffset) break;
      if (total + batch.bytes.length > maxBytes && !(out.length === 0 && minOneBatch)) break;
      out.push(batch.bytes);
      total += batch.bytes.length;
    }
    return out.length === 1 ? out[0]! : Buffer.concat(out, total);
  }
}
