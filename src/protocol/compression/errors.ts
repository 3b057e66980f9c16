import { SamsaError } from '../../common/errors.js';

/** Decompressed output would pass the caller's bound: a compression bomb or an oversized batch. */
export class DecompressLimitError extends SamsaError {
  readonly maxOutputBytes: number;

  constructor(codecName: string, maxOutputBytes: number, detail: string) {
    super('SAMSA_ERR_DECOMPRESS_LIMIT', `${codecName}: output would exceed ${maxOutputBytes} bytes (${detail})`);
    this.maxOutputBytes = maxOutputBytes;
  }
}

/** Compressed bytes that do not decode under their codec: truncated, bad checksum, garbage. */
export class CorruptCompressedError extends SamsaError {
  constructor(codecName: string, detail: string, options?: { cause?: unknown }) {
    super('SAMSA_ERR_CORRUPT_COMPRESSED', `${codecName}: corrupt compressed data: ${detail}`, options);
  }
}

/**
 * A compression id that names no codec Kafka defines (5, 6, 7), or a codec the target format
 * cannot carry (zstd in magic v0/v1 messages; Kafka answers UNSUPPORTED_COMPRESSION_TYPE).
 */
export class UnsupportedCompressionError extends SamsaError {
  readonly codecId: number;

  constructor(codecId: number, detail = `unknown compression codec id ${codecId}`) {
    super('SAMSA_ERR_UNSUPPORTED_COMPRESSION', detail);
    this.codecId = codecId;
  }
}
