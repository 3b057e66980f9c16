/**
 * The state every part of a partition log shares: segments, the offsets (log start, log end,
 * high watermark, recovery point), the producer state and its snapshot files, the tail cache,
 * the write queue, the flusher, and how the log fails (one I/O error takes it offline; later
 * calls get KAFKA_STORAGE_ERROR).
 */
import type { Clock } from '../common/clock.js';
import type { FileSystem } from '../common/fs.js';
import type { Random } from '../common/random.js';
import type { LogConfig } from './config.js';
import { KafkaStorageError } from './errors.js';
import { flushSegments } from './log-flush.js';
import type { TopicPartition } from './names.js';
import { ProducerSnapshots } from './producer-snapshots.js';
import { ProducerStateManager } from './producer-state.js';
import type { LogSegment } from './segment.js';
import { TailCache } from './tail-cache.js';
import { GroupFlush } from './group-flush.js';
import { WriteQueue } from './write-queue.js';

/** How long after a read near the end the tail cache keeps taking copies of new writes. */
const TAIL_READERS_WINDOW_MS = 30_000;

export interface LogStateSettings {
  fs: FileSystem;
  clock: Clock;
  random: Random;
  dir: string;
  topicPartition: TopicPartition;
  config: LogConfig;
  tailCacheBytes: number;
  /** Appends wait while this many bytes are queued and unwritten. */
  maxPendingBytes: number;
  /** producer.id.expiration.ms: idle producers are forgotten after this long. */
  producerIdExpirationMs: number;
  onFailure: (err: KafkaStorageError) => void;
}

export class LogState {
  readonly dir: string;
  readonly topicPartition: TopicPartition;
  protected readonly fs: FileSystem;
  protected readonly clock: Clock;
  protected readonly random: Random;
  protected cfg: LogConfig;
  protected segments: LogSegment[] = [];
  /** One past the last offset assigned (appends still queued included). */
  protected nextOffset = 0n;
  protected endOffset = 0n;
  protected startOffset = 0n;
  protected hw = 0n;
  protected recovery = 0n;
  /** Everything below is fsynced (data; indexes only below the recovery point). */
  protected flushedOffset = 0n;
  protected lastFlushMs: number;
  /**
   * When a read last asked for the newest batches (at or past the tail cache's first offset).
   * Writes are copied into the tail cache only while such readers are about: the copy costs
   * about a fifth of the broker's produce CPU, and with nobody tailing it serves nothing.
   */
  protected tailReadAtMs = Number.NEGATIVE_INFINITY;
  protected latestEpoch = -1;
  /** Bumped by every truncation, so a flush that raced one does not move the recovery point. */
  protected truncations = 0;
  protected readonly tail: TailCache;
  protected readonly queue: WriteQueue;
  protected readonly flusher: GroupFlush;
  protected readonly maxPendingBytes: number;
  protected readonly producers = new ProducerStateManager();
  protected readonly snapshots: ProducerSnapshots;
  protected readonly producerIdExpirationMs: number;
  /** Set while a structural change runs; appends wait on it. */
  protected barrier: Promise<void> | null = null;
  protected failure: KafkaStorageError | null = null;
  protected state: 'open' | 'closing' | 'closed' = 'open';
  protected readonly background = new Set<Promise<unknown>>();
  private readonly onFailure: (err: KafkaStorageError) => void;

  protected constructor(s: LogStateSettings) {
    this.fs = s.fs;
    this.clock = s.clock;
    this.random = s.random;
    this.dir = s.dir;
    this.topicPartition = s.topicPartition;
    this.cfg = s.config;
    this.tail = new TailCache(s.tailCacheBytes);
    this.maxPendingBytes = s.maxPendingBytes;
    this.snapshots = new ProducerSnapshots(s.fs, s.dir);
    this.producerIdExpirationMs = s.producerIdExpirationMs;
    this.onFailure = s.onFailure;
    this.lastFlushMs = s.clock.nowMs();
    this.queue = new WriteQueue(
      {
        onWritten: (segment, end, data, lastOffset) => {
          segment.writtenSize = end;
          this.endOffset = lastOffset + 1n;
          // Written without a copy: the tail would have a gap, so it starts again with the next copy.
          if (data) this.tail.add(data);
          else this.tail.clear();
        },
        onFailure: (err) => this.fail(err),
      },
      () => this.tail.maxBytes > 0 && this.clock.monotonicMs() - this.tailReadAtMs < TAIL_READERS_WINDOW_MS,
    );
    this.flusher = new GroupFlush(() => this.flushOnce());
  }

  get config(): LogConfig {
    return this.cfg;
  }
  /** The first offset a consumer may fetch. */
  get logStartOffset(): bigint {
    return this.startOffset;
  }
  /** One past the last offset written (appends still queued are not counted). */
  get logEndOffset(): bigint {
    return this.endOffset;
  }
  /** Set by the broker (updateHighWatermark); consumers read below it. */
  get highWatermark(): bigint {
    return this.hw;
  }
  /** Everything below is fsynced with its indexes; recovery re-validates from here. */
  get recoveryPoint(): bigint {
    return this.recovery;
  }
  /** Bytes in all segments. */
  get size(): number {
    return this.segments.reduce((sum, s) => sum + s.size, 0);
  }
  get segmentBaseOffsets(): bigint[] {
    return this.segments.map((s) => s.baseOffset);
  }
  /** True once an I/O error took the log offline. */
  get isOffline(): boolean {
    return this.failure !== null;
  }
  /** The segment list now (copy-on-write: a caller may keep it while the log moves on). */
  get currentSegments(): readonly LogSegment[] {
    return this.segments;
  }

  /**
   * The cleaner's swap: runs `change` alone (see exclusive) on the current segment list; it
   * returns the new list, or null to leave the log as it is. False when the log is not open.
   */
  async swapSegments(change: (segments: readonly LogSegment[]) => Promise<LogSegment[] | null>): Promise<boolean> {
    if (this.state !== 'open' || this.failure) return false;
    return this.exclusive(async () => {
      if (this.state !== 'open' || this.failure) return false;
      const next = await this.storage(change(this.segments));
      if (!next) return false;
      this.segments = next;
      // The tail cache may hold batches of the swapped segments: reads go to the new files.
      this.tail.clear();
      return true;
    });
  }

  protected get active(): LogSegment {
    return this.segments[this.segments.length - 1]!;
  }

  /** One flush (see flushSegments); raises the recovery point unless a truncation raced it. */
  private async flushOnce(): Promise<void> {
    this.ensureWritable();
    const target = this.endOffset;
    const truncations = this.truncations;
    const recoveryLimit = await this.storage(flushSegments(this.fs, this.dir, this.segments, this.recovery, target));
    if (truncations !== this.truncations) return;
    if (recoveryLimit > this.recovery) this.recovery = recoveryLimit;
    if (target > this.flushedOffset) this.flushedOffset = target;
    this.lastFlushMs = this.clock.nowMs();
  }

  /** Takes the log offline after an I/O error; every later call fails with KAFKA_STORAGE_ERROR. */
  protected fail(err: unknown): void {
    if (this.failure) return;
    const message = err instanceof Error ? err.message : String(err);
    this.failure = new KafkaStorageError(`log ${this.dir} is offline: ${message}`, { cause: err });
    this.onFailure(this.failure);
  }

  /** Awaits an I/O promise, turning its failure into the log's KafkaStorageError. */
  protected async storage<T>(p: Promise<T>): Promise<T> {
    try {
      return await p;
    } catch (err) {
      this.fail(err);
      throw this.failure ?? err;
    }
  }

  /** Keeps a background promise (roll steps, roll flushes) for close to wait on. */
  protected track(p: Promise<unknown>): void {
    const settled: Promise<void> = p.then(
      () => void this.background.delete(settled),
      () => void this.background.delete(settled),
    );
    this.background.add(settled);
  }

  protected ensureReadable(): void {
    if (this.failure) throw this.failure;
    if (this.state === 'closed') throw new KafkaStorageError(`log ${this.dir} is closed`);
  }

  protected ensureWritable(): void {
    this.ensureReadable();
    if (this.state !== 'open') throw new KafkaStorageError(`log ${this.dir} is closing`);
  }

  /**
   * Runs a structural change alone: appends wait, queued writes, background steps and flushes
   * finish first. An I/O error inside takes the log offline.
   */
  protected async exclusive<T>(change: () => Promise<T>): Promise<T> {
    while (this.barrier) await this.barrier;
    let release!: () => void;
    this.barrier = new Promise<void>((resolve) => (release = resolve));
    try {
      await this.queue.drain().catch(() => {});
      await Promise.allSettled([...this.background]);
      await this.flusher.settled();
      return await change();
    } finally {
      this.barrier = null;
      release();
    }
  }
}
