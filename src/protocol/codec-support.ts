/**
 * What generated codecs share: tagged-field plumbing, null checks, and the descriptors that
 * describe each message's schema at run time (used by tests, tools and ApiVersions).
 */
import { EncodeError } from '../common/errors.js';
import type { Reader } from './reader.js';
import { Writer } from './writer.js';

/** A tagged field this version of Samsa does not know, kept as raw bytes so it re-encodes as is. */
export interface TaggedField {
  tag: number;
  data: Buffer;
}

export const EMPTY_BUFFER: Buffer = Buffer.alloc(0);

export function req<T>(value: T | null, where: string): T {
  if (value === null) throw new EncodeError(`${where}: null in a version where it is not nullable`);
  return value;
}

export function writeTaggedField(w: Writer, tag: number, body: Writer): void {
  w.uvarint(tag);
  w.uvarint(body.length);
  for (const chunk of body.toChunks()) w.raw(chunk);
}

/** Writes the unknown tagged fields whose tags sort before `beforeTag`; returns the next index. */
export function writeUnknownTaggedFields(w: Writer, unknown: TaggedField[] | undefined, from: number, beforeTag: number): number {
  if (!unknown) return from;
  let i = from;
  while (i < unknown.length && unknown[i]!.tag < beforeTag) {
    const f = unknown[i]!;
    w.uvarint(f.tag);
    w.uvarint(f.data.length);
    w.raw(f.data);
    i++;
  }
  return i;
}

export function writeTaggedFields(w: Writer, unknown: TaggedField[] | undefined): void {
  w.uvarint(unknown ? unknown.length : 0);
  writeUnknownTaggedFields(w, unknown, 0, Infinity);
}

export interface VersionRange {
  readonly min: number;
  /** 32767 for an open range. */
  readonly max: number;
}

export interface FieldDescriptor {
  readonly name: string;
  /** Schema type: a primitive, `[]T`, or a struct name. */
  readonly type: string;
  readonly versions: VersionRange;
  readonly nullableVersions?: VersionRange;
  readonly taggedVersions?: VersionRange;
  readonly tag?: number;
  readonly default?: string;
  readonly entityType?: string;
  readonly mapKey?: boolean;
  readonly ignorable?: boolean;
  readonly flexibleVersions?: VersionRange;
}

export interface SchemaDescriptor {
  readonly top: string;
  readonly structs: Readonly<Record<string, { readonly versions: VersionRange; readonly fields: readonly FieldDescriptor[] }>>;
}

export interface MessageCodec<T> {
  readonly name: string;
  /** request, response, header, metadata or data. */
  readonly kind: string;
  readonly apiKey: number | undefined;
  readonly validVersions: VersionRange;
  readonly flexibleVersions: VersionRange | undefined;
  readonly deprecatedVersions: VersionRange | undefined;
  readonly latestVersionUnstable: boolean;
  readonly listeners: readonly string[];
  readonly schema: SchemaDescriptor;
  encode(w: Writer, version: number, value: T): void;
  decode(r: Reader, version: number): T;
  defaults(): T;
}

export function isFlexible(codec: MessageCodec<unknown>, version: number): boolean {
  const f = codec.flexibleVersions;
  return f !== undefined && version >= f.min && version <= f.max;
}

export function isValidVersion(codec: MessageCodec<unknown>, version: number): boolean {
  return version >= codec.validVersions.min && version <= codec.validVersions.max;
}

/** Encodes a value into one buffer. */
export function encodeToBuffer<T>(codec: MessageCodec<T>, version: number, value: T): Buffer {
  const w = new Writer();
  codec.encode(w, version, value);
  return w.toBuffer();
}
