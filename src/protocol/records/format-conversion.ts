import { CompressionCodec } from '../compression/codec.js';
import type { RecordBatch } from './batch-decode.js';
import type { RecordBatchInput } from './batch-encode.js';
import { MAGIC_V0, NO_TIMESTAMP, TimestampType } from './constants.js';
import { type LegacyMessageSetInput, encodeLegacyMessageSet, encodeLegacyMessageSetSync } from './legacy-encode.js';
import type { LegacyMagic } from './legacy-message.js';
import type { LegacyRecord } from './legacy-message-set.js';

/**
 * Conversions between record batches (v2) and legacy message sets (v0, v1), as the broker needs
 * them: down for Fetch v0-3 consumers, up for Produce v0-2 producers. What the older format
 * cannot hold is dropped as Kafka drops it: record headers, control batches (transaction
 * markers), producer ids and sequences; v0 also loses timestamps. A zstd batch cannot go down
 * (UnsupportedCompressionError; Kafka answers UNSUPPORTED_COMPRESSION_TYPE).
 */

/** The legacy form of one batch, or null for a control batch (old consumers never see them). */
export function recordBatchToLegacyInput(batch: RecordBatch, magic: LegacyMagic): LegacyMessageSetInput | null {
  if (batch.isControl) return null;
  return {
    magic,
    compression: batch.compression,
    timestampType: magic === MAGIC_V0 ? TimestampType.NoTimestampType : batch.timestampType,
    logAppendTime: batch.timestampType === TimestampType.LogAppendTime ? batch.maxTimestamp : undefined,
    records: batch.records.map((r) => ({
      offset: r.offset,
      timestamp: magic === MAGIC_V0 ? NO_TIMESTAMP : r.timestamp,
      key: r.key,
      value: r.value,
    })),
  };
}

/** Down-converts decoded batches to one legacy message set, each batch keeping its codec. */
export function downConvertRecordBatchesSync(batches: RecordBatch[], magic: LegacyMagic): Buffer {
  const parts: Buffer[] = [];
  for (const batch of batches) {
    const input = recordBatchToLegacyInput(batch, magic);
    if (input !== null) parts.push(encodeLegacyMessageSetSync(input));
  }
  return Buffer.concat(parts);
}

export async function downConvertRecordBatches(batches: RecordBatch[], magic: LegacyMagic): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const batch of batches) {
    const input = recordBatchToLegacyInput(batch, magic);
    if (input !== null) parts.push(await encodeLegacyMessageSet(input));
  }
  return Buffer.concat(parts);
}

/**
 * Up-converts legacy records to the input of one record batch. Offsets are renumbered from the
 * first record's (the broker assigns real offsets on append, as Kafka does for old producers);
 * v0 records get no timestamp (-1). The codec defaults to the one the records arrived in.
 */
export function legacyRecordsToRecordBatchInput(
  records: LegacyRecord[],
  options: { compression?: CompressionCodec } = {},
): RecordBatchInput {
  const first = records[0];
  const logAppendTime = first?.timestampType === TimestampType.LogAppendTime;
  return {
    baseOffset: first?.offset ?? 0n,
    compression: options.compression ?? first?.compression ?? CompressionCodec.None,
    timestampType: logAppendTime ? TimestampType.LogAppendTime : TimestampType.CreateTime,
    records: records.map((r, index) => ({ offsetDelta: index, timestamp: r.timestamp, key: r.key, value: r.value })),
  };
}
