import { EncodeError } from '../../common/errors.js';

/** zstd compression levels, as Kafka's `compression.zstd.level` accepts them. */
export const ZSTD_MIN_LEVEL = -131072;
export const ZSTD_MAX_LEVEL = 22;
export const ZSTD_DEFAULT_LEVEL = 3;

export function checkZstdLevel(level: number): number {
  if (!Number.isInteger(level) || level < ZSTD_MIN_LEVEL || level > ZSTD_MAX_LEVEL) {
    throw new EncodeError(`zstd level must be ${ZSTD_MIN_LEVEL}..${ZSTD_MAX_LEVEL}, got ${level}`);
  }
  return level;
}
