/**
 * TypeScript types, default values and "is default" tests for schema fields.
 */
import type { FieldSpec, VersionRange } from './schema.js';
import { type FieldKind, type MessageTypes, type StructInfo } from './types.js';

export function primitiveTsType(type: string): string {
  switch (type) {
    case 'bool': return 'boolean';
    case 'int8': case 'int16': case 'uint16': case 'int32': case 'float64': return 'number';
    case 'int64': return 'bigint';
    case 'string': return 'string';
    case 'bytes': case 'records': return 'Buffer';
    case 'uuid': return 'Uuid';
    default: throw new Error(`not a primitive: ${type}`);
  }
}

export function fieldTsType(t: MessageTypes, f: FieldSpec, within: VersionRange): string {
  const k = t.kindOf(f);
  let base: string;
  if (k.kind === 'primitive') base = primitiveTsType(k.type);
  else if (k.kind === 'struct') base = k.struct.tsName;
  else base = `${k.element.kind === 'primitive' ? primitiveTsType(k.element.type) : k.element.struct.tsName}[]`;
  return t.everNullable(f, within) ? `${base} | null` : base;
}

function intLiteral(type: string, text: string, where: string): string {
  const n = Number(text);
  if (!Number.isFinite(n)) throw new Error(`${where}: bad default ${text}`);
  if (type === 'int64') return `${BigInt(text)}n`;
  return String(n);
}

/** The default value of a field as a TypeScript expression (a fresh value each time). */
export function defaultExpr(t: MessageTypes, f: FieldSpec, within: VersionRange): string {
  const where = `${t.msg.name}.${f.name}`;
  const k = t.kindOf(f);
  if (f.default === 'null') {
    if (!t.everNullable(f, within)) throw new Error(`${where}: default null but not nullable`);
    return 'null';
  }
  if (k.kind === 'array') return '[]';
  if (k.kind === 'struct') return `default${k.struct.tsName}()`;
  const d = f.default;
  switch (k.type) {
    case 'bool': return d === 'true' ? 'true' : 'false';
    case 'int8': case 'int16': case 'uint16': case 'int32': case 'int64': case 'float64':
      return d === undefined || d === '' ? (k.type === 'int64' ? '0n' : '0') : intLiteral(k.type, d, where);
    case 'string': return JSON.stringify(d ?? '');
    case 'uuid': return 'ZERO_UUID';
    case 'bytes': return 'EMPTY_BUFFER';
    case 'records': return t.everNullable(f, within) ? 'null' : 'EMPTY_BUFFER';
    default: throw new Error(`${where}: no default for ${k.type}`);
  }
}

/** An expression that is true when `x` differs from the field's default (for tagged fields). */
export function notDefaultExpr(t: MessageTypes, f: FieldSpec, within: VersionRange, x: string): string {
  const d = defaultExpr(t, f, within);
  const k: FieldKind = t.kindOf(f);
  if (d === 'null') return `${x} !== null`;
  let inner: string;
  if (k.kind === 'array') inner = `${x}.length !== 0`;
  else if (k.kind === 'struct') inner = `!isDefault${k.struct.tsName}(${x})`;
  else if (k.type === 'bytes' || k.type === 'records') inner = `${x}.length !== 0`;
  else inner = `${x} !== ${d}`;
  return t.everNullable(f, within) ? `(${x} === null || ${inner})` : inner;
}

/** The body of `isDefault<Struct>(v)`: every field equal to its default. */
export function isDefaultBody(t: MessageTypes, s: StructInfo): string {
  if (s.fields.length === 0) return 'return true;';
  const parts = s.fields.map((f) => `!(${notDefaultExpr(t, f, s.versions, `v.${camelName(f)}`)})`);
  return `return ${parts.join(' && ')};`;
}

export function camelName(f: FieldSpec): string {
  return f.name.charAt(0).toLowerCase() + f.name.slice(1);
}
