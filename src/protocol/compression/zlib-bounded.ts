import { constants as bufferConstants } from 'node:buffer';
import type { SamsaError } from '../../common/errors.js';
import { CorruptCompressedError, DecompressLimitError } from './errors.js';

/**
 * Helpers shared by the codecs that run on node:zlib (gzip everywhere, zstd on Node >= 22.15).
 * zlib's `maxOutputLength` stops inflating as soon as the output passes the bound, so a bomb
 * costs at most the bound in memory, never its claimed size.
 */

/** zlib accepts 1..buffer.constants.MAX_LENGTH; the exact bound is re-checked afterwards. */
export function zlibOutputLimit(maxOutputBytes: number): number {
  return Math.max(1, Math.min(Math.floor(maxOutputBytes), bufferConstants.MAX_LENGTH));
}

/** Maps a zlib failure to our typed errors: the output bound, or corrupt input. */
export function zlibDecompressError(codecName: string, err: unknown, maxOutputBytes: number): SamsaError {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ERR_BUFFER_TOO_LARGE') return new DecompressLimitError(codecName, maxOutputBytes, 'stopped while inflating');
  const message = err instanceof Error ? err.message : String(err);
  return new CorruptCompressedError(codecName, message, { cause: err });
}

/** The final exact check (zlib's limit is clamped to at least 1 byte). */
export function checkOutputSize(codecName: string, output: Buffer, maxOutputBytes: number): Buffer {
  if (output.length > maxOutputBytes) {
    throw new DecompressLimitError(codecName, maxOutputBytes, `decompressed to ${output.length} bytes`);
  }
  return output;
}

/** Runs a callback-style zlib call as a promise. */
export function zlibCall(run: (callback: (err: Error | null, out: Buffer) => void) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    run((err, out) => (err ? reject(err) : resolve(out)));
  });
}

