/**
 * Emits encode/decode/default functions for one struct of a message, every version in one
 * function with version checks folded where a field exists in all or none of them.
 */
import { type FieldSpec, isEmpty, intersect } from './schema.js';
import { type Cond, type FieldKind, type MessageTypes, type StructInfo, versionCond, and } from './types.js';
import { camelName, defaultExpr, fieldTsType, isDefaultBody, notDefaultExpr } from './values.js';

function when(c: Cond, body: string, otherwise = ''): string {
  if (c === true) return body;
  if (c === false) return otherwise;
  return otherwise ? `if (${c}) {\n${body}\n} else {\n${otherwise}\n}` : `if (${c}) {\n${body}\n}`;
}

function pick(c: Cond, a: string, b: string): string {
  if (c === true) return a;
  if (c === false) return b;
  return `(${c} ? ${a} : ${b})`;
}

const FIXED_WRITE: Record<string, string> = {
  bool: 'bool', int8: 'int8', int16: 'int16', uint16: 'uint16', int32: 'int32', int64: 'int64', float64: 'float64', uuid: 'uuid',
};

function lengthPrefixed(type: string): 'String' | 'Bytes' {
  return type === 'string' ? 'String' : 'Bytes';
}

interface ValueCtx {
  readonly nullable: Cond;
  readonly flexible: Cond;
  readonly where: string;
  /** Whether the TypeScript type of the value admits null. */
  readonly typeNullable: boolean;
}

function encPrimitive(type: string, x: string, c: ValueCtx, w: string): string {
  const fixed = FIXED_WRITE[type];
  if (fixed) return `${w}.${fixed}(${x});`;
  const kind = lengthPrefixed(type);
  const nonNull = c.typeNullable ? `req(${x}, ${JSON.stringify(c.where)})` : x;
  const plain = kind === 'String' ? 'string' : 'bytes';
  const compact = `compact${kind}`;
  const flexWrite = pick(c.nullable, `${w}.compactNullable${kind}(${x})`, `${w}.${compact}(${nonNull})`);
  const oldWrite = pick(c.nullable, `${w}.nullable${kind}(${x})`, `${w}.${plain}(${nonNull})`);
  if (c.flexible === true) return `${flexWrite};`;
  if (c.flexible === false) return `${oldWrite};`;
  return `if (${c.flexible}) ${flexWrite}; else ${oldWrite};`;
}

function encElement(k: FieldKind & { kind: 'array' }, e: string, flexible: Cond, where: string, w: string): string {
  if (k.element.kind === 'struct') return `encode${k.element.struct.tsName}(${w}, version, ${e});`;
  return encPrimitive(k.element.type, e, { nullable: false, flexible, where, typeNullable: false }, w);
}

export function encValue(k: FieldKind, x: string, c: ValueCtx, w: string): string {
  if (k.kind === 'primitive') return encPrimitive(k.type, x, c, w);
  const nullErr = `throw new EncodeError(${JSON.stringify(`${c.where}: null in a version where it is not nullable`)});`;
  if (k.kind === 'struct') {
    const enc = `encode${k.struct.tsName}(${w}, version, ${x});`;
    if (!c.typeNullable) return enc;
    const ifNull = c.nullable === true ? `${w}.int8(-1);` : when(c.nullable, `${w}.int8(-1);`, nullErr);
    const ifValue = when(c.nullable, `${w}.int8(1);`) + `\n${enc}`;
    return `if (${x} === null) {\n${ifNull}\n} else {\n${ifValue}\n}`;
  }
  const writeLength = pick(c.flexible, `${w}.compactArrayLength(a.length)`, `${w}.arrayLength(a.length)`);
  const body = `${writeLength};\nfor (const e of a) {\n${encElement(k, 'e', c.flexible, c.where, w)}\n}`;
  if (!c.typeNullable) return `{\nconst a = ${x};\n${body}\n}`;
  const writeNull = when(c.flexible, `${w}.uvarint(0);`, `${w}.int32(-1);`);
  const ifNull = when(c.nullable, writeNull, nullErr);
  return `{\nconst a = ${x};\nif (a === null) {\n${ifNull}\n} else {\n${body}\n}\n}`;
}

const FIXED_READ = FIXED_WRITE;

function decPrimitiveExpr(type: string, c: ValueCtx, r: string): string {
  const fixed = FIXED_READ[type];
  if (fixed) return `${r}.${fixed}()`;
  const kind = lengthPrefixed(type);
  const plain = kind === 'String' ? 'string' : 'bytes';
  const flexRead = pick(c.nullable, `${r}.compactNullable${kind}()`, `${r}.compact${kind}()`);
  const oldRead = pick(c.nullable, `${r}.nullable${kind}()`, `${r}.${plain}()`);
  return pick(c.flexible, flexRead, oldRead);
}

export function decValue(k: FieldKind, target: string, c: ValueCtx, r: string, elemType: string): string {
  if (k.kind === 'primitive') return `${target} = ${decPrimitiveExpr(k.type, c, r)};`;
  if (k.kind === 'struct') {
    const dec = `decode${k.struct.tsName}(${r}, version)`;
    return `${target} = ${pick(c.nullable, `(${r}.int8() < 0 ? null : ${dec})`, dec)};`;
  }
  const readLength = pick(c.flexible, `${r}.compactArrayLength()`, `${r}.arrayLength()`);
  const elem = k.element.kind === 'struct'
    ? `decode${k.element.struct.tsName}(${r}, version)`
    : decPrimitiveExpr(k.element.type, { nullable: false, flexible: c.flexible, where: c.where, typeNullable: false }, r);
  const nullErr = `throw new DecodeError(${JSON.stringify(`${c.where}: null array in a version where it is not nullable`)});`;
  const onNull = c.nullable === false ? nullErr : when(c.nullable, `${target} = null;`, nullErr);
  return `{\nconst n = ${readLength};\nif (n < 0) {\n${onNull}\n} else {\nconst a: ${elemType}[] = [];\nfor (let i = 0; i < n; i++) a.push(${elem});\n${target} = a;\n}\n}`;
}

function elementTsType(t: MessageTypes, f: FieldSpec, within: import('./schema.js').VersionRange): string {
  return fieldTsType(t, f, within).replace(/ \| null$/, '').replace(/\[\]$/, '');
}

function checkTagging(t: MessageTypes, f: FieldSpec): void {
  if (isEmpty(f.taggedVersions)) return;
  if (f.tag === undefined) throw new Error(`${t.msg.name}.${f.name}: tagged without a tag`);
  const regular = { min: f.versions.min, max: Math.min(f.versions.max, f.taggedVersions.min - 1) };
  if (!isEmpty(intersect(regular, t.msg.validVersions))) {
    throw new Error(`${t.msg.name}.${f.name}: regular in some versions and tagged in others`);
  }
}

export function emitStruct(t: MessageTypes, s: StructInfo): string {
  const R = s.versions;
  const ts = s.tsName;
  const flexible = versionCond(t.msg.flexibleVersions, R);
  const regular = s.fields.filter((f) => isEmpty(f.taggedVersions));
  const tagged = s.fields.filter((f) => !isEmpty(f.taggedVersions)).sort((a, b) => a.tag! - b.tag!);
  s.fields.forEach((f) => checkTagging(t, f));
  const out: string[] = [];

  // The type.
  out.push(`export interface ${ts} {`);
  for (const f of s.fields) out.push(`  ${camelName(f)}: ${fieldTsType(t, f, R)};`);
  if (flexible !== false) out.push('  _unknownTaggedFields?: TaggedField[] | undefined;');
  out.push('}', '');

  // Defaults.
  out.push(`export function default${ts}(): ${ts} {`, '  return {');
  for (const f of s.fields) out.push(`    ${camelName(f)}: ${defaultExpr(t, f, R)},`);
  if (flexible !== false) out.push('    _unknownTaggedFields: undefined,');
  out.push('  };', '}', '');
  if (tagged.length > 0 || s !== t.top) {
    out.push(`export function isDefault${ts}(v: ${ts}): boolean {`, isDefaultBody(t, s), '}', '');
  }

  const ctxFor = (f: FieldSpec, taggedField: boolean): ValueCtx => ({
    nullable: versionCond(f.nullableVersions, intersect(R, f.versions)),
    flexible: taggedField ? true : versionCond(t.flexibleFor(f), intersect(R, f.versions)),
    where: `${t.msg.name}.${f.name}`,
    typeNullable: t.everNullable(f, R),
  });

  // Encode.
  out.push(`export function encode${ts}(w: Writer, version: number, v: ${ts}): void {`);
  for (const f of regular) {
    out.push(when(versionCond(f.versions, R), encValue(t.kindOf(f), `v.${camelName(f)}`, ctxFor(f, false), 'w')));
  }
  if (flexible !== false) {
    let body: string;
    if (tagged.length === 0) {
      body = 'writeTaggedFields(w, v._unknownTaggedFields);';
    } else {
      const lines = ['const unknown = v._unknownTaggedFields;'];
      tagged.forEach((f, i) => {
        const present = and(versionCond(f.taggedVersions, intersect(R, f.versions)), notDefaultExpr(t, f, R, `v.${camelName(f)}`));
        lines.push(`const has${i} = ${present === true ? 'true' : present === false ? 'false' : present};`);
      });
      lines.push(`w.uvarint((unknown ? unknown.length : 0)${tagged.map((_, i) => ` + (has${i} ? 1 : 0)`).join('')});`);
      lines.push('let u = 0;');
      tagged.forEach((f, i) => {
        lines.push(`u = writeUnknownTaggedFields(w, unknown, u, ${f.tag});`);
        lines.push(`if (has${i}) {\nconst tw = new Writer(64);\n${encValue(t.kindOf(f), `v.${camelName(f)}`, ctxFor(f, true), 'tw')}\nwriteTaggedField(w, ${f.tag}, tw);\n}`);
      });
      lines.push('writeUnknownTaggedFields(w, unknown, u, Infinity);');
      body = lines.join('\n');
    }
    out.push(when(flexible, body));
  }
  out.push('}', '');

  // Decode.
  out.push(`export function decode${ts}(r: Reader, version: number): ${ts} {`);
  for (const f of s.fields) out.push(`let f_${camelName(f)}: ${fieldTsType(t, f, R)} = ${defaultExpr(t, f, R)};`);
  for (const f of regular) {
    out.push(when(versionCond(f.versions, R), decValue(t.kindOf(f), `f_${camelName(f)}`, ctxFor(f, false), 'r', elementTsType(t, f, R))));
  }
  if (flexible !== false) {
    out.push('let unknown: TaggedField[] | undefined;');
    const branches = tagged.map((f) => {
      const c = versionCond(f.taggedVersions, intersect(R, f.versions));
      const test = c === true ? `tag === ${f.tag}` : c === false ? 'false' : `tag === ${f.tag} && ${c}`;
      return `if (${test}) {\nconst sub = new Reader(r.buf, r.offset, end);\n${decValue(t.kindOf(f), `f_${camelName(f)}`, ctxFor(f, true), 'sub', elementTsType(t, f, R))}\n}`;
    });
    branches.push('{\n(unknown ??= []).push({ tag, data: r.buf.subarray(r.offset, end) });\n}');
    const loop = [
      'const count = r.uvarint();',
      'if (count > r.remaining) throw new DecodeError(`tagged fields: ${count} claimed, ${r.remaining} bytes left`);',
      'for (let i = 0; i < count; i++) {',
      'const tag = r.uvarint();',
      'const size = r.uvarint();',
      "r.need(size, 'tagged field');",
      'const end = r.offset + size;',
      branches.join(' else '),
      'r.offset = end;',
      '}',
    ].join('\n');
    out.push(when(flexible, loop));
  }
  out.push('return {');
  for (const f of s.fields) out.push(`${camelName(f)}: f_${camelName(f)},`);
  if (flexible !== false) out.push('_unknownTaggedFields: unknown,');
  out.push('};', '}', '');
  return out.join('\n');
}
