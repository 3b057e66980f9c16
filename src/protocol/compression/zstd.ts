import zlib from 'node:zlib';
import { checkOutputSize, zlibCall, zlibDecompressError, zlibOutputLimit } from './zlib-bounded.js';
import { scanZstdFrames } from './zstd-frame.js';
import { ZSTD_DEFAULT_LEVEL, checkZstdLevel } from './zstd-levels.js';

/**
 * zstd (codec 4): node:zlib's zstd where Node has it (>= 22.15, so Node 24), else the
 * WebAssembly build of the reference library, loaded only then. Both check the frames first
 * (a declared size past the bound is rejected before any work) and stop at the bound.
 */

const NAME = 'zstd';

interface ZlibZstdOptions {
  params?: Record<number, number>;
  pledgedSrcSize?: number;
  maxOutputLength?: number;
}
type ZlibCallback = (err: Error | null, out: Buffer) => void;
interface ZlibWithZstd {
  constants: { ZSTD_c_compressionLevel: number };
  zstdCompressSync(data: Buffer, options: ZlibZstdOptions): Buffer;
  zstdCompress(data: Buffer, options: ZlibZstdOptions, callback: ZlibCallback): void;
  zstdDecompressSync(data: Buffer, options: ZlibZstdOptions): Buffer;
  zstdDecompress(data: Buffer, options: ZlibZstdOptions, callback: ZlibCallback): void;
}

const zlibZstd = typeof (zlib as { zstdCompressSync?: unknown }).zstdCompressSync === 'function' ? (zlib as unknown as ZlibWithZstd) : null;
const wasm = zlibZstd ? null : await import('./zstd-wasm.js');

/** Which zstd this process uses. */
export const zstdImplementation: 'node:zlib' | 'wasm' = zlibZstd ? 'node:zlib' : 'wasm';

function compressOptions(data: Buffer, level: number): ZlibZstdOptions {
  // Declaring the size puts Frame_Content_Size in the header, so readers can bound it up front.
  return { params: { [zlibZstd!.constants.ZSTD_c_compressionLevel]: checkZstdLevel(level) }, pledgedSrcSize: data.length };
}

export function zstdCompressSync(data: Buffer, level = ZSTD_DEFAULT_LEVEL): Buffer {
  if (!zlibZstd) return wasm!.zstdWasmCompress(data, level);
  return zlibZstd.zstdCompressSync(data, compressOptions(data, level));
}

export function zstdCompress(data: Buffer, level = ZSTD_DEFAULT_LEVEL): Promise<Buffer> {
  if (!zlibZstd) return Promise.resolve().then(() => wasm!.zstdWasmCompress(data, level));
  const options = compressOptions(data, level);
  return zlibCall((done) => zlibZstd.zstdCompress(data, options, done));
}

/**
 * node:zlib's zstd stops after the first frame and ignores the rest, so each data frame (found
 * by the scan) is decompressed on its own, with what is left of the bound.
 */
export function zstdDecompressSync(data: Buffer, maxOutputBytes: number): Buffer {
  if (!zlibZstd) return wasm!.zstdWasmDecompress(data, maxOutputBytes);
  const output: Buffer[] = [];
  let size = 0;
  for (const frame of scanZstdFrames(data, maxOutputBytes).frames) {
    let out: Buffer;
    try {
      const options = { maxOutputLength: zlibOutputLimit(maxOutputBytes - size) };
      out = zlibZstd.zstdDecompressSync(data.subarray(frame.start, frame.end), options);
    } catch (err) {
      throw zlibDecompressError(NAME, err, maxOutputBytes);
    }
    output.push(out);
    size += out.length;
  }
  return checkOutputSize(NAME, output.length === 1 ? output[0]! : Buffer.concat(output, size), maxOutputBytes);
}

export async function zstdDecompress(data: Buffer, maxOutputBytes: number): Promise<Buffer> {
  if (!zlibZstd) return wasm!.zstdWasmDecompress(data, maxOutputBytes);
  const output: Buffer[] = [];
  let size = 0;
  for (const frame of scanZstdFrames(data, maxOutputBytes).frames) {
    let out: Buffer;
    try {
      const options = { maxOutputLength: zlibOutputLimit(maxOutputBytes - size) };
      out = await zlibCall((done) => zlibZstd.zstdDecompress(data.subarray(frame.start, frame.end), options, done));
    } catch (err) {
      throw zlibDecompressError(NAME, err, maxOutputBytes);
    }
    output.push(out);
    size += out.length;
  }
  return checkOutputSize(NAME, output.length === 1 ? output[0]! : Buffer.concat(output, size), maxOutputBytes);
}
