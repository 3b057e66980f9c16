/**
 * A segment's `.txnindex` (Kafka's TransactionIndex): one 34-byte entry per transaction aborted
 * by a marker in the segment — version int16 (0), producerId int64, firstOffset int64, lastOffset
 * int64 (the marker), lastStableOffset int64 — in marker order. The file is created with the
 * first entry. Entries are appended in memory when the marker gets its offset and reach the file
 * through the log's write queue; a finished segment's entries are read from the file when needed
 * and released with its other indexes. Like the other indexes of the active segment, the file is
 * fsynced with the segment, and rebuilt by recovery after an unclean stop.
 */
import { AssertionError } from '../common/errors.js';
import { type FileHandle, type FileSystem, unlinkIfExists } from '../common/fs.js';
import { CorruptIndexError } from './errors.js';
import type { AbortedTxn } from './transactions-api.js';

export const ABORTED_TXN_ENTRY_BYTES = 34;
const ABORTED_TXN_VERSION = 0;

export function encodeAbortedTxns(entries: readonly AbortedTxn[]): Buffer {
  const buf = Buffer.alloc(entries.length * ABORTED_TXN_ENTRY_BYTES);
  let at = 0;
  for (const e of entries) {
    at = buf.writeInt16BE(ABORTED_TXN_VERSION, at);
    at = buf.writeBigInt64BE(e.producerId, at);
    at = buf.writeBigInt64BE(e.firstOffset, at);
    at = buf.writeBigInt64BE(e.lastOffset, at);
    at = buf.writeBigInt64BE(e.lastStableOffset, at);
  }
  return buf;
}

/** Reads a `.txnindex`; CorruptIndexError when its size, a version or the offsets are impossible for the segment at `baseOffset`. */
export function decodeAbortedTxns(buf: Buffer, baseOffset: bigint, path: string): AbortedTxn[] {
  if (buf.length % ABORTED_TXN_ENTRY_BYTES !== 0) throw new CorruptIndexError(`${path}: ${buf.length} bytes is not a whole number of entries`);
  const entries: AbortedTxn[] = [];
  let previousLast = baseOffset - 1n;
  for (let at = 0; at < buf.length; at += ABORTED_TXN_ENTRY_BYTES) {
    const version = buf.readInt16BE(at);
    const entry = {
      producerId: buf.readBigInt64BE(at + 2),
      firstOffset: buf.readBigInt64BE(at + 10),
      lastOffset: buf.readBigInt64BE(at + 18),
      lastStableOffset: buf.readBigInt64BE(at + 26),
    };
    if (version !== ABORTED_TXN_VERSION || entry.producerId < 0n || entry.firstOffset < 0n || entry.firstOffset >= entry.lastOffset || entry.lastOffset <= previousLast) {
      throw new CorruptIndexError(`${path}: entry ${at / ABORTED_TXN_ENTRY_BYTES} is not a valid aborted transaction`);
    }
    previousLast = entry.lastOffset;
    entries.push(entry);
  }
  return entries;
}

export class TransactionIndex {
  private handle: FileHandle | null = null;
  /** The entries, or null when they are only on disk. */
  private entries: AbortedTxn[] | null = [];
  /** How many entries the file holds. */
  private written = 0;
  private unsynced = false;
  /** The file exists (it is created with the first entry). */
  private hasFile = false;

  constructor(
    private readonly fs: FileSystem,
    private readonly pathOf: () => string,
    readonly baseOffset: bigint,
    /** Called when the file is created: its directory entry needs an fsync. */
    private readonly onCreate: () => void,
  ) {}

  get path(): string {
    return this.pathOf();
  }

  get fileExists(): boolean {
    return this.hasFile;
  }

  /** True when the segment has no aborted transaction at all (no I/O needed to know). */
  get isEmpty(): boolean {
    return !this.hasFile && this.entries !== null && this.entries.length === 0;
  }

  /** At load: the segment has a `.txnindex` on disk, read when first needed. */
  attachFile(): void {
    this.hasFile = true;
    this.entries = null;
  }

  private async file(): Promise<FileHandle> {
    this.handle ??= await this.fs.open(this.path, this.hasFile ? 'write' : 'create');
    return this.handle;
  }

  /** The entries, read from the file when they are not in memory. */
  async load(): Promise<readonly AbortedTxn[]> {
    if (this.entries === null) {
      const handle = await this.file();
      this.entries = decodeAbortedTxns(await handle.read(0, await handle.size()), this.baseOffset, this.path);
      this.written = this.entries.length;
    }
    return this.entries;
  }

  /** Adds an entry in memory (the marker just got its offset); writePending puts it in the file. */
  append(entry: AbortedTxn): void {
    if (this.entries === null) throw new AssertionError(`${this.path}: append to an index that is not loaded`);
    this.entries.push(entry);
  }

  /** Writes the entries appended since the last write, creating the file with the first. */
  async writePending(): Promise<void> {
    const entries = this.entries;
    if (entries === null || this.written === entries.length) return;
    const created = !this.hasFile;
    const handle = await this.file();
    if (created) {
      this.hasFile = true;
      this.onCreate();
    }
    const count = entries.length;
    await handle.write([encodeAbortedTxns(entries.slice(this.written, count))], this.written * ABORTED_TXN_ENTRY_BYTES);
    this.written = count;
    this.unsynced = true;
  }

  /**
   * Adds to `out` the entries overlapping [fetchOffset, upperBoundOffset); true when an entry's
   * last stable offset reaches the bound, so later segments cannot hold more (Kafka's
   * collectAbortedTxns).
   */
  async collect(fetchOffset: bigint, upperBoundOffset: bigint, out: AbortedTxn[]): Promise<boolean> {
    if (this.isEmpty) return false;
    for (const e of await this.load()) {
      if (e.lastOffset >= fetchOffset && e.firstOffset < upperBoundOffset) out.push(e);
      if (e.lastStableOffset >= upperBoundOffset) return true;
    }
    return false;
  }

  /** Removes the entries whose marker is at or after `offset` (the segment was truncated there). */
  async truncateTo(offset: bigint): Promise<void> {
    if (this.isEmpty) return;
    const entries = await this.load();
    const kept = entries.filter((e) => e.lastOffset < offset);
    if (kept.length === entries.length) return;
    this.entries = kept;
    await (await this.file()).truncate(kept.length * ABORTED_TXN_ENTRY_BYTES);
    this.written = kept.length;
    this.unsynced = true;
  }

  /** Recovery: the file rewritten with `entries` (removed when there are none) and fsynced. */
  async replace(entries: readonly AbortedTxn[]): Promise<void> {
    this.entries = [...entries];
    if (entries.length === 0) {
      await this.close();
      if (this.hasFile) await unlinkIfExists(this.fs, this.path);
      this.hasFile = false;
      this.written = 0;
      return;
    }
    const created = !this.hasFile;
    const handle = await this.file();
    if (created) {
      this.hasFile = true;
      this.onCreate();
    }
    await handle.truncate(0);
    await handle.write([encodeAbortedTxns(entries)], 0);
    await handle.sync();
    this.written = entries.length;
    this.unsynced = false;
  }

  /** fsync of what was written. */
  async flush(): Promise<void> {
    if (!this.unsynced || !this.handle) return;
    this.unsynced = false;
    await this.handle.sync();
  }

  /** Releases the in-memory entries when everything is in the file. */
  unload(): void {
    if (this.hasFile && this.entries !== null && this.written === this.entries.length) this.entries = null;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }
}
