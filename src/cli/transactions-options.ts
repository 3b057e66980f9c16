/** Number arguments of `samsa transactions`: checked here, so a typo is a usage error (exit 2), not a request. */
import { UsageError } from './groups-options.js';

/** A non-negative integer that fits a JavaScript number (partition, broker id, milliseconds). */
export function parseCount(option: string, text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`${option} ${JSON.stringify(text)}: not a non-negative whole number`);
  return n;
}

/** A producer id: a signed 64-bit integer. */
export function parseProducerId(text: string): bigint {
  const n = /^-?\d+$/.test(text) ? BigInt(text) : null;
  if (n === null || n < -(1n << 63n) || n >= 1n << 63n) throw new UsageError(`--producer-id ${JSON.stringify(text)}: not a 64-bit integer`);
  return n;
}

/** An option the subcommand cannot do without. */
export function required(option: string, value: string | undefined): string {
  if (value === undefined || value.length === 0) throw new UsageError(`${option} is required`);
  return value;
}
