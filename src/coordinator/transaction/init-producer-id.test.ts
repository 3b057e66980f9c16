import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../protocol/index.js';
import { TransactionState } from './shard-api.js';
import { TxnHarness } from './testing/harness.js';

test('a new transactional id gets the next producer id, epoch 0, and an Empty record', () => {
  const h = new TxnHarness();
  const res = h.init('t1', { timeoutMs: 30_000 });
  assert.deepEqual(res, { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: 1000n, producerEpoch: 0 });
  assert.equal(h.log.length, 1);
  const value = h.log[0]!.value!;
  assert.equal(value.transactionStatus, TransactionState.Empty);
  assert.equal(value.producerId, 1000n);
  assert.equal(value.producerEpoch, 0);
  assert.equal(value.transactionTimeoutMs, 30_000);
  assert.equal(value.transactionPartitions, null);
  assert.equal(value.transactionStartTimestampMs, -1n);
  assert.equal(value.transactionLastUpdateTimestampMs, BigInt(h.clock.nowMs()));
  assert.deepEqual(h.describe('t1'), {
    errorCode: ErrorCode.NONE, transactionalId: 't1', transactionState: 'Empty', transactionTimeoutMs: 30_000,
    transactionStartTimeMs: -1n, producerId: 1000n, producerEpoch: 0, topics: [],
  });
});

test('a timeout of 0, below 0 or above transaction.max.timeout.ms is INVALID_TRANSACTION_TIMEOUT, with no record', () => {
  const h = new TxnHarness({ config: { transactionMaxTimeoutMs: 60_000 } });
  for (const timeoutMs of [0, -1, 60_001]) {
    assert.deepEqual(h.init('t1', { timeoutMs }), { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_TRANSACTION_TIMEOUT, producerId: -1n, producerEpoch: -1 });
  }
  assert.equal(h.init('t1', { timeoutMs: 60_000 }).errorCode, ErrorCode.NONE);
  assert.equal(h.log.length, 1);
});

test('an empty or null transactional id is INVALID_REQUEST', () => {
  const h = new TxnHarness();
  assert.equal(h.init('').errorCode, ErrorCode.INVALID_REQUEST);
  assert.equal(h.init(null).errorCode, ErrorCode.INVALID_REQUEST);
  assert.equal(h.log.length, 0);
});

test('no producer id at hand yet: COORDINATOR_LOAD_IN_PROGRESS and nothing remembered', () => {
  const h = new TxnHarness();
  h.producerIds.available = false;
  assert.equal(h.init('t1').errorCode, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
  assert.equal(h.log.length, 0);
  assert.equal(h.describe('t1').errorCode, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
  h.producerIds.available = true;
  assert.equal(h.init('t1').producerId, 1000n);
});

test('InitProducerId again bumps the epoch (fencing the older instance) from Empty, CompleteCommit and CompleteAbort', () => {
  const h = new TxnHarness();
  assert.equal(h.init('t1').producerEpoch, 0);
  assert.equal(h.init('t1', { timeoutMs: 5_000 }).producerEpoch, 1);
  assert.equal(h.describe('t1').transactionTimeoutMs, 5_000);
  h.add('t1', 1000n, 1, { a: [0] });
  h.end('t1', 1000n, 1, true);
  h.writeMarkers();
  assert.equal(h.state('t1'), 'CompleteCommit');
  assert.deepEqual(h.init('t1'), { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: 1000n, producerEpoch: 2 });
  h.add('t1', 1000n, 2, { a: [0] });
  h.end('t1', 1000n, 2, false);
  h.writeMarkers();
  assert.equal(h.state('t1'), 'CompleteAbort');
  assert.equal(h.init('t1').producerEpoch, 3);
  assert.equal(h.state('t1'), 'Empty');
  // The fenced instance's requests fail.
  assert.equal(h.addCode('t1', 1000n, 2, { a: [0] }), ErrorCode.PRODUCER_FENCED);
});

test('at epoch 32766 (Short.MAX_VALUE - 1) InitProducerId moves to a new producer id at epoch 0', () => {
  const h = new TxnHarness();
  h.init('t1');
  let epoch = 0;
  while (epoch < 32766) epoch = h.init('t1').producerEpoch;
  assert.deepEqual(h.init('t1'), { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: 1001n, producerEpoch: 0 });
  assert.equal(h.init('t1').producerEpoch, 1);
});

test('a transaction being completed answers CONCURRENT_TRANSACTIONS until its markers are written', () => {
  const h = new TxnHarness();
  h.init('t1');
  h.add('t1', 1000n, 0, { a: [0] });
  h.end('t1', 1000n, 0, true);
  const records = h.log.length;
  assert.equal(h.init('t1').errorCode, ErrorCode.CONCURRENT_TRANSACTIONS);
  assert.equal(h.log.length, records);
  h.writeMarkers();
  assert.equal(h.init('t1').producerEpoch, 1);
});

test('InitProducerId during an ongoing transaction aborts it with a bumped epoch, then the retry gets the next epoch', () => {
  const h = new TxnHarness();
  h.init('t1');
  h.add('t1', 1000n, 0, { a: [0, 1] });
  const res = h.init('t1');
  assert.deepEqual(res, { throttleTimeMs: 0, errorCode: ErrorCode.CONCURRENT_TRANSACTIONS, producerId: -1n, producerEpoch: -1 });
  const prepare = h.log.at(-1)!.value!;
  assert.equal(prepare.transactionStatus, TransactionState.PrepareAbort);
  assert.equal(prepare.producerEpoch, 1);
  assert.deepEqual(h.markers.pending, [{
    transactionalId: 't1', producerId: 1000n, producerEpoch: 1, coordinatorEpoch: 3, committed: false,
    partitions: [{ topic: 'a', partition: 0 }, { topic: 'a', partition: 1 }],
  }]);
  // The zombie can no longer commit (old EndTxn versions get INVALID_PRODUCER_EPOCH).
  assert.equal(h.end('t1', 1000n, 0, true).errorCode, ErrorCode.PRODUCER_FENCED);
  assert.equal(h.end('t1', 1000n, 0, true, 1).errorCode, ErrorCode.INVALID_PRODUCER_EPOCH);
  assert.equal(h.init('t1').errorCode, ErrorCode.CONCURRENT_TRANSACTIONS);
  h.writeMarkers();
  assert.equal(h.state('t1'), 'CompleteAbort');
  assert.deepEqual(h.init('t1'), { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: 1000n, producerEpoch: 2 });
});

test('KIP-360: the current producer id and epoch resume with a bumped epoch', () => {
  const h = new TxnHarness();
  h.init('t1');
  assert.deepEqual(h.init('t1', { producerId: 1000n, producerEpoch: 0 }), { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: 1000n, producerEpoch: 1 });
});

test('KIP-360: a retry with the epoch before the last bump gets the same epoch again', () => {
  const h = new TxnHarness();
  h.init('t1');
  h.init('t1', { producerId: 1000n, producerEpoch: 0 });
  assert.equal(h.init('t1', { producerId: 1000n, producerEpoch: 0 }).producerEpoch, 1);
  assert.equal(h.describe('t1').producerEpoch, 1);
});

test('KIP-360: another producer id or a stale epoch is PRODUCER_FENCED (INVALID_PRODUCER_EPOCH before v4)', () => {
  const h = new TxnHarness();
  h.init('t1');
  h.init('t1');
  h.init('t1');
  const records = h.log.length;
  assert.equal(h.init('t1', { producerId: 77n, producerEpoch: 2 }).errorCode, ErrorCode.PRODUCER_FENCED);
  assert.equal(h.init('t1', { producerId: 1000n, producerEpoch: 0 }).errorCode, ErrorCode.PRODUCER_FENCED);
  assert.equal(h.init('t1', { producerId: 1000n, producerEpoch: 0, version: 3 }).errorCode, ErrorCode.INVALID_PRODUCER_EPOCH);
  assert.equal(h.log.length, records);
});

test('KIP-360: a new transactional id accepts any producer id and epoch the client holds', () => {
  const h = new TxnHarness();
  assert.deepEqual(h.init('t1', { producerId: 42n, producerEpoch: 7 }), { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: 1000n, producerEpoch: 0 });
});

test('KIP-360: a producer id without an epoch (or the reverse) is INVALID_REQUEST', () => {
  const h = new TxnHarness();
  assert.equal(h.init('t1', { producerId: 5n }).errorCode, ErrorCode.INVALID_REQUEST);
  assert.equal(h.init('t1', { producerEpoch: 5 }).errorCode, ErrorCode.INVALID_REQUEST);
});

test('KIP-360: an exhausted epoch moves to a new producer id, and a retry with the old one gets the same answer', () => {
  const h = new TxnHarness();
  h.init('t1');
  let epoch = 0;
  while (epoch < 32766) epoch = h.init('t1').producerEpoch;
  const rotated = h.init('t1', { producerId: 1000n, producerEpoch: 32766 });
  assert.deepEqual([rotated.producerId, rotated.producerEpoch], [1001n, 0]);
  const retried = h.init('t1', { producerId: 1000n, producerEpoch: 32766 });
  assert.deepEqual([retried.errorCode, retried.producerId, retried.producerEpoch], [ErrorCode.NONE, 1001n, 0]);
});
