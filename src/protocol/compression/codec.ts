import { UnsupportedCompressionError } from './errors.js';

/** Kafka's compression codec ids, as stored in bits 0-2 of batch and message attributes. */
export const CompressionCodec = {
  None: 0,
  Gzip: 1,
  Snappy: 2,
  Lz4: 3,
  Zstd: 4,
} as const;
export type CompressionCodec = (typeof CompressionCodec)[keyof typeof CompressionCodec];

/** Codec names as Kafka's `compression.type` config spells them. */
export const COMPRESSION_CODEC_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type CompressionCodecName = (typeof COMPRESSION_CODEC_NAMES)[number];

/** Mask of the codec bits in record batch and legacy message attributes. */
export const COMPRESSION_CODEC_MASK = 0x07;

export function compressionCodecName(codec: CompressionCodec): CompressionCodecName {
  return COMPRESSION_CODEC_NAMES[codec];
}

export function isCompressionCodec(id: number): id is CompressionCodec {
  return Number.isInteger(id) && id >= 0 && id <= 4;
}

/** The codec for an attribute id; 5-7 (and anything else) are UnsupportedCompressionError. */
export function toCompressionCodec(id: number): CompressionCodec {
  if (!isCompressionCodec(id)) throw new UnsupportedCompressionError(id);
  return id;
}

/** The codec for a `compression.type` name (`producer` is a topic setting, not a codec). */
export function compressionCodecFromName(name: string): CompressionCodec | undefined {
  const index = (COMPRESSION_CODEC_NAMES as readonly string[]).indexOf(name);
  return index < 0 ? undefined : (index as CompressionCodec);
}
