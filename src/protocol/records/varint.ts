import { EncodeError } from '../../common/errors.js';

/**
 * Zig-zag varints written at a known position of a preallocated buffer, for encoders that size
 * a whole batch first and write it once. Writer.varint/varlong call these after growing its
 * scratch buffer, so there is one zig-zag encoder. Readers use Reader.varint/varlong.
 */

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function zigzag32(value: number): number {
  if (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) throw new EncodeError(`varint out of range: ${value}`);
  return ((value << 1) ^ (value >> 31)) >>> 0;
}

function sizeOfUnsigned32(u: number): number {
  if (u < 0x80) return 1;
  if (u < 0x4000) return 2;
  if (u < 0x200000) return 3;
  if (u < 0x10000000) return 4;
  return 5;
}

export function sizeOfVarint(value: number): number {
  return sizeOfUnsigned32(zigzag32(value));
}

export function writeVarint(buf: Buffer, pos: number, value: number): number {
  let u = zigzag32(value);
  while (u >= 0x80) {
    buf[pos++] = (u & 0x7f) | 0x80;
    u >>>= 7;
  }
  buf[pos++] = u;
  return pos;
}

const fitsInt32 = (value: bigint): boolean => value >= -2147483648n && value <= 2147483647n;

function zigzag64(value: bigint): bigint {
  const n = BigInt.asIntN(64, value);
  if (n !== value) throw new EncodeError(`varlong out of range: ${value}`);
  return BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
}

/** Varlongs of values that fit in 32 bits encode exactly as varints; the rest take the slow path. */
export function sizeOfVarlong(value: bigint): number {
  if (fitsInt32(value)) return sizeOfVarint(Number(value));
  let u = zigzag64(value);
  let size = 1;
  while (u >= 0x80n) {
    u >>= 7n;
    size++;
  }
  return size;
}

export function writeVarlong(buf: Buffer, pos: number, value: bigint): number {
  if (fitsInt32(value)) return writeVarint(buf, pos, Number(value));
  let u = zigzag64(value);
  while (u >= 0x80n) {
    buf[pos++] = Number(u & 0x7fn) | 0x80;
    u >>= 7n;
  }
  buf[pos++] = Number(u);
  return pos;
}
