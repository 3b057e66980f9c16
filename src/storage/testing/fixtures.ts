/**
 * Helpers for the storage tests: record batches as a producer would send them, and logs on the
 * in-memory file system with a manual clock.
 */
import { ManualClock } from '../../common/clock.js';
import type { FileSystem } from '../../common/fs.js';
import { MemoryFileSystem } from '../../common/fs-memory.js';
import { SeededRandom } from '../../common/random.js';
import { type CompressionCodec } from '../../protocol/compression/codec.js';
import { encodeRecordBatchSync, TimestampType } from '../../protocol/records/index.js';
import { type LogConfig, logConfig } from '../config.js';
import { batchesIn } from '../file-batches.js';
import { PartitionLog, type PartitionLogOptions } from '../partition-log.js';

export interface BatchSpec {
  /** Records in the batch (default 1). */
  count?: number;
  /** Timestamp of the first record; each next one is +1 (default 1_700_000_000_000). */
  timestamp?: bigint;
  /** Explicit per-record timestamps (overrides timestamp). */
  timestamps?: bigint[];
  valueSize?: number;
  compression?: CompressionCodec;
  /** Offsets stored in the batch (what a follower receives); producers send 0. */
  baseOffset?: bigint;
  partitionLeaderEpoch?: number;
  logAppendTime?: boolean;
  /** A byte mixed into the values so batches differ. */
  seed?: number;
}

/** A record batch as a producer sends it. */
export function makeBatch(spec: BatchSpec = {}): Buffer {
  const count = spec.timestamps?.length ?? spec.count ?? 1;
  const first = spec.timestamp ?? 1_700_000_000_000n;
  const records = Array.from({ length: count }, (_, i) => ({
    timestamp: spec.timestamps?.[i] ?? first + BigInt(i),
    key: Buffer.from(`k${i}`),
    value: Buffer.alloc(spec.valueSize ?? 10, (spec.seed ?? 0) + i),
  }));
  return encodeRecordBatchSync({
    records,
    baseOffset: spec.baseOffset ?? 0n,
    partitionLeaderEpoch: spec.partitionLeaderEpoch ?? -1,
    ...(spec.compression !== undefined ? { compression: spec.compression } : {}),
    ...(spec.logAppendTime ? { timestampType: TimestampType.LogAppendTime } : {}),
  });
}

export interface ProducerBatchSpec {
  producerId: bigint;
  producerEpoch?: number;
  /** First sequence (default 0). */
  baseSequence?: number;
  /** Records in the batch (default 1). */
  count?: number;
  transactional?: boolean;
  /** Key of every record (default `k<i>`). */
  key?: string;
  value?: string;
  timestamp?: bigint;
}

/** A batch as an idempotent or transactional producer sends it. */
export function makeProducerBatch(spec: ProducerBatchSpec): Buffer {
  const count = spec.count ?? 1;
  const first = spec.timestamp ?? 1_700_000_000_000n;
  return encodeRecordBatchSync({
    records: Array.from({ length: count }, (_, i) => ({
      timestamp: first + BigInt(i),
      key: Buffer.from(spec.key ?? `k${i}`),
      value: Buffer.from(spec.value ?? `v${i}`),
    })),
    producerId: spec.producerId,
    producerEpoch: spec.producerEpoch ?? 0,
    baseSequence: spec.baseSequence ?? 0,
    isTransactional: spec.transactional ?? false,
  });
}

/** Base and last offsets of the batches in stored bytes. */
export function offsetsIn(records: Buffer): Array<[bigint, bigint]> {
  return batchesIn(records).map(({ info }) => [info.baseOffset, info.lastOffset]);
}

export interface MemoryLogFixture {
  fs: MemoryFileSystem;
  clock: ManualClock;
  dir: string;
  config: LogConfig;
  open(overrides?: Partial<PartitionLogOptions>): Promise<PartitionLog>;
}

/** A MemoryFileSystem, a ManualClock and a way to (re)open the log of `/data/topic-0` on them. */
export function memoryLog(config: Partial<LogConfig> = {}, seed = 1): MemoryLogFixture {
  const clock = new ManualClock();
  const fs = new MemoryFileSystem({ clock, random: new SeededRandom(seed) });
  const dir = '/data/topic-0';
  const fixture: MemoryLogFixture = {
    fs,
    clock,
    dir,
    config: logConfig(config),
    open: (overrides = {}) =>
      PartitionLog.open({
        fs,
        dir,
        topicPartition: { topic: 'topic', partition: 0 },
        config: fixture.config,
        clock,
        random: new SeededRandom(seed),
        ...overrides,
      }),
  };
  return fixture;
}

/** Reads the whole log from `from` (or the log start) to its end, batch by batch. */
export async function readAll(log: PartitionLog, from = log.logStartOffset): Promise<Buffer[]> {
  const out: Buffer[] = [];
  let offset = from;
  while (offset < log.logEndOffset) {
    const result = await log.read(offset, 1, { minOneBatch: true });
    if (result.kind !== 'records' || result.records.length === 0) throw new Error(`read at ${offset}: ${result.kind}`);
    for (const { info, bytes } of batchesIn(result.records)) {
      out.push(Buffer.from(bytes));
      offset = info.lastOffset + 1n;
    }
  }
  return out;
}

/** Names in a directory of the file system. */
export async function listDir(fs: FileSystem, dir: string): Promise<string[]> {
  return fs.readdir(dir);
}
