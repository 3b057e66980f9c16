import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../protocol/index.js';
import { TransactionState } from './shard-api.js';
import { TxnHarness } from './testing/harness.js';

/** t1 (producer 1000, epoch 0) with partitions a-0 and b-1 in an ongoing transaction. */
function ongoing(): TxnHarness {
  const h = new TxnHarness({ coordinatorEpoch: 9 });
  h.init('t1');
  h.add('t1', 1000n, 0, { a: [0], b: [1] });
  return h;
}

for (const committed of [true, false]) {
  const outcome = committed ? 'Commit' : 'Abort';
  test(`EndTxn ${outcome.toLowerCase()}: Prepare${outcome} persisted, answered, markers asked once durable, Complete${outcome} after them`, () => {
    const h = ongoing();
    const result = h.shard.endTxn({ apiVersion: 3, clientId: 'c', clientHost: 'h' }, { transactionalId: 't1', producerId: 1000n, producerEpoch: 0, committed });
    assert.equal(result.records.length, 1);
    assert.equal(result.records[0]!.value!.transactionStatus, TransactionState[`Prepare${outcome}`]);
    assert.deepEqual(result.records[0]!.value!.transactionPartitions, [{ topic: 'a', partitionIds: [0] }, { topic: 'b', partitionIds: [1] }]);
    // Nothing is sent before the record is durable.
    assert.equal(h.markers.sent.length, 0);
    const response = h.run(result);
    assert.deepEqual(response, { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: 1000n, producerEpoch: 0 });
    assert.deepEqual(h.markers.sent, [{
      transactionalId: 't1', producerId: 1000n, producerEpoch: 0, coordinatorEpoch: 9, committed,
      partitions: [{ topic: 'a', partition: 0 }, { topic: 'b', partition: 1 }],
    }]);
    assert.equal(h.state('t1'), `Prepare${outcome}`);
    h.writeMarkers();
    const complete = h.log.at(-1)!.value!;
    assert.equal(complete.transactionStatus, TransactionState[`Complete${outcome}`]);
    assert.deepEqual(complete.transactionPartitions, []);
    assert.equal(h.state('t1'), `Complete${outcome}`);
    assert.deepEqual(h.describe('t1').topics, []);
  });
}

test('a retried EndTxn of a completed transaction is NONE; the other outcome is INVALID_TXN_STATE', () => {
  const h = ongoing();
  h.end('t1', 1000n, 0, true);
  h.writeMarkers();
  const records = h.log.length;
  assert.deepEqual(h.end('t1', 1000n, 0, true), { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: 1000n, producerEpoch: 0 });
  assert.equal(h.end('t1', 1000n, 0, false).errorCode, ErrorCode.INVALID_TXN_STATE);
  h.add('t1', 1000n, 0, { a: [0] });
  h.end('t1', 1000n, 0, false);
  h.writeMarkers();
  assert.equal(h.end('t1', 1000n, 0, false).errorCode, ErrorCode.NONE);
  assert.equal(h.end('t1', 1000n, 0, true).errorCode, ErrorCode.INVALID_TXN_STATE);
  assert.equal(h.log.length, records + 3);
  assert.equal(h.markers.sent.length, 2);
});

test('while the markers are written: the same outcome is CONCURRENT_TRANSACTIONS, the other INVALID_TXN_STATE', () => {
  const h = ongoing();
  h.end('t1', 1000n, 0, true);
  assert.equal(h.end('t1', 1000n, 0, true).errorCode, ErrorCode.CONCURRENT_TRANSACTIONS);
  assert.equal(h.end('t1', 1000n, 0, false).errorCode, ErrorCode.INVALID_TXN_STATE);
  const h2 = ongoing();
  h2.end('t1', 1000n, 0, false);
  assert.equal(h2.end('t1', 1000n, 0, false).errorCode, ErrorCode.CONCURRENT_TRANSACTIONS);
  assert.equal(h2.end('t1', 1000n, 0, true).errorCode, ErrorCode.INVALID_TXN_STATE);
});

test('EndTxn with no transaction begun (Empty) is INVALID_TXN_STATE', () => {
  const h = new TxnHarness();
  h.init('t1');
  assert.deepEqual(h.end('t1', 1000n, 0, true), { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_TXN_STATE, producerId: -1n, producerEpoch: -1 });
  assert.equal(h.end('t1', 1000n, 0, false).errorCode, ErrorCode.INVALID_TXN_STATE);
});

test('EndTxn producer checks: INVALID_PRODUCER_ID_MAPPING, PRODUCER_FENCED (v2+), INVALID_PRODUCER_EPOCH (v0-1), INVALID_REQUEST', () => {
  const h = ongoing();
  assert.equal(h.end('other', 1000n, 0, true).errorCode, ErrorCode.INVALID_PRODUCER_ID_MAPPING);
  assert.equal(h.end('t1', 1001n, 0, true).errorCode, ErrorCode.INVALID_PRODUCER_ID_MAPPING);
  assert.equal(h.end('t1', 1000n, 1, true, 2).errorCode, ErrorCode.PRODUCER_FENCED);
  assert.equal(h.end('t1', 1000n, 1, true, 0).errorCode, ErrorCode.INVALID_PRODUCER_EPOCH);
  assert.equal(h.end('', 1000n, 0, true).errorCode, ErrorCode.INVALID_REQUEST);
  assert.equal(h.state('t1'), 'Ongoing');
});

test('a transaction whose partition list was empty completes at once on EndTxn', () => {
  const h = new TxnHarness();
  h.init('t1');
  h.run(h.shard.addPartitionsToTxn({ apiVersion: 3, clientId: 'c', clientHost: 'h' }, {
    transactions: [], v3AndBelowTransactionalId: 't1', v3AndBelowProducerId: 1000n, v3AndBelowProducerEpoch: 0,
    v3AndBelowTopics: [{ name: 'a', partitions: [] }],
  }));
  assert.equal(h.state('t1'), 'Ongoing');
  const result = h.shard.endTxn({ apiVersion: 3, clientId: 'c', clientHost: 'h' }, { transactionalId: 't1', producerId: 1000n, producerEpoch: 0, committed: true });
  assert.deepEqual(result.records.map((r) => r.value!.transactionStatus), [TransactionState.PrepareCommit, TransactionState.CompleteCommit]);
  assert.equal(h.run(result).errorCode, ErrorCode.NONE);
  assert.equal(h.markers.sent.length, 0);
  assert.equal(h.state('t1'), 'CompleteCommit');
});

test('completeTransaction does nothing unless the transaction is completing with that producer id and epoch', () => {
  const h = ongoing();
  assert.deepEqual(h.shard.completeTransaction('t1', 1000n, 0).records, []);
  h.end('t1', 1000n, 0, true);
  assert.deepEqual(h.shard.completeTransaction('t1', 1000n, 1).records, []);
  assert.deepEqual(h.shard.completeTransaction('t1', 7n, 0).records, []);
  assert.deepEqual(h.shard.completeTransaction('unknown', 1000n, 0).records, []);
  assert.equal(h.state('t1'), 'PrepareCommit');
  h.writeMarkers();
  assert.equal(h.state('t1'), 'CompleteCommit');
  // A second completion (a resent job) finds nothing to do.
  assert.deepEqual(h.shard.completeTransaction('t1', 1000n, 0).records, []);
});
