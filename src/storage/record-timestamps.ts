/**
 * The one place the log looks inside a batch: the offset and timestamp of each record, for
 * ListOffsets by timestamp (LogAppendTime batches give every record the batch's maxTimestamp).
 */
import { decodeRecordBatch } from '../protocol/records/index.js';

export interface RecordTimestamp {
  offset: bigint;
  timestamp: bigint;
}

/** Largest decompressed batch looked into (a bound against compression bombs). */
const MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

/** Offsets and timestamps of the records of a stored (already validated) batch, in order. */
export async function recordTimestamps(batch: Buffer): Promise<RecordTimestamp[]> {
  const decoded = await decodeRecordBatch(batch, { maxUncompressedBytes: MAX_DECOMPRESSED_BYTES, validate: false });
  return decoded.records.map((r) => ({ offset: r.offset, timestamp: r.timestamp }));
}
