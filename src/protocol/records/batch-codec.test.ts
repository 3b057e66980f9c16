import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DecodeError, SamsaError } from '../../common/errors.js';
import { CompressionCodec } from '../compression/codec.js';
import { crc32cPure } from '../crc/crc32c.js';
import { validateRecordBatch } from './batch-header.js';
import { decodeRecordBatch, decodeRecordBatchSync } from './batch-decode.js';
import { type RecordBatchInput, encodeRecordBatch, encodeRecordBatchSync } from './batch-encode.js';
import { NO_TIMESTAMP, TimestampType } from './constants.js';
import type { SimpleRecord } from './record.js';

const MAX = 1 << 22;
const codecs = [CompressionCodec.None, CompressionCodec.Gzip, CompressionCodec.Snappy, CompressionCodec.Lz4, CompressionCodec.Zstd];

const bytes = fc.oneof(fc.constant(null), fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)));
const header = fc.record({ key: fc.string({ unit: 'grapheme', maxLength: 20 }), value: bytes });
// Within ±2^61, so the delta between any two timestamps fits in int64.
const int64 = fc.bigInt({ min: -(2n ** 61n), max: 2n ** 61n });
const recordArb = fc.record({
  timestamp: fc.oneof(fc.bigInt({ min: 1_600_000_000_000n, max: 1_900_000_000_000n }), int64),
  key: bytes,
  value: bytes,
  headers: fc.array(header, { maxLength: 4 }),
  gap: fc.nat(1000),
});

const batchArb = fc.record({
  records: fc.array(recordArb, { maxLength: 25 }),
  baseOffset: fc.bigInt({ min: 0n, max: 2n ** 62n }),
  partitionLeaderEpoch: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
  compression: fc.constantFrom(...codecs),
  timestampType: fc.constantFrom(TimestampType.CreateTime, TimestampType.LogAppendTime),
  isTransactional: fc.boolean(),
  isControl: fc.boolean(),
  deleteHorizonMs: fc.option(fc.bigInt({ min: 0n, max: 2n ** 50n }), { nil: undefined }),
  producerId: fc.bigInt({ min: -1n, max: 2n ** 63n - 1n }),
  producerEpoch: fc.integer({ min: -1, max: 32767 }),
  baseSequence: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
  extraLastOffsetDelta: fc.nat(5),
});

type BatchCase = typeof batchArb extends fc.Arbitrary<infer T> ? T : never;

function toInput(c: BatchCase): RecordBatchInput {
  let offsetDelta = -1;
  const records: SimpleRecord[] = c.records.map((r) => {
    offsetDelta += 1 + (r.gap % 3 === 0 ? r.gap : 0);
    const headers = r.headers.map((h) => ({ key: h.key, value: h.value }));
    return { timestamp: r.timestamp, key: r.key, value: r.value, headers, offsetDelta };
  });
  return {
    ...c,
    records,
    lastOffsetDelta: Math.max(offsetDelta, 0) + c.extraLastOffsetDelta,
  };
}

function checkDecoded(input: RecordBatchInput, batch: Buffer, decoded: Awaited<ReturnType<typeof decodeRecordBatch>>): void {
  const records = input.records;
  const baseTimestamp = input.deleteHorizonMs ?? records[0]?.timestamp ?? NO_TIMESTAMP;
  const maxTimestamp = records.reduce((max, r) => (r.timestamp > max ? r.timestamp : max), NO_TIMESTAMP);
  assert.equal(decoded.batchLength, batch.length - 12);
  assert.equal(decoded.baseOffset, input.baseOffset);
  assert.equal(decoded.partitionLeaderEpoch, input.partitionLeaderEpoch);
  assert.equal(decoded.compression, input.compression);
  assert.equal(decoded.timestampType, input.timestampType);
  assert.equal(decoded.isTransactional, input.isTransactional);
  assert.equal(decoded.isControl, input.isControl);
  assert.equal(decoded.hasDeleteHorizon, input.deleteHorizonMs !== undefined);
  assert.equal(decoded.baseTimestamp, baseTimestamp);
  assert.equal(decoded.maxTimestamp, maxTimestamp);
  assert.equal(decoded.lastOffsetDelta, input.lastOffsetDelta);
  assert.equal(decoded.producerId, input.producerId);
  assert.equal(decoded.producerEpoch, input.producerEpoch);
  assert.equal(decoded.baseSequence, input.baseSequence);
  assert.equal(decoded.recordsCount, records.length);
  assert.deepEqual(
    decoded.records,
    records.map((r) => ({
      offset: input.baseOffset! + BigInt(r.offsetDelta!),
      offsetDelta: r.offsetDelta,
      timestamp: input.timestampType === TimestampType.LogAppendTime ? maxTimestamp : r.timestamp,
      key: r.key,
      value: r.value,
      headers: r.headers,
    })),
  );
}

test('record batches round-trip for every codec and attribute combination (fast-check)', async () => {
  await fc.assert(
    fc.asyncProperty(batchArb, async (c) => {
      const input = toInput(c);
      const batch = encodeRecordBatchSync(input);
      assert.equal(validateRecordBatch(batch), batch.length);
      checkDecoded(input, batch, decodeRecordBatchSync(batch, { maxUncompressedBytes: MAX }));
      const batchAsync = await encodeRecordBatch(input);
      checkDecoded(input, batchAsync, await decodeRecordBatch(batchAsync, { maxUncompressedBytes: MAX }));
      if (input.compression === CompressionCodec.None) assert.deepEqual(batchAsync, batch);
    }),
    { numRuns: 400 },
  );
});

test('every combination of codec and attribute bits survives a round trip', async () => {
  for (const compression of codecs) {
    for (let bits = 0; bits < 16; bits++) {
      const input: RecordBatchInput = {
        compression,
        timestampType: bits & 1 ? TimestampType.LogAppendTime : TimestampType.CreateTime,
        isTransactional: (bits & 2) !== 0,
        isControl: (bits & 4) !== 0,
        deleteHorizonMs: bits & 8 ? 1_750_000_000_000n : undefined,
        records: [{ timestamp: 1_700_000_000_000n, key: Buffer.from('key'), value: Buffer.from('value '.repeat(50)) }],
      };
      const batch = await encodeRecordBatch(input);
      const attributes = batch.readInt16BE(21);
      assert.equal(attributes, compression | ((bits & 1) << 3) | ((bits & 2) << 3) | ((bits & 4) << 3) | ((bits & 8) << 3));
      const decoded = await decodeRecordBatch(batch, { maxUncompressedBytes: MAX });
      assert.equal(decoded.attributes, attributes);
      assert.deepEqual(decoded.records[0]!.value, input.records[0]!.value);
    }
  }
});

/** Rewrites a field and the CRC, so the change reaches the record decoder. */
function patched(batch: Buffer, patch: (b: Buffer) => void): Buffer {
  const copy = Buffer.from(batch);
  patch(copy);
  copy.writeUInt32BE(crc32cPure(copy.subarray(21)), 17);
  return copy;
}

test('recordsCount 2^31-1 over a few bytes is a DecodeError, not an allocation', () => {
  const batch = encodeRecordBatchSync({ records: [{ timestamp: 1n, key: null, value: Buffer.from('a') }] });
  const lying = patched(batch, (b) => b.writeInt32BE(2 ** 31 - 1, 57));
  assert.throws(() => decodeRecordBatchSync(lying, { maxUncompressedBytes: MAX }), DecodeError);
  const compressed = encodeRecordBatchSync({ compression: CompressionCodec.Zstd, records: [{ timestamp: 1n, key: null, value: Buffer.from('a') }] });
  assert.throws(() => decodeRecordBatchSync(patched(compressed, (b) => b.writeInt32BE(2 ** 31 - 1, 57)), { maxUncompressedBytes: MAX }), DecodeError);
  assert.throws(() => decodeRecordBatchSync(patched(batch, (b) => b.writeInt32BE(-1, 57)), { maxUncompressedBytes: MAX }), {
    code: 'SAMSA_ERR_CORRUPT_RECORD',
  });
  assert.throws(() => decodeRecordBatchSync(patched(batch, (b) => b.writeInt32BE(2, 57)), { maxUncompressedBytes: MAX }), DecodeError);
  assert.throws(() => decodeRecordBatchSync(patched(batch, (b) => b.writeInt32BE(0, 57)), { maxUncompressedBytes: MAX }), {
    code: 'SAMSA_ERR_CORRUPT_RECORD',
    reason: 'structure',
  });
});

test('lengths inside a record are never trusted', () => {
  const batch = encodeRecordBatchSync({ records: [{ timestamp: 1n, key: Buffer.from('kk'), value: Buffer.from('vv'), headers: [{ key: 'h', value: null }] }] });
  // Record bytes from 61: length, attributes, timestampDelta, offsetDelta, key length (byte 65) ...
  const cases: Array<[string, (b: Buffer) => void]> = [
    ['record length past the end', (b) => (b[61] = 0x7e)],
    ['negative record length', (b) => (b[61] = 0x03)],
    ['key length past the record', (b) => (b[65] = 0x7e)],
    ['key length -2', (b) => (b[65] = 0x03)],
    ['5-byte varint key length of 2^31-1', (b) => b.set([0xfe, 0xff, 0xff, 0xff], 65)],
    ['header count past the record', (b) => (b[b.length - 4] = 0x7e)],
  ];
  for (const [label, patch] of cases) {
    assert.throws(() => decodeRecordBatchSync(patched(batch, patch), { maxUncompressedBytes: MAX }), DecodeError, label);
  }
});

test('a compressed batch that inflates past maxUncompressedBytes is a DecompressLimitError', async () => {
  for (const compression of codecs.slice(1)) {
    const batch = encodeRecordBatchSync({ compression, records: [{ timestamp: 1n, key: null, value: Buffer.alloc(4 << 20) }] });
    assert.ok(batch.length < 300_000, `codec ${compression}: ${batch.length}`);
    assert.throws(() => decodeRecordBatchSync(batch, { maxUncompressedBytes: 1 << 20 }), { code: 'SAMSA_ERR_DECOMPRESS_LIMIT' });
    await assert.rejects(decodeRecordBatch(batch, { maxUncompressedBytes: 1 << 20 }), { code: 'SAMSA_ERR_DECOMPRESS_LIMIT' });
  }
});

test('damaged batches with a recomputed CRC decode or fail with typed errors (fast-check)', () => {
  const samples = codecs.map((compression) =>
    encodeRecordBatchSync({
      compression,
      records: Array.from({ length: 5 }, (_, i) => ({ timestamp: BigInt(i), key: Buffer.from(`k${i}`), value: Buffer.from(`value ${i}`), headers: [{ key: 'h', value: null }] })),
    }),
  );
  fc.assert(
    fc.property(fc.nat(codecs.length - 1), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }), (which, flips) => {
      const damaged = patched(samples[which]!, (b) => {
        for (const [at, mask] of flips) b[21 + (at % (b.length - 21))]! ^= mask;
      });
      try {
        decodeRecordBatchSync(damaged, { maxUncompressedBytes: 1 << 16 });
      } catch (err) {
        assert.ok(err instanceof SamsaError, `untyped: ${String(err)}`);
      }
    }),
    { numRuns: 3000 },
  );
});

test('encoder range checks are EncodeErrors', () => {
  const record = { timestamp: 1n, key: null, value: null };
  const bad: RecordBatchInput[] = [
    { producerEpoch: 40_000, records: [record] },
    { baseSequence: 2 ** 31, records: [record] },
    { baseOffset: 2n ** 63n, records: [record] },
    { records: [{ ...record, offsetDelta: 1 }, { ...record, offsetDelta: 1 }] },
    { records: [{ ...record, offsetDelta: -1 }] },
    { lastOffsetDelta: 0, records: [record, record] },
    { timestampType: TimestampType.NoTimestampType, records: [record] },
    { records: [{ ...record, timestamp: 2n ** 63n }] },
  ];
  for (const input of bad) assert.throws(() => encodeRecordBatchSync(input), { code: 'SAMSA_ERR_ENCODE' }, JSON.stringify(input, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
});
