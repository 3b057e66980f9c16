import { CompressionCodec } from '../compression/codec.js';
import { decompress, decompressSync } from '../compression/compress.js';
import { LOG_OVERHEAD, MAGIC_V0, MAGIC_V1, TimestampType } from './constants.js';
import { CorruptRecordError } from './errors.js';
import { type LegacyMagic, type LegacyMessage, readLegacyMessage } from './legacy-message.js';
import { entryMagic, splitCompleteRecordBatches } from './log-entries.js';

/**
 * Reads legacy message sets (magic v0 and v1) down to their records, opening compressed
 * wrappers: the wrapper's value is a compressed message set of uncompressed inner messages of
 * the same magic. In v1 the inner offsets are relative and the wrapper carries the absolute
 * offset of the last inner message; in v0 inner offsets are absolute.
 */

export interface LegacyRecord {
  offset: bigint;
  magic: LegacyMagic;
  timestampType: TimestampType;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  /** Codec of the wrapper the record came in; None for a plain message. */
  compression: CompressionCodec;
}

export interface DecodeLegacyOptions {
  /** Bound on each wrapper's decompressed inner message set. */
  maxUncompressedBytes: number;
  /** Check CRCs (default true). */
  validate?: boolean;
}

function plainRecord(message: LegacyMessage): LegacyRecord {
  const { offset, magic, timestampType, timestamp, key, value } = message;
  return { offset, magic, timestampType, timestamp, key, value, compression: CompressionCodec.None };
}

function innerRecords(wrapper: LegacyMessage, inner: Buffer, validate: boolean): LegacyRecord[] {
  const messages: LegacyMessage[] = [];
  let pos = 0;
  while (pos < inner.length) {
    const message = readLegacyMessage(inner.subarray(pos), validate);
    pos += LOG_OVERHEAD + inner.readInt32BE(pos + 8);
    if (message.compression !== CompressionCodec.None) throw new CorruptRecordError('structure', 'compressed message inside a compressed wrapper');
    if (message.magic !== wrapper.magic) {
      throw new CorruptRecordError('structure', `inner message magic ${message.magic} differs from its wrapper's ${wrapper.magic}`);
    }
    messages.push(message);
  }
  const last = messages[messages.length - 1];
  if (last === undefined) throw new CorruptRecordError('structure', 'compressed wrapper with no inner messages');
  const offsetBase = wrapper.magic === MAGIC_V0 ? 0n : wrapper.offset - last.offset;
  const logAppendTime = wrapper.magic === MAGIC_V1 && wrapper.timestampType === TimestampType.LogAppendTime;
  return messages.map((m) => ({
    offset: offsetBase + m.offset,
    magic: m.magic,
    timestampType: logAppendTime ? TimestampType.LogAppendTime : m.timestampType,
    timestamp: logAppendTime ? wrapper.timestamp : m.timestamp,
    key: m.key,
    value: m.value,
    compression: wrapper.compression,
  }));
}

function wrapperValue(message: LegacyMessage): Buffer {
  if (message.value === null) throw new CorruptRecordError('structure', 'compressed wrapper with a null value');
  return message.value;
}

/** Decodes one legacy log entry (from splitRecordBatches) into its records. */
export function decodeLegacyEntrySync(entry: Buffer, options: DecodeLegacyOptions): LegacyRecord[] {
  const validate = options.validate !== false;
  const message = readLegacyMessage(entry, validate);
  if (message.compression === CompressionCodec.None) return [plainRecord(message)];
  const inner = decompressSync(message.compression, wrapperValue(message), options.maxUncompressedBytes);
  return innerRecords(message, inner, validate);
}

export async function decodeLegacyEntry(entry: Buffer, options: DecodeLegacyOptions): Promise<LegacyRecord[]> {
  const validate = options.validate !== false;
  const message = readLegacyMessage(entry, validate);
  if (message.compression === CompressionCodec.None) return [plainRecord(message)];
  const inner = await decompress(message.compression, wrapperValue(message), options.maxUncompressedBytes);
  return innerRecords(message, inner, validate);
}

function legacyEntries(records: Buffer): Buffer[] {
  const entries = splitCompleteRecordBatches(records);
  for (const entry of entries) {
    const magic = entryMagic(entry);
    if (magic !== MAGIC_V0 && magic !== MAGIC_V1) throw new CorruptRecordError('magic', `message set holds a magic ${magic} entry`);
  }
  return entries;
}

/** Decodes a whole legacy message set (complete entries only) into its records. */
export function decodeLegacyMessageSetSync(records: Buffer, options: DecodeLegacyOptions): LegacyRecord[] {
  return legacyEntries(records).flatMap((entry) => decodeLegacyEntrySync(entry, options));
}

export async function decodeLegacyMessageSet(records: Buffer, options: DecodeLegacyOptions): Promise<LegacyRecord[]> {
  const out: LegacyRecord[] = [];
  for (const entry of legacyEntries(records)) out.push(...(await decodeLegacyEntry(entry, options)));
  return out;
}
