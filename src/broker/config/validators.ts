/**
 * Kafka's config validators (ConfigDef.Range, ValidString, ValidList, the compression-level and
 * throttled-replica checks) with the same refusal wording and the same "valid values" text the
 * docs print.
 */
import type { ConfigValue, ValidationFailure, Validator } from './types.js';

type Bound = number | bigint;

function asNumeric(value: ConfigValue): number | bigint | null {
  return typeof value === 'number' || typeof value === 'bigint' ? value : null;
}

/** ConfigDef.Range: at least `min` and, if given, at most `max` (NaN passes, as in Java). */
function range(min: Bound | null, max: Bound | null): Validator {
  const text = min === null ? `[...,${max}]` : max === null ? `[${min},...]` : `[${min},...,${max}]`;
  return {
    text,
    check(value) {
      const n = asNumeric(value);
      if (n === null) return { reason: 'Value must be non-null' };
      if (min !== null && n < min) return { reason: `Value must be at least ${min}` };
      if (max !== null && n > max) return { reason: `Value must be no more than ${max}` };
      return null;
    },
  };
}

export function atLeast(min: Bound): Validator {
  return range(min, null);
}

export function between(min: Bound, max: Bound): Validator {
  return range(min, max);
}

/** ConfigDef.ValidString: one of the given strings, case-sensitive. */
export function oneOf(...allowed: string[]): Validator {
  return {
    text: `[${allowed.join(', ')}]`,
    check(value) {
      if (typeof value === 'string' && allowed.includes(value)) return null;
      return { reason: `String must be one of: ${allowed.join(', ')}` };
    },
  };
}

/** ConfigDef.ValidList: every element one of the given strings (an empty list passes). */
export function listOf(...allowed: string[]): Validator {
  const element = oneOf(...allowed);
  return {
    text: element.text,
    check(value) {
      if (!Array.isArray(value)) return { reason: 'Expected a comma separated list.' };
      for (const item of value as readonly string[]) {
        const failure = element.check(item);
        if (failure !== null) return { ...failure, shown: item };
      }
      return null;
    },
  };
}

/** A check written for one config: returns Kafka's refusal text or null. */
export function custom(text: string, check: (value: ConfigValue) => string | null): Validator {
  return {
    text,
    check(value): ValidationFailure | null {
      const reason = check(value);
      return reason === null ? null : { reason };
    },
  };
}

/** compression.gzip.level: 1 to 9, or -1 (zlib's default level). */
export const gzipLevel = custom('[1,...,9] or -1', (value) => {
  const n = typeof value === 'number' ? value : NaN;
  return n > 9 || (n < 1 && n !== -1) ? 'Value must be between 1 and 9 or equal to -1' : null;
});

/** compression.lz4.level. */
export const lz4Level = between(1, 17);

/** compression.zstd.level (zstd's negative "fast" levels included). */
export const zstdLevel = between(-131072, 22);

const REPLICA = /^(?:[0-9]+:[0-9]+)?$/;

/** leader/follower.replication.throttled.replicas: "*" or partitionId:brokerId pairs. */
export function throttledReplicas(name: string): Validator {
  return {
    text: '[partitionId]:[brokerId],[partitionId]:[brokerId],...',
    check(value) {
      const items = Array.isArray(value) ? (value as readonly string[]).map((s) => s.trim()) : null;
      if (items === null) return { reason: `${name} must be a List` };
      if (items.every((s) => REPLICA.test(s)) || items.join('') === '*') return null;
      return {
        reason: `${name} must be the literal '*' or a list of replicas in the following format: ` +
          '[partitionId]:[brokerId],[partitionId]:[brokerId],...',
        shown: `[${items.join(', ')}]`,
      };
    },
  };
}

/** controller.quorum.voters entries: {id}@{host}:{port}. */
export const quorumVoters = custom('non-empty list of {id}@{host}:{port}', (value) => {
  const items = Array.isArray(value) ? (value as readonly string[]) : [];
  for (const item of items) {
    if (!/^\d+@(?:\[[^\]]+\]|[^:@]+):\d+$/.test(item)) return `Unable to parse '${item}' as {id}@{host}:{port}`;
  }
  return null;
});
