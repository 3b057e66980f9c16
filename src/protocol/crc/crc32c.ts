import { createRequire } from 'node:module';
import { CRC32C_POLYNOMIAL, createCrcTables, updateCrc } from './crc-slicing8.js';

/**
 * CRC-32C (Castagnoli), the checksum of record batches (magic v2). The native module
 * `@node-rs/crc32` (SSE 4.2 / ARM CRC instructions, shipped prebuilt inside npm) is used when it
 * loads; otherwise the pure slicing-by-8 code below, which gives the same answers.
 */
export type Crc32cFunction = (data: Uint8Array, previous?: number) => number;

const tables = createCrcTables(CRC32C_POLYNOMIAL);

/** The pure TypeScript CRC-32C. `previous` chains: crc32c(a ++ b) = crc32cPure(b, crc32c(a)). */
export function crc32cPure(data: Uint8Array, previous = 0): number {
  return updateCrc(tables, previous, data);
}

function loadNative(): Crc32cFunction | null {
  try {
    const native = createRequire(import.meta.url)('@node-rs/crc32') as { crc32c?: unknown };
    if (typeof native.crc32c !== 'function') return null;
    const fn = native.crc32c as (input: Uint8Array, initialState?: number) => number;
    // A module that loads but answers wrongly is worse than none: check one known vector.
    if (fn(Buffer.from('123456789'), 0) >>> 0 !== 0xe3069283) return null;
    return (data, previous = 0) => fn(data, previous) >>> 0;
  } catch {
    return null;
  }
}

/** The native CRC-32C, or null when `@node-rs/crc32` did not load on this platform. */
export const crc32cNative: Crc32cFunction | null = loadNative();

/** Which implementation `crc32c` uses in this process. */
export const crc32cImplementation: 'native' | 'pure' = crc32cNative ? 'native' : 'pure';

/** CRC-32C of `data` (continuing from `previous`, the CRC of the bytes before, if given). */
export const crc32c: Crc32cFunction = crc32cNative ?? crc32cPure;
