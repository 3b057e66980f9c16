/**
 * The partitions this node holds, over the log manager: appends for Produce (and for the
 * coordinators), transaction markers, reads for Fetch (read_uncommitted up to the high
 * watermark, read_committed up to the last stable offset with the aborted transactions), and
 * the long-poll wait between them. On a single node every partition's replica set is this
 * node, so an append that reached the log is in the whole ISR and moves the high watermark.
 */
import { BufferRecycler } from '../common/buffer-recycler.js';
import type { Clock } from '../common/clock.js';
import type { MetadataImage, MetadataManager } from '../metadata/index.js';
import { ErrorCode, type Uuid, ZERO_UUID, batchLastOffset, splitRecordBatches } from '../protocol/index.js';
import { type AbortedTxn, type LogManager, type PartitionLog, StorageError, type TxnMarker } from '../storage/index.js';
import { AppendWaiters } from './append-waiters.js';
import type { BrokerConfigReader, TopicLogConfig } from './config/index.js';
import { type RecordError, timestampErrors } from './timestamp-validation.js';
import { resolvedTopicLogConfig } from './topic-log-config.js';
import { isInternalTopic } from './internal-topics.js';
import type { BrokerLogger } from './logger.js';

export interface PartitionLookup {
  errorCode: number;
  topicId: Uuid;
  leaderEpoch: number;
  log: PartitionLog | undefined;
}

export interface AppendResult {
  errorCode: number;
  errorMessage: string | null;
  /** Records refused by record-level checks (timestamps), by index in the request. */
  recordErrors: RecordError[];
  baseOffset: bigint;
  logAppendTimeMs: bigint;
  logStartOffset: bigint;
}

export interface DeleteRecordsResult {
  errorCode: number;
  /** The log start offset after the deletion; -1 on error. */
  lowWatermark: bigint;
}

export interface ReadResult {
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
  records: Buffer | null;
  /** read_committed: the aborted transactions overlapping the records returned; null for read_uncommitted. */
  abortedTransactions: AbortedTxn[] | null;
  /**
   * With `recycle`, the pooled buffer a file read went into (records is a view of it): hand it
   * to releaseReadBuffer() once the records are sent and nothing reads them any more.
   */
  fileBuffer?: Buffer;
}

/** Who appends: a producer (sequence checks) or a coordinator (epoch checks only; may write control batches). */
export interface ReplicaAppendOptions {
  origin?: 'client' | 'coordinator';
}

const key = (topic: string, partition: number): string => `${topic}-${partition}`;

/** Fetch read buffers kept for reuse between fetches (the rest is left to the garbage collector). */
const READ_BUFFER_POOL_BYTES = 64 * 1024 * 1024;

export class ReplicaManager {
  readonly waiters = new AppendWaiters();
  /** Resolved topic configs, valid for one metadata offset (configs change only through it). */
  private topicConfigs = { offset: -2n, byTopic: new Map<string, TopicLogConfig>() };
  /** log-start-offset-checkpoint writes, one at a time (the file is replaced through a fixed .tmp name). */
  private startOffsetCheckpoint: Promise<void> = Promise.resolve();
  /** Buffers that fetches read files into, recycled once each answer is on the wire. */
  private readonly readBuffers = new BufferRecycler(READ_BUFFER_POOL_BYTES);
  private readonly allocateReadBuffer = (size: number): Buffer => this.readBuffers.acquire(size);

  constructor(
    private readonly logs: LogManager,
    private readonly metadata: MetadataManager,
    private readonly nodeId: number,
    readonly clock: Clock,
    private readonly logger: BrokerLogger,
    private readonly config: BrokerConfigReader,
  ) {}

  /** A topic's effective config (its overrides, the broker's synonyms, the defaults). */
  topicConfig(topic: string): TopicLogConfig {
    const image = this.image;
    if (this.topicConfigs.offset !== image.offset) this.topicConfigs = { offset: image.offset, byTopic: new Map() };
    let config = this.topicConfigs.byTopic.get(topic);
    if (!config) this.topicConfigs.byTopic.set(topic, (config = resolvedTopicLogConfig(this.config, image, topic)));
    return config;
  }

  /** The logs under the partitions (DescribeLogDirs reads their dirs and sizes). */
  get logManager(): LogManager {
    return this.logs;
  }

  get image(): MetadataImage {
    return this.metadata.image;
  }

  /** The partition as this node sees it: unknown, not led here, or led here with its log. */
  lookup(topic: string, partition: number): PartitionLookup {
    const t = this.image.topicsByName.get(topic);
    if (!t) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, topicId: ZERO_UUID, leaderEpoch: -1, log: undefined };
    const p = t.partitions.get(partition);
    if (!p) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, topicId: t.topicId, leaderEpoch: -1, log: undefined };
    if (p.leader !== this.nodeId) return { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, topicId: t.topicId, leaderEpoch: p.leaderEpoch, log: undefined };
    const log = this.logs.getLog({ topic, partition });
    if (!log || log.isOffline) return { errorCode: ErrorCode.KAFKA_STORAGE_ERROR, topicId: t.topicId, leaderEpoch: p.leaderEpoch, log: undefined };
    return { errorCode: ErrorCode.NONE, topicId: t.topicId, leaderEpoch: p.leaderEpoch, log };
  }

  /**
   * Appends records (v2 batches) as the leader. Call before any await to keep request order.
   * A retried batch the log already holds (idempotent producers) answers NONE with its original
   * offsets and changes nothing; the log's sequence and epoch refusals answer their error codes.
   */
  async append(topic: string, partition: number, records: Buffer, options: ReplicaAppendOptions = {}): Promise<AppendResult> {
    const found = this.lookup(topic, partition);
    if (!found.log) return appendFailure(found.errorCode, null);
    try {
      const config = this.topicConfig(topic);
      if (config.messageTimestampType === 'CreateTime') {
        const recordErrors = timestampErrors(records, {
          nowMs: this.clock.nowMs(), beforeMaxMs: config.messageTimestampBeforeMaxMs, afterMaxMs: config.messageTimestampAfterMaxMs,
        });
        if (recordErrors.length > 0) return { ...appendFailure(ErrorCode.INVALID_TIMESTAMP, 'One or more records have been rejected due to invalid timestamp'), recordErrors };
      }
      const info = await found.log.append(records, { leaderEpoch: found.leaderEpoch, origin: options.origin ?? 'client' });
      // A duplicate was written before: it changes nothing and answers the first write's offsets
      // (and its append time on LogAppendTime topics).
      if (!info.duplicate) {
        // Only what this append wrote: another producer's bytes may not be flushed yet.
        found.log.maybeIncrementHighWatermark(info.lastOffset + 1n);
        this.waiters.notify(key(topic, partition));
      }
      return { errorCode: ErrorCode.NONE, errorMessage: null, recordErrors: [], baseOffset: info.baseOffset, logAppendTimeMs: info.logAppendTime, logStartOffset: info.logStartOffset };
    } catch (e) {
      if (e instanceof StorageError) return appendFailure(e.errorCode, e.message);
      this.logger.error(`append to ${topic}-${partition} failed`, e);
      return appendFailure(ErrorCode.UNKNOWN_SERVER_ERROR, null);
    }
  }

  /**
   * Writes a transaction marker (commit or abort control batch) as the leader, with the
   * partition's leader epoch; the high watermark moves past it and waiting fetches wake (a
   * read_committed long poll may now see the transaction's records). The error code: the
   * lookup's, or the log's refusal (TRANSACTION_COORDINATOR_FENCED, INVALID_PRODUCER_EPOCH...).
   */
  async appendTxnMarker(topic: string, partition: number, marker: TxnMarker): Promise<{ errorCode: number }> {
    const found = this.lookup(topic, partition);
    if (!found.log) return { errorCode: found.errorCode };
    try {
      const info = await found.log.appendTxnMarker(marker, { leaderEpoch: found.leaderEpoch });
      found.log.maybeIncrementHighWatermark(info.lastOffset + 1n);
      this.waiters.notify(key(topic, partition));
      return { errorCode: ErrorCode.NONE };
    } catch (e) {
      if (e instanceof StorageError) return { errorCode: e.errorCode };
      this.logger.error(`transaction marker for ${topic}-${partition} failed`, e);
      return { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR };
    }
  }

  /**
   * Reads stored batches of a partition `lookup` found led here, from `fetchOffset` up to the
   * high watermark, or for read_committed up to the last stable offset (the batch holding it
   * and later ones are left out) with the aborted transactions among the records returned
   * (the caller has the log already: one lookup per fetched partition).
   */
  async read(log: PartitionLog, fetchOffset: bigint, maxBytes: number, minOneBatch: boolean, readCommitted = false, recycle = false): Promise<ReadResult> {
    try {
      const lastStableOffset = log.lastStableOffset;
      const maxOffset = readCommitted ? lastStableOffset : log.highWatermark;
      const result = await log.read(fetchOffset, maxBytes, recycle ? { minOneBatch, maxOffset, allocate: this.allocateReadBuffer } : { minOneBatch, maxOffset });
      const offsets = { highWatermark: result.highWatermark, lastStableOffset, logStartOffset: result.logStartOffset };
      if (result.kind === 'offsetOutOfRange') return { errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, ...offsets, records: null, abortedTransactions: null };
      const fileBuffer = result.fileBuffer ? { fileBuffer: result.fileBuffer } : {};
      if (!readCommitted) return { errorCode: ErrorCode.NONE, ...offsets, records: result.records, abortedTransactions: null, ...fileBuffer };
      // The bound is the offset after the last batch returned: nothing past it is in the answer.
      const upperBoundOffset = offsetAfterBatches(result.records);
      const abortedTransactions = upperBoundOffset === null ? [] : await log.abortedTransactions(fetchOffset, upperBoundOffset);
      return { errorCode: ErrorCode.NONE, ...offsets, records: result.records, abortedTransactions, ...fileBuffer };
    } catch (e) {
      if (e instanceof StorageError) return readFailure(e.errorCode);
      throw e;
    }
  }

  /** Takes back a ReadResult's fileBuffer: its bytes have been sent and nothing reads them. */
  releaseReadBuffer(buffer: Buffer): void {
    this.readBuffers.release(buffer);
  }

  /**
   * DeleteRecords as the leader (Kafka's Partition.deleteRecordsOnLeader): -1 means the high
   * watermark; the log start offset moves up to `offset` (never past the high watermark, never
   * down) and is checkpointed before answering, so the deletion survives any restart.
   */
  async deleteRecords(topic: string, partition: number, offset: bigint): Promise<DeleteRecordsResult> {
    const found = this.lookup(topic, partition);
    if (found.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) return { errorCode: found.errorCode, lowWatermark: -1n };
    if (isInternalTopic(topic)) return { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, lowWatermark: -1n };
    const log = found.log;
    if (!log) return { errorCode: found.errorCode, lowWatermark: -1n };
    if (!log.config.cleanupPolicy.includes('delete')) return { errorCode: ErrorCode.POLICY_VIOLATION, lowWatermark: -1n };
    const target = offset === -1n ? log.highWatermark : offset;
    if (target < 0n) return { errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, lowWatermark: -1n };
    try {
      const before = log.logStartOffset;
      await log.deleteRecordsBefore(target);
      if (log.logStartOffset > before) {
        this.startOffsetCheckpoint = this.startOffsetCheckpoint.then(() => this.logs.checkpointLogStartOffsets());
        await this.startOffsetCheckpoint;
      }
      // A failed checkpoint write takes the log dir, and this log with it, offline.
      if (log.isOffline || this.logs.getLog({ topic, partition }) !== log) return { errorCode: ErrorCode.KAFKA_STORAGE_ERROR, lowWatermark: -1n };
      return { errorCode: ErrorCode.NONE, lowWatermark: log.logStartOffset };
    } catch (e) {
      if (e instanceof StorageError) return { errorCode: e.errorCode, lowWatermark: -1n };
      this.logger.error(`deleteRecords on ${topic}-${partition} failed`, e);
      return { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, lowWatermark: -1n };
    }
  }

  waitForAppends(partitions: readonly { topic: string; partition: number }[], timeoutMs: number): Promise<void> {
    return this.waiters.wait(partitions.map((p) => key(p.topic, p.partition)), timeoutMs);
  }
}

/** An append that did not happen, with the error code for the partition's answer. */
export function appendFailure(errorCode: number, errorMessage: string | null = null): AppendResult {
  return { errorCode, errorMessage, recordErrors: [], baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n };
}

/** A read that did not happen. */
export function readFailure(errorCode: number): ReadResult {
  return { errorCode, highWatermark: -1n, lastStableOffset: -1n, logStartOffset: -1n, records: null, abortedTransactions: null };
}

/** The offset after the last whole batch in `records` (stored v2 batches), or null when there is none. */
function offsetAfterBatches(records: Buffer): bigint | null {
  const { batches } = splitRecordBatches(records);
  const last = batches[batches.length - 1];
  return last === undefined ? null : batchLastOffset(last) + 1n;
}
