/**
 * Kafka's record timestamp rule for CreateTime topics: every record's timestamp must lie within
 * [now - message.timestamp.before.max.ms, now + message.timestamp.after.max.ms]. This runs on
 * every produce, so the common case reads two header fields per batch in place (maxTimestamp
 * answers the "after" side); records are decoded only when a bound might be broken, to name the
 * records in the answer's recordErrors (as Kafka does).
 */
import {
  ATTRIBUTES_OFFSET, BATCH_LENGTH_OFFSET, LOG_OVERHEAD, MAX_TIMESTAMP_OFFSET, MIN_BATCH_LENGTH, TIMESTAMP_TYPE_MASK,
  decodeRecordBatchSync, splitCompleteRecordBatches, TimestampType,
} from '../protocol/index.js';

export interface RecordError {
  batchIndex: number;
  batchIndexErrorMessage: string | null;
}

export interface TimestampRule {
  nowMs: number;
  beforeMaxMs: number;
  afterMaxMs: number;
}

const MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024;
/** topic configs saturate Long.MAX_VALUE ("no bound") to this. */
const UNBOUNDED_MS = Number.MAX_SAFE_INTEGER;

/** Whether some CreateTime batch could hold a record outside the bounds (header fields only). */
function mightBreak(records: Buffer, rule: TimestampRule, high: bigint): boolean {
  if (rule.beforeMaxMs < UNBOUNDED_MS) return true;
  let at = 0;
  // The append validates every batch next; anything malformed here is left to it.
  while (at + MAX_TIMESTAMP_OFFSET + 8 <= records.length) {
    const createTime = (records.readInt16BE(at + ATTRIBUTES_OFFSET) & TIMESTAMP_TYPE_MASK) === 0;
    if (createTime && records.readBigInt64BE(at + MAX_TIMESTAMP_OFFSET) > high) return true;
    const batchLength = records.readInt32BE(at + BATCH_LENGTH_OFFSET);
    if (batchLength < MIN_BATCH_LENGTH) return false;
    at += LOG_OVERHEAD + batchLength;
  }
  return false;
}

/** The records (by index across the request's batches) whose timestamps are out of range. */
export function timestampErrors(records: Buffer, rule: TimestampRule): RecordError[] {
  const low = BigInt(rule.nowMs) - BigInt(rule.beforeMaxMs);
  const high = BigInt(rule.nowMs) + BigInt(rule.afterMaxMs);
  if (!mightBreak(records, rule, high)) return [];
  const errors: RecordError[] = [];
  let index = 0;
  for (const b of splitCompleteRecordBatches(records)) {
    let batch;
    try {
      batch = decodeRecordBatchSync(b, { maxUncompressedBytes: MAX_UNCOMPRESSED_BYTES });
    } catch {
      // A batch that does not decode is refused by the append's own validation, with its code.
      return [];
    }
    for (const r of batch.records) {
      if (batch.timestampType === TimestampType.CreateTime && (r.timestamp < low || r.timestamp > high)) {
        errors.push({
          batchIndex: index,
          batchIndexErrorMessage: `Timestamp ${r.timestamp} of message with offset ${r.offsetDelta} is out of range. The timestamp should be within [${low}, ${high}]`,
        });
      }
      index++;
    }
  }
  return errors;
}
