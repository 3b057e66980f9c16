import { DecodeError } from '../common/errors.js';
import { type Uuid, uuidFromBytes } from './uuid.js';

const EMPTY = Buffer.alloc(0);

/**
 * Reads Kafka's primitive types from a buffer. Every read checks the bytes left first, so a
 * length or count that claims more than the buffer holds is a DecodeError, never an allocation.
 */
export class Reader {
  readonly buf: Buffer;
  offset: number;
  readonly end: number;

  constructor(buf: Buffer, offset = 0, end = buf.length) {
    this.buf = buf;
    this.offset = offset;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  need(size: number, what: string): void {
    if (size > this.end - this.offset) {
      throw new DecodeError(`${what}: needs ${size} bytes at offset ${this.offset}, ${this.end - this.offset} left`);
    }
  }

  int8(): number {
    this.need(1, 'int8');
    return this.buf.readInt8(this.offset++);
  }

  uint8(): number {
    this.need(1, 'uint8');
    return this.buf[this.offset++]!;
  }

  bool(): boolean {
    return this.int8() !== 0;
  }

  int16(): number {
    this.need(2, 'int16');
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  uint16(): number {
    this.need(2, 'uint16');
    const v = this.buf.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  int32(): number {
    this.need(4, 'int32');
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  uint32(): number {
    this.need(4, 'uint32');
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  int64(): bigint {
    this.need(8, 'int64');
    const v = this.buf.readBigInt64BE(this.offset);
    this.offset += 8;
    return v;
  }

  float64(): number {
    this.need(8, 'float64');
    const v = this.buf.readDoubleBE(this.offset);
    this.offset += 8;
    return v;
  }

  uuid(): Uuid {
    this.need(16, 'uuid');
    const v = uuidFromBytes(this.buf, this.offset);
    this.offset += 16;
    return v;
  }

  /** Unsigned varint of at most 32 bits (5 bytes); longer encodings are rejected. */
  uvarint(): number {
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      if (this.offset >= this.end) throw new DecodeError(`uvarint: truncated at offset ${this.offset}`);
      const byte = this.buf[this.offset++]!;
      if (i === 4 && byte > 0x0f) throw new DecodeError(`uvarint: more than 32 bits at offset ${this.offset - 1}`);
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
    throw new DecodeError(`uvarint: longer than 5 bytes at offset ${this.offset}`);
  }

  /** Zig-zag signed varint of at most 32 bits. */
  varint(): number {
    const u = this.uvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  /** Unsigned varint of at most 64 bits (10 bytes). */
  uvarlong(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.offset >= this.end) throw new DecodeError(`uvarlong: truncated at offset ${this.offset}`);
      const byte = this.buf[this.offset++]!;
      if (i === 9 && byte > 0x01) throw new DecodeError(`uvarlong: more than 64 bits at offset ${this.offset - 1}`);
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
    throw new DecodeError(`uvarlong: longer than 10 bytes at offset ${this.offset}`);
  }

  /** Zig-zag signed varint of at most 64 bits. */
  varlong(): bigint {
    const u = this.uvarlong();
    return (u >> 1n) ^ -(u & 1n);
  }

  /** Raw bytes without a length prefix; a view into the input, not a copy. */
  raw(size: number, what = 'bytes'): Buffer {
    if (size < 0) throw new DecodeError(`${what}: negative length ${size}`);
    // One shared empty buffer: a flood of empty fields costs no allocation per field.
    if (size === 0) return EMPTY;
    this.need(size, what);
    const v = this.buf.subarray(this.offset, this.offset + size);
    this.offset += size;
    return v;
  }

  private utf8(size: number): string {
    this.need(size, 'string');
    const v = this.buf.toString('utf8', this.offset, this.offset + size);
    this.offset += size;
    return v;
  }

  string(): string {
    const size = this.int16();
    if (size < 0) throw new DecodeError(`string: null where a value is required at offset ${this.offset - 2}`);
    return this.utf8(size);
  }

  nullableString(): string | null {
    const size = this.int16();
    if (size === -1) return null;
    if (size < 0) throw new DecodeError(`string: bad length ${size}`);
    return this.utf8(size);
  }

  compactString(): string {
    const size = this.uvarint();
    if (size === 0) throw new DecodeError(`compact string: null where a value is required at offset ${this.offset - 1}`);
    return this.utf8(size - 1);
  }

  compactNullableString(): string | null {
    const size = this.uvarint();
    if (size === 0) return null;
    return this.utf8(size - 1);
  }

  bytes(): Buffer {
    const size = this.int32();
    if (size < 0) throw new DecodeError(`bytes: null where a value is required`);
    return this.raw(size);
  }

  nullableBytes(): Buffer | null {
    const size = this.int32();
    if (size === -1) return null;
    return this.raw(size);
  }

  compactBytes(): Buffer {
    const size = this.uvarint();
    if (size === 0) throw new DecodeError(`compact bytes: null where a value is required`);
    return this.raw(size - 1);
  }

  compactNullableBytes(): Buffer | null {
    const size = this.uvarint();
    if (size === 0) return null;
    return this.raw(size - 1);
  }

  /** Array count (int32, -1 for null). A count larger than the bytes left cannot be honest. */
  arrayLength(): number {
    const count = this.int32();
    if (count < -1) throw new DecodeError(`array: bad length ${count}`);
    if (count > this.remaining) throw new DecodeError(`array: ${count} elements but ${this.remaining} bytes left`);
    return count;
  }

  /** Compact array count (uvarint N+1, 0 for null); returns -1 for null. */
  compactArrayLength(): number {
    const count = this.uvarint() - 1;
    if (count > this.remaining) throw new DecodeError(`array: ${count} elements but ${this.remaining} bytes left`);
    return count;
  }
}
