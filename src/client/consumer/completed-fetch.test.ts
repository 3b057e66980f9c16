import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompressionCodec, encodeLegacyMessageSetSync, encodeRecordBatchSync } from '../../protocol/index.js';
import { CompletedFetch } from './completed-fetch.js';

const rec = (offset: number, v: string): { offset: bigint; timestamp: bigint; key: Buffer | null; value: Buffer } => ({
  offset: BigInt(offset), timestamp: 1_700_000_000_000n + BigInt(offset), key: null, value: Buffer.from(v),
});

test('old-format data (v0 and v1 message sets, plain and compressed) is read like v2 batches, in offset order', () => {
  const v0 = encodeLegacyMessageSetSync({ magic: 0, records: [rec(0, 'a'), rec(1, 'b')] });
  const v1gzip = encodeLegacyMessageSetSync({ magic: 1, compression: CompressionCodec.Gzip, records: [rec(2, 'c'), rec(3, 'd'), rec(4, 'e')] });
  const v2 = encodeRecordBatchSync({ baseOffset: 5n, records: [{ timestamp: 1n, key: null, value: Buffer.from('f') }, { timestamp: 2n, key: null, value: Buffer.from('g') }] });
  const buf = Buffer.concat([v0, v1gzip, v2]);
  const f = new CompletedFetch('t', 0, buf, 0n, 7n, 7n, null, false, true, 0);
  assert.equal(f.endOffset, 7n);
  const got = f.take(1n, 100);
  assert.deepEqual(got.map((r) => [Number(r.offset), r.value!.toString()]), [[1, 'b'], [2, 'c'], [3, 'd'], [4, 'e'], [5, 'f'], [6, 'g']]);
  assert.equal(got[2]!.timestamp, 1_700_000_000_003n);
  assert.ok(f.exhausted);
  assert.equal(f.nextFetchOffset, 7n);
});

test('a partial batch at the end of a fetch is left for the next fetch', () => {
  const a = encodeRecordBatchSync({ baseOffset: 0n, records: [{ timestamp: 1n, key: null, value: Buffer.from('x') }] });
  const b = encodeRecordBatchSync({ baseOffset: 1n, records: [{ timestamp: 1n, key: null, value: Buffer.from('y') }] });
  const f = new CompletedFetch('t', 0, Buffer.concat([a, b.subarray(0, b.length - 3)]), 0n, 2n, 2n, null, false, true, 0);
  assert.equal(f.endOffset, 1n);
  assert.deepEqual(f.take(0n, 10).map((r) => r.offset), [0n]);
  assert.equal(f.nextFetchOffset, 1n);
});
