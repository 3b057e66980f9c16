import { EncodeError } from '../common/errors.js';
import { writeVarint, writeVarlong } from './records/varint.js';
import { type Uuid, uuidToBytes } from './uuid.js';

/** Buffers at least this large are kept by reference (zero copy) rather than copied. */
const ZERO_COPY_MIN_SIZE = 4096;

/**
 * Writes Kafka's primitive types. Small values go into a growable scratch buffer; large byte
 * fields (record batches) are kept by reference as separate chunks, so a response can go out in
 * one vectored write without copying the records.
 */
export class Writer {
  private chunks: Buffer[] = [];
  private chunksSize = 0;
  private buf: Buffer;
  private start = 0;
  private pos = 0;

  constructor(initialSize = 512) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  get length(): number {
    return this.chunksSize + this.pos - this.start;
  }

  private ensure(size: number): void {
    if (this.pos + size <= this.buf.length) return;
    const used = this.pos - this.start;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, used + size, 512));
    this.buf.copy(next, 0, this.start, this.pos);
    this.buf = next;
    this.start = 0;
    this.pos = used;
  }

  int8(v: number): void {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos);
    this.pos += 1;
  }

  uint8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  bool(v: boolean): void {
    this.uint8(v ? 1 : 0);
  }

  int16(v: number): void {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
  }

  uint16(v: number): void {
    this.ensure(2);
    this.buf.writeUInt16BE(v, this.pos);
    this.pos += 2;
  }

  int32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
  }

  uint32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(v, this.pos);
    this.pos += 4;
  }

  int64(v: bigint): void {
    this.ensure(8);
    this.buf.writeBigInt64BE(v, this.pos);
    this.pos += 8;
  }

  float64(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
  }

  uuid(v: Uuid): void {
    this.raw(uuidToBytes(v));
  }

  uvarint(v: number): void {
    if (v < 0 || v > 0xffffffff || !Number.isInteger(v)) throw new EncodeError(`uvarint out of range: ${v}`);
    this.ensure(5);
    let u = v;
    while (u > 0x7f) {
      this.buf[this.pos++] = (u & 0x7f) | 0x80;
      u = Math.floor(u / 128);
    }
    this.buf[this.pos++] = u;
  }

  /** Zig-zag varint of an int32; out of range is an EncodeError (shared with the batch encoder). */
  varint(v: number): void {
    this.ensure(5);
    this.pos = writeVarint(this.buf, this.pos, v);
  }

  uvarlong(v: bigint): void {
    this.ensure(10);
    let u = BigInt.asUintN(64, v);
    while (u > 0x7fn) {
      this.buf[this.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
  }

  /** Zig-zag varint of an int64; values that fit in 32 bits take the Number fast path. */
  varlong(v: bigint): void {
    this.ensure(10);
    this.pos = writeVarlong(this.buf, this.pos, v);
  }

  /** Bytes without a length prefix. Large buffers are referenced, not copied. */
  raw(v: Buffer): void {
    if (v.length >= ZERO_COPY_MIN_SIZE) {
      this.flushScratch();
      this.chunks.push(v);
      this.chunksSize += v.length;
      return;
    }
    this.ensure(v.length);
    v.copy(this.buf, this.pos);
    this.pos += v.length;
  }

  private utf8Length(v: string): number {
    return Buffer.byteLength(v, 'utf8');
  }

  private utf8(v: string, size: number): void {
    this.ensure(size);
    this.pos += this.buf.write(v, this.pos, size, 'utf8');
  }

  string(v: string): void {
    const size = this.utf8Length(v);
    if (size > 0x7fff) throw new EncodeError(`string longer than 32767 bytes (${size})`);
    this.int16(size);
    this.utf8(v, size);
  }

  nullableString(v: string | null): void {
    if (v === null) this.int16(-1);
    else this.string(v);
  }

  compactString(v: string): void {
    const size = this.utf8Length(v);
    this.uvarint(size + 1);
    this.utf8(v, size);
  }

  compactNullableString(v: string | null): void {
    if (v === null) this.uvarint(0);
    else this.compactString(v);
  }

  bytes(v: Buffer): void {
    this.int32(v.length);
    this.raw(v);
  }

  nullableBytes(v: Buffer | null): void {
    if (v === null) this.int32(-1);
    else this.bytes(v);
  }

  compactBytes(v: Buffer): void {
    this.uvarint(v.length + 1);
    this.raw(v);
  }

  compactNullableBytes(v: Buffer | null): void {
    if (v === null) this.uvarint(0);
    else this.compactBytes(v);
  }

  arrayLength(count: number): void {
    this.int32(count);
  }

  compactArrayLength(count: number): void {
    this.uvarint(count + 1);
  }

  private flushScratch(): void {
    if (this.pos === this.start) return;
    const part = this.buf.subarray(this.start, this.pos);
    this.chunks.push(part);
    this.chunksSize += part.length;
    this.start = this.pos;
  }

  /** The written bytes as a list of buffers, in order (for a vectored write). */
  toChunks(): Buffer[] {
    this.flushScratch();
    return this.chunks.slice();
  }

  /** The written bytes as one buffer. */
  toBuffer(): Buffer {
    this.flushScratch();
    if (this.chunks.length === 1) return this.chunks[0]!;
    return Buffer.concat(this.chunks, this.chunksSize);
  }
}
