/**
 * The cleaner's key → last offset map over a log's dirty section (Kafka's SkimpyOffsetMap): keys
 * are kept as their MD5 digest, so an entry costs a fixed amount whatever the key's size, and the
 * map holds at most as many entries as log.cleaner.dedupe.buffer.size allows (24 bytes an entry
 * at Kafka's 0.9 load factor). Like Kafka, a digest collision is taken as the same key.
 */
import { createHash } from 'node:crypto';

/** Kafka's bytes per entry: a 16-byte MD5 digest and an 8-byte offset. */
export const OFFSET_MAP_ENTRY_BYTES = 24;
/** log.cleaner.io.buffer.load.factor's default. */
export const OFFSET_MAP_LOAD_FACTOR = 0.9;

export class CleanerOffsetMap {
  private readonly offsets = new Map<string, bigint>();
  /** Largest offset put so far, -1 when empty. */
  latestOffset = -1n;
  readonly capacity: number;

  constructor(dedupeBufferBytes: number) {
    this.capacity = Math.max(1, Math.floor((dedupeBufferBytes * OFFSET_MAP_LOAD_FACTOR) / OFFSET_MAP_ENTRY_BYTES));
  }

  private static digest(key: Buffer): string {
    return createHash('md5').update(key).digest().toString('latin1');
  }

  get size(): number {
    return this.offsets.size;
  }

  /** False when a new key would not fit (the map is full); a key already present always fits. */
  canPut(key: Buffer): boolean {
    return this.offsets.size < this.capacity || this.offsets.has(CleanerOffsetMap.digest(key));
  }

  /** Records `offset` as the latest for `key`; false (and nothing stored) when the map is full. */
  put(key: Buffer, offset: bigint): boolean {
    const digest = CleanerOffsetMap.digest(key);
    if (this.offsets.size >= this.capacity && !this.offsets.has(digest)) return false;
    this.offsets.set(digest, offset);
    if (offset > this.latestOffset) this.latestOffset = offset;
    return true;
  }

  /** The latest offset of `key`, or -1 when the map does not hold it. */
  get(key: Buffer): bigint {
    return this.offsets.get(CleanerOffsetMap.digest(key)) ?? -1n;
  }

  clear(): void {
    this.offsets.clear();
    this.latestOffset = -1n;
  }
}
