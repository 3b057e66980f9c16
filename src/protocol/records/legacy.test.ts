import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { DecodeError } from '../../common/errors.js';
import { CompressionCodec } from '../compression/codec.js';
import { compressSync } from '../compression/compress.js';
import { NO_TIMESTAMP, TimestampType } from './constants.js';
import { encodeLegacyMessageSetSync, encodeLegacyMessageSet } from './legacy-encode.js';
import { type LegacyMessageInput, readLegacyMessage, sizeOfLegacyMessage, writeLegacyMessage } from './legacy-message.js';
import { decodeLegacyMessageSet, decodeLegacyMessageSetSync } from './legacy-message-set.js';
import { splitCompleteRecordBatches } from './log-entries.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const options = { maxUncompressedBytes: 1 << 20 };

// Messages written from the documented layout; CRCs (CRC-32 IEEE from magic on) by Python's zlib.
const V0_MESSAGE = hex('0000000000000005 00000010 1fecd70a 00 00 00000001 6b 00000001 76');
const V1_MESSAGE = hex('0000000000000009 0000001b 37a02dba 01 08 0000018bcfe56800 ffffffff 00000005 68656c6c6f');

test('known bytes: v0 and v1 messages read, and our writer produces them exactly', () => {
  assert.deepEqual(decodeLegacyMessageSetSync(V0_MESSAGE, options), [
    { offset: 5n, magic: 0, timestampType: TimestampType.NoTimestampType, timestamp: NO_TIMESTAMP, key: Buffer.from('k'), value: Buffer.from('v'), compression: 0 },
  ]);
  assert.deepEqual(decodeLegacyMessageSetSync(V1_MESSAGE, options), [
    { offset: 9n, magic: 1, timestampType: TimestampType.LogAppendTime, timestamp: 1_700_000_000_000n, key: null, value: Buffer.from('hello'), compression: 0 },
  ]);
  assert.deepEqual(encodeLegacyMessageSetSync({ magic: 0, records: [{ offset: 5n, key: Buffer.from('k'), value: Buffer.from('v') }] }), V0_MESSAGE);
  assert.deepEqual(
    encodeLegacyMessageSetSync({
      magic: 1,
      timestampType: TimestampType.LogAppendTime,
      records: [{ offset: 9n, timestamp: 1_700_000_000_000n, key: null, value: Buffer.from('hello') }],
    }),
    V1_MESSAGE,
  );
});

test('legacy messages: a flipped byte after the CRC is a checksum error; truncation is a DecodeError', () => {
  for (const message of [V0_MESSAGE, V1_MESSAGE]) {
    for (let at = 12; at < message.length; at++) {
      const damaged = Buffer.from(message);
      damaged[at]! ^= 0x04;
      assert.throws(() => readLegacyMessage(damaged), { code: 'SAMSA_ERR_CORRUPT_RECORD' }, `byte ${at}`);
    }
    for (let cut = 0; cut < message.length; cut++) assert.throws(() => readLegacyMessage(message.subarray(0, cut)), DecodeError, `cut ${cut}`);
  }
});

const legacyCase = fc.record({
  magic: fc.constantFrom(0 as const, 1 as const),
  compression: fc.constantFrom(CompressionCodec.None, CompressionCodec.Gzip, CompressionCodec.Snappy, CompressionCodec.Lz4),
  logAppendTime: fc.boolean(),
  firstOffset: fc.bigInt({ min: 0n, max: 2n ** 40n }),
  records: fc.array(
    fc.record({
      gap: fc.nat(3),
      timestamp: fc.bigInt({ min: 0n, max: 2n ** 42n }),
      key: fc.option(fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)), { nil: null }),
      value: fc.option(fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)), { nil: null }),
    }),
    { maxLength: 12 },
  ),
});

test('legacy message sets round-trip for v0 and v1, every legacy codec (fast-check)', async () => {
  await fc.assert(
    fc.asyncProperty(legacyCase, async (c) => {
      let offset = c.firstOffset - 1n;
      const records = c.records.map((r) => ({ offset: (offset += 1n + BigInt(r.gap)), timestamp: r.timestamp, key: r.key, value: r.value }));
      const timestampType = c.logAppendTime ? TimestampType.LogAppendTime : TimestampType.CreateTime;
      const input = { magic: c.magic, compression: c.compression, timestampType, logAppendTime: 1_234n, records };
      const encoded = encodeLegacyMessageSetSync(input);
      assert.deepEqual(await encodeLegacyMessageSet(input), encoded);
      const decoded = decodeLegacyMessageSetSync(encoded, options);
      assert.deepEqual(await decodeLegacyMessageSet(encoded, options), decoded);
      const wrapped = c.compression !== CompressionCodec.None && records.length > 0;
      assert.deepEqual(
        decoded,
        records.map((r) => ({
          offset: r.offset,
          magic: c.magic,
          timestampType: c.magic === 0 ? TimestampType.NoTimestampType : timestampType,
          timestamp: c.magic === 0 ? NO_TIMESTAMP : c.logAppendTime && wrapped ? 1_234n : r.timestamp,
          key: r.key,
          value: r.value,
          compression: wrapped ? c.compression : CompressionCodec.None,
        })),
      );
    }),
    { numRuns: 300 },
  );
});

function message(fields: Partial<LegacyMessageInput> & Pick<LegacyMessageInput, 'magic'>): Buffer {
  const full: LegacyMessageInput = { offset: 0n, attributes: 0, timestamp: 0n, key: null, value: null, ...fields };
  const buf = Buffer.alloc(sizeOfLegacyMessage(full.magic, full.key, full.value));
  writeLegacyMessage(buf, 0, full);
  return buf;
}

test('v1 compressed wrappers: inner offsets are relative, the wrapper holds the last absolute offset', () => {
  const set = encodeLegacyMessageSetSync({
    magic: 1,
    compression: CompressionCodec.Gzip,
    records: [100n, 101n, 105n].map((offset) => ({ offset, timestamp: offset, key: null, value: Buffer.from(`v${offset}`) })),
  });
  const wrapper = readLegacyMessage(set);
  assert.equal(wrapper.offset, 105n);
  assert.equal(wrapper.timestamp, 105n);
  const inner = splitCompleteRecordBatches(zlib.gunzipSync(wrapper.value!)).map((entry) => readLegacyMessage(entry));
  assert.deepEqual(inner.map((m) => m.offset), [0n, 1n, 5n]);
  assert.deepEqual(inner.map((m) => m.compression), [0, 0, 0]);
  assert.deepEqual(decodeLegacyMessageSetSync(set, options).map((r) => r.offset), [100n, 101n, 105n]);
});

test('v0 compressed wrappers keep absolute inner offsets; v0 LZ4 uses the magic v0 header checksum', () => {
  const set = encodeLegacyMessageSetSync({
    magic: 0,
    compression: CompressionCodec.Lz4,
    records: [7n, 8n].map((offset) => ({ offset, key: null, value: Buffer.from('x') })),
  });
  const wrapper = readLegacyMessage(set);
  assert.equal(wrapper.offset, 8n);
  assert.equal(wrapper.value![6], 0x1a); // HC over magic+FLG+BD, as Kafka wrote for v0
  assert.deepEqual(decodeLegacyMessageSetSync(set, options).map((r) => r.offset), [7n, 8n]);
});

test('malformed wrappers: nested compression, magic mismatch, null or empty value, zstd', () => {
  const inner = message({ magic: 1, attributes: CompressionCodec.Gzip, value: compressSync(CompressionCodec.Gzip, Buffer.alloc(0)) });
  const nested = message({ magic: 1, attributes: CompressionCodec.Gzip, value: compressSync(CompressionCodec.Gzip, inner) });
  assert.throws(() => decodeLegacyMessageSetSync(nested, options), { code: 'SAMSA_ERR_CORRUPT_RECORD', reason: 'structure' });
  const v0Inner = message({ magic: 0, value: Buffer.from('a') });
  const mismatch = message({ magic: 1, attributes: CompressionCodec.Snappy, value: compressSync(CompressionCodec.Snappy, v0Inner) });
  assert.throws(() => decodeLegacyMessageSetSync(mismatch, options), { code: 'SAMSA_ERR_CORRUPT_RECORD', reason: 'structure' });
  assert.throws(() => decodeLegacyMessageSetSync(message({ magic: 1, attributes: CompressionCodec.Gzip }), options), { code: 'SAMSA_ERR_CORRUPT_RECORD' });
  const empty = message({ magic: 1, attributes: CompressionCodec.Gzip, value: compressSync(CompressionCodec.Gzip, Buffer.alloc(0)) });
  assert.throws(() => decodeLegacyMessageSetSync(empty, options), { code: 'SAMSA_ERR_CORRUPT_RECORD' });
  const truncatedInner = message({ magic: 1, attributes: CompressionCodec.Gzip, value: compressSync(CompressionCodec.Gzip, v0Inner.subarray(0, 20)) });
  assert.throws(() => decodeLegacyMessageSetSync(truncatedInner, options), DecodeError);
  assert.throws(() => decodeLegacyMessageSetSync(message({ magic: 1, attributes: CompressionCodec.Zstd, value: Buffer.alloc(8) }), options), {
    code: 'SAMSA_ERR_UNSUPPORTED_COMPRESSION',
  });
  assert.throws(() => encodeLegacyMessageSetSync({ magic: 1, compression: CompressionCodec.Zstd, records: [] }), { code: 'SAMSA_ERR_UNSUPPORTED_COMPRESSION' });
  const bomb = message({ magic: 1, attributes: CompressionCodec.Gzip, value: compressSync(CompressionCodec.Gzip, Buffer.alloc(8 << 20)) });
  assert.throws(() => decodeLegacyMessageSetSync(bomb, options), { code: 'SAMSA_ERR_DECOMPRESS_LIMIT' });
});
