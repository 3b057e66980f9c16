/**
 * Text ⇄ typed values with Kafka's rules (ConfigDef.parseType and convertToString): values are
 * trimmed; booleans are true/false in any case; numbers parse as Java's Integer/Short/Long/
 * Double.parseXxx do; lists split on commas with the whitespace around them removed.
 */
import { type ConfigType, type ConfigValue, LONG_MAX, LONG_MIN } from './types.js';

export type ParseResult = { readonly ok: true; readonly value: ConfigValue } | { readonly ok: false; readonly reason: string };

/** Java's String.trim(): strips every char <= U+0020 from both ends. */
export function javaTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)[fFdD]?$/;
const COMMA_WITH_WHITESPACE = /\s*,\s*/;

function notANumber(type: ConfigType): ParseResult {
  return { ok: false, reason: `Not a number of type ${type.toUpperCase()}` };
}

function parseBounded(text: string, type: ConfigType, min: number, max: number): ParseResult {
  if (!INTEGER.test(text)) return notANumber(type);
  const n = Number(text);
  return n < min || n > max ? notANumber(type) : { ok: true, value: n };
}

/** Parses one raw value for a config of `type`. */
export function parseValue(type: ConfigType, raw: string): ParseResult {
  const text = javaTrim(raw);
  switch (type) {
    case 'boolean': {
      const lower = text.toLowerCase();
      if (lower === 'true') return { ok: true, value: true };
      if (lower === 'false') return { ok: true, value: false };
      return { ok: false, reason: 'Expected value to be either true or false' };
    }
    case 'short':
      return parseBounded(text, type, -32768, 32767);
    case 'int':
      return parseBounded(text, type, -2147483648, 2147483647);
    case 'long': {
      if (!INTEGER.test(text)) return notANumber(type);
      const n = BigInt(text);
      return n < LONG_MIN || n > LONG_MAX ? notANumber(type) : { ok: true, value: n };
    }
    case 'double': {
      if (!DECIMAL.test(text)) return notANumber(type);
      return { ok: true, value: Number(text.replace(/[fFdD]$/, '')) };
    }
    case 'list':
      return { ok: true, value: text === '' ? [] : text.split(COMMA_WITH_WHITESPACE) };
    case 'string':
    case 'class':
    case 'password':
      return { ok: true, value: text };
  }
}

/** Java's Double.toString for the values configs hold: "0.5", "1.0", "1.7976931348623157E308". */
export function javaDoubleToString(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa = '', exponent = ''] = x.toExponential().split('e');
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${exponent.replace('+', '')}`;
}

/** Kafka's ConfigDef.convertToString: the text form DescribeConfigs reports. */
export function formatValue(value: ConfigValue, type: ConfigType | undefined): string | null {
  if (value === null) return null;
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'number' && type === 'double') return javaDoubleToString(value);
  return String(value);
}

/** A bigint as a number, saturating at Number.MAX_SAFE_INTEGER (for timers: "no limit"). */
export function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
  if (value < BigInt(Number.MIN_SAFE_INTEGER)) return Number.MIN_SAFE_INTEGER;
  return Number(value);
}

/** Kafka's ConfigException text: "Invalid value X for configuration Y: reason". */
export function invalidValueMessage(name: string, raw: unknown, reason: string): string {
  return `Invalid value ${String(raw)} for configuration ${name}: ${reason}`;
}
