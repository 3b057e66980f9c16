import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as generated from './generated/index.js';
import type { MessageCodec } from './codec-support.js';
import { Reader } from './reader.js';
import { Writer } from './writer.js';
import { messageArbitrary, structDefault, versionsOf } from './testing/schema-arbitrary.js';

function isCodec(v: unknown): v is MessageCodec<unknown> {
  return typeof v === 'object' && v !== null && 'schema' in v && 'encode' in v && 'decode' in v;
}

export function allCodecs(): MessageCodec<unknown>[] {
  const out: MessageCodec<unknown>[] = [];
  const visit = (ns: Record<string, unknown>): void => {
    for (const v of Object.values(ns)) if (isCodec(v)) out.push(v);
  };
  visit(generated as unknown as Record<string, unknown>);
  visit(generated.groupCoordinatorRecords as unknown as Record<string, unknown>);
  visit(generated.transactionRecords as unknown as Record<string, unknown>);
  visit(generated.metadataRecords as unknown as Record<string, unknown>);
  visit(generated.raftRecords as unknown as Record<string, unknown>);
  return out;
}

const RUNS = Number(process.env.SAMSA_TEST_PROPERTY_RUNS ?? 30);

function encode(codec: MessageCodec<unknown>, version: number, value: unknown): Buffer {
  const w = new Writer(16);
  codec.encode(w, version, value);
  return w.toBuffer();
}

test('every schema is generated: messages, headers and persisted records', () => {
  const codecs = allCodecs();
  const kinds = new Map<string, number>();
  for (const c of codecs) kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
  assert.equal(kinds.get('request'), kinds.get('response'));
  assert.ok((kinds.get('request') ?? 0) >= 80, `requests: ${kinds.get('request')}`);
  assert.equal(kinds.get('header'), 2);
  assert.ok((kinds.get('metadata') ?? 0) >= 20);
  assert.ok((kinds.get('data') ?? 0) >= 30);
});

for (const codec of allCodecs()) {
  test(`${codec.name}: decode(encode(x)) = x and re-encoding is byte-identical, every version`, () => {
    for (const version of versionsOf(codec)) {
      fc.assert(
        fc.property(messageArbitrary(codec, version), (value) => {
          const bytes = encode(codec, version, value);
          const r = new Reader(bytes);
          const decoded = codec.decode(r, version);
          assert.equal(r.remaining, 0, 'decode consumed every byte');
          assert.deepStrictEqual(decoded, value);
          assert.deepStrictEqual(encode(codec, version, decoded), bytes);
        }),
        { numRuns: RUNS },
      );
    }
  });
}

test('defaults() matches the defaults in the schema and round-trips at every version', () => {
  for (const codec of allCodecs()) {
    for (const version of versionsOf(codec)) {
      const defaults = codec.defaults();
      assert.deepStrictEqual(defaults, structDefault(codec.schema, codec.schema.top, version, codec.flexibleVersions), codec.name);
      const decoded = codec.decode(new Reader(encode(codec, version, defaults)), version);
      assert.deepStrictEqual(decoded, defaults, `${codec.name} v${version}`);
    }
  }
});
