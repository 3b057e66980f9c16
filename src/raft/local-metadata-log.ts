import { join } from 'node:path';
import type { Clock } from '../common/clock.js';
import type { FileHandle, FileSystem } from '../common/fs.js';
import { Writer } from '../protocol/writer.js';
import { decodeRecordBatchSync, encodeRecordBatchSync } from '../protocol/records/index.js';
import { type MetadataLog, type MetadataLogAppend, type MetadataLogBatch, MetadataLogError } from './metadata-log.js';
import { QUORUM_STATE_FILE_NAME, readQuorumState, writeQuorumState } from './quorum-state.js';
import type { RecordSerde } from './record-serde.js';
import { type BatchPosition, recoverSegment } from './segment-recovery.js';

/**
 * The metadata log of a single voter: `<metadata.log.dir>/__cluster_metadata-0/` holding one
 * segment, `00000000000000000000.log`, of v2 record batches (uncompressed, CreateTime, no
 * producer id) whose record values are framed metadata records, plus `quorum-state`. On open the
 * node elects itself: the new leader epoch (one past any in quorum-state or the log) is written
 * to quorum-state before the first append. An append is durable (fsync'd) before it resolves,
 * and with one voter durable is committed, so the high watermark is the end of the last synced
 * batch. Not yet: snapshots (the whole log is replayed on start), segment rolling, and the
 * LeaderChange control batch Kafka writes at the start of each epoch.
 */

export const CLUSTER_METADATA_TOPIC = '__cluster_metadata';
/** Kafka's KafkaRaftClient.MAX_BATCH_SIZE_BYTES. */
export const DEFAULT_MAX_BATCH_SIZE_BYTES = 8 * 1024 * 1024;

export interface LocalMetadataLogOptions<T> {
  fs: FileSystem;
  /** metadata.log.dir: the directory that holds `__cluster_metadata-0/`. */
  logDir: string;
  /** node.id: the only voter. */
  nodeId: number;
  serde: RecordSerde<T>;
  /** Stamps batch timestamps. */
  clock: Clock;
  /** Largest batch written or accepted on recovery. Default 8 MiB. */
  maxBatchSizeBytes?: number;
  /** Told when recovery cut a torn tail. */
  onTruncate?: (info: { path: string; truncatedBytes: number; reason: string }) => void;
}

/** Kafka's segment file name: the base offset as 20 digits. */
export function segmentFileName(baseOffset: bigint): string {
  return `${baseOffset.toString().padStart(20, '0')}.log`;
}

export class LocalMetadataLog<T> implements MetadataLog<T> {
  readonly nodeId: number;
  readonly leaderEpoch: number;
  /** The partition directory, `<logDir>/__cluster_metadata-0`. */
  readonly dir: string;
  private readonly options: LocalMetadataLogOptions<T>;
  private readonly maxBatchSize: number;
  private readonly handle: FileHandle;
  private readonly batches: BatchPosition[];
  private nextOffset: bigint;
  private committedOffset: bigint;
  private writePosition: number;
  /** Appends run one after another: write, then fsync, then the next. */
  private tail: Promise<unknown> = Promise.resolve();
  private unusable: MetadataLogError | null = null;
  private closed = false;

  private constructor(options: LocalMetadataLogOptions<T>, dir: string, handle: FileHandle, leaderEpoch: number, batches: BatchPosition[], size: number) {
    this.options = options;
    this.nodeId = options.nodeId;
    this.dir = dir;
    this.maxBatchSize = options.maxBatchSizeBytes ?? DEFAULT_MAX_BATCH_SIZE_BYTES;
    this.handle = handle;
    this.leaderEpoch = leaderEpoch;
    this.batches = batches;
    this.nextOffset = batches.length === 0 ? 0n : batches[batches.length - 1]!.lastOffset + 1n;
    this.committedOffset = this.nextOffset;
    this.writePosition = size;
  }

  /** Opens (or creates) the log, recovers the segment and starts a new leader epoch. */
  static async open<T>(options: LocalMetadataLogOptions<T>): Promise<LocalMetadataLog<T>> {
    const { fs, nodeId } = options;
    const dir = join(options.logDir, `${CLUSTER_METADATA_TOPIC}-0`);
    await fs.mkdirp(dir);
    const segmentName = segmentFileName(0n);
    const others = (await fs.readdir(dir)).filter((name) => name.endsWith('.log') && name !== segmentName);
    if (others.length > 0) {
      throw new MetadataLogError('SAMSA_ERR_METADATA_LOG_CORRUPT', `${dir}: more than one segment (${others.join(', ')}); segment rolling is not supported yet`);
    }
    const segmentPath = join(dir, segmentName);
    const created = (await fs.stat(segmentPath)) === null;
    const handle = await fs.open(segmentPath, 'create');
    try {
      if (created) {
        await fs.syncDir(dir);
        await fs.syncDir(options.logDir);
      }
      const maxBatchSize = options.maxBatchSizeBytes ?? DEFAULT_MAX_BATCH_SIZE_BYTES;
      const recovery = await recoverSegment(handle, 0n, maxBatchSize);
      if (recovery.truncatedBytes > 0) {
        options.onTruncate?.({ path: segmentPath, truncatedBytes: recovery.truncatedBytes, reason: recovery.truncationReason ?? 'torn tail' });
      }
      const statePath = join(dir, QUORUM_STATE_FILE_NAME);
      const previous = await readQuorumState(fs, statePath);
      let lastEpoch = Math.max(0, previous?.leaderEpoch ?? 0);
      for (const batch of recovery.batches) lastEpoch = Math.max(lastEpoch, batch.leaderEpoch);
      const leaderEpoch = lastEpoch + 1;
      await writeQuorumState(fs, statePath, { leaderId: nodeId, leaderEpoch, votedId: nodeId, voters: [nodeId] });
      return new LocalMetadataLog(options, dir, handle, leaderEpoch, recovery.batches, recovery.validSize);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  get endOffset(): bigint {
    return this.nextOffset;
  }

  get highWatermark(): bigint {
    return this.committedOffset;
  }

  append(records: readonly T[]): Promise<MetadataLogAppend> {
    if (this.unusable !== null) return Promise.reject(this.unusable);
    if (records.length === 0) return Promise.reject(new RangeError('a metadata log batch needs at least one record'));
    const timestamp = BigInt(this.options.clock.nowMs());
    const baseOffset = this.nextOffset;
    let batch: Buffer;
    try {
      batch = encodeRecordBatchSync({
        baseOffset,
        partitionLeaderEpoch: this.leaderEpoch,
        records: records.map((record) => {
          const w = new Writer();
          this.options.serde.write(w, record);
          return { timestamp, key: null, value: w.toBuffer() };
        }),
      });
    } catch (err) {
      return Promise.reject(err);
    }
    if (batch.length > this.maxBatchSize) {
      return Promise.reject(new RangeError(`metadata batch of ${batch.length} bytes exceeds ${this.maxBatchSize}`));
    }
    const lastOffset = baseOffset + BigInt(records.length - 1);
    const position = this.writePosition;
    this.nextOffset = lastOffset + 1n;
    this.writePosition += batch.length;
    this.batches.push({ baseOffset, lastOffset, leaderEpoch: this.leaderEpoch, position, size: batch.length });
    const durable = this.tail.then(async () => {
      if (this.unusable !== null) throw this.unusable;
      try {
        await this.handle.write([batch], position);
        await this.handle.sync();
      } catch (err) {
        this.unusable = new MetadataLogError('SAMSA_ERR_METADATA_LOG_NOT_WRITABLE', `metadata log write failed at offset ${baseOffset}; reopen the log`, { cause: err });
        throw this.unusable;
      }
      this.committedOffset = lastOffset + 1n;
      return { baseOffset, lastOffset, leaderEpoch: this.leaderEpoch };
    });
    this.tail = durable.catch(() => undefined);
    return durable;
  }

  async *read(fromOffset: bigint): AsyncGenerator<MetadataLogBatch<T>> {
    let index = this.firstBatchEndingAtOrAfter(fromOffset);
    for (; index < this.batches.length; index++) {
      const position = this.batches[index]!;
      if (position.lastOffset >= this.committedOffset) return;
      yield await this.readBatch(position);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tail;
    this.unusable = new MetadataLogError('SAMSA_ERR_METADATA_LOG_NOT_WRITABLE', 'metadata log closed');
    await this.handle.close();
  }

  private firstBatchEndingAtOrAfter(offset: bigint): number {
    let low = 0;
    let high = this.batches.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.batches[mid]!.lastOffset < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private async readBatch(position: BatchPosition): Promise<MetadataLogBatch<T>> {
    const bytes = await this.handle.read(position.position, position.size);
    try {
      const batch = decodeRecordBatchSync(bytes, { maxUncompressedBytes: this.maxBatchSize * 4 });
      // Control batches (LeaderChange, snapshot markers, voters) carry no metadata records.
      const records = batch.isControl ? [] : batch.records.map((record) => this.options.serde.read(record.value ?? Buffer.alloc(0)));
      return {
        baseOffset: position.baseOffset,
        lastOffset: position.lastOffset,
        leaderEpoch: batch.partitionLeaderEpoch,
        appendTimestampMs: batch.maxTimestamp,
        sizeInBytes: position.size,
        records,
      };
    } catch (err) {
      throw new MetadataLogError('SAMSA_ERR_METADATA_LOG_CORRUPT', `metadata batch at offset ${position.baseOffset} does not decode: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
}
