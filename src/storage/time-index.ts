/**
 * The time index (`.timeindex`): 12-byte entries of int64 timestamp and int32 offset relative to
 * the segment's base offset. Each entry is the largest timestamp seen so far in the segment and
 * the offset of the batch that carried it, so timestamps strictly increase. The last entry holds
 * the segment's largest timestamp once it rolls (retention reads it after a restart).
 */
import type { FileSystem } from '../common/fs.js';
import { CorruptIndexError } from './errors.js';
import { IndexFile } from './index-file.js';

export const TIME_INDEX_ENTRY_SIZE = 12;
/** Kafka's "no timestamp" (RecordBatch.NO_TIMESTAMP). */
export const NO_TIMESTAMP = -1n;

export interface TimestampOffset {
  timestamp: bigint;
  offset: bigint;
}

export class TimeIndex extends IndexFile {
  constructor(fs: FileSystem, path: string, baseOffset: bigint, maxIndexBytes: number) {
    super(fs, path, baseOffset, maxIndexBytes, TIME_INDEX_ENTRY_SIZE);
  }

  private timestampAt(i: number): bigint {
    return this.buf.readBigInt64BE(this.entryAt(i));
  }

  private relativeOffset(i: number): number {
    return this.buf.readInt32BE(this.entryAt(i) + 8);
  }

  private entry(i: number): TimestampOffset {
    return { timestamp: this.timestampAt(i), offset: this.baseOffset + BigInt(this.relativeOffset(i)) };
  }

  /** The last entry, or (NO_TIMESTAMP, baseOffset) when empty. Needs the index loaded. */
  get lastEntry(): TimestampOffset {
    return this.count === 0 ? { timestamp: NO_TIMESTAMP, offset: this.baseOffset } : this.entry(this.count - 1);
  }

  /**
   * Adds (timestamp, offset) when the timestamp is larger than the last entry's (so never
   * NO_TIMESTAMP). A full index
   * takes no more entries unless `skipFullCheck` (the final entry written on roll and close).
   */
  maybeAppend(timestamp: bigint, offset: bigint, skipFullCheck = false): boolean {
    if (this.isFull && !skipFullCheck) return false;
    const last = this.lastEntry;
    if (timestamp <= last.timestamp || (this.count > 0 && offset < last.offset)) return false;
    const relative = this.relativeOffsetOf(offset);
    const at = this.reserve();
    this.buf.writeBigInt64BE(timestamp, at);
    this.buf.writeInt32BE(relative, at + 8);
    return true;
  }

  /** The last entry whose timestamp is <= `target`, or (NO_TIMESTAMP, baseOffset). Needs the index loaded. */
  lookup(target: bigint): TimestampOffset {
    const i = this.floorIndex(target, (j) => this.timestampAt(j));
    return i < 0 ? { timestamp: NO_TIMESTAMP, offset: this.baseOffset } : this.entry(i);
  }

  /** Removes the entries whose offset is >= `offset`. */
  truncateTo(offset: bigint): void {
    this.truncateEntries(this.floorIndex(offset - 1n, (j) => this.entry(j).offset) + 1);
  }

  /** Reads entry `i` from the file, loaded or not (the loader's cheap checks at open). */
  async readEntryAt(i: number): Promise<TimestampOffset | null> {
    if (i < 0 || i >= this.count) return null;
    const entry = await this.readEntry(i);
    return { timestamp: entry.readBigInt64BE(0), offset: this.baseOffset + BigInt(entry.readInt32BE(8)) };
  }

  /** Timestamps strictly increasing, offsets not decreasing and not below the base. */
  protected sanityCheck(): void {
    let lastTimestamp: bigint | null = null;
    let lastRelative = 0;
    for (let i = 0; i < this.count; i++) {
      const timestamp = this.timestampAt(i);
      const relative = this.relativeOffset(i);
      if ((lastTimestamp !== null && timestamp <= lastTimestamp) || relative < lastRelative) {
        throw new CorruptIndexError(`${this.path}: entry ${i} (${timestamp}, ${relative}) does not increase`);
      }
      lastTimestamp = timestamp;
      lastRelative = relative;
    }
  }
}
