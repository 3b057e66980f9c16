/**
 * The layout of test/fixtures/golden/: index.json, plus one JSON file per captured request with
 * the response the client accepted, both frames as hex without their int32 size prefix.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Codec, TextRecord } from './clients.js';

export const GOLDEN_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'fixtures', 'golden');

export type ClientName = 'kcat' | 'kafkajs' | 'platformatic';

export interface GoldenPair {
  apiKey: number;
  apiVersion: number;
  /** The version the response was written at; differs only for an unsupported ApiVersions. */
  responseVersion: number;
  request: string;
  response: string | null;
}

export interface GoldenExchange {
  file: string;
  client: ClientName;
  clientId: string | null;
  scenario: string;
  apiKey: number;
  apiName: string;
  apiVersion: number;
}

export interface GoldenProduced {
  scenario: string;
  client: ClientName;
  codec: Codec;
  topic: string;
  /** True when the producer was idempotent (InitProducerId, then batches with a producer id). */
  idempotent?: boolean;
  records: TextRecord[];
}

export interface GoldenIndex {
  about: string;
  capturedAt: string;
  clients: {
    kcat: { kcat: string; librdkafka: string } | null;
    kafkajs: { version: string; codecs: Record<string, string>; missing: Record<string, string> } | null;
    /** Absent in an index written before @platformatic/kafka was captured. */
    platformatic?: {
      version: string;
      codecs: Record<string, string>;
      missing: Record<string, string>;
      /** The caps the lowest-version pass advertised: API name → version. */
      lowestVersions: Record<string, number>;
    } | null;
  };
  produced: GoldenProduced[];
  exchanges: GoldenExchange[];
}

export function readIndex(dir = GOLDEN_DIR): GoldenIndex {
  return JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as GoldenIndex;
}

export function readPair(file: string, dir = GOLDEN_DIR): { request: Buffer; response: Buffer | null; pair: GoldenPair } {
  const pair = JSON.parse(readFileSync(join(dir, file), 'utf8')) as GoldenPair;
  return {
    pair,
    request: Buffer.from(pair.request, 'hex'),
    response: pair.response === null ? null : Buffer.from(pair.response, 'hex'),
  };
}

/**
 * The records a test sends: compressible values so every codec really compresses. kcat puts one
 * set of headers on every record; the in-process clients get a null key and a record without
 * headers too.
 */
export function sampleRecords(client: ClientName, codec: Codec): TextRecord[] {
  const filler = 'lorem ipsum dolor sit amet '.repeat(4);
  return Array.from({ length: 6 }, (_, i) => ({
    key: client !== 'kcat' && i === 5 ? null : `key-${i}`,
    value: `${client} ${codec} record ${i}: ${filler}`,
    headers: client === 'kcat'
      ? [['trace', 'kcat'], ['codec', codec]]
      : client === 'platformatic' && i === 4 ? [] : [['trace', `${client}-${i}`], ['codec', codec]],
  }));
}

/** The same records in any order across partitions (a multiset compare); a description of the first difference. */
export function recordSetDifference(expected: TextRecord[], actual: TextRecord[]): string | null {
  const norm = (rs: TextRecord[]): string[] => rs.map((r) => JSON.stringify([r.key, r.value, r.headers])).sort();
  const e = norm(expected);
  const a = norm(actual);
  if (e.length !== a.length) return `expected ${e.length} records, got ${a.length}`;
  const i = e.findIndex((x, j) => x !== a[j]);
  return i < 0 ? null : `expected ${e[i]}, got ${a[i]}`;
}
