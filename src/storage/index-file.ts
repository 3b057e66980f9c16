/**
 * What the offset index and the time index share: a file of fixed-size entries, held in memory
 * while in use and written out in bulk. As in Kafka the active segment's file is preallocated to
 * segment.index.bytes and trimmed to its entries when the segment rolls or closes; entries past
 * the recovery point reach the file on flush, roll and close only, because recovery rebuilds
 * them after a crash anyway. An inactive segment's entries are loaded on first use and may be
 * released again (`unload`), so memory follows what reads touch.
 *
 * The file is opened for each operation and closed after it (load, write-out, trim), never held:
 * those operations are rare, and a broker with tens of thousands of segments would otherwise
 * hold three descriptors for each (.log, .index, .timeindex) where Kafka holds one.
 */
import type { FileHandle, FileSystem, OpenMode } from '../common/fs.js';
import { CorruptIndexError } from './errors.js';

export abstract class IndexFile {
  protected buf: Buffer = Buffer.alloc(0);
  protected count = 0;
  /** Entries [0, writtenCount) are in the file as they are in memory. */
  private writtenCount = 0;
  private loaded = false;
  /** Between create()/open() and close(). */
  private isOpen = false;
  /** The first and last entries as read by open(), while the entries are not loaded. */
  private edges = new Map<number, Buffer>();
  /** Entries the index accepts before it is full (segment.index.bytes / entry size). */
  readonly maxEntries: number;

  constructor(
    readonly fs: FileSystem,
    readonly path: string,
    readonly baseOffset: bigint,
    maxIndexBytes: number,
    readonly entrySize: number,
  ) {
    this.maxEntries = Math.floor(maxIndexBytes / entrySize);
  }

  /** Creates a new, empty index file preallocated to its maximum size. */
  async create(): Promise<void> {
    await this.withFile((file) => file.truncate(this.maxEntries * this.entrySize), 'create', false);
    this.isOpen = true;
    this.loaded = true;
  }

  /** Opens an existing index file without reading it; its size must be a whole number of entries. */
  async open(): Promise<number> {
    const size = await this.withFile(async (file) => {
      const bytes = await file.size();
      // Loading checks the first and last entries of every index: read them now, in the same open.
      this.edges.clear();
      const count = Math.floor(bytes / this.entrySize);
      for (const index of count > 0 ? new Set([0, count - 1]) : []) this.edges.set(index, await file.read(index * this.entrySize, this.entrySize));
      return bytes;
    }, 'write', false);
    this.isOpen = true;
    if (size % this.entrySize !== 0) throw new CorruptIndexError(`${this.path}: size ${size} is not a multiple of ${this.entrySize}`);
    this.count = this.writtenCount = size / this.entrySize;
    return this.count;
  }

  /** Reads the entries into memory (once) and runs the index's sanity check on them. */
  async load(): Promise<void> {
    if (this.loaded) return;
    const bytes = await this.withFile((file) => file.read(0, this.count * this.entrySize));
    if (bytes.length !== this.count * this.entrySize) throw new CorruptIndexError(`${this.path}: short read`);
    this.buf = bytes;
    this.loaded = true;
    this.edges.clear();
    this.sanityCheck();
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  /** Forgets the in-memory entries of an index whose entries are all in its file. */
  unload(): void {
    if (this.loaded && this.writtenCount === this.count) {
      this.edges.clear();
      this.buf = Buffer.alloc(0);
      this.loaded = false;
    }
  }

  /** Reads one entry from the file, whether loaded or not (for the last entry at open). */
  protected async readEntry(index: number): Promise<Buffer> {
    if (this.loaded) return this.buf.subarray(index * this.entrySize, (index + 1) * this.entrySize);
    const edge = this.edges.get(index);
    if (edge) return edge;
    return this.withFile((file) => file.read(index * this.entrySize, this.entrySize));
  }

  get entries(): number {
    return this.count;
  }

  get isFull(): boolean {
    return this.count >= this.maxEntries;
  }

  /** Drops every entry, in memory; the file follows on the next write-out. */
  reset(): void {
    this.edges.clear();
    this.buf = Buffer.alloc(0);
    this.count = 0;
    this.writtenCount = 0;
    this.loaded = true;
  }

  protected entryAt(index: number): number {
    return index * this.entrySize;
  }

  /** Room for one more entry in memory; returns its byte position. */
  protected reserve(): number {
    const need = (this.count + 1) * this.entrySize;
    if (need > this.buf.length) {
      const grown = Buffer.alloc(Math.max(need, Math.min(this.buf.length * 2, this.maxEntries * this.entrySize), 64 * this.entrySize));
      this.buf.copy(grown, 0, 0, this.count * this.entrySize);
      this.buf = grown;
    }
    return this.count++ * this.entrySize;
  }

  /** `offset` relative to the base offset, as the int32 both index formats store. */
  protected relativeOffsetOf(offset: bigint): number {
    const relative = offset - this.baseOffset;
    if (relative < 0n || relative > 0x7fffffffn) throw new CorruptIndexError(`${this.path}: offset ${offset} outside the segment`);
    return Number(relative);
  }

  /** Keeps the first `count` entries. */
  protected truncateEntries(count: number): void {
    if (count >= this.count) return;
    this.edges.clear();
    this.count = count;
    this.writtenCount = Math.min(this.writtenCount, count);
  }

  /** Largest i with key(i) <= target, or -1 (keys increase). */
  protected floorIndex(target: bigint, key: (i: number) => bigint): number {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (key(mid) <= target) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Throws CorruptIndexError when the loaded entries are inconsistent. */
  protected abstract sanityCheck(): void;

  /** Opens the file for one operation and closes it after. */
  private async withFile<T>(run: (file: FileHandle) => Promise<T>, mode: OpenMode = 'write', mustBeOpen = true): Promise<T> {
    if (mustBeOpen && !this.isOpen) throw new CorruptIndexError(`${this.path}: not open`);
    const file = await this.fs.open(this.path, mode);
    try {
      return await run(file);
    } finally {
      await file.close();
    }
  }

  /** Writes entries not yet in the file. */
  async writeOut(): Promise<void> {
    if (this.writtenCount >= this.count || !this.loaded) return;
    const from = this.writtenCount;
    const to = this.count;
    await this.withFile((file) => file.write([this.buf.subarray(from * this.entrySize, to * this.entrySize)], from * this.entrySize));
    this.writtenCount = Math.max(this.writtenCount, to);
  }

  /** Writes out and fsyncs. */
  async flush(): Promise<void> {
    await this.writeOut();
    await this.withFile((file) => file.sync());
  }

  /** Writes out and cuts the file to its entries (on roll and close). */
  async trim(): Promise<void> {
    await this.writeOut();
    await this.withFile((file) => file.truncate(this.count * this.entrySize));
  }

  /** Grows the file back to its maximum size (a segment that becomes active again). */
  async preallocate(): Promise<void> {
    await this.withFile((file) => file.truncate(Math.max(this.maxEntries, this.count) * this.entrySize));
  }

  close(): Promise<void> {
    this.isOpen = false;
    return Promise.resolve();
  }
}
