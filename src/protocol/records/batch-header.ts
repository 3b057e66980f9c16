import { DecodeError } from '../../common/errors.js';
import { COMPRESSION_CODEC_MASK, type CompressionCodec, toCompressionCodec } from '../compression/codec.js';
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
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORD_BATCH_OVERHEAD,
  RECORDS_COUNT_OFFSET,
  TIMESTAMP_TYPE_MASK,
  TimestampType,
  TRANSACTIONAL_FLAG_MASK,
} from './constants.js';
import { CorruptRecordError } from './errors.js';

/**
 * The record batch header (magic v2), read and checked without touching the records: the
 * broker's produce path. Everything here works on views of the caller's buffer, never copies.
 */

export interface RecordBatchHeader {
  baseOffset: bigint;
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  compression: CompressionCodec;
  timestampType: TimestampType;
  isTransactional: boolean;
  isControl: boolean;
  hasDeleteHorizon: boolean;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
}

/** Bytes of the batch at `offset`: batchLength + 12. Needs the 12-byte log overhead present. */
export function recordBatchSize(buf: Buffer, offset = 0): number {
  if (buf.length - offset < LOG_OVERHEAD) throw new DecodeError(`batch: ${buf.length - offset} bytes, log overhead needs ${LOG_OVERHEAD}`);
  return buf.readInt32BE(offset + BATCH_LENGTH_OFFSET) + LOG_OVERHEAD;
}

/**
 * Checks the batch at `offset`: present in full (DecodeError if not), magic 2, batchLength at
 * least the header, a known codec, a non-negative count, and the CRC-32C over attributes..end
 * (CorruptRecordError). Returns the batch size in bytes, so callers can step to the next batch.
 */
export function validateRecordBatch(buf: Buffer, offset = 0): number {
  const size = recordBatchSize(buf, offset);
  if (buf.length - offset <= MAGIC_OFFSET) throw new DecodeError(`batch truncated before its magic byte`);
  const magic = buf.readInt8(offset + MAGIC_OFFSET);
  if (magic !== MAGIC_V2) throw new CorruptRecordError('magic', `record batch magic ${magic}, expected ${MAGIC_V2}`);
  if (size < RECORD_BATCH_OVERHEAD) throw new CorruptRecordError('size', `batchLength ${size - LOG_OVERHEAD} below the header size`);
  if (buf.length - offset < size) throw new DecodeError(`batch truncated: batchLength says ${size} bytes, ${buf.length - offset} present`);
  const stored = buf.readUInt32BE(offset + CRC_OFFSET);
  const computed = crc32c(buf.subarray(offset + ATTRIBUTES_OFFSET, offset + size));
  if (stored !== computed) {
    throw new CorruptRecordError('checksum', `record batch CRC 0x${stored.toString(16)} != computed 0x${computed.toString(16)}`);
  }
  toCompressionCodec(buf.readInt16BE(offset + ATTRIBUTES_OFFSET) & COMPRESSION_CODEC_MASK);
  const count = buf.readInt32BE(offset + RECORDS_COUNT_OFFSET);
  if (count < 0) throw new CorruptRecordError('structure', `negative recordsCount ${count}`);
  return size;
}

/** Reads the header fields of the batch at `offset` (no CRC check; see validateRecordBatch). */
export function readRecordBatchHeader(buf: Buffer, offset = 0): RecordBatchHeader {
  if (buf.length - offset < RECORD_BATCH_OVERHEAD) throw new DecodeError(`batch header truncated: ${buf.length - offset} bytes`);
  const magic = buf.readInt8(offset + MAGIC_OFFSET);
  if (magic !== MAGIC_V2) throw new CorruptRecordError('magic', `record batch magic ${magic}, expected ${MAGIC_V2}`);
  const attributes = buf.readInt16BE(offset + ATTRIBUTES_OFFSET);
  return {
    baseOffset: buf.readBigInt64BE(offset + BASE_OFFSET_OFFSET),
    batchLength: buf.readInt32BE(offset + BATCH_LENGTH_OFFSET),
    partitionLeaderEpoch: buf.readInt32BE(offset + PARTITION_LEADER_EPOCH_OFFSET),
    magic,
    crc: buf.readUInt32BE(offset + CRC_OFFSET),
    attributes,
    compression: toCompressionCodec(attributes & COMPRESSION_CODEC_MASK),
    timestampType: attributes & TIMESTAMP_TYPE_MASK ? TimestampType.LogAppendTime : TimestampType.CreateTime,
    isTransactional: (attributes & TRANSACTIONAL_FLAG_MASK) !== 0,
    isControl: (attributes & CONTROL_FLAG_MASK) !== 0,
    hasDeleteHorizon: (attributes & DELETE_HORIZON_FLAG_MASK) !== 0,
    lastOffsetDelta: buf.readInt32BE(offset + LAST_OFFSET_DELTA_OFFSET),
    baseTimestamp: buf.readBigInt64BE(offset + BASE_TIMESTAMP_OFFSET),
    maxTimestamp: buf.readBigInt64BE(offset + MAX_TIMESTAMP_OFFSET),
    producerId: buf.readBigInt64BE(offset + PRODUCER_ID_OFFSET),
    producerEpoch: buf.readInt16BE(offset + PRODUCER_EPOCH_OFFSET),
    baseSequence: buf.readInt32BE(offset + BASE_SEQUENCE_OFFSET),
    recordsCount: buf.readInt32BE(offset + RECORDS_COUNT_OFFSET),
  };
}

/** The CRC-32C a batch should carry: attributes to the end. */
export function computeRecordBatchCrc(batch: Buffer): number {
  return crc32c(batch.subarray(ATTRIBUTES_OFFSET, recordBatchSize(batch)));
}

/** Writes baseOffset in place; it sits outside the CRC, so the batch stays valid. */
export function setBatchBaseOffset(batch: Buffer, baseOffset: bigint): void {
  batch.writeBigInt64BE(baseOffset, BASE_OFFSET_OFFSET);
}

/** Writes partitionLeaderEpoch in place; outside the CRC too. */
export function setBatchPartitionLeaderEpoch(batch: Buffer, partitionLeaderEpoch: number): void {
  batch.writeInt32BE(partitionLeaderEpoch, PARTITION_LEADER_EPOCH_OFFSET);
}

/**
 * Sets the timestamp type bit and maxTimestamp in place and rewrites the CRC (both are inside
 * it): what the broker does for topics with message.timestamp.type=LogAppendTime.
 */
export function setBatchMaxTimestamp(batch: Buffer, timestampType: TimestampType, maxTimestamp: bigint): void {
  const attributes = batch.readInt16BE(ATTRIBUTES_OFFSET);
  const withType = timestampType === TimestampType.LogAppendTime ? attributes | TIMESTAMP_TYPE_MASK : attributes & ~TIMESTAMP_TYPE_MASK;
  batch.writeInt16BE(withType, ATTRIBUTES_OFFSET);
  batch.writeBigInt64BE(maxTimestamp, MAX_TIMESTAMP_OFFSET);
  batch.writeUInt32BE(computeRecordBatchCrc(batch), CRC_OFFSET);
}

/** baseOffset + lastOffsetDelta, read straight from the header. */
export function batchLastOffset(batch: Buffer): bigint {
  return batch.readBigInt64BE(BASE_OFFSET_OFFSET) + BigInt(batch.readInt32BE(LAST_OFFSET_DELTA_OFFSET));
}
