import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../../common/errors.js';
import { crc32cPure } from '../crc/crc32c.js';
import { CompressionCodec } from '../compression/codec.js';
import {
  batchLastOffset,
  readRecordBatchHeader,
  setBatchBaseOffset,
  setBatchMaxTimestamp,
  setBatchPartitionLeaderEpoch,
  validateRecordBatch,
} from './batch-header.js';
import { decodeRecordBatchSync } from './batch-decode.js';
import { encodeRecordBatchSync } from './batch-encode.js';
import { TimestampType } from './constants.js';
import { CorruptRecordError } from './errors.js';
import { splitCompleteRecordBatches, splitRecordBatches } from './log-entries.js';
import { encodeLegacyMessageSetSync } from './legacy-encode.js';

const MAX = 1 << 20;

/**
 * A batch written field by field from the documented layout (implementation.html, "Record
 * Batch"), independent of our encoder: two records, transactional, CreateTime.
 */
function handBuiltBatch(): Buffer {
  const records = Buffer.from(
    [
      // record 0: length 16, attributes 0, timestampDelta 0, offsetDelta 0, key "k", value "hello", one header h=v
      '20 00 00 00 02 6b 0a 68656c6c6f 02 02 68 02 76',
      // record 1: length 6, attributes 0, timestampDelta 5, offsetDelta 1, key null, value "", no headers
      '0c 00 0a 02 01 00 00',
    ]
      .join('')
      .replace(/\s+/g, ''),
    'hex',
  );
  const header = Buffer.alloc(61);
  header.writeBigInt64BE(42n, 0); // baseOffset
  header.writeInt32BE(61 - 12 + records.length, 8); // batchLength
  header.writeInt32BE(7, 12); // partitionLeaderEpoch
  header.writeInt8(2, 16); // magic
  header.writeInt16BE(0x10, 21); // attributes: transactional
  header.writeInt32BE(1, 23); // lastOffsetDelta
  header.writeBigInt64BE(1_700_000_000_000n, 27); // baseTimestamp
  header.writeBigInt64BE(1_700_000_000_005n, 35); // maxTimestamp
  header.writeBigInt64BE(1234n, 43); // producerId
  header.writeInt16BE(3, 51); // producerEpoch
  header.writeInt32BE(10, 53); // baseSequence
  header.writeInt32BE(2, 57); // recordsCount
  const batch = Buffer.concat([header, records]);
  batch.writeUInt32BE(crc32cPure(batch.subarray(21)), 17);
  return batch;
}

function ourBatch(): Buffer {
  return encodeRecordBatchSync({
    baseOffset: 42n,
    partitionLeaderEpoch: 7,
    isTransactional: true,
    producerId: 1234n,
    producerEpoch: 3,
    baseSequence: 10,
    records: [
      { timestamp: 1_700_000_000_000n, key: Buffer.from('k'), value: Buffer.from('hello'), headers: [{ key: 'h', value: Buffer.from('v') }] },
      { timestamp: 1_700_000_000_005n, key: null, value: Buffer.alloc(0) },
    ],
  });
}

test('known bytes: our encoder writes exactly the hand-built batch', () => {
  assert.deepEqual(ourBatch(), handBuiltBatch());
});

test('known bytes: the hand-built batch validates, and its header and records read back', () => {
  const batch = handBuiltBatch();
  assert.equal(validateRecordBatch(batch), batch.length);
  const header = readRecordBatchHeader(batch);
  assert.deepEqual(
    { ...header, crc: 0 },
    {
      baseOffset: 42n, batchLength: batch.length - 12, partitionLeaderEpoch: 7, magic: 2, crc: 0, attributes: 0x10,
      compression: CompressionCodec.None, timestampType: TimestampType.CreateTime, isTransactional: true, isControl: false,
      hasDeleteHorizon: false, lastOffsetDelta: 1, baseTimestamp: 1_700_000_000_000n, maxTimestamp: 1_700_000_000_005n,
      producerId: 1234n, producerEpoch: 3, baseSequence: 10, recordsCount: 2,
    },
  );
  assert.equal(batchLastOffset(batch), 43n);
  const decoded = decodeRecordBatchSync(batch, { maxUncompressedBytes: MAX });
  assert.deepEqual(decoded.records, [
    { offset: 42n, offsetDelta: 0, timestamp: 1_700_000_000_000n, key: Buffer.from('k'), value: Buffer.from('hello'), headers: [{ key: 'h', value: Buffer.from('v') }] },
    { offset: 43n, offsetDelta: 1, timestamp: 1_700_000_000_005n, key: null, value: Buffer.alloc(0), headers: [] },
  ]);
});

test('a flipped byte is caught: CRC for attributes..end, magic for byte 16; offset and epoch are outside the CRC', () => {
  const original = handBuiltBatch();
  for (let at = 0; at < original.length; at++) {
    const batch = Buffer.from(original);
    batch[at]! ^= 0x01;
    if (at < 8 || (at >= 12 && at < 16)) {
      assert.equal(validateRecordBatch(batch), batch.length, `byte ${at}`);
    } else if (at === 16) {
      assert.throws(() => validateRecordBatch(batch), { code: 'SAMSA_ERR_CORRUPT_RECORD', reason: 'magic' });
    } else if (at >= 17) {
      assert.throws(() => validateRecordBatch(batch), { code: 'SAMSA_ERR_CORRUPT_RECORD', reason: 'checksum' }, `byte ${at}`);
    } else {
      assert.throws(() => validateRecordBatch(batch), (e: unknown) => e instanceof DecodeError || e instanceof CorruptRecordError);
    }
  }
});

test('a batch truncated at every byte is a DecodeError (validate and decode)', () => {
  const batch = ourBatch();
  for (let cut = 0; cut < batch.length; cut++) {
    const truncated = batch.subarray(0, cut);
    assert.throws(() => validateRecordBatch(truncated), DecodeError, `validate cut ${cut}`);
    assert.throws(() => decodeRecordBatchSync(truncated, { maxUncompressedBytes: MAX }), DecodeError, `decode cut ${cut}`);
    assert.throws(() => decodeRecordBatchSync(truncated, { maxUncompressedBytes: MAX, validate: false }), DecodeError, `unvalidated cut ${cut}`);
  }
});

test('baseOffset and partitionLeaderEpoch are set in place and the CRC still holds', () => {
  const batch = ourBatch();
  const crc = batch.readUInt32BE(17);
  setBatchBaseOffset(batch, 9_000_000_000n);
  setBatchPartitionLeaderEpoch(batch, 99);
  assert.equal(validateRecordBatch(batch), batch.length);
  assert.equal(batch.readUInt32BE(17), crc);
  const header = readRecordBatchHeader(batch);
  assert.equal(header.baseOffset, 9_000_000_000n);
  assert.equal(header.partitionLeaderEpoch, 99);
  assert.equal(batchLastOffset(batch), 9_000_000_001n);
});

test('setBatchMaxTimestamp switches to LogAppendTime, rewrites the CRC, and records read the batch time', () => {
  const batch = ourBatch();
  setBatchMaxTimestamp(batch, TimestampType.LogAppendTime, 1_800_000_000_000n);
  assert.equal(validateRecordBatch(batch), batch.length);
  const decoded = decodeRecordBatchSync(batch, { maxUncompressedBytes: MAX });
  assert.equal(decoded.timestampType, TimestampType.LogAppendTime);
  assert.deepEqual(decoded.records.map((r) => r.timestamp), [1_800_000_000_000n, 1_800_000_000_000n]);
  setBatchMaxTimestamp(batch, TimestampType.CreateTime, 1_700_000_000_005n);
  assert.deepEqual(batch, ourBatch());
});

test('splitting: views of each batch, a partial tail reported at every cut, no copies', () => {
  const a = ourBatch();
  const b = encodeRecordBatchSync({ baseOffset: 44n, compression: CompressionCodec.Lz4, records: [{ timestamp: 5n, key: null, value: Buffer.from('x') }] });
  const legacy = encodeLegacyMessageSetSync({ magic: 1, records: [{ offset: 45n, timestamp: 6n, key: null, value: Buffer.from('y') }] });
  const records = Buffer.concat([a, b, legacy]);
  const whole = splitRecordBatches(records);
  assert.deepEqual(whole.batches, [a, b, legacy]);
  assert.equal(whole.partialBatchSize, 0);
  assert.equal(whole.batches[1]!.buffer, records.buffer);
  assert.equal(whole.batches[1]!.byteOffset, records.byteOffset + a.length);
  assert.deepEqual(splitCompleteRecordBatches(records), [a, b, legacy]);
  for (let cut = 0; cut < records.length; cut++) {
    const { batches, partialBatchSize } = splitRecordBatches(records.subarray(0, cut));
    const complete = [a.length, a.length + b.length, records.length].filter((end) => end <= cut).length;
    assert.equal(batches.length, complete, `cut ${cut}`);
    assert.equal(partialBatchSize, cut - [0, a.length, a.length + b.length][complete]!, `cut ${cut}`);
    if (partialBatchSize > 0) assert.throws(() => splitCompleteRecordBatches(records.subarray(0, cut)), DecodeError);
  }
});

test('splitting rejects sizes below the minimum and unknown magics', () => {
  const tooSmall = Buffer.alloc(30);
  tooSmall.writeInt32BE(13, 8);
  assert.throws(() => splitRecordBatches(tooSmall), { code: 'SAMSA_ERR_CORRUPT_RECORD', reason: 'size' });
  const batch = ourBatch();
  batch.writeInt8(3, 16);
  assert.throws(() => splitRecordBatches(batch), { code: 'SAMSA_ERR_CORRUPT_RECORD', reason: 'magic' });
  const shortV2 = Buffer.alloc(40);
  shortV2.writeInt32BE(28, 8);
  shortV2.writeInt8(2, 16);
  assert.throws(() => splitRecordBatches(shortV2), { code: 'SAMSA_ERR_CORRUPT_RECORD', reason: 'size' });
  assert.throws(() => validateRecordBatch(shortV2), { code: 'SAMSA_ERR_CORRUPT_RECORD', reason: 'size' });
});
