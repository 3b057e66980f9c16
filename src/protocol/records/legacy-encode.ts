import { EncodeError } from '../../common/errors.js';
import { CompressionCodec, toCompressionCodec } from '../compression/codec.js';
import { compress, compressSync } from '../compression/compress.js';
import { UnsupportedCompressionError } from '../compression/errors.js';
import { lz4CompressFrame } from '../compression/lz4-frame.js';
import { LEGACY_TIMESTAMP_TYPE_MASK, MAGIC_V0, MAGIC_V1, NO_TIMESTAMP, TimestampType } from './constants.js';
import { checkInt64 } from './int-range.js';
import { type LegacyMagic, type LegacyMessageInput, sizeOfLegacyMessage, writeLegacyMessage } from './legacy-message.js';

/**
 * Writes legacy message sets (magic v0 and v1), for Fetch v0-3 down-conversion. Compressed sets
 * are one wrapper message holding the compressed inner set; v1 inner offsets are relative to
 * the first record, and the wrapper carries the last record's absolute offset.
 */

export interface LegacyRecordInput {
  offset: bigint;
  /** v1 only; -1 when absent. */
  timestamp?: bigint;
  key: Buffer | null;
  value: Buffer | null;
}

export interface LegacyMessageSetInput {
  magic: LegacyMagic;
  records: LegacyRecordInput[];
  compression?: CompressionCodec;
  compressionLevel?: number;
  /** v1 only: CreateTime (default) or LogAppendTime. */
  timestampType?: TimestampType;
  /** v1 LogAppendTime: the wrapper's timestamp; defaults to the largest record timestamp. */
  logAppendTime?: bigint;
}

function writeMessages(messages: LegacyMessageInput[]): Buffer {
  const buf = Buffer.allocUnsafe(messages.reduce((sum, m) => sum + sizeOfLegacyMessage(m.magic, m.key, m.value), 0));
  let pos = 0;
  for (const message of messages) pos = writeLegacyMessage(buf, pos, message);
  return buf;
}

interface LegacyPlan {
  codec: CompressionCodec;
  timestampBit: number;
  inner: Buffer;
  wrapper: LegacyMessageInput;
}

/** The uncompressed message set, or for compression the inner set plus the wrapper to fill in. */
function plan(input: LegacyMessageSetInput): Buffer | LegacyPlan {
  const { magic, records } = input;
  if (magic !== MAGIC_V0 && magic !== MAGIC_V1) throw new EncodeError(`legacy magic must be 0 or 1, got ${String(magic)}`);
  const codec = toCompressionCodec(input.compression ?? CompressionCodec.None);
  if (codec === CompressionCodec.Zstd) throw new UnsupportedCompressionError(codec, `zstd needs magic v2, not v${magic}`);
  for (const record of records) {
    checkInt64('offset', record.offset);
    checkInt64('timestamp', record.timestamp);
  }
  checkInt64('logAppendTime', input.logAppendTime);
  const logAppendTime = magic === MAGIC_V1 && input.timestampType === TimestampType.LogAppendTime;
  const timestampBit = logAppendTime ? LEGACY_TIMESTAMP_TYPE_MASK : 0;
  const first = records[0];
  const last = records[records.length - 1];
  if (codec === CompressionCodec.None || first === undefined || last === undefined) {
    return writeMessages(records.map((r) => ({ ...r, magic, attributes: timestampBit, timestamp: r.timestamp ?? NO_TIMESTAMP })));
  }
  let maxTimestamp = NO_TIMESTAMP;
  const inner = writeMessages(
    records.map((r) => {
      const timestamp = r.timestamp ?? NO_TIMESTAMP;
      if (timestamp > maxTimestamp) maxTimestamp = timestamp;
      return { ...r, offset: magic === MAGIC_V0 ? r.offset : r.offset - first.offset, magic, attributes: timestampBit, timestamp };
    }),
  );
  const wrapperTimestamp = logAppendTime ? (input.logAppendTime ?? maxTimestamp) : maxTimestamp;
  const wrapper = { offset: last.offset, magic, attributes: codec | timestampBit, timestamp: wrapperTimestamp, key: null, value: null };
  return { codec, timestampBit, inner, wrapper };
}

function finish(p: LegacyPlan, compressed: Buffer): Buffer {
  return writeMessages([{ ...p.wrapper, value: compressed }]);
}

/** Kafka's magic v0 LZ4 framing has the old header checksum; other codecs are standard. */
function compressInnerSync(p: LegacyPlan, level: number | undefined): Buffer {
  if (p.codec === CompressionCodec.Lz4) return lz4CompressFrame(p.inner, { kafkaV0HeaderChecksum: p.wrapper.magic === MAGIC_V0 });
  return compressSync(p.codec, p.inner, level);
}

export function encodeLegacyMessageSetSync(input: LegacyMessageSetInput): Buffer {
  const p = plan(input);
  return Buffer.isBuffer(p) ? p : finish(p, compressInnerSync(p, input.compressionLevel));
}

export async function encodeLegacyMessageSet(input: LegacyMessageSetInput): Promise<Buffer> {
  const p = plan(input);
  if (Buffer.isBuffer(p)) return p;
  const compressed = p.codec === CompressionCodec.Lz4 ? compressInnerSync(p, undefined) : await compress(p.codec, p.inner, input.compressionLevel);
  return finish(p, compressed);
}
