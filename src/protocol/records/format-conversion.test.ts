import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompressionCodec } from '../compression/codec.js';
import { decodeRecordBatchSync } from './batch-decode.js';
import { encodeRecordBatch, encodeRecordBatchSync } from './batch-encode.js';
import { NO_TIMESTAMP, TimestampType } from './constants.js';
import { buildEndTxnMarkerBatch } from './control-record.js';
import { downConvertRecordBatches, downConvertRecordBatchesSync, legacyRecordsToRecordBatchInput } from './format-conversion.js';
import { decodeLegacyMessageSetSync } from './legacy-message-set.js';
import { splitCompleteRecordBatches } from './log-entries.js';

const options = { maxUncompressedBytes: 1 << 20 };

function dataBatch(compression: CompressionCodec, timestampType: TimestampType = TimestampType.CreateTime) {
  const batch = encodeRecordBatchSync({
    baseOffset: 1000n,
    compression,
    timestampType,
    maxTimestamp: timestampType === TimestampType.LogAppendTime ? 5_000n : undefined,
    isTransactional: true,
    producerId: 9n,
    producerEpoch: 1,
    baseSequence: 0,
    records: [
      { timestamp: 10n, key: Buffer.from('a'), value: Buffer.from('1'), headers: [{ key: 'dropped', value: null }] },
      { timestamp: 30n, key: null, value: Buffer.from('2'), offsetDelta: 2 },
    ],
  });
  return decodeRecordBatchSync(batch, options);
}

test('down-conversion to v1 keeps offsets, timestamps, keys, values and the codec; drops headers', async () => {
  for (const compression of [CompressionCodec.None, CompressionCodec.Gzip, CompressionCodec.Snappy, CompressionCodec.Lz4]) {
    const set = downConvertRecordBatchesSync([dataBatch(compression)], 1);
    assert.deepEqual(await downConvertRecordBatches([dataBatch(compression)], 1), set);
    assert.equal(splitCompleteRecordBatches(set).length, compression === CompressionCodec.None ? 2 : 1);
    assert.deepEqual(decodeLegacyMessageSetSync(set, options), [
      { offset: 1000n, magic: 1, timestampType: TimestampType.CreateTime, timestamp: 10n, key: Buffer.from('a'), value: Buffer.from('1'), compression },
      { offset: 1002n, magic: 1, timestampType: TimestampType.CreateTime, timestamp: 30n, key: null, value: Buffer.from('2'), compression },
    ]);
  }
});

test('down-conversion: v0 loses timestamps, LogAppendTime carries over to v1, control batches vanish, zstd cannot go down', () => {
  const v0 = decodeLegacyMessageSetSync(downConvertRecordBatchesSync([dataBatch(CompressionCodec.Gzip)], 0), options);
  assert.deepEqual(v0.map((r) => [r.offset, r.timestamp, r.timestampType]), [
    [1000n, NO_TIMESTAMP, TimestampType.NoTimestampType],
    [1002n, NO_TIMESTAMP, TimestampType.NoTimestampType],
  ]);
  for (const compression of [CompressionCodec.None, CompressionCodec.Lz4]) {
    const logAppend = decodeLegacyMessageSetSync(downConvertRecordBatchesSync([dataBatch(compression, TimestampType.LogAppendTime)], 1), options);
    assert.deepEqual(logAppend.map((r) => [r.timestamp, r.timestampType]), [
      [5_000n, TimestampType.LogAppendTime],
      [5_000n, TimestampType.LogAppendTime],
    ]);
  }
  const marker = decodeRecordBatchSync(buildEndTxnMarkerBatch({ producerId: 9n, producerEpoch: 1, coordinatorEpoch: 0, committed: true, timestamp: 40n, baseOffset: 1003n }), options);
  const mixed = downConvertRecordBatchesSync([dataBatch(CompressionCodec.None), marker], 1);
  assert.deepEqual(decodeLegacyMessageSetSync(mixed, options).map((r) => r.offset), [1000n, 1002n]);
  assert.throws(() => downConvertRecordBatchesSync([dataBatch(CompressionCodec.Zstd)], 1), { code: 'SAMSA_ERR_UNSUPPORTED_COMPRESSION' });
});

test('up-conversion of produced v0/v1 records to a v2 batch', async () => {
  const legacy = decodeLegacyMessageSetSync(downConvertRecordBatchesSync([dataBatch(CompressionCodec.Snappy)], 1), options);
  const input = legacyRecordsToRecordBatchInput(legacy);
  assert.equal(input.compression, CompressionCodec.Snappy);
  const batch = decodeRecordBatchSync(await encodeRecordBatch(input), options);
  assert.equal(batch.baseOffset, 1000n);
  assert.equal(batch.timestampType, TimestampType.CreateTime);
  assert.equal(batch.maxTimestamp, 30n);
  assert.equal(batch.producerId, -1n);
  assert.deepEqual(batch.records.map((r) => [r.offsetDelta, r.timestamp, r.key, r.value]), [
    [0, 10n, Buffer.from('a'), Buffer.from('1')],
    [1, 30n, null, Buffer.from('2')],
  ]);
  const fromV0 = legacyRecordsToRecordBatchInput(decodeLegacyMessageSetSync(downConvertRecordBatchesSync([dataBatch(CompressionCodec.None)], 0), options), {
    compression: CompressionCodec.Zstd,
  });
  const v2 = decodeRecordBatchSync(encodeRecordBatchSync(fromV0), options);
  assert.equal(v2.compression, CompressionCodec.Zstd);
  assert.deepEqual(v2.records.map((r) => r.timestamp), [NO_TIMESTAMP, NO_TIMESTAMP]);
});
