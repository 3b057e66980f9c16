/**
 * Random values for any generated message at any version, driven by the run-time schema
 * descriptor (not by the generated code), for property tests and fuzzing. Test-only: imports
 * fast-check, a dev dependency.
 */
import fc from 'fast-check';
import type { FieldDescriptor, MessageCodec, SchemaDescriptor, VersionRange } from '../codec-support.js';
import { ZERO_UUID } from '../uuid.js';

type Value = unknown;

const inRange = (r: VersionRange | undefined, v: number): boolean => r !== undefined && v >= r.min && v <= r.max;

function intDefault(d: string | undefined): number {
  return d === undefined || d === '' ? 0 : Number(d);
}

/** The default value of a field, computed from the descriptor alone. */
export function fieldDefault(schema: SchemaDescriptor, f: FieldDescriptor, version: number, flexibleVersions: VersionRange | undefined): Value {
  if (f.default === 'null') return null;
  if (f.type.startsWith('[]')) return [];
  switch (f.type) {
    case 'bool': return f.default === 'true';
    case 'int8': case 'int16': case 'uint16': case 'int32': case 'float64': return intDefault(f.default);
    case 'int64': return f.default === undefined || f.default === '' ? 0n : BigInt(f.default);
    case 'string': return f.default ?? '';
    case 'uuid': return ZERO_UUID;
    case 'bytes': return Buffer.alloc(0);
    case 'records': return f.nullableVersions ? null : Buffer.alloc(0);
    default: return structDefault(schema, f.type, version, flexibleVersions);
  }
}

function canBeFlexible(schema: SchemaDescriptor, struct: string, flexibleVersions: VersionRange | undefined): boolean {
  if (!flexibleVersions) return false;
  const s = schema.structs[struct]!;
  return Math.max(s.versions.min, flexibleVersions.min) <= Math.min(s.versions.max, flexibleVersions.max);
}

export function structDefault(schema: SchemaDescriptor, struct: string, version: number, flexibleVersions: VersionRange | undefined): Record<string, Value> {
  const s = schema.structs[struct];
  if (!s) throw new Error(`no struct ${struct}`);
  const o: Record<string, Value> = {};
  for (const f of s.fields) o[camel(f.name)] = fieldDefault(schema, f, version, flexibleVersions);
  if (canBeFlexible(schema, struct, flexibleVersions)) o._unknownTaggedFields = undefined;
  return o;
}

export function camel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function primitiveArb(type: string): fc.Arbitrary<Value> {
  switch (type) {
    case 'bool': return fc.boolean();
    case 'int8': return fc.integer({ min: -128, max: 127 });
    case 'int16': return fc.integer({ min: -32768, max: 32767 });
    case 'uint16': return fc.integer({ min: 0, max: 65535 });
    case 'int32': return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case 'int64': return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'float64': return fc.double();
    case 'string': return fc.string({ unit: 'grapheme', maxLength: 12 });
    case 'bytes': case 'records': return fc.uint8Array({ maxLength: 24 }).map((a) => Buffer.from(a));
    case 'uuid': return fc.uint8Array({ minLength: 16, maxLength: 16 }).map((a) => Buffer.from(a).toString('base64url'));
    default: throw new Error(`not a primitive: ${type}`);
  }
}

const PRIMITIVES = new Set(['bool', 'int8', 'int16', 'uint16', 'int32', 'int64', 'float64', 'string', 'bytes', 'records', 'uuid']);

export interface ArbitraryOptions {
  maxArrayLength: number;
  /** Also generate unknown tagged fields in flexible versions. */
  unknownTaggedFields: boolean;
}

const DEFAULT_OPTIONS: ArbitraryOptions = { maxArrayLength: 3, unknownTaggedFields: true };

function structArb(schema: SchemaDescriptor, struct: string, version: number, flex: VersionRange | undefined, opts: ArbitraryOptions, depth: number): fc.Arbitrary<Record<string, Value>> {
  const s = schema.structs[struct];
  if (!s) throw new Error(`no struct ${struct}`);
  const parts: Record<string, fc.Arbitrary<Value>> = {};
  for (const f of s.fields) {
    const name = camel(f.name);
    if (!inRange(f.versions, version)) {
      parts[name] = fc.constant(fieldDefault(schema, f, version, flex));
      continue;
    }
    let arb: fc.Arbitrary<Value>;
    if (f.type.startsWith('[]')) {
      const element = f.type.slice(2);
      const elementArb = PRIMITIVES.has(element) ? primitiveArb(element) : structArb(schema, element, version, flex, opts, depth + 1);
      arb = fc.array(elementArb, { maxLength: depth > 3 ? 1 : opts.maxArrayLength });
    } else if (PRIMITIVES.has(f.type)) {
      arb = primitiveArb(f.type);
    } else {
      arb = structArb(schema, f.type, version, flex, opts, depth + 1);
    }
    parts[name] = inRange(f.nullableVersions, version) ? fc.option(arb, { nil: null }) : arb;
  }
  if (canBeFlexible(schema, struct, flex)) {
    const known = new Set(s.fields.filter((f) => f.tag !== undefined).map((f) => f.tag));
    parts._unknownTaggedFields = inRange(flex, version) && opts.unknownTaggedFields
      ? fc.option(
        fc.uniqueArray(fc.integer({ min: 0, max: 300 }).filter((t) => !known.has(t)), { minLength: 1, maxLength: 2 })
          .chain((tags) => fc.tuple(...tags.sort((a, b) => a - b).map((tag) => fc.uint8Array({ maxLength: 6 }).map((d) => ({ tag, data: Buffer.from(d) }))))),
        { nil: undefined },
      )
      : fc.constant(undefined);
  }
  return fc.record(parts).map((o) => ({ ...o }));
}

/** An arbitrary value of a message at one version, with every absent field at its default. */
export function messageArbitrary(codec: MessageCodec<unknown>, version: number, options: Partial<ArbitraryOptions> = {}): fc.Arbitrary<Record<string, Value>> {
  return structArb(codec.schema, codec.schema.top, version, codec.flexibleVersions, { ...DEFAULT_OPTIONS, ...options }, 0);
}

/** Every version of a codec. */
export function versionsOf(codec: MessageCodec<unknown>): number[] {
  const out: number[] = [];
  for (let v = codec.validVersions.min; v <= codec.validVersions.max; v++) out.push(v);
  return out;
}
