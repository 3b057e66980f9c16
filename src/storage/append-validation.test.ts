import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompressionCodec } from '../protocol/compression/codec.js';
import { encodeRecordBatchSync, readRecordBatchHeader, TimestampType, validateRecordBatch } from '../protocol/records/index.js';
import { assignOffsets, summarizeReplicated, validateBatches } from './append-validation.js';
import { CorruptMessageError, InvalidRecordError, RecordTooLargeError } from './errors.js';
import { makeBatch } from './testing/fixtures.js';

test('validateBatches splits a produce buffer into views of its batches', () => {
  const a = makeBatch({ count: 3 });
  const b = makeBatch({ count: 2, compression: CompressionCodec.Gzip });
  const records = Buffer.concat([a, b]);
  const v = validateBatches(records, 'client', 1 << 20);
  assert.equal(v.batches.length, 2);
  assert.equal(v.recordsCount, 5);
  assert.equal(v.sizeBytes, records.length);
  assert.equal(v.batches[1]!.buffer, records.buffer);
  assert.deepEqual(v.headers.map((h) => [h.recordsCount, h.compression]), [[3, CompressionCodec.None], [2, CompressionCodec.Gzip]]);
});

test('validateBatches rejects corrupt, cut, legacy, oversize and inconsistent batches', () => {
  const good = makeBatch({ count: 2 });
  const flipped = Buffer.from(good);
  flipped[flipped.length - 1]! ^= 1;
  assert.throws(() => validateBatches(flipped, 'client', 1 << 20), CorruptMessageError);
  assert.throws(() => validateBatches(good.subarray(0, good.length - 1), 'client', 1 << 20), CorruptMessageError);
  assert.throws(() => validateBatches(good.subarray(0, 10), 'client', 1 << 20), CorruptMessageError);
  const legacy = Buffer.from(good);
  legacy[16] = 1;
  assert.throws(() => validateBatches(legacy, 'client', 1 << 20), InvalidRecordError);
  const future = Buffer.from(good);
  future[16] = 3;
  assert.throws(() => validateBatches(future, 'client', 1 << 20), CorruptMessageError);
  assert.throws(() => validateBatches(good, 'client', good.length - 1), RecordTooLargeError);
  const gap = encodeRecordBatchSync({ records: [{ timestamp: 1n, key: null, value: null }], lastOffsetDelta: 4 });
  assert.throws(() => validateBatches(gap, 'client', 1 << 20), /inconsistent/);
  assert.doesNotThrow(() => validateBatches(gap, 'replication', 1 << 20));
  const control = encodeRecordBatchSync({ records: [{ timestamp: 1n, key: Buffer.alloc(4), value: null }], isControl: true, producerId: 5n, producerEpoch: 0 });
  assert.throws(() => validateBatches(control, 'client', 1 << 20), /control/);
  assert.doesNotThrow(() => validateBatches(control, 'coordinator', 1 << 20));
  const noSequence = encodeRecordBatchSync({ records: [{ timestamp: 1n, key: null, value: null }], producerId: 5n, producerEpoch: 0, baseSequence: -1 });
  assert.throws(() => validateBatches(noSequence, 'client', 1 << 20), /sequence/);
  assert.equal(validateBatches(Buffer.alloc(0), 'client', 100).batches.length, 0);
});

test('assignOffsets writes base offset and leader epoch in place, CRC untouched', () => {
  const a = makeBatch({ count: 3 });
  const b = makeBatch({ count: 2 });
  const records = Buffer.concat([a, b]);
  const crcBefore = [records.readUInt32BE(17), records.readUInt32BE(a.length + 17)];
  const v = validateBatches(records, 'client', 1 << 20);
  const assigned = assignOffsets(v, 100n, 7, 'CreateTime', 5n);
  assert.equal(assigned.lastOffset, 104n);
  assert.deepEqual(assigned.summaries.map((s) => s.lastOffset), [102n, 104n]);
  const h0 = readRecordBatchHeader(records);
  const h1 = readRecordBatchHeader(records, a.length);
  assert.deepEqual([h0.baseOffset, h0.partitionLeaderEpoch, h1.baseOffset, h1.partitionLeaderEpoch], [100n, 7, 103n, 7]);
  assert.deepEqual([h0.crc, h1.crc], crcBefore);
  validateRecordBatch(records, 0);
  validateRecordBatch(records, a.length);
});

test('assignOffsets with LogAppendTime sets the type bit and maxTimestamp and rewrites the CRC', () => {
  const batch = makeBatch({ count: 2, timestamp: 10n });
  const crcBefore = batch.readUInt32BE(17);
  const assigned = assignOffsets(validateBatches(batch, 'client', 1 << 20), 0n, 0, 'LogAppendTime', 999n);
  const header = readRecordBatchHeader(batch);
  assert.equal(header.timestampType, TimestampType.LogAppendTime);
  assert.equal(header.maxTimestamp, 999n);
  assert.equal(assigned.maxTimestamp, 999n);
  assert.notEqual(header.crc, crcBefore);
  assert.doesNotThrow(() => validateRecordBatch(batch));
  const claimed = makeBatch({ count: 1, logAppendTime: true, timestamp: 50n });
  assignOffsets(validateBatches(claimed, 'client', 1 << 20), 0n, 0, 'CreateTime', 999n);
  assert.equal(readRecordBatchHeader(claimed).timestampType, TimestampType.CreateTime);
  assert.doesNotThrow(() => validateRecordBatch(claimed));
});

test('summarizeReplicated keeps offsets and requires them to move forward', () => {
  const a = makeBatch({ count: 2, baseOffset: 10n });
  const b = makeBatch({ count: 1, baseOffset: 20n });
  const replicated = summarizeReplicated(validateBatches(Buffer.concat([a, b]), 'replication', 1 << 20), 10n);
  assert.equal(replicated.lastOffset, 20n);
  assert.deepEqual(replicated.summaries.map((s) => [s.size, s.lastOffset]), [[a.length, 11n], [b.length, 20n]]);
  assert.throws(() => summarizeReplicated(validateBatches(a, 'replication', 1 << 20), 11n), InvalidRecordError);
  assert.throws(() => summarizeReplicated(validateBatches(Buffer.concat([b, a]), 'replication', 1 << 20), 0n), InvalidRecordError);
});
