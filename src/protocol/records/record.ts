import { DecodeError, EncodeError } from '../../common/errors.js';
import { Reader } from '../reader.js';
import { sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint.js';

/**
 * One record inside a v2 batch: length varint, attributes int8 (unused, 0), timestampDelta
 * varlong, offsetDelta varint, key and value as varint-length nullable bytes, then headers as a
 * varint count of (varint-length string key, varint-length nullable bytes value).
 */

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

/** A record to write (Kafka's SimpleRecord); the batch assigns offsets unless `offsetDelta` is given. */
export interface SimpleRecord {
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeader[];
  /** Position within the batch; defaults to the record's index. Compacted batches have gaps. */
  offsetDelta?: number;
}

/** A record read from a batch, with absolute offset and timestamp. Bytes are views of the input. */
export interface DecodedRecord {
  offset: bigint;
  offsetDelta: number;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

function sizeOfNullableBytes(value: Buffer | null): number {
  return value === null ? 1 : sizeOfVarint(value.length) + value.length;
}

/** Size of the record body (everything after its length varint). */
export function sizeOfRecordBody(record: SimpleRecord, offsetDelta: number, timestampDelta: bigint): number {
  let size = 1 + sizeOfVarlong(timestampDelta) + sizeOfVarint(offsetDelta);
  size += sizeOfNullableBytes(record.key) + sizeOfNullableBytes(record.value);
  const headers = record.headers ?? [];
  size += sizeOfVarint(headers.length);
  for (const header of headers) {
    const keySize = Buffer.byteLength(header.key, 'utf8');
    size += sizeOfVarint(keySize) + keySize + sizeOfNullableBytes(header.value);
  }
  if (size > 0x7fffffff) throw new EncodeError(`record of ${size} bytes is too large`);
  return size;
}

function writeNullableBytes(buf: Buffer, pos: number, value: Buffer | null): number {
  if (value === null) return writeVarint(buf, pos, -1);
  pos = writeVarint(buf, pos, value.length);
  return pos + value.copy(buf, pos);
}

/** Writes length varint + body at `pos`; `bodySize` comes from sizeOfRecordBody. Returns the end. */
export function writeRecord(
  buf: Buffer,
  pos: number,
  record: SimpleRecord,
  offsetDelta: number,
  timestampDelta: bigint,
  bodySize: number,
): number {
  pos = writeVarint(buf, pos, bodySize);
  buf[pos++] = 0; // attributes
  pos = writeVarlong(buf, pos, timestampDelta);
  pos = writeVarint(buf, pos, offsetDelta);
  pos = writeNullableBytes(buf, pos, record.key);
  pos = writeNullableBytes(buf, pos, record.value);
  const headers = record.headers ?? [];
  pos = writeVarint(buf, pos, headers.length);
  for (const header of headers) {
    const keySize = Buffer.byteLength(header.key, 'utf8');
    pos = writeVarint(buf, pos, keySize);
    pos += buf.write(header.key, pos, keySize, 'utf8');
    pos = writeNullableBytes(buf, pos, header.value);
  }
  return pos;
}

function readNullableBytes(reader: Reader, what: string): Buffer | null {
  const size = reader.varint();
  if (size === -1) return null;
  if (size < 0) throw new DecodeError(`${what}: negative length ${size}`);
  return reader.raw(size, what);
}

/** Fields of one record as stored, before the batch's base values are applied. */
export interface RecordFields {
  timestampDelta: bigint;
  offsetDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

/** Reads one record; lengths and counts are checked against the bytes of that record alone. */
export function readRecord(reader: Reader): RecordFields {
  const bodySize = reader.varint();
  if (bodySize < 0) throw new DecodeError(`record: negative length ${bodySize}`);
  reader.need(bodySize, 'record');
  const body = new Reader(reader.buf, reader.offset, reader.offset + bodySize);
  reader.offset += bodySize;
  body.int8(); // attributes: unused in v2
  const timestampDelta = body.varlong();
  const offsetDelta = body.varint();
  const key = readNullableBytes(body, 'record key');
  const value = readNullableBytes(body, 'record value');
  const headerCount = body.varint();
  if (headerCount < 0) throw new DecodeError(`record: negative header count ${headerCount}`);
  if (headerCount * 2 > body.remaining) throw new DecodeError(`record: ${headerCount} headers in ${body.remaining} bytes`);
  const headers: RecordHeader[] = [];
  for (let i = 0; i < headerCount; i++) {
    const keySize = body.varint();
    if (keySize < 0) throw new DecodeError(`record header: negative key length ${keySize}`);
    const headerKey = body.raw(keySize, 'record header key').toString('utf8');
    headers.push({ key: headerKey, value: readNullableBytes(body, 'record header value') });
  }
  if (body.remaining !== 0) throw new DecodeError(`record: ${body.remaining} bytes left after its headers`);
  return { timestampDelta, offsetDelta, key, value, headers };
}
