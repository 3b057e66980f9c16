/**
 * Serializers turn application values into record bytes; deserializers turn bytes back. Both
 * see the topic and the record's headers, as Kafka's Serializer/Deserializer do. Null stays
 * null (a tombstone value, or no key).
 */
import type { RecordHeader } from '../protocol/index.js';

export type Serializer<T> = (data: T, topic: string, headers: RecordHeader[]) => Buffer | null;
export type Deserializer<T> = (data: Buffer | null, topic: string, headers: readonly RecordHeader[]) => T;

/** Bytes as they are (the default: Buffer in, Buffer out). Strings are written as UTF-8. */
export const bufferSerializer: Serializer<Buffer | string | null | undefined> = (data) => {
  if (data === null || data === undefined) return null;
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
};
export const bufferDeserializer: Deserializer<Buffer | null> = (data) => data;

export const stringSerializer: Serializer<string | null | undefined> = (data) => (data === null || data === undefined ? null : Buffer.from(data, 'utf8'));
export const stringDeserializer: Deserializer<string | null> = (data) => (data === null ? null : data.toString('utf8'));

export const jsonSerializer: Serializer<unknown> = (data) => (data === undefined ? null : Buffer.from(JSON.stringify(data), 'utf8'));
export const jsonDeserializer: Deserializer<unknown> = (data) => (data === null ? null : JSON.parse(data.toString('utf8')) as unknown);
