export {
  COMPRESSION_CODEC_MASK,
  COMPRESSION_CODEC_NAMES,
  CompressionCodec,
  type CompressionCodecName,
  compressionCodecFromName,
  compressionCodecName,
  isCompressionCodec,
  toCompressionCodec,
} from './codec.js';
export { compress, compressSync, decompress, decompressSync } from './compress.js';
export { CorruptCompressedError, DecompressLimitError, UnsupportedCompressionError } from './errors.js';
export { type Lz4CompressOptions, lz4CompressFrame, lz4DecompressFrame } from './lz4-frame.js';
export { snappyCompressRaw, snappyCompressXerial, snappyDecompress } from './snappy-xerial.js';
export { zstdImplementation } from './zstd.js';
export { ZSTD_DEFAULT_LEVEL, ZSTD_MAX_LEVEL, ZSTD_MIN_LEVEL } from './zstd-levels.js';
export { xxhash32 } from './xxhash32.js';
