/**
 * One log segment: `<base>.log` holding batches exactly as appended, with its sparse `.index`
 * and `.timeindex`, and its `.txnindex` of aborted transactions (created with the first one). The segment's bookkeeping (size, next offset, index entries, largest
 * timestamp) changes synchronously when the log assigns an append to it; the bytes reach the
 * file later through the log's write queue, and `writtenSize` says how far they have.
 */
import { type FileHandle, type FileSystem, unlinkIfExists } from '../common/fs.js';
import { findBatchAtOffset, type BatchInfo } from './file-batches.js';
import { INDEX_FILE_SUFFIX, LOG_FILE_SUFFIX, DELETED_FILE_SUFFIX, segmentFilePath, TIME_INDEX_FILE_SUFFIX, TXN_INDEX_FILE_SUFFIX } from './names.js';
import { OffsetIndex } from './offset-index.js';
import { NO_TIMESTAMP, TimeIndex } from './time-index.js';
import { TransactionIndex } from './txn-index.js';

const SEGMENT_SUFFIXES = [LOG_FILE_SUFFIX, INDEX_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX, TXN_INDEX_FILE_SUFFIX];

export interface SegmentSettings {
  fs: FileSystem;
  dir: string;
  baseOffset: bigint;
  /** segment.index.bytes at the segment's creation. */
  indexBytes: number;
  indexIntervalBytes: number;
  /** When the segment object was made (segment.ms counts from here when batches carry no timestamps). */
  createdMs: number;
  rollJitterMs: number;
}

/** The part of a batch's header the segment keeps track of. */
export type BatchSummary = Pick<BatchInfo, 'size' | 'lastOffset' | 'maxTimestamp'>;

export interface RollCheck {
  appendBytes: number;
  maxTimestamp: bigint;
  lastOffset: bigint;
  nowMs: number;
  segmentBytes: number;
  segmentMs: number;
}

export class LogSegment {
  readonly fs: FileSystem;
  readonly dir: string;
  readonly baseOffset: bigint;
  readonly offsetIndex: OffsetIndex;
  readonly timeIndex: TimeIndex;
  readonly txnIndex: TransactionIndex;
  readonly createdMs: number;
  readonly rollJitterMs: number;
  indexIntervalBytes: number;
  private logFile: FileHandle | null = null;
  private suffix = '';
  /** Bytes assigned to the segment (queued writes included), and bytes known to be in the file. */
  size = 0;
  writtenSize = 0;
  /** One past the last offset assigned to the segment (exact for the active segment). */
  nextOffset: bigint;
  /** Largest batch maxTimestamp in the segment (-1 when none) and the last offset of its batch. */
  maxTimestampSoFar = NO_TIMESTAMP;
  offsetOfMaxTimestampSoFar: bigint;
  /** maxTimestamp of the first batch: what segment.ms measures from (Kafka's rollingBasedTimestamp). */
  firstBatchMaxTimestamp: bigint | null = null;
  lastModifiedMs: number;
  private bytesSinceLastIndexEntry = 0;
  /** Files created but their directory entries maybe not yet synced. */
  needsDirSync = false;
  /** No longer active: final time index entry written and indexes trimmed. */
  finished = false;
  /** Finished, then log and indexes fsynced: nothing of it is left to flush. */
  flushedFully = false;
  deleted = false;
  /** When a lookup last used the indexes (a log-wide counter), to release the least used. */
  indexUse = 0;
  private static useCounter = 0;

  constructor(s: SegmentSettings) {
    this.fs = s.fs;
    this.dir = s.dir;
    this.baseOffset = s.baseOffset;
    this.offsetIndex = new OffsetIndex(s.fs, this.path(INDEX_FILE_SUFFIX), s.baseOffset, s.indexBytes);
    this.timeIndex = new TimeIndex(s.fs, this.path(TIME_INDEX_FILE_SUFFIX), s.baseOffset, s.indexBytes);
    this.txnIndex = new TransactionIndex(s.fs, () => this.path(TXN_INDEX_FILE_SUFFIX), s.baseOffset, () => void (this.needsDirSync = true));
    this.indexIntervalBytes = s.indexIntervalBytes;
    this.createdMs = s.createdMs;
    this.lastModifiedMs = s.createdMs;
    this.rollJitterMs = s.rollJitterMs;
    this.nextOffset = s.baseOffset;
    this.offsetOfMaxTimestampSoFar = s.baseOffset;
  }

  path(suffix: string): string {
    return segmentFilePath(this.dir, this.baseOffset, suffix + this.suffix);
  }

  /** Creates the three files of a new segment, the indexes preallocated. */
  async createFiles(): Promise<void> {
    this.needsDirSync = true;
    this.logFile = await this.fs.open(this.path(LOG_FILE_SUFFIX), 'create');
    await this.logFile.truncate(0);
    await this.offsetIndex.create();
    await this.timeIndex.create();
  }

  /** Opens the `.log` of an existing segment; the indexes are opened by the loader. */
  async openLog(): Promise<void> {
    this.logFile = await this.fs.open(this.path(LOG_FILE_SUFFIX), 'write');
    this.size = this.writtenSize = await this.logFile.size();
    this.lastModifiedMs = (await this.fs.stat(this.path(LOG_FILE_SUFFIX)))?.mtimeMs ?? this.createdMs;
  }

  get log(): FileHandle {
    if (!this.logFile) throw new Error(`segment ${this.baseOffset} of ${this.dir} is not open`);
    return this.logFile;
  }

  /** The bookkeeping of one batch at `position`: index entries every index.interval.bytes, as Kafka's recovery does. */
  trackBatch(batch: BatchSummary, position: number): void {
    if (batch.maxTimestamp > this.maxTimestampSoFar) {
      this.maxTimestampSoFar = batch.maxTimestamp;
      this.offsetOfMaxTimestampSoFar = batch.lastOffset;
    }
    if (this.firstBatchMaxTimestamp === null) this.firstBatchMaxTimestamp = batch.maxTimestamp;
    if (this.bytesSinceLastIndexEntry > this.indexIntervalBytes) {
      this.offsetIndex.append(batch.lastOffset, position);
      this.timeIndex.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestampSoFar);
      this.bytesSinceLastIndexEntry = 0;
    }
    this.bytesSinceLastIndexEntry += batch.size;
    if (batch.lastOffset >= this.nextOffset) this.nextOffset = batch.lastOffset + 1n;
  }

  /** Assigns batches (already given their offsets) to the end of the segment; returns their position. */
  assign(batches: readonly BatchSummary[], nowMs: number): number {
    const position = this.size;
    for (const batch of batches) {
      this.trackBatch(batch, this.size);
      this.size += batch.size;
    }
    this.lastModifiedMs = nowMs;
    return position;
  }

  /** Forgets the bookkeeping before recovery rebuilds it from the file. */
  resetTracking(): void {
    this.offsetIndex.reset();
    this.timeIndex.reset();
    this.maxTimestampSoFar = NO_TIMESTAMP;
    this.offsetOfMaxTimestampSoFar = this.baseOffset;
    this.firstBatchMaxTimestamp = null;
    this.bytesSinceLastIndexEntry = 0;
    this.nextOffset = this.baseOffset;
  }

  /** Kafka's LogSegment.shouldRoll. */
  shouldRoll(c: RollCheck): boolean {
    const first = this.firstBatchMaxTimestamp;
    const waited = first !== null && first >= 0n ? Number(c.maxTimestamp - first) : c.nowMs - this.createdMs;
    const reachedRollMs = waited > c.segmentMs - this.rollJitterMs;
    return (
      this.size > c.segmentBytes - c.appendBytes ||
      (this.size > 0 && reachedRollMs) ||
      this.offsetIndex.isFull ||
      this.timeIndex.isFull ||
      c.lastOffset - this.baseOffset > 0x7fffffffn
    );
  }

  /** The segment's retention timestamp: the largest batch timestamp, else the file's mtime. */
  get largestTimestamp(): number {
    return this.maxTimestampSoFar >= 0n ? Number(this.maxTimestampSoFar) : this.lastModifiedMs;
  }

  get isOpen(): boolean {
    return this.logFile !== null;
  }

  async loadIndexes(): Promise<void> {
    await this.offsetIndex.load();
    await this.timeIndex.load();
  }

  /**
   * Runs `lookup` with both indexes loaded, in the same turn as the check (an index may be
   * released between turns).
   */
  async withIndexes<T>(lookup: () => T): Promise<T> {
    while (!this.offsetIndex.isLoaded || !this.timeIndex.isLoaded) await this.loadIndexes();
    this.indexUse = ++LogSegment.useCounter;
    return lookup();
  }

  /** Releases the in-memory entries of a finished segment's indexes. */
  unloadIndexes(): void {
    if (!this.finished) return;
    this.offsetIndex.unload();
    this.timeIndex.unload();
    this.txnIndex.unload();
  }

  /** The batch holding `target` (or the next one), searching written bytes from the index's hint. */
  async translateOffset(target: bigint): Promise<BatchInfo | null> {
    const start = await this.withIndexes(() => this.offsetIndex.lookup(target).position);
    return findBatchAtOffset(this.log, start, this.writtenSize, target);
  }

  /** Reads up to `length` written bytes from `position`. */
  async read(position: number, length: number, allocate?: (size: number) => Buffer): Promise<Buffer> {
    const size = Math.max(0, Math.min(length, this.writtenSize - position));
    return this.log.read(position, size, allocate?.(size));
  }

  /** fsync of the log and its indexes. */
  async flush(): Promise<void> {
    await this.log.sync();
    await this.offsetIndex.flush();
    await this.timeIndex.flush();
    await this.txnIndex.flush();
  }

  /** On roll and close: the final time index entry, indexes cut to their entries. */
  async finishIndexes(): Promise<void> {
    if (this.maxTimestampSoFar >= 0n) this.timeIndex.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestampSoFar, true);
    await this.offsetIndex.trim();
    await this.timeIndex.trim();
    this.finished = true;
  }

  /** A finished segment becomes active again (truncation): indexes back to full size, aborted transactions in memory. */
  async reactivate(): Promise<void> {
    this.finished = false;
    this.flushedFully = false;
    await this.offsetIndex.preallocate();
    await this.timeIndex.preallocate();
    await this.txnIndex.load();
  }

  /**
   * Renames the files to `*.deleted`; open handles keep working for reads in flight. The cleaner's
   * swap keeps the `.txnindex` where it is: the cleaned segment has the same offsets and takes it.
   */
  async renameForDeletion(keepTxnIndex = false): Promise<void> {
    this.deleted = true;
    for (const s of SEGMENT_SUFFIXES) {
      if (keepTxnIndex && s === TXN_INDEX_FILE_SUFFIX) continue;
      if (await this.fs.stat(this.path(s))) await this.fs.rename(this.path(s), segmentFilePath(this.dir, this.baseOffset, s + DELETED_FILE_SUFFIX));
    }
    this.suffix = DELETED_FILE_SUFFIX;
  }

  /** Closes the files and removes them (under their current names). */
  async deleteFiles(): Promise<void> {
    this.deleted = true;
    await this.close();
    for (const s of SEGMENT_SUFFIXES) await unlinkIfExists(this.fs, this.path(s));
  }

  async close(): Promise<void> {
    const log = this.logFile;
    this.logFile = null;
    await log?.close();
    await this.offsetIndex.close();
    await this.timeIndex.close();
    await this.txnIndex.close();
  }
}
