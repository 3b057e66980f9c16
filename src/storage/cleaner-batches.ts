/**
 * What the cleaner keeps of one stored batch (Kafka's MemoryRecords.filterTo with the
 * cleaner's retention rule): a batch of an aborted transaction goes whole; otherwise a record
 * survives when its key has no later offset in the offset map; keyless records go; a tombstone
 * (null value) survives until its batch's delete horizon (KIP-534), which the first cleaning that
 * keeps it sets to now + delete.retention.ms. Control batches (transaction markers) stay as they
 * are. A batch losing nothing is kept byte for byte; otherwise the
 * survivors are written into a batch with the same base offset, last offset delta, producer
 * fields, epoch and compression, so offsets never change. An emptied batch is dropped.
 */
import {
  decodeRecordBatch,
  encodeRecordBatch,
  readRecordBatchHeader,
  type SimpleRecord,
  TimestampType,
} from '../protocol/records/index.js';
import type { CleanerOffsetMap } from './cleaner-offset-map.js';

const MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024;

export interface FilterContext {
  map: CleanerOffsetMap;
  /** Batches from here on were not mapped: kept as they are. */
  endOffset: bigint;
  nowMs: bigint;
  deleteRetentionMs: bigint;
}

export interface FilteredBatch {
  /** The batch to write (the input itself when unchanged), or null when nothing survives. */
  bytes: Buffer | null;
  /** The delete horizon of surviving tombstones, or null when none survive. */
  deleteHorizonMs: bigint | null;
  recordsRemoved: number;
}

/** `aborted`: the batch holds records of an aborted transaction (see AbortedTxnTracker). */
export async function filterBatch(batch: Buffer, ctx: FilterContext, aborted: boolean): Promise<FilteredBatch> {
  const header = readRecordBatchHeader(batch);
  if (header.isControl || header.baseOffset >= ctx.endOffset) return { bytes: batch, deleteHorizonMs: null, recordsRemoved: 0 };
  if (aborted) return { bytes: null, deleteHorizonMs: null, recordsRemoved: header.recordsCount };
  const decoded = await decodeRecordBatch(batch, { maxUncompressedBytes: MAX_UNCOMPRESSED_BYTES, validate: false });
  const existingHorizon = header.hasDeleteHorizon ? header.baseTimestamp : null;
  const kept: SimpleRecord[] = [];
  let tombstones = 0;
  for (const r of decoded.records) {
    if (r.key === null) continue;
    const latest = ctx.map.get(r.key);
    if (latest >= 0n && r.offset < latest) continue;
    if (r.value === null) {
      if (existingHorizon !== null && ctx.nowMs >= existingHorizon) continue;
      tombstones++;
    }
    kept.push({ timestamp: r.timestamp, key: r.key, value: r.value, headers: r.headers, offsetDelta: r.offsetDelta });
  }
  const recordsRemoved = decoded.records.length - kept.length;
  const horizon = tombstones === 0 ? null : (existingHorizon ?? ctx.nowMs + ctx.deleteRetentionMs);
  if (kept.length === 0) return { bytes: null, deleteHorizonMs: null, recordsRemoved };
  if (recordsRemoved === 0 && horizon === existingHorizon) return { bytes: batch, deleteHorizonMs: horizon, recordsRemoved };
  const logAppendTime = header.timestampType === TimestampType.LogAppendTime;
  const bytes = await encodeRecordBatch({
    records: kept,
    baseOffset: header.baseOffset,
    partitionLeaderEpoch: header.partitionLeaderEpoch,
    compression: header.compression,
    timestampType: header.timestampType,
    isTransactional: header.isTransactional,
    producerId: header.producerId,
    producerEpoch: header.producerEpoch,
    baseSequence: header.baseSequence,
    lastOffsetDelta: header.lastOffsetDelta,
    ...(logAppendTime ? { maxTimestamp: header.maxTimestamp } : {}),
    ...(horizon !== null ? { deleteHorizonMs: horizon } : {}),
  });
  return { bytes, deleteHorizonMs: horizon, recordsRemoved };
}
