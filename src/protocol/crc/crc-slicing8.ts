/**
 * Table-driven CRC-32 in pure TypeScript, slicing-by-8: eight 256-entry tables let the loop
 * fold eight input bytes per step. Works for any reflected 32-bit polynomial; used as the
 * fallback when the native CRC module does not load, and for CRC-32 (IEEE) on old Node.
 */

/** Reflected polynomial of CRC-32C (Castagnoli), used by record batches (magic v2). */
export const CRC32C_POLYNOMIAL = 0x82f63b78;
/** Reflected polynomial of CRC-32 (IEEE 802.3), used by legacy messages (magic v0 and v1). */
export const CRC32_IEEE_POLYNOMIAL = 0xedb88320;

/** Eight tables of 256 entries in one array: table k starts at k * 256. */
export type CrcTables = Uint32Array;

export function createCrcTables(polynomial: number): CrcTables {
  const tables = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? (c >>> 1) ^ polynomial : c >>> 1;
    tables[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[n]!;
    for (let k = 1; k < 8; k++) {
      c = (tables[c & 0xff]! ^ (c >>> 8)) >>> 0;
      tables[k * 256 + n] = c;
    }
  }
  return tables;
}

/**
 * Continues a CRC over `data`. `previous` is the CRC of the bytes before (0 to start), so
 * crc(a ++ b) = updateCrc(t, crc(a), b), the same chaining as the native module.
 */
export function updateCrc(tables: CrcTables, previous: number, data: Uint8Array): number {
  let crc = ~previous;
  let i = 0;
  const size = data.length;
  const end8 = size - (size % 8);
  while (i < end8) {
    const lo = (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) ^ crc;
    crc =
      tables[0x700 + (lo & 0xff)]! ^
      tables[0x600 + ((lo >>> 8) & 0xff)]! ^
      tables[0x500 + ((lo >>> 16) & 0xff)]! ^
      tables[0x400 + (lo >>> 24)]! ^
      tables[0x300 + data[i + 4]!]! ^
      tables[0x200 + data[i + 5]!]! ^
      tables[0x100 + data[i + 6]!]! ^
      tables[data[i + 7]!]!;
    i += 8;
  }
  while (i < size) crc = tables[(crc ^ data[i++]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}
