import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeRecordBatchSync, TimestampType } from '../protocol/index.js';
import { timestampErrors } from './timestamp-validation.js';

const NOW = 1_700_000_000_000;
const rule = { nowMs: NOW, beforeMaxMs: Number.MAX_SAFE_INTEGER, afterMaxMs: 3_600_000 };
const batch = (timestamps: number[], timestampType: TimestampType = TimestampType.CreateTime) =>
  encodeRecordBatchSync({ timestampType, records: timestamps.map((t, i) => ({ offsetDelta: i, timestamp: BigInt(t), key: null, value: Buffer.from('v') })) });

test('records past now + after.max.ms are named by their index across batches', () => {
  const records = Buffer.concat([batch([NOW, NOW]), batch([NOW, NOW + 7_200_000, NOW])]);
  assert.deepEqual(timestampErrors(records, rule).map((e) => e.batchIndex), [3]);
});

test('records before now - before.max.ms fail only when that bound is set', () => {
  const records = batch([NOW - 120_000, NOW]);
  assert.deepEqual(timestampErrors(records, rule), []);
  assert.deepEqual(timestampErrors(records, { ...rule, beforeMaxMs: 60_000 }).map((e) => e.batchIndex), [0]);
});

test('LogAppendTime batches and malformed input are left to the append', () => {
  assert.deepEqual(timestampErrors(batch([NOW + 7_200_000], TimestampType.LogAppendTime), rule), []);
  const garbage = Buffer.alloc(100, 0xff);
  assert.deepEqual(timestampErrors(garbage, rule), []);
  const corrupt = batch([NOW + 7_200_000]);
  corrupt[corrupt.length - 1]! ^= 0xff;
  assert.deepEqual(timestampErrors(corrupt, rule), []);
});
