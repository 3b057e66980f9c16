/**
 * Client options are named after Kafka's properties in camelCase (`lingerMs` for `linger.ms`);
 * Kafka's dotted names are accepted too. normalizeOptions turns either form into the camelCase
 * one and refuses names the component does not know, so a typo fails at construction instead of
 * being ignored.
 *
 *   normalizeOptions({ 'linger.ms': 5, acks: 'all' }, PRODUCER_OPTION_NAMES, 'producer')
 *   // → { lingerMs: 5, acks: 'all' }
 */
import { SamsaError } from '../common/errors.js';

/** An option that is unknown, given twice (both spellings) or has a value of the wrong kind. */
export class ConfigError extends SamsaError {
  constructor(message: string) {
    super('SAMSA_ERR_CONFIG', message);
  }
}

/** `linger.ms` → `lingerMs`, `bootstrap.servers` → `bootstrapServers`; camelCase names pass through. */
export function camelCaseOptionName(name: string): string {
  if (!name.includes('.')) return name;
  return name.split('.').map((part, i) => (i === 0 ? part : part.charAt(0).toUpperCase() + part.slice(1))).join('');
}

/**
 * Returns a copy of `input` with every key in camelCase. `known` is the set of camelCase names the
 * component accepts; anything else throws a ConfigError naming the component. Undefined values
 * are dropped, so `{ lingerMs: undefined }` means "the default".
 */
export function normalizeOptions<T extends object>(input: T | Readonly<Record<string, unknown>>, known: ReadonlySet<string>, component: string): T {
  const out: Record<string, unknown> = {};
  const from = new Map<string, string>();
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const camel = camelCaseOptionName(name);
    if (!known.has(camel)) throw new ConfigError(`${component}: unknown option '${name}'`);
    const earlier = from.get(camel);
    if (earlier !== undefined) throw new ConfigError(`${component}: option '${name}' given twice (also as '${earlier}')`);
    from.set(camel, name);
    out[camel] = value;
  }
  return out as T;
}

/** Checks a numeric option: an integer within [min, max]; returns it or the default. */
export function intOption(options: Readonly<Record<string, unknown>>, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v = options[name];
  if (v === undefined) return fallback;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`option '${name}' must be an integer in [${min}, ${max}], not ${JSON.stringify(v)}`);
  }
  return n;
}

/** Checks a boolean option ('true'/'false' strings accepted, as in a properties file). */
export function boolOption(options: Readonly<Record<string, unknown>>, name: string, fallback: boolean): boolean {
  const v = options[name];
  if (v === undefined) return fallback;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw new ConfigError(`option '${name}' must be true or false, not ${JSON.stringify(v)}`);
}

/** Checks an option whose value is one of `allowed`. */
export function enumOption<T extends string>(options: Readonly<Record<string, unknown>>, name: string, allowed: readonly T[], fallback: T): T {
  const v = options[name];
  if (v === undefined) return fallback;
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  throw new ConfigError(`option '${name}' must be one of ${allowed.join(', ')}, not ${JSON.stringify(v)}`);
}
