import { CompressionCodec, toCompressionCodec } from './codec.js';
import { DecompressLimitError } from './errors.js';
import { gzipCompress, gzipCompressSync, gzipDecompress, gzipDecompressSync } from './gzip.js';
import { lz4CompressFrame, lz4DecompressFrame } from './lz4-frame.js';
import { snappyCompressXerial, snappyDecompress } from './snappy-xerial.js';
import { zstdCompress, zstdCompressSync, zstdDecompress, zstdDecompressSync } from './zstd.js';

/**
 * One entry point per direction for Kafka's codecs, by attribute id. Decompression always takes
 * a bound: output past `maxOutputBytes` is a DecompressLimitError, found without allocating
 * the claimed size; corrupt input is a CorruptCompressedError; ids 5-7 are
 * UnsupportedCompressionError. The output may share memory with the input (codec 0 returns
 * the input itself).
 *
 * The async forms run gzip, and zstd on node:zlib, on libuv's thread pool. Snappy and LZ4 run on
 * the calling thread in both forms: at gigabytes per second on batch-sized inputs, a hop to the
 * pool would cost more than the work. Levels apply to gzip (-1..9) and zstd; snappy and LZ4
 * take none.
 */

function checkNone(data: Buffer, maxOutputBytes: number): Buffer {
  if (data.length > maxOutputBytes) throw new DecompressLimitError('none', maxOutputBytes, `${data.length} bytes`);
  return data;
}

export function compressSync(codec: CompressionCodec, data: Buffer, level?: number): Buffer {
  switch (toCompressionCodec(codec)) {
    case CompressionCodec.None:
      return data;
    case CompressionCodec.Gzip:
      return gzipCompressSync(data, level);
    case CompressionCodec.Snappy:
      return snappyCompressXerial(data);
    case CompressionCodec.Lz4:
      return lz4CompressFrame(data);
    case CompressionCodec.Zstd:
      return zstdCompressSync(data, level);
  }
}

export async function compress(codec: CompressionCodec, data: Buffer, level?: number): Promise<Buffer> {
  switch (toCompressionCodec(codec)) {
    case CompressionCodec.Gzip:
      return gzipCompress(data, level);
    case CompressionCodec.Zstd:
      return zstdCompress(data, level);
    default:
      return compressSync(codec, data, level);
  }
}

export function decompressSync(codec: CompressionCodec, data: Buffer, maxOutputBytes: number): Buffer {
  switch (toCompressionCodec(codec)) {
    case CompressionCodec.None:
      return checkNone(data, maxOutputBytes);
    case CompressionCodec.Gzip:
      return gzipDecompressSync(data, maxOutputBytes);
    case CompressionCodec.Snappy:
      return snappyDecompress(data, maxOutputBytes);
    case CompressionCodec.Lz4:
      return lz4DecompressFrame(data, maxOutputBytes);
    case CompressionCodec.Zstd:
      return zstdDecompressSync(data, maxOutputBytes);
  }
}

export async function decompress(codec: CompressionCodec, data: Buffer, maxOutputBytes: number): Promise<Buffer> {
  switch (toCompressionCodec(codec)) {
    case CompressionCodec.Gzip:
      return gzipDecompress(data, maxOutputBytes);
    case CompressionCodec.Zstd:
      return zstdDecompress(data, maxOutputBytes);
    default:
      return decompressSync(codec, data, maxOutputBytes);
  }
}
