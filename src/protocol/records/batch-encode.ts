import { EncodeError } from '../../common/errors.js';
import { CompressionCodec, toCompressionCodec } from '../compression/codec.js';
import { compress, compressSync } from '../compression/compress.js';
import { crc32c } from '../crc/crc32c.js';
import {
  ATTRIBUTES_OFFSET,
  BASE_OFFSET_OFFSET,
  BASE_SEQUENCE_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  BATCH_LENGTH_OFFSET,
  CONTROL_FLAG_MASK,
  CRC_OFFSET,
  DELETE_HORIZON_FLAG_MASK,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAGIC_V2,
  MAX_TIMESTAMP_OFFSET,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  NO_TIMESTAMP,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORD_BATCH_OVERHEAD,
  RECORDS_COUNT_OFFSET,
  TIMESTAMP_TYPE_MASK,
  TimestampType,
  TRANSACTIONAL_FLAG_MASK,
} from './constants.js';
import { checkInt, checkInt64 } from './int-range.js';
import { type SimpleRecord, sizeOfRecordBody, writeRecord } from './record.js';
import { sizeOfVarint } from './varint.js';

/**
 * Writes record batches (magic v2). Sizes are computed first so an uncompressed batch is written
 * into one buffer in one pass; a compressed one writes its records, compresses them, and copies
 * the result once behind the header. The CRC-32C is computed last, over attributes..end.
 */

export interface RecordBatchInput {
  records: SimpleRecord[];
  baseOffset?: bigint;
  partitionLeaderEpoch?: number;
  compression?: CompressionCodec;
  /** gzip or zstd level; see the compression module. */
  compressionLevel?: number;
  timestampType?: TimestampType;
  isTransactional?: boolean;
  isControl?: boolean;
  /** Sets the delete-horizon attribute; baseTimestamp becomes this value (compaction). */
  deleteHorizonMs?: bigint;
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
  /** Defaults to the first record's timestamp (or -1 without records). */
  baseTimestamp?: bigint;
  /** Defaults to the largest record timestamp (or -1 without records). */
  maxTimestamp?: bigint;
  /** Defaults to the last record's offsetDelta (0 without records). */
  lastOffsetDelta?: number;
}

interface BatchPlan {
  input: RecordBatchInput;
  codec: CompressionCodec;
  attributes: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  lastOffsetDelta: number;
  offsetDeltas: number[];
  bodySizes: number[];
  recordsSize: number;
}

function planBatch(input: RecordBatchInput): BatchPlan {
  const codec = toCompressionCodec(input.compression ?? CompressionCodec.None);
  const timestampType = input.timestampType ?? TimestampType.CreateTime;
  if (timestampType !== TimestampType.CreateTime && timestampType !== TimestampType.LogAppendTime) {
    throw new EncodeError(`record batches carry CreateTime or LogAppendTime, not ${timestampType}`);
  }
  let attributes = codec;
  if (timestampType === TimestampType.LogAppendTime) attributes |= TIMESTAMP_TYPE_MASK;
  if (input.isTransactional) attributes |= TRANSACTIONAL_FLAG_MASK;
  if (input.isControl) attributes |= CONTROL_FLAG_MASK;
  if (input.deleteHorizonMs !== undefined) attributes |= DELETE_HORIZON_FLAG_MASK;
  const records = input.records;
  const baseTimestamp = input.deleteHorizonMs ?? input.baseTimestamp ?? records[0]?.timestamp ?? NO_TIMESTAMP;
  let maxTimestamp = NO_TIMESTAMP;
  const offsetDeltas: number[] = [];
  const bodySizes: number[] = [];
  let recordsSize = 0;
  let previousDelta = -1;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    const offsetDelta = checkInt('offsetDelta', record.offsetDelta ?? i, 32);
    if (offsetDelta <= previousDelta) throw new EncodeError(`offsetDelta ${offsetDelta} after ${previousDelta}: must increase`);
    previousDelta = offsetDelta;
    if (record.timestamp > maxTimestamp) maxTimestamp = record.timestamp;
    const bodySize = sizeOfRecordBody(record, offsetDelta, record.timestamp - baseTimestamp);
    offsetDeltas.push(offsetDelta);
    bodySizes.push(bodySize);
    recordsSize += sizeOfVarint(bodySize) + bodySize;
  }
  const lastOffsetDelta = checkInt('lastOffsetDelta', input.lastOffsetDelta ?? Math.max(previousDelta, 0), 32);
  if (lastOffsetDelta < previousDelta) throw new EncodeError(`lastOffsetDelta ${lastOffsetDelta} below the last record's ${previousDelta}`);
  if (RECORD_BATCH_OVERHEAD + recordsSize > 0x7fffffff) throw new EncodeError(`batch of ${recordsSize} record bytes is too large`);
  maxTimestamp = input.maxTimestamp ?? maxTimestamp;
  return { input, codec, attributes, baseTimestamp, maxTimestamp, lastOffsetDelta, offsetDeltas, bodySizes, recordsSize };
}

function writeRecords(plan: BatchPlan, buf: Buffer, start: number): void {
  let pos = start;
  const records = plan.input.records;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    pos = writeRecord(buf, pos, record, plan.offsetDeltas[i]!, record.timestamp - plan.baseTimestamp, plan.bodySizes[i]!);
  }
}

/** Writes the header into `batch` (records already at byte 61) and then the CRC. */
function writeHeader(plan: BatchPlan, batch: Buffer): Buffer {
  const input = plan.input;
  batch.writeBigInt64BE(input.baseOffset ?? 0n, BASE_OFFSET_OFFSET);
  batch.writeInt32BE(batch.length - LOG_OVERHEAD, BATCH_LENGTH_OFFSET);
  batch.writeInt32BE(input.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH, PARTITION_LEADER_EPOCH_OFFSET);
  batch.writeInt8(MAGIC_V2, MAGIC_OFFSET);
  batch.writeInt16BE(plan.attributes, ATTRIBUTES_OFFSET);
  batch.writeInt32BE(plan.lastOffsetDelta, LAST_OFFSET_DELTA_OFFSET);
  batch.writeBigInt64BE(plan.baseTimestamp, BASE_TIMESTAMP_OFFSET);
  batch.writeBigInt64BE(plan.maxTimestamp, MAX_TIMESTAMP_OFFSET);
  batch.writeBigInt64BE(input.producerId ?? NO_PRODUCER_ID, PRODUCER_ID_OFFSET);
  batch.writeInt16BE(input.producerEpoch ?? NO_PRODUCER_EPOCH, PRODUCER_EPOCH_OFFSET);
  batch.writeInt32BE(input.baseSequence ?? NO_SEQUENCE, BASE_SEQUENCE_OFFSET);
  batch.writeInt32BE(plan.input.records.length, RECORDS_COUNT_OFFSET);
  batch.writeUInt32BE(crc32c(batch.subarray(ATTRIBUTES_OFFSET)), CRC_OFFSET);
  return batch;
}

function uncompressedRecords(plan: BatchPlan): Buffer {
  const records = Buffer.allocUnsafe(plan.recordsSize);
  writeRecords(plan, records, 0);
  return records;
}

function withCompressedRecords(plan: BatchPlan, compressed: Buffer): Buffer {
  const batch = Buffer.allocUnsafe(RECORD_BATCH_OVERHEAD + compressed.length);
  compressed.copy(batch, RECORD_BATCH_OVERHEAD);
  return writeHeader(plan, batch);
}

/** Range checks up front, so a bad field is an EncodeError rather than a RangeError midway. */
function plan(input: RecordBatchInput): BatchPlan {
  for (const name of ['baseOffset', 'producerId', 'baseTimestamp', 'maxTimestamp', 'deleteHorizonMs'] as const) checkInt64(name, input[name]);
  for (const record of input.records) checkInt64('timestamp', record.timestamp);
  if (input.partitionLeaderEpoch !== undefined) checkInt('partitionLeaderEpoch', input.partitionLeaderEpoch, 32);
  if (input.producerEpoch !== undefined) checkInt('producerEpoch', input.producerEpoch, 16);
  if (input.baseSequence !== undefined) checkInt('baseSequence', input.baseSequence, 32);
  return planBatch(input);
}

function withUncompressedRecords(p: BatchPlan): Buffer {
  const batch = Buffer.allocUnsafe(RECORD_BATCH_OVERHEAD + p.recordsSize);
  writeRecords(p, batch, RECORD_BATCH_OVERHEAD);
  return writeHeader(p, batch);
}

export function encodeRecordBatchSync(input: RecordBatchInput): Buffer {
  const p = plan(input);
  if (p.codec === CompressionCodec.None) return withUncompressedRecords(p);
  return withCompressedRecords(p, compressSync(p.codec, uncompressedRecords(p), input.compressionLevel));
}

/** As encodeRecordBatchSync; gzip and zstd compress on the thread pool. */
export async function encodeRecordBatch(input: RecordBatchInput): Promise<Buffer> {
  const p = plan(input);
  if (p.codec === CompressionCodec.None) return withUncompressedRecords(p);
  return withCompressedRecords(p, await compress(p.codec, uncompressedRecords(p), input.compressionLevel));
}
