import zlib from 'node:zlib';
import { CRC32_IEEE_POLYNOMIAL, createCrcTables, updateCrc } from './crc-slicing8.js';

/**
 * CRC-32 (IEEE), the checksum of legacy messages (magic v0 and v1). Node's own `zlib.crc32`
 * (Node >= 20.15) when present, else the pure slicing-by-8 code. Legacy messages are rare, so
 * no native module is loaded for them.
 */
export type Crc32Function = (data: Uint8Array, previous?: number) => number;

let tables: Uint32Array | undefined;

/** Pure TypeScript CRC-32 (IEEE); `previous` chains as in `crc32`. */
export function crc32Pure(data: Uint8Array, previous = 0): number {
  tables ??= createCrcTables(CRC32_IEEE_POLYNOMIAL);
  return updateCrc(tables, previous, data);
}

const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/**
 * CRC-32 (IEEE) of `data`, continuing from `previous` (the CRC of the bytes before) if given.
 * Empty input returns `previous` without calling zlib: Node 20's `zlib.crc32` answers 0 for an
 * empty view whose ArrayBuffer has no storage (zlib's crc32 treats a null pointer as "start").
 */
export const crc32: Crc32Function =
  typeof zlibCrc32 === 'function'
    ? (data, previous = 0) => (data.length === 0 ? previous >>> 0 : zlibCrc32(data, previous) >>> 0)
    : crc32Pure;
