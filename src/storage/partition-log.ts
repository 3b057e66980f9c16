/**
 * A partition's log, `<log.dir>/<topic>-<partition>/`: opened (and recovered) from disk, then
 * appended to and read (log-core.ts, log-transactions.ts), and changed structurally here:
 * retention, deleteRecords, truncation for replication, close and delete. Structural changes run
 * alone (appends wait), and deleted segments go through `.deleted` files removed after
 * file.delete.delay.ms. Producer-state snapshots follow: the state is loaded at open (and after
 * a truncation) by producer-state-load.ts, written at close, and old snapshots go with retention
 * and after recovery-point checkpoints.
 */
import { dirname, join } from 'node:path';
import { type Clock, systemClock } from '../common/clock.js';
import type { FileSystem } from '../common/fs.js';
import { type Random, systemRandom } from '../common/random.js';
import { type LogConfig, validateLogConfig } from './config.js';
import { type KafkaStorageError, OffsetOutOfRangeError } from './errors.js';
import { loadLog } from './log-load.js';
import { LogTransactions } from './log-transactions.js';
import { floorSegmentIndex } from './log-read.js';
import { deletableSegments } from './log-retention.js';
import { deleteDirName, type TopicPartition } from './names.js';
import { encodeProducerSnapshot } from './producer-snapshot.js';
import { loadProducerState, type ProducerStateSource, reloadProducerState } from './producer-state-load.js';
import type { LogSegment } from './segment.js';
import { truncateSegment } from './segment-recovery.js';

export interface PartitionLogOptions {
  fs: FileSystem;
  /** The partition's directory, `<log.dir>/<topic>-<partition>` (created when missing). */
  dir: string;
  topicPartition: TopicPartition;
  config: LogConfig;
  clock?: Clock;
  random?: Random;
  /** From recovery-point-offset-checkpoint; recovery re-validates from here after an unclean stop. */
  recoveryPoint?: bigint;
  /** From log-start-offset-checkpoint, when it has the partition. */
  logStartOffset?: bigint | null;
  /** The log dir held `.kafka_cleanshutdown`: trust the files, skip recovery. */
  hadCleanShutdown?: boolean;
  /** Bytes of recent appends kept in memory for reads (default 1 MiB; 0 disables). */
  tailCacheBytes?: number;
  /** Appends wait while this many bytes are queued unwritten (default 64 MiB). */
  maxPendingBytes?: number;
  /** producer.id.expiration.ms (default 86400000): see removeExpiredProducers. */
  producerIdExpirationMs?: number;
  /** Called once when an I/O error takes the log offline. */
  onFailure?: (err: KafkaStorageError) => void;
  onWarning?: (message: string) => void;
  /** Awaited after a truncation lowered the recovery point: write the checkpoint file there. */
  onRecoveryPointLowered?: () => Promise<void>;
}

/** producer.id.expiration.ms's default: one day. */
export const DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000;

export class PartitionLog extends LogTransactions {
  private pendingDeletes: Array<{ dueMs: number; segment: LogSegment }> = [];
  private closing: Promise<void> | null = null;
  private readonly warn: (message: string) => void;
  private readonly onRecoveryPointLowered: () => Promise<void>;

  private constructor(o: PartitionLogOptions, clock: Clock, random: Random) {
    const { fs, dir, topicPartition, config } = o;
    const tailCacheBytes = o.tailCacheBytes ?? 1024 * 1024;
    const maxPendingBytes = o.maxPendingBytes ?? 64 * 1024 * 1024;
    const producerIdExpirationMs = o.producerIdExpirationMs ?? DEFAULT_PRODUCER_ID_EXPIRATION_MS;
    super({ fs, clock, random, dir, topicPartition, config, tailCacheBytes, maxPendingBytes, producerIdExpirationMs, onFailure: o.onFailure ?? (() => {}) });
    this.warn = o.onWarning ?? (() => {});
    this.onRecoveryPointLowered = o.onRecoveryPointLowered ?? (async () => {});
  }

  /** Opens the partition's log, creating its directory or recovering it as needed. */
  static async open(o: PartitionLogOptions): Promise<PartitionLog> {
    validateLogConfig(o.config);
    const clock = o.clock ?? systemClock;
    const random = o.random ?? systemRandom;
    const log = new PartitionLog(o, clock, random);
    const loaded = await loadLog({
      fs: o.fs,
      dir: o.dir,
      config: o.config,
      nowMs: clock.nowMs(),
      randomInt: (n) => random.int(n),
      recoveryPoint: o.recoveryPoint ?? 0n,
      logStartOffset: o.logStartOffset ?? null,
      hadCleanShutdown: o.hadCleanShutdown ?? false,
      warn: log.warn,
    });
    log.segments = loaded.segments;
    for (const s of loaded.segments.slice(0, -1)) s.finished = s.flushedFully = true;
    log.nextOffset = log.endOffset = log.flushedOffset = loaded.logEndOffset;
    log.startOffset = log.hw = loaded.logStartOffset;
    log.recovery = loaded.recoveryPoint;
    await loadProducerState(log.producerStateSource(), {
      hadCleanShutdown: o.hadCleanShutdown ?? false,
      recoveryPoint: o.recoveryPoint ?? 0n,
      recoveredFrom: loaded.recoveredFrom,
    });
    return log;
  }

  private producerStateSource(): ProducerStateSource {
    return {
      fs: this.fs,
      dir: this.dir,
      segments: this.segments,
      logEndOffset: this.endOffset,
      producers: this.producers,
      snapshots: this.snapshots,
      nowMs: this.clock.nowMs(),
      producerIdExpirationMs: this.producerIdExpirationMs,
      warn: this.warn,
    };
  }

  /**
   * After the recovery point checkpoint was written with `recoveryPoint`: deletes the snapshots
   * below both the segment before the recovery point's and the segment before the active one
   * (Kafka keeps those for recovery and for truncations near the end).
   */
  async deleteSnapshotsAfterRecoveryPointCheckpoint(recoveryPoint: bigint): Promise<void> {
    if (this.state !== 'open' || this.failure) return;
    const segments = this.segments;
    const lowerBase = (offset: bigint): bigint => {
      const i = floorSegmentIndex(segments, offset - 1n);
      return i >= 0 ? segments[i]!.baseOffset : offset;
    };
    const activeBase = segments[segments.length - 1]!.baseOffset;
    const fromRecoveryPoint = lowerBase(recoveryPoint);
    const fromActive = lowerBase(activeBase);
    await this.storage(this.snapshots.deleteBelow(fromRecoveryPoint < fromActive ? fromRecoveryPoint : fromActive));
  }

  /** Retention: deletes the segments that deletableSegments picks; returns how many. */
  async deleteOldSegments(nowMs: number = this.clock.nowMs()): Promise<number> {
    if (this.state !== 'open' || this.failure) return 0;
    return this.exclusive(async () => {
      if (this.state !== 'open' || this.failure) return 0;
      const view = { segments: this.segments, logStartOffset: this.startOffset, logEndOffset: this.endOffset, highWatermark: this.hw };
      const { count } = deletableSegments(view, this.cfg, nowMs);
      if (count === 0) return 0;
      if (count === this.segments.length) {
        this.rollTo(this.nextOffset);
        await this.storage(this.queue.drain());
      }
      const doomed = this.segments.slice(0, count);
      this.segments = this.segments.slice(count);
      if (this.startOffset < this.segments[0]!.baseOffset) this.startOffset = this.segments[0]!.baseOffset;
      if (this.hw < this.startOffset) this.hw = this.startOffset;
      await this.storage(this.retire(doomed, nowMs));
      await this.storage(this.snapshots.deleteBelow(this.segments[0]!.baseOffset));
      return count;
    });
  }

  /** DeleteRecords: moves the log start offset up to `offset` (at most the high watermark) and deletes the segments below it. */
  async deleteRecordsBefore(offset: bigint): Promise<bigint> {
    this.ensureWritable();
    if (offset < 0n || offset > this.hw) {
      throw new OffsetOutOfRangeError(`cannot move the log start offset of ${this.dir} to ${offset}: high watermark is ${this.hw}`);
    }
    if (offset > this.startOffset) this.startOffset = offset;
    await this.deleteOldSegments();
    return this.startOffset;
  }

  /** Renames deleted segments to `.deleted` and removes them now or after file.delete.delay.ms. */
  private async retire(doomed: readonly LogSegment[], nowMs: number): Promise<void> {
    for (const segment of doomed) await segment.renameForDeletion();
    for (const segment of doomed) {
      if (this.cfg.fileDeleteDelayMs === 0) await segment.deleteFiles();
      else this.pendingDeletes.push({ dueMs: nowMs + this.cfg.fileDeleteDelayMs, segment });
    }
  }

  /** Removes the `.deleted` files whose delay has passed. */
  async deleteDueFiles(nowMs: number = this.clock.nowMs()): Promise<void> {
    const due = this.pendingDeletes.filter((d) => d.dueMs <= nowMs);
    if (due.length === 0) return;
    this.pendingDeletes = this.pendingDeletes.filter((d) => d.dueMs > nowMs);
    for (const { segment } of due) await this.storage(segment.deleteFiles());
  }

  /** Removes every offset >= `offset` (a follower diverging from its leader); false when nothing was past it. */
  async truncateTo(offset: bigint): Promise<boolean> {
    if (offset < 0n) throw new OffsetOutOfRangeError(`cannot truncate ${this.dir} to ${offset}`);
    this.ensureWritable();
    return this.exclusive(async () => {
      this.ensureWritable();
      if (offset >= this.endOffset) return false;
      this.tail.truncateFrom(offset);
      if (offset < this.segments[0]!.baseOffset) await this.storage(this.startAt(offset));
      else await this.storage(this.truncateInPlace(offset));
      await this.storage(reloadProducerState(this.producerStateSource()));
      await this.afterTruncation();
      return true;
    });
  }

  /** Deletes everything and starts empty at `offset` (log start, end and high watermark all there). */
  async truncateFullyAndStartAt(offset: bigint): Promise<void> {
    this.ensureWritable();
    await this.exclusive(async () => {
      this.ensureWritable();
      await this.storage(this.startAt(offset));
      await this.afterTruncation();
    });
  }

  private async truncateInPlace(offset: bigint): Promise<void> {
    const keep = floorSegmentIndex(this.segments, offset) + 1;
    const doomed = this.segments.slice(keep);
    this.segments = this.segments.slice(0, keep);
    await this.retire(doomed, this.clock.nowMs());
    // The removed segments must not come back after a crash: they hold the diverging offsets.
    if (doomed.length > 0) await this.fs.syncDir(this.dir);
    const active = this.active;
    const wasFinished = active.finished;
    await truncateSegment(active, offset);
    if (wasFinished) await active.reactivate();
    await active.log.sync();
    this.nextOffset = this.endOffset = active.nextOffset;
  }

  private async startAt(offset: bigint): Promise<void> {
    const doomed = this.segments;
    await this.retire(doomed, this.clock.nowMs());
    const fresh = this.newSegment(offset);
    await fresh.createFiles();
    this.segments = [fresh];
    await this.fs.syncDir(this.dir);
    fresh.needsDirSync = false;
    this.nextOffset = this.endOffset = this.startOffset = this.hw = offset;
    this.recovery = this.flushedOffset = offset;
    this.tail.clear();
    await this.snapshots.deleteWhere(() => true);
    this.producers.clear();
  }

  private async afterTruncation(): Promise<void> {
    this.truncations++;
    const end = this.endOffset;
    if (this.startOffset > end) this.startOffset = end;
    if (this.hw > end) this.hw = end;
    if (this.flushedOffset > end) this.flushedOffset = end;
    this.tail.truncateFrom(end);
    if (this.recovery > end) this.recovery = end;
    await this.onRecoveryPointLowered();
  }

  /** Flushes everything (indexes trimmed, the final time index entry written) and closes the files. */
  close(): Promise<void> {
    this.closing ??= this.exclusive(async () => {
      if (this.state !== 'open') return;
      this.state = 'closing';
      if (!this.failure) {
        try {
          await this.active.finishIndexes();
          for (const s of this.segments.slice(Math.max(0, floorSegmentIndex(this.segments, this.recovery)))) {
            if (!s.flushedFully) await s.flush();
            s.flushedFully = true;
          }
          if (this.segments.some((s) => s.needsDirSync)) await this.fs.syncDir(this.dir);
          const empty = this.endOffset === this.segments[0]!.baseOffset && this.producers.size === 0;
          if (!empty && (this.producers.changedSinceSnapshot || !this.snapshots.has(this.endOffset))) {
            await this.snapshots.write(this.endOffset, encodeProducerSnapshot(this.producers.snapshotEntries()));
          }
          this.recovery = this.flushedOffset = this.endOffset;
        } catch (err) {
          this.fail(err);
        }
      }
      await this.closeFiles();
    });
    return this.closing;
  }

  /** Closes the files and removes the directory: renamed to `<topic>-<partition>.<uuid>-delete` first, as Kafka does. */
  async delete(): Promise<void> {
    await this.exclusive(async () => {
      if (this.state !== 'closed') {
        this.state = 'closing';
        await this.closeFiles();
      }
      const parent = dirname(this.dir);
      const renamed = join(parent, deleteDirName(this.topicPartition));
      await this.fs.rename(this.dir, renamed);
      await this.fs.syncDir(parent);
      await this.fs.removeTree(renamed);
    });
  }

  private async closeFiles(): Promise<void> {
    const all = [...this.segments, ...this.pendingDeletes.map((d) => d.segment)];
    const pending = this.pendingDeletes;
    this.pendingDeletes = [];
    for (const s of all) await s.close().catch(() => {});
    for (const { segment } of pending) await segment.deleteFiles().catch(() => {});
    this.tail.clear();
    this.state = 'closed';
  }
}
