/**
 * The running part of a partition log: appends (validated, checked against the producer state,
 * given offsets in place, queued and coalesced into single writes), reads, timestamp lookups,
 * the high watermark and flushing. Producer checks, offsets and file positions happen
 * synchronously in call order; a barrier holds appends back while a structural change
 * (truncation, retention, close) runs; see partition-log.ts.
 */
import { type AppendOrigin, type AssignedOffsets, assignOffsets, summarizeReplicated, validateBatches } from './append-validation.js';
import { type LogConfig, type MessageTimestampType, randomSegmentJitterMs, validateLogConfig } from './config.js';
import { checkCompactedKeys } from './compacted-keys.js';
import { KafkaStorageError, RecordBatchTooLargeError } from './errors.js';
import { producerBatchesOfAppend } from './producer-batches.js';
import { encodeProducerSnapshot } from './producer-snapshot.js';
import type { AppendPlan } from './producer-state.js';
import type { BatchMetadata } from './producer-state-entry.js';
import { type LogReadResult, readLog, type ReadOptions } from './log-read.js';
import { LogState } from './log-state.js';
import { offsetForTimestamp, type TimestampAndOffset } from './log-timestamp.js';
import { LogSegment } from './segment.js';

export interface AppendOptions {
  /** Written into each batch's partitionLeaderEpoch. */
  leaderEpoch: number;
  /** Defaults to the topic's message.timestamp.type. */
  timestampType?: MessageTimestampType;
  /** The broker's now (LogAppendTime, segment.ms); defaults to the clock. */
  nowMs?: number;
  /** Defaults to the topic's max.message.bytes. */
  maxMessageBytes?: number;
  /** `client` (default) or `coordinator` (may write control batches). */
  origin?: Exclude<AppendOrigin, 'replication'>;
  /** Resolve only once the append is fsynced, whatever flush.messages says. */
  flush?: boolean;
}

export interface LogAppendInfo {
  /** Offset of the first record appended, -1 when nothing was. */
  baseOffset: bigint;
  lastOffset: bigint;
  /** The time stamped on LogAppendTime batches, -1 for CreateTime. */
  logAppendTime: bigint;
  logStartOffset: bigint;
  recordsCount: number;
  validBytes: number;
  maxTimestamp: bigint;
  /** Last offset of the batch holding maxTimestamp. */
  offsetOfMaxTimestamp: bigint;
  /**
   * A producer's retry of a batch already in the log: nothing was written, and the offsets are
   * those of the batch written first (Kafka answers the produce request with them).
   */
  duplicate: boolean;
}

const MAX_LOADED_INACTIVE_INDEXES = 4;

export class LogCore extends LogState {
  /**
   * Appends a produce request's (or coordinator's) records; they get offsets in place. Settles
   * only once the records are written or will never be: then the caller may reuse their memory.
   */
  async append(records: Buffer, options: AppendOptions): Promise<LogAppendInfo> {
    this.ensureWritable();
    const origin = options.origin ?? 'client';
    const validated = validateBatches(records, origin, options.maxMessageBytes ?? this.cfg.maxMessageBytes);
    if (validated.batches.length === 0) return this.appendInfo(-1n, null, 0, 0, -1n);
    if (this.cfg.cleanupPolicy.includes('compact') && origin === 'client') checkCompactedKeys(validated);
    this.checkFitsSegment(validated.sizeBytes);
    while (this.mustWait()) await this.waitForRoom();
    const nowMs = options.nowMs ?? this.clock.nowMs();
    const timestampType = options.timestampType ?? this.cfg.messageTimestampType;
    const firstOffset = this.nextOffset;
    const logAppendTime = timestampType === 'LogAppendTime' ? BigInt(nowMs) : -1n;
    let plan: AppendPlan | null = null;
    const producerBatches = producerBatchesOfAppend(validated, firstOffset, logAppendTime >= 0n ? logAppendTime : null);
    if (producerBatches) {
      const prepared = this.producers.prepare(producerBatches, origin);
      if (prepared.kind === 'duplicate') return this.duplicateInfo(prepared.batch, logAppendTime);
      plan = prepared.plan;
    }
    const assigned = assignOffsets(validated, firstOffset, options.leaderEpoch, timestampType, BigInt(nowMs));
    this.latestEpoch = options.leaderEpoch;
    const written = this.place(validated.batches, validated.sizeBytes, assigned, firstOffset, nowMs, plan);
    const info = this.appendInfo(firstOffset, assigned, validated.recordsCount, validated.sizeBytes, logAppendTime);
    await this.complete(written, assigned.lastOffset, options.flush === true);
    return info;
  }

  /** Appends a follower's copy of the leader's batches, offsets and epochs kept. */
  async appendAsFollower(records: Buffer): Promise<LogAppendInfo> {
    this.ensureWritable();
    const validated = validateBatches(records, 'replication', Number.MAX_SAFE_INTEGER);
    if (validated.batches.length === 0) return this.appendInfo(-1n, null, 0, 0, -1n);
    this.checkFitsSegment(validated.sizeBytes);
    while (this.mustWait()) await this.waitForRoom();
    const assigned = summarizeReplicated(validated, this.nextOffset);
    const first = validated.headers[0]!.baseOffset;
    const producerBatches = producerBatchesOfAppend(validated, null, null);
    const prepared = producerBatches ? this.producers.prepare(producerBatches, 'replication') : null;
    this.latestEpoch = validated.headers[validated.headers.length - 1]!.partitionLeaderEpoch;
    const written = this.place(validated.batches, validated.sizeBytes, assigned, first, this.clock.nowMs(), prepared?.kind === 'plan' ? prepared.plan : null);
    const info = this.appendInfo(first, assigned, validated.recordsCount, validated.sizeBytes, -1n);
    await this.complete(written, assigned.lastOffset, false);
    return info;
  }

  private appendInfo(baseOffset: bigint, a: AssignedOffsets | null, recordsCount: number, validBytes: number, logAppendTime: bigint): LogAppendInfo {
    return {
      baseOffset,
      lastOffset: a?.lastOffset ?? -1n,
      logAppendTime,
      logStartOffset: this.startOffset,
      recordsCount,
      validBytes,
      maxTimestamp: a?.maxTimestamp ?? -1n,
      offsetOfMaxTimestamp: a?.offsetOfMaxTimestamp ?? -1n,
      duplicate: false,
    };
  }

  /** The answer to a retried batch: its first write's offsets, once that write is in the file. */
  private async duplicateInfo(batch: BatchMetadata, logAppendTime: bigint): Promise<LogAppendInfo> {
    if (batch.lastOffset >= this.endOffset) await this.storage(this.queue.drain());
    return {
      baseOffset: batch.firstOffset,
      lastOffset: batch.lastOffset,
      logAppendTime: logAppendTime >= 0n ? batch.timestamp : -1n,
      logStartOffset: this.startOffset,
      recordsCount: 0,
      validBytes: 0,
      maxTimestamp: batch.timestamp,
      offsetOfMaxTimestamp: batch.lastOffset,
      duplicate: true,
    };
  }

  private checkFitsSegment(size: number): void {
    if (size > this.cfg.segmentBytes) {
      throw new RecordBatchTooLargeError(`append of ${size} bytes exceeds segment.bytes ${this.cfg.segmentBytes}`);
    }
  }

  private mustWait(): boolean {
    this.ensureWritable();
    return this.barrier !== null || this.queue.pendingBytes > this.maxPendingBytes;
  }

  private async waitForRoom(): Promise<void> {
    await (this.barrier ?? this.queue.drain().catch(() => {}));
  }

  /**
   * Picks the segment (rolling when due), books the batches into it, makes their producer state
   * current (aborted transactions go to that segment's `.txnindex`) and queues their bytes.
   */
  private place(batches: Buffer[], size: number, assigned: AssignedOffsets, firstOffset: bigint, nowMs: number, plan: AppendPlan | null): Promise<void> {
    let segment = this.active;
    const roll = segment.shouldRoll({
      appendBytes: size,
      maxTimestamp: assigned.maxTimestamp,
      lastOffset: assigned.lastOffset,
      nowMs,
      segmentBytes: this.cfg.segmentBytes,
      segmentMs: this.cfg.segmentMs,
    });
    if (roll) segment = this.rollTo(firstOffset > this.nextOffset ? firstOffset : this.nextOffset);
    const position = segment.assign(assigned.summaries, nowMs);
    this.nextOffset = assigned.lastOffset + 1n;
    const written = this.queue.write(segment, position, batches, size, assigned.lastOffset);
    if (plan) {
      try {
        const aborted = this.producers.apply(plan);
        if (aborted.length > 0) {
          const txnIndex = segment.txnIndex;
          for (const txn of aborted) txnIndex.append(txn);
          this.track(this.queue.step(() => txnIndex.writePending()));
        }
      } catch (err) {
        // The append fails only once its queued write is over: a caller may reuse the batches'
        // memory as soon as the append settles.
        return written.then(() => Promise.reject(err), () => Promise.reject(err));
      }
    }
    return written;
  }

  private async complete(written: Promise<void>, lastOffset: bigint, flush: boolean): Promise<void> {
    await this.storage(written);
    if (flush || lastOffset + 1n - this.flushedOffset >= BigInt(this.cfg.flushMessages)) await this.storage(this.flusher.request());
  }

  /**
   * Starts a new active segment at `baseOffset`: indexes of the old one finished, files created,
   * then a background flush; the producer state as of `baseOffset` goes to a snapshot file.
   */
  protected rollTo(baseOffset: bigint): LogSegment {
    const old = this.active;
    const fresh = this.newSegment(baseOffset);
    this.segments = [...this.segments, fresh];
    this.track(this.storage(this.snapshots.write(baseOffset, encodeProducerSnapshot(this.producers.snapshotEntries()))));
    this.track(
      this.queue.step(async () => {
        await old.finishIndexes();
        await fresh.createFiles();
        this.track(this.flusher.request());
      }),
    );
    return fresh;
  }

  protected newSegment(baseOffset: bigint): LogSegment {
    return new LogSegment({
      fs: this.fs,
      dir: this.dir,
      baseOffset,
      indexBytes: this.cfg.segmentIndexBytes,
      indexIntervalBytes: this.cfg.indexIntervalBytes,
      createdMs: this.clock.nowMs(),
      rollJitterMs: randomSegmentJitterMs(this.cfg, (n) => this.random.int(n)),
    });
  }

  /** Applies new topic configs to the live log (segment sizes and index settings apply from the next roll). */
  updateConfig(config: LogConfig): void {
    validateLogConfig(config);
    this.cfg = config;
    this.active.indexIntervalBytes = config.indexIntervalBytes;
  }

  /** Starts a new active segment now, unless the active one is empty (Kafka's Log.roll). */
  async roll(): Promise<void> {
    while (this.barrier) await this.barrier;
    this.ensureWritable();
    if (this.active.size > 0) this.rollTo(this.nextOffset);
    await this.storage(this.queue.drain());
  }

  /** Reads stored batches from `fetchOffset`; see readLog. */
  async read(fetchOffset: bigint, maxBytes: number, options: ReadOptions): Promise<LogReadResult> {
    for (let attempt = 0; ; attempt++) {
      this.ensureReadable();
      const segments = this.segments;
      const offsets = { logStartOffset: this.startOffset, logEndOffset: this.endOffset, highWatermark: this.hw };
      if (fetchOffset >= (this.tail.firstOffset ?? this.endOffset)) this.tailReadAtMs = this.clock.monotonicMs();
      try {
        const result = await readLog(segments, this.tail, offsets, fetchOffset, maxBytes, options);
        if (result.kind === 'records' && !result.fromCache) this.releaseIndexes();
        return result;
      } catch (err) {
        // A segment deleted under the read (file.delete.delay.ms = 0): read again from the new state.
        if (attempt === 0 && segments.some((s) => s.deleted)) continue;
        if (this.state !== 'open') throw new KafkaStorageError(`log ${this.dir} closed during a read`, { cause: err });
        this.fail(err);
        throw this.failure ?? err;
      }
    }
  }

  /** ListOffsets: see offsetForTimestamp in log-timestamp.ts. */
  async offsetForTimestamp(timestamp: bigint): Promise<TimestampAndOffset | null> {
    this.ensureReadable();
    const view = { segments: this.segments, logStartOffset: this.startOffset, logEndOffset: this.endOffset, latestEpoch: this.latestEpoch };
    const found = await offsetForTimestamp(view, timestamp);
    this.releaseIndexes();
    return found;
  }

  /** Keeps the indexes of the few most recently used inactive segments in memory. */
  private releaseIndexes(): void {
    if (this.barrier) return;
    const loaded = this.segments.filter((s) => s.finished && s.offsetIndex.isLoaded);
    if (loaded.length <= MAX_LOADED_INACTIVE_INDEXES) return;
    loaded.sort((a, b) => b.indexUse - a.indexUse);
    for (const s of loaded.slice(MAX_LOADED_INACTIVE_INDEXES)) s.unloadIndexes();
  }

  /** Sets the high watermark, kept within [logStartOffset, logEndOffset]; returns it. */
  updateHighWatermark(offset: bigint): bigint {
    this.hw = offset < this.startOffset ? this.startOffset : offset > this.endOffset ? this.endOffset : offset;
    this.producers.onHighWatermark(this.hw);
    return this.hw;
  }

  /** Raises the high watermark to `offset` (clamped to the log end); false when it would not rise. */
  maybeIncrementHighWatermark(offset: bigint): boolean {
    const before = this.hw;
    return offset > before && this.updateHighWatermark(offset) > before;
  }

  /** Makes everything appended so far durable (fsync), roll snapshots included, then resolves. */
  async flush(): Promise<void> {
    this.ensureWritable();
    await this.storage(this.queue.drain());
    await this.storage(this.flusher.request());
    await Promise.allSettled([...this.background]);
    if (this.failure) throw this.failure;
  }

  /** flush.ms: flushes when the last flush is older than the topic's flush.ms and data is unflushed. */
  async maybeFlush(nowMs: number = this.clock.nowMs()): Promise<void> {
    if (this.state !== 'open' || this.failure || this.nextOffset <= this.flushedOffset) return;
    if (nowMs - this.lastFlushMs >= this.cfg.flushMs) await this.flush();
  }
}
