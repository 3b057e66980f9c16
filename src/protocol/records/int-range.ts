import { EncodeError } from '../../common/errors.js';

/** Range checks for encoders, so a bad field is an EncodeError rather than a RangeError midway. */

export function checkInt(name: string, value: number, bits: 8 | 16 | 32): number {
  const limit = 2 ** (bits - 1);
  if (!Number.isInteger(value) || value < -limit || value >= limit) throw new EncodeError(`${name} out of int${bits} range: ${value}`);
  return value;
}

export function checkInt64(name: string, value: bigint | undefined): void {
  if (value !== undefined && BigInt.asIntN(64, value) !== value) throw new EncodeError(`${name} out of int64 range: ${value}`);
}
