/**
 * The schema model: Kafka's message JSON (with // comments), parsed and checked.
 * Only facts the codec needs are kept; the `about` prose is dropped here.
 */
import { readFileSync } from 'node:fs';

export interface VersionRange {
  readonly min: number;
  /** Infinity for an open range ("3+"). */
  readonly max: number;
}

export const NO_VERSIONS: VersionRange = { min: 1, max: 0 };

export interface FieldSpec {
  readonly name: string;
  readonly type: string;
  readonly versions: VersionRange;
  readonly nullableVersions: VersionRange;
  readonly taggedVersions: VersionRange;
  readonly tag: number | undefined;
  readonly default: string | undefined;
  readonly ignorable: boolean;
  readonly entityType: string | undefined;
  readonly mapKey: boolean;
  /** A field-level override of the message's flexible versions (RequestHeader's ClientId). */
  readonly flexibleVersions: VersionRange | undefined;
  readonly zeroCopy: boolean;
  readonly fields: FieldSpec[] | undefined;
}

export interface StructSpec {
  readonly name: string;
  readonly versions: VersionRange;
  readonly fields: FieldSpec[];
}

export interface MessageSpec {
  readonly name: string;
  /** request, response, header, metadata, data */
  readonly kind: string;
  readonly apiKey: number | undefined;
  readonly validVersions: VersionRange;
  readonly flexibleVersions: VersionRange;
  readonly deprecatedVersions: VersionRange;
  readonly latestVersionUnstable: boolean;
  readonly listeners: string[];
  readonly fields: FieldSpec[];
  readonly commonStructs: StructSpec[];
  /** The file it came from, relative to the schema root. */
  readonly source: string;
}

export function parseVersions(text: string | undefined, fallback: VersionRange = NO_VERSIONS): VersionRange {
  if (text === undefined) return fallback;
  const t = text.trim();
  if (t === 'none' || t === '') return NO_VERSIONS;
  let m = /^(\d+)\+$/.exec(t);
  if (m) return { min: Number(m[1]), max: Infinity };
  m = /^(\d+)-(\d+)$/.exec(t);
  if (m) return { min: Number(m[1]), max: Number(m[2]) };
  m = /^(\d+)$/.exec(t);
  if (m) return { min: Number(m[1]), max: Number(m[1]) };
  throw new Error(`bad version range: ${JSON.stringify(text)}`);
}

export function isEmpty(r: VersionRange): boolean {
  return r.min > r.max;
}

export function intersect(a: VersionRange, b: VersionRange): VersionRange {
  return { min: Math.max(a.min, b.min), max: Math.min(a.max, b.max) };
}

export function contains(r: VersionRange, version: number): boolean {
  return version >= r.min && version <= r.max;
}

/** Removes // comments outside string literals (the schemas are JSON with line comments). */
export function stripComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else {
      out += c;
    }
  }
  return out;
}

type Json = Record<string, unknown>;

function str(o: Json, key: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new Error(`${key} should be a string`);
  return v;
}

function parseField(o: Json, parentVersions: VersionRange): FieldSpec {
  const name = str(o, 'name');
  const type = str(o, 'type');
  if (!name || !type) throw new Error(`field without name or type: ${JSON.stringify(o)}`);
  const taggedVersions = parseVersions(str(o, 'taggedVersions'));
  // A tagged field without "versions" exists exactly in its tagged versions.
  const versions = parseVersions(str(o, 'versions'), isEmpty(taggedVersions) ? parentVersions : taggedVersions);
  const children = o.fields as Json[] | undefined;
  const tagValue = o.tag;
  return {
    name,
    type,
    versions,
    nullableVersions: parseVersions(str(o, 'nullableVersions')),
    taggedVersions,
    tag: tagValue === undefined ? undefined : Number(tagValue),
    default: o.default === undefined ? undefined : String(o.default),
    ignorable: o.ignorable === true,
    entityType: str(o, 'entityType'),
    mapKey: o.mapKey === true,
    flexibleVersions: o.flexibleVersions === undefined ? undefined : parseVersions(str(o, 'flexibleVersions')),
    zeroCopy: o.zeroCopy === true,
    fields: children?.map((c) => parseField(c, versions)),
  };
}

export function parseMessage(text: string, source: string): MessageSpec {
  const o = JSON.parse(stripComments(text)) as Json;
  const name = str(o, 'name');
  const kind = str(o, 'type');
  if (!name || !kind) throw new Error(`${source}: no name or type`);
  const validVersions = parseVersions(str(o, 'validVersions'));
  const structs = (o.commonStructs as Json[] | undefined) ?? [];
  return {
    name,
    kind,
    apiKey: typeof o.apiKey === 'number' ? o.apiKey : undefined,
    validVersions,
    flexibleVersions: parseVersions(str(o, 'flexibleVersions')),
    deprecatedVersions: parseVersions(str(o, 'deprecatedVersions')),
    latestVersionUnstable: o.latestVersionUnstable === true,
    listeners: (o.listeners as string[] | undefined) ?? [],
    fields: ((o.fields as Json[] | undefined) ?? []).map((f) => parseField(f, validVersions)),
    commonStructs: structs.map((s) => {
      const versions = parseVersions(str(s, 'versions'), validVersions);
      return { name: String(s.name), versions, fields: ((s.fields as Json[]) ?? []).map((f) => parseField(f, versions)) };
    }),
    source,
  };
}

export function loadMessage(path: string, source: string): MessageSpec {
  return parseMessage(readFileSync(path, 'utf8'), source);
}
