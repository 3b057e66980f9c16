/**
 * Resolves field types: primitives, arrays, structs (inline or common), and the version ranges
 * in which each piece of generated code runs.
 */
import { type FieldSpec, type MessageSpec, type VersionRange, intersect, isEmpty } from './schema.js';

export const PRIMITIVES = new Set([
  'bool', 'int8', 'int16', 'uint16', 'int32', 'int64', 'float64', 'string', 'bytes', 'records', 'uuid',
]);

export interface StructInfo {
  /** The schema's struct name (or the message name for the top level). */
  readonly name: string;
  /** The exported TypeScript name. */
  readonly tsName: string;
  /** The versions in which this struct's codec can run. */
  readonly versions: VersionRange;
  readonly fields: FieldSpec[];
}

export type FieldKind =
  | { kind: 'primitive'; type: string }
  | { kind: 'struct'; struct: StructInfo }
  | { kind: 'array'; element: { kind: 'primitive'; type: string } | { kind: 'struct'; struct: StructInfo } };

export class MessageTypes {
  readonly msg: MessageSpec;
  readonly top: StructInfo;
  readonly structs = new Map<string, StructInfo>();

  constructor(msg: MessageSpec) {
    this.msg = msg;
    for (const s of msg.commonStructs) {
      this.structs.set(s.name, { name: s.name, tsName: this.tsStructName(s.name), versions: intersect(s.versions, msg.validVersions), fields: s.fields });
    }
    this.top = { name: msg.name, tsName: msg.name, versions: msg.validVersions, fields: msg.fields };
    this.collect(this.top.fields, this.top.versions);
  }

  private tsStructName(name: string): string {
    return name.startsWith(this.msg.name) ? name : `${this.msg.name}${name}`;
  }

  private collect(fields: FieldSpec[], within: VersionRange): void {
    for (const f of fields) {
      const base = f.type.startsWith('[]') ? f.type.slice(2) : f.type;
      if (PRIMITIVES.has(base)) {
        if (f.fields) throw new Error(`${this.msg.name}.${f.name}: primitive type with fields`);
        continue;
      }
      const versions = intersect(f.versions, within);
      if (f.fields) {
        const existing = this.structs.get(base);
        if (existing && existing.fields !== f.fields) throw new Error(`${this.msg.name}: struct ${base} defined twice`);
        this.structs.set(base, { name: base, tsName: this.tsStructName(base), versions, fields: f.fields });
        this.collect(f.fields, versions);
      } else if (!this.structs.has(base)) {
        throw new Error(`${this.msg.name}.${f.name}: unknown type ${f.type}`);
      }
    }
    for (const s of this.msg.commonStructs) {
      const info = this.structs.get(s.name)!;
      if (!this.collectedCommon.has(s.name)) {
        this.collectedCommon.add(s.name);
        this.collect(info.fields, info.versions);
      }
    }
  }

  private collectedCommon = new Set<string>();

  kindOf(f: FieldSpec): FieldKind {
    if (f.type.startsWith('[]')) {
      const base = f.type.slice(2);
      if (PRIMITIVES.has(base)) return { kind: 'array', element: { kind: 'primitive', type: base } };
      return { kind: 'array', element: { kind: 'struct', struct: this.structs.get(base)! } };
    }
    if (PRIMITIVES.has(f.type)) return { kind: 'primitive', type: f.type };
    return { kind: 'struct', struct: this.structs.get(f.type)! };
  }

  /** Whether the field can be null in any version where it exists. */
  everNullable(f: FieldSpec, within: VersionRange): boolean {
    return !isEmpty(intersect(intersect(f.nullableVersions, f.versions), within));
  }

  /** The flexible versions that apply to a field (RequestHeader's ClientId overrides them). */
  flexibleFor(f: FieldSpec): VersionRange {
    return f.flexibleVersions ?? this.msg.flexibleVersions;
  }
}

/**
 * A condition on `version`, folded to true/false where the range covers all or none of the
 * versions in which the code runs.
 */
export type Cond = true | false | string;

export function versionCond(range: VersionRange, within: VersionRange): Cond {
  const r = intersect(range, within);
  if (isEmpty(r)) return false;
  const parts: string[] = [];
  if (r.min > within.min) parts.push(`version >= ${r.min}`);
  if (r.max < within.max) parts.push(`version <= ${r.max}`);
  if (parts.length === 0) return true;
  return parts.join(' && ');
}

export function and(a: Cond, b: Cond): Cond {
  if (a === false || b === false) return false;
  if (a === true) return b;
  if (b === true) return a;
  return `(${a}) && (${b})`;
}

export function camel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

export function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2').toLowerCase();
}
