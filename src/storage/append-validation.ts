/**
 * The checks an append makes on the batches it receives, and the in-place offset assignment.
 * Records stay opaque: only headers are read, and the CRC is checked over the stored bytes.
 * Conversion of legacy magic (v0, v1) and record-level checks (timestamps of each record, keys on
 * compacted topics, producer sequences) belong to the broker before it calls append.
 */
import {
  MAGIC_OFFSET,
  MAGIC_V2,
  readRecordBatchHeader,
  type RecordBatchHeader,
  setBatchBaseOffset,
  setBatchMaxTimestamp,
  setBatchPartitionLeaderEpoch,
  TimestampType,
  validateRecordBatch,
} from '../protocol/records/index.js';
import type { MessageTimestampType } from './config.js';
import { CorruptMessageError, InvalidRecordError, RecordTooLargeError } from './errors.js';
import type { BatchSummary } from './segment.js';

/**
 * Who appends: `client` (a produce request: offsets assigned, client rules enforced),
 * `coordinator` (the broker's own records, control batches allowed), `replication` (a follower
 * copying the leader's batches, offsets kept).
 */
export type AppendOrigin = 'client' | 'coordinator' | 'replication';

export interface ValidatedBatches {
  /** Each batch, a view into the caller's buffer. */
  batches: Buffer[];
  /** The header of each batch, read once here for the later steps of the append. */
  headers: RecordBatchHeader[];
  sizeBytes: number;
  recordsCount: number;
}

function corrupt(err: unknown, at: number): CorruptMessageError {
  const message = err instanceof Error ? err.message : String(err);
  return new CorruptMessageError(`batch at byte ${at}: ${message}`, { cause: err });
}

/** Splits `records` into batches and checks each one; throws a StorageError naming the first problem. */
export function validateBatches(records: Buffer, origin: AppendOrigin, maxMessageBytes: number): ValidatedBatches {
  const batches: Buffer[] = [];
  const headers: RecordBatchHeader[] = [];
  let recordsCount = 0;
  let at = 0;
  while (at < records.length) {
    if (records.length - at <= MAGIC_OFFSET) throw new CorruptMessageError(`partial batch header at byte ${at}`);
    const magic = records.readInt8(at + MAGIC_OFFSET);
    if (magic === 0 || magic === 1) throw new InvalidRecordError(`magic v${magic} at byte ${at}: legacy messages must be converted before append`);
    if (magic !== MAGIC_V2) throw new CorruptMessageError(`batch at byte ${at} has magic ${magic}`);
    let size: number;
    try {
      size = validateRecordBatch(records, at);
    } catch (err) {
      throw corrupt(err, at);
    }
    if (size > maxMessageBytes) {
      throw new RecordTooLargeError(`batch of ${size} bytes exceeds max.message.bytes ${maxMessageBytes}`);
    }
    const batch = records.subarray(at, at + size);
    const header = readRecordBatchHeader(batch);
    if (header.lastOffsetDelta < 0) throw new InvalidRecordError(`negative lastOffsetDelta ${header.lastOffsetDelta}`);
    if (origin === 'client') {
      const count = header.recordsCount;
      if (count <= 0) throw new InvalidRecordError(`invalid record count ${count}`);
      if (header.lastOffsetDelta + 1 !== count) {
        throw new InvalidRecordError(`inconsistent batch: lastOffsetDelta ${header.lastOffsetDelta} with ${count} records`);
      }
      if (header.isControl) throw new InvalidRecordError('clients may not write control batches');
      if (header.producerId >= 0n && header.baseSequence < 0) {
        throw new InvalidRecordError(`invalid sequence ${header.baseSequence} for producer ${header.producerId}`);
      }
    }
    if (origin !== 'replication' && header.isTransactional && header.producerId < 0n) {
      throw new InvalidRecordError('transactional batch without a producer id');
    }
    recordsCount += header.recordsCount;
    batches.push(batch);
    headers.push(header);
    at += size;
  }
  return { batches, headers, sizeBytes: records.length, recordsCount };
}

export interface AssignedOffsets {
  summaries: BatchSummary[];
  lastOffset: bigint;
  maxTimestamp: bigint;
  offsetOfMaxTimestamp: bigint;
}

/**
 * Writes baseOffset and partitionLeaderEpoch into each header (outside the CRC). For
 * LogAppendTime also the timestamp type bit and maxTimestamp, which the CRC covers, so the CRC is
 * rewritten; a CreateTime topic clears a LogAppendTime bit a client set.
 */
export function assignOffsets(
  { batches, headers }: Pick<ValidatedBatches, 'batches' | 'headers'>,
  firstOffset: bigint,
  leaderEpoch: number,
  timestampType: MessageTimestampType,
  nowMs: bigint,
): AssignedOffsets {
  const summaries: BatchSummary[] = [];
  let next = firstOffset;
  let maxTimestamp = -1n;
  let offsetOfMaxTimestamp = -1n;
  for (let i = 0; i < batches.length; i++) {
    const batch = batches[i]!;
    const header = headers[i]!;
    setBatchBaseOffset(batch, next);
    setBatchPartitionLeaderEpoch(batch, leaderEpoch);
    let batchMax = header.maxTimestamp;
    if (timestampType === 'LogAppendTime') {
      setBatchMaxTimestamp(batch, TimestampType.LogAppendTime, nowMs);
      batchMax = nowMs;
    } else if (header.timestampType === TimestampType.LogAppendTime) {
      setBatchMaxTimestamp(batch, TimestampType.CreateTime, batchMax);
    }
    const lastOffset = next + BigInt(header.lastOffsetDelta);
    summaries.push({ size: batch.length, lastOffset, maxTimestamp: batchMax });
    if (batchMax > maxTimestamp) {
      maxTimestamp = batchMax;
      offsetOfMaxTimestamp = lastOffset;
    }
    next = lastOffset + 1n;
  }
  return { summaries, lastOffset: next - 1n, maxTimestamp, offsetOfMaxTimestamp };
}

/** Summaries of batches that keep their offsets (replication); offsets must increase from `logEndOffset`. */
export function summarizeReplicated({ batches, headers }: Pick<ValidatedBatches, 'batches' | 'headers'>, logEndOffset: bigint): AssignedOffsets {
  const summaries: BatchSummary[] = [];
  let expectedAtLeast = logEndOffset;
  let maxTimestamp = -1n;
  let offsetOfMaxTimestamp = -1n;
  for (let i = 0; i < batches.length; i++) {
    const header = headers[i]!;
    if (header.baseOffset < expectedAtLeast) {
      throw new InvalidRecordError(`offset ${header.baseOffset} appended at or before ${expectedAtLeast - 1n}`);
    }
    const lastOffset = header.baseOffset + BigInt(header.lastOffsetDelta);
    summaries.push({ size: batches[i]!.length, lastOffset, maxTimestamp: header.maxTimestamp });
    if (header.maxTimestamp > maxTimestamp) {
      maxTimestamp = header.maxTimestamp;
      offsetOfMaxTimestamp = lastOffset;
    }
    expectedAtLeast = lastOffset + 1n;
  }
  return { summaries, lastOffset: expectedAtLeast - 1n, maxTimestamp, offsetOfMaxTimestamp };
}

