import zlib from 'node:zlib';
import { EncodeError } from '../../common/errors.js';
import { checkOutputSize, zlibCall, zlibDecompressError, zlibOutputLimit } from './zlib-bounded.js';

/**
 * gzip (codec 1) through node:zlib. Levels as Kafka's `compression.gzip.level`: 1-9, or -1 for
 * zlib's default (6). Reading accepts concatenated gzip members, as java.util.zip does.
 */

const NAME = 'gzip';

function gzipOptions(level: number | undefined): zlib.ZlibOptions {
  if (level === undefined) return {};
  if (!Number.isInteger(level) || level < -1 || level > 9) throw new EncodeError(`gzip level must be -1..9, got ${level}`);
  return { level };
}

export function gzipCompressSync(data: Buffer, level?: number): Buffer {
  return zlib.gzipSync(data, gzipOptions(level));
}

export function gzipCompress(data: Buffer, level?: number): Promise<Buffer> {
  const options = gzipOptions(level);
  return zlibCall((done) => zlib.gzip(data, options, done));
}

export function gzipDecompressSync(data: Buffer, maxOutputBytes: number): Buffer {
  let out: Buffer;
  try {
    out = zlib.gunzipSync(data, { maxOutputLength: zlibOutputLimit(maxOutputBytes) });
  } catch (err) {
    throw zlibDecompressError(NAME, err, maxOutputBytes);
  }
  return checkOutputSize(NAME, out, maxOutputBytes);
}

export async function gzipDecompress(data: Buffer, maxOutputBytes: number): Promise<Buffer> {
  let out: Buffer;
  try {
    const options = { maxOutputLength: zlibOutputLimit(maxOutputBytes) };
    out = await zlibCall((done) => zlib.gunzip(data, options, done));
  } catch (err) {
    throw zlibDecompressError(NAME, err, maxOutputBytes);
  }
  return checkOutputSize(NAME, out, maxOutputBytes);
}
