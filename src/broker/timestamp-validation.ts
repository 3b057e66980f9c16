/**
 * Kafka's record timestamp rule for CreateTime topics: every record's timestamp must lie within
 * [now - message.timestamp.before.max.ms, now + message.timestamp.after.max.ms]. The batch
 * header's maxTimestamp answers the "after" side without decoding; records are decoded only when
 * a bound might be broken, to name the records in the answer's recordErrors (as Kafka does).
 */
import { decodeRecordBatchSync, readRecordBatchHeader, splitCompleteRecordBatches, TimestampType } from '../protocol/index.js';

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

/** The records (by index across the request's batches) whose timestamps are out of range. */
export function timestampErrors(records: Buffer, rule: TimestampRule): RecordError[] {
  const low = BigInt(rule.nowMs) - BigInt(rule.beforeMaxMs);
  const high = BigInt(rule.nowMs) + BigInt(rule.afterMaxMs);
  const batches = splitCompleteRecordBatches(records);
  const suspicious = batches.some((b) => {
    const h = readRecordBatchHeader(b);
    return h.timestampType === TimestampType.CreateTime && (h.maxTimestamp > high || rule.beforeMaxMs < Number.MAX_SAFE_INTEGER);
  });
  if (!suspicious) return [];
  const errors: RecordError[] = [];
  let index = 0;
  for (const b of batches) {
    const batch = decodeRecordBatchSync(b, { maxUncompressedBytes: MAX_UNCOMPRESSED_BYTES });
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
