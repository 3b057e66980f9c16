import { DecodeError, EncodeError } from '../../common/errors.js';
import { COMPRESSION_CODEC_MASK, CompressionCodec, toCompressionCodec } from '../compression/codec.js';
import { UnsupportedCompressionError } from '../compression/errors.js';
import { crc32 } from '../crc/crc32.js';
import { Reader } from '../reader.js';
import {
  BATCH_LENGTH_OFFSET,
  LEGACY_ATTRIBUTES_OFFSET,
  LEGACY_CRC_OFFSET,
  LEGACY_RECORD_OVERHEAD_V0,
  LEGACY_RECORD_OVERHEAD_V1,
  LEGACY_TIMESTAMP_OFFSET,
  LEGACY_TIMESTAMP_TYPE_MASK,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAGIC_V0,
  MAGIC_V1,
  NO_TIMESTAMP,
  TimestampType,
} from './constants.js';
import { CorruptRecordError } from './errors.js';

/**
 * One legacy message (magic v0 or v1) as stored: offset int64, messageSize int32, crc uint32
 * (CRC-32 IEEE over magic..end), magic int8, attributes int8, [v1: timestamp int64], key and
 * value as int32-length nullable bytes. A compressed message is a wrapper whose value holds an
 * inner message set; see legacy-message-set.ts.
 */

export type LegacyMagic = typeof MAGIC_V0 | typeof MAGIC_V1;

export interface LegacyMessage {
  offset: bigint;
  magic: LegacyMagic;
  attributes: number;
  compression: CompressionCodec;
  /** NoTimestampType for v0. */
  timestampType: TimestampType;
  /** -1 for v0. */
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
}

export function legacyRecordOverhead(magic: LegacyMagic): number {
  return magic === MAGIC_V0 ? LEGACY_RECORD_OVERHEAD_V0 : LEGACY_RECORD_OVERHEAD_V1;
}

function readNullableBytes(reader: Reader, what: string): Buffer | null {
  const size = reader.int32();
  if (size === -1) return null;
  if (size < 0) throw new DecodeError(`${what}: negative length ${size}`);
  return reader.raw(size, what);
}

/** Reads and checks the message at the start of `entry` (which may hold more after it). */
export function readLegacyMessage(entry: Buffer, verifyCrc = true): LegacyMessage {
  if (entry.length < LOG_OVERHEAD) throw new DecodeError(`legacy message: ${entry.length} bytes, log overhead needs ${LOG_OVERHEAD}`);
  const messageSize = entry.readInt32BE(BATCH_LENGTH_OFFSET);
  if (messageSize < LEGACY_RECORD_OVERHEAD_V0) throw new CorruptRecordError('size', `legacy message size ${messageSize} below ${LEGACY_RECORD_OVERHEAD_V0}`);
  const end = LOG_OVERHEAD + messageSize;
  if (entry.length < end) throw new DecodeError(`legacy message truncated: ${end} bytes declared, ${entry.length} present`);
  const magic = entry.readInt8(MAGIC_OFFSET);
  if (magic !== MAGIC_V0 && magic !== MAGIC_V1) throw new CorruptRecordError('magic', `legacy message magic ${magic}`);
  if (messageSize < legacyRecordOverhead(magic)) throw new CorruptRecordError('size', `v${magic} message size ${messageSize} too small`);
  if (verifyCrc) {
    const stored = entry.readUInt32BE(LEGACY_CRC_OFFSET);
    const computed = crc32(entry.subarray(MAGIC_OFFSET, end));
    if (stored !== computed) throw new CorruptRecordError('checksum', `message CRC 0x${stored.toString(16)} != computed 0x${computed.toString(16)}`);
  }
  const attributes = entry.readInt8(LEGACY_ATTRIBUTES_OFFSET);
  const compression = toCompressionCodec(attributes & COMPRESSION_CODEC_MASK);
  if (compression === CompressionCodec.Zstd) throw new UnsupportedCompressionError(compression, `zstd needs magic v2, message has v${magic}`);
  let timestampType: TimestampType = TimestampType.NoTimestampType;
  let timestamp = NO_TIMESTAMP;
  if (magic === MAGIC_V1) {
    timestampType = attributes & LEGACY_TIMESTAMP_TYPE_MASK ? TimestampType.LogAppendTime : TimestampType.CreateTime;
    timestamp = entry.readBigInt64BE(LEGACY_TIMESTAMP_OFFSET);
  }
  const reader = new Reader(entry, LEGACY_ATTRIBUTES_OFFSET + 1 + (magic === MAGIC_V1 ? 8 : 0), end);
  const key = readNullableBytes(reader, 'message key');
  const value = readNullableBytes(reader, 'message value');
  if (reader.remaining !== 0) throw new DecodeError(`legacy message: ${reader.remaining} bytes after its value`);
  return { offset: entry.readBigInt64BE(0), magic, attributes, compression, timestampType, timestamp, key, value };
}

/** Bytes of a log entry holding this message, overhead included. */
export function sizeOfLegacyMessage(magic: LegacyMagic, key: Buffer | null, value: Buffer | null): number {
  return LOG_OVERHEAD + legacyRecordOverhead(magic) + (key?.length ?? 0) + (value?.length ?? 0);
}

export interface LegacyMessageInput {
  offset: bigint;
  magic: LegacyMagic;
  attributes: number;
  /** Written for v1 only. */
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
}

/** Writes one message at `pos` of `buf` (sized with sizeOfLegacyMessage); returns the end. */
export function writeLegacyMessage(buf: Buffer, pos: number, message: LegacyMessageInput): number {
  const start = pos;
  const size = sizeOfLegacyMessage(message.magic, message.key, message.value);
  if (size - LOG_OVERHEAD > 0x7fffffff) throw new EncodeError(`legacy message of ${size} bytes is too large`);
  buf.writeBigInt64BE(message.offset, pos);
  buf.writeInt32BE(size - LOG_OVERHEAD, pos + BATCH_LENGTH_OFFSET);
  pos += MAGIC_OFFSET;
  buf.writeInt8(message.magic, pos++);
  buf.writeInt8(message.attributes, pos++);
  if (message.magic === MAGIC_V1) pos = buf.writeBigInt64BE(message.timestamp, pos);
  for (const field of [message.key, message.value]) {
    pos = buf.writeInt32BE(field === null ? -1 : field.length, pos);
    if (field !== null) pos += field.copy(buf, pos);
  }
  buf.writeUInt32BE(crc32(buf.subarray(start + MAGIC_OFFSET, pos)), start + LEGACY_CRC_OFFSET);
  return pos;
}
