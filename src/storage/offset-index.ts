/**
 * The sparse offset index (`.index`): 8-byte entries of int32 offset relative to the segment's
 * base offset and int32 byte position in the `.log` file, both strictly increasing. An entry
 * (offset, position) says the batch whose last offset is `offset` starts at `position`, so a
 * lookup of any offset >= it may start scanning there.
 */
import type { FileSystem } from '../common/fs.js';
import { CorruptIndexError } from './errors.js';
import { IndexFile } from './index-file.js';

export const OFFSET_INDEX_ENTRY_SIZE = 8;

export interface OffsetPosition {
  offset: bigint;
  position: number;
}

export class OffsetIndex extends IndexFile {
  constructor(fs: FileSystem, path: string, baseOffset: bigint, maxIndexBytes: number) {
    super(fs, path, baseOffset, maxIndexBytes, OFFSET_INDEX_ENTRY_SIZE);
  }

  private relativeOffset(i: number): number {
    return this.buf.readInt32BE(this.entryAt(i));
  }

  private position(i: number): number {
    return this.buf.readInt32BE(this.entryAt(i) + 4);
  }

  private offsetAt(i: number): bigint {
    return this.baseOffset + BigInt(this.relativeOffset(i));
  }

  /** The offset of the last entry, or the base offset when empty. */
  get lastOffset(): bigint {
    return this.count === 0 ? this.baseOffset : this.offsetAt(this.count - 1);
  }

  /**
   * Adds an entry; offsets and positions must increase. Returns false (adding nothing) when the
   * index is full: a sparse index stays correct with fewer entries.
   */
  append(offset: bigint, position: number): boolean {
    if (this.isFull) return false;
    const relative = this.relativeOffsetOf(offset);
    if (this.count > 0 && (offset <= this.lastOffset || position <= this.position(this.count - 1))) {
      throw new CorruptIndexError(`${this.path}: entry (${offset}, ${position}) does not follow the last one`);
    }
    const at = this.reserve();
    this.buf.writeInt32BE(relative, at);
    this.buf.writeInt32BE(position, at + 4);
    return true;
  }

  /** The last entry whose offset is <= `target`, or (baseOffset, 0). Needs the index loaded. */
  lookup(target: bigint): OffsetPosition {
    const i = this.floorIndex(target, (j) => this.offsetAt(j));
    return i < 0 ? { offset: this.baseOffset, position: 0 } : { offset: this.offsetAt(i), position: this.position(i) };
  }

  /** Removes the entries whose offset is >= `offset`. */
  truncateTo(offset: bigint): void {
    const i = this.floorIndex(offset - 1n, (j) => this.offsetAt(j));
    this.truncateEntries(i + 1);
  }

  /** Reads entry `i` from the file, loaded or not (the loader's cheap checks at open). */
  async readEntryAt(i: number): Promise<OffsetPosition | null> {
    if (i < 0 || i >= this.count) return null;
    const entry = await this.readEntry(i);
    return { offset: this.baseOffset + BigInt(entry.readInt32BE(0)), position: entry.readInt32BE(4) };
  }

  /** Offsets and positions strictly increasing and not negative (what a torn or zeroed file breaks). */
  protected sanityCheck(): void {
    let lastRelative = -1;
    let lastPosition = -1;
    for (let i = 0; i < this.count; i++) {
      const relative = this.relativeOffset(i);
      const position = this.position(i);
      if (relative <= lastRelative || position <= lastPosition) {
        throw new CorruptIndexError(`${this.path}: entry ${i} (${relative}, ${position}) does not increase`);
      }
      lastRelative = relative;
      lastPosition = position;
    }
  }
}
