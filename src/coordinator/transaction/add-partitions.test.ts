import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type AddPartitionsToTxnRequestAddPartitionsToTxnTransaction, ErrorCode } from '../../protocol/index.js';
import { CONSUMER_OFFSETS_TOPIC } from './add-partitions.js';
import { TransactionState } from './shard-api.js';
import { ctx, offsetsPartitionFor, TxnHarness } from './testing/harness.js';

/** A harness with t1 initialised: producer 1000, epoch 0. */
function started(options: ConstructorParameters<typeof TxnHarness>[0] = {}): TxnHarness {
  const h = new TxnHarness(options);
  h.init('t1');
  return h;
}

test('the first partitions start the transaction: Ongoing, start timestamp now, one record', () => {
  const h = started();
  h.clock.advance(500);
  const results = h.add('t1', 1000n, 0, { a: [0, 1], b: [2] });
  assert.deepEqual(results, [
    { name: 'a', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: 0 }, { partitionIndex: 1, partitionErrorCode: 0 }] },
    { name: 'b', resultsByPartition: [{ partitionIndex: 2, partitionErrorCode: 0 }] },
  ]);
  assert.equal(h.log.length, 2);
  const value = h.log[1]!.value!;
  assert.equal(value.transactionStatus, TransactionState.Ongoing);
  assert.deepEqual(value.transactionPartitions, [{ topic: 'a', partitionIds: [0, 1] }, { topic: 'b', partitionIds: [2] }]);
  assert.equal(value.transactionStartTimestampMs, BigInt(h.clock.nowMs()));
  assert.equal(h.state('t1'), 'Ongoing');
});

test('more partitions keep the start timestamp; partitions already in the transaction are NONE without a record', () => {
  const h = started();
  h.add('t1', 1000n, 0, { a: [0] });
  const startMs = h.describe('t1').transactionStartTimeMs;
  h.clock.advance(1_000);
  h.add('t1', 1000n, 0, { a: [1], b: [0] });
  assert.equal(h.describe('t1').transactionStartTimeMs, startMs);
  assert.deepEqual(h.describe('t1').topics, [{ topic: 'a', partitions: [0, 1] }, { topic: 'b', partitions: [0] }]);
  const records = h.log.length;
  assert.equal(h.addCode('t1', 1000n, 0, { a: [1, 0] }), ErrorCode.NONE);
  assert.equal(h.log.length, records);
});

test('after a completed transaction the next one starts afresh with a new start timestamp', () => {
  const h = started();
  h.add('t1', 1000n, 0, { a: [0] });
  h.end('t1', 1000n, 0, true);
  h.writeMarkers();
  h.clock.advance(2_000);
  h.add('t1', 1000n, 0, { b: [0] });
  assert.equal(h.describe('t1').transactionStartTimeMs, BigInt(h.clock.nowMs()));
  assert.deepEqual(h.describe('t1').topics, [{ topic: 'b', partitions: [0] }]);
});

test('producer checks: unknown id or producer id → INVALID_PRODUCER_ID_MAPPING, epoch → PRODUCER_FENCED (v2+) or INVALID_PRODUCER_EPOCH', () => {
  const h = started();
  assert.equal(h.addCode('nope', 1000n, 0, { a: [0] }), ErrorCode.INVALID_PRODUCER_ID_MAPPING);
  assert.equal(h.addCode('t1', 999n, 0, { a: [0] }), ErrorCode.INVALID_PRODUCER_ID_MAPPING);
  assert.equal(h.addCode('t1', 1000n, 1, { a: [0] }, 2), ErrorCode.PRODUCER_FENCED);
  assert.equal(h.addCode('t1', 1000n, 1, { a: [0] }, 1), ErrorCode.INVALID_PRODUCER_EPOCH);
  assert.equal(h.addCode('', 1000n, 0, { a: [0] }), ErrorCode.INVALID_REQUEST);
  assert.equal(h.log.length, 1);
});

test('while the transaction completes AddPartitionsToTxn is CONCURRENT_TRANSACTIONS', () => {
  const h = started();
  h.add('t1', 1000n, 0, { a: [0] });
  h.end('t1', 1000n, 0, false);
  assert.equal(h.addCode('t1', 1000n, 0, { a: [1] }), ErrorCode.CONCURRENT_TRANSACTIONS);
  assert.equal(h.addOffsets('t1', 1000n, 0, 'g'), ErrorCode.CONCURRENT_TRANSACTIONS);
});

test('malformed partitions fail the transaction: UNKNOWN_TOPIC_OR_PARTITION, OPERATION_NOT_ATTEMPTED for the rest', () => {
  const h = started();
  const results = h.add('t1', 1000n, 0, { a: [0, -1] });
  assert.deepEqual(results, [{ name: 'a', resultsByPartition: [
    { partitionIndex: 0, partitionErrorCode: ErrorCode.OPERATION_NOT_ATTEMPTED },
    { partitionIndex: -1, partitionErrorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION },
  ] }]);
  assert.equal(h.state('t1'), 'Empty');
});

test('with partitionExists, a partition that does not exist fails the transaction', () => {
  const h = started({ partitionExists: (topic, partition) => topic === 'a' && partition < 2 });
  const results = h.add('t1', 1000n, 0, { a: [1, 2], b: [0] });
  assert.deepEqual(results.flatMap((t) => t.resultsByPartition.map((p) => `${t.name}-${p.partitionIndex}:${p.partitionErrorCode}`)), [
    `a-1:${ErrorCode.OPERATION_NOT_ATTEMPTED}`, `a-2:${ErrorCode.UNKNOWN_TOPIC_OR_PARTITION}`, `b-0:${ErrorCode.UNKNOWN_TOPIC_OR_PARTITION}`,
  ]);
  assert.equal(h.log.length, 1);
  assert.equal(h.addCode('t1', 1000n, 0, { a: [0, 1] }), ErrorCode.NONE);
});

test('duplicate partitions in a request are answered once', () => {
  const h = started();
  const results = h.add('t1', 1000n, 0, { a: [3, 3] });
  assert.deepEqual(results, [{ name: 'a', resultsByPartition: [{ partitionIndex: 3, partitionErrorCode: 0 }] }]);
  assert.deepEqual(h.describe('t1').topics, [{ topic: 'a', partitions: [3] }]);
});

function v4Transaction(fields: Partial<AddPartitionsToTxnRequestAddPartitionsToTxnTransaction>): AddPartitionsToTxnRequestAddPartitionsToTxnTransaction {
  return { transactionalId: 't1', producerId: 1000n, producerEpoch: 0, verifyOnly: false, topics: [{ name: 'a', partitions: [0] }], ...fields };
}

test('v4 batches transactions: each is added or verified on its own, with results by transaction', () => {
  const h = started();
  h.init('t2');
  h.add('t2', 1001n, 0, { x: [0] });
  const before = h.log.length;
  const response = h.run(h.shard.addPartitionsToTxn(ctx(4), {
    transactions: [
      v4Transaction({}),
      v4Transaction({ transactionalId: 't2', producerId: 1001n, verifyOnly: true, topics: [{ name: 'x', partitions: [0, 1] }] }),
      v4Transaction({ transactionalId: 't3' }),
    ],
    v3AndBelowTransactionalId: '', v3AndBelowProducerId: 0n, v3AndBelowProducerEpoch: 0, v3AndBelowTopics: [],
  }));
  assert.equal(response.errorCode, ErrorCode.NONE);
  assert.deepEqual(response.resultsByTopicV3AndBelow, []);
  assert.deepEqual(response.resultsByTransaction, [
    { transactionalId: 't1', topicResults: [{ name: 'a', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: ErrorCode.NONE }] }] },
    { transactionalId: 't2', topicResults: [{ name: 'x', resultsByPartition: [
      { partitionIndex: 0, partitionErrorCode: ErrorCode.NONE },
      { partitionIndex: 1, partitionErrorCode: ErrorCode.TRANSACTION_ABORTABLE },
    ] }] },
    { transactionalId: 't3', topicResults: [{ name: 'a', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: ErrorCode.INVALID_PRODUCER_ID_MAPPING }] }] },
  ]);
  // Only t1 changed: verifying adds nothing.
  assert.equal(h.log.length, before + 1);
  assert.deepEqual(h.describe('t2').topics, [{ topic: 'x', partitions: [0] }]);
});

test('v4 VerifyOnly checks the producer: fenced epoch, unknown id, and CONCURRENT_TRANSACTIONS while completing', () => {
  const h = started();
  h.add('t1', 1000n, 0, { a: [0] });
  const verify = (fields: Partial<AddPartitionsToTxnRequestAddPartitionsToTxnTransaction>): number =>
    h.run(h.shard.addPartitionsToTxn(ctx(4), {
      transactions: [v4Transaction({ verifyOnly: true, ...fields })],
      v3AndBelowTransactionalId: '', v3AndBelowProducerId: 0n, v3AndBelowProducerEpoch: 0, v3AndBelowTopics: [],
    })).resultsByTransaction[0]!.topicResults[0]!.resultsByPartition[0]!.partitionErrorCode;
  assert.equal(verify({}), ErrorCode.NONE);
  assert.equal(verify({ producerEpoch: 1 }), ErrorCode.PRODUCER_FENCED);
  assert.equal(verify({ producerId: 5n }), ErrorCode.INVALID_PRODUCER_ID_MAPPING);
  assert.equal(verify({ transactionalId: '' }), ErrorCode.INVALID_REQUEST);
  h.end('t1', 1000n, 0, true);
  assert.equal(verify({}), ErrorCode.CONCURRENT_TRANSACTIONS);
});

test('AddOffsetsToTxn adds the group\'s __consumer_offsets partition, with the same checks', () => {
  const h = started();
  assert.equal(h.addOffsets('t1', 1000n, 0, 'group-1'), ErrorCode.NONE);
  assert.deepEqual(h.describe('t1').topics, [{ topic: CONSUMER_OFFSETS_TOPIC, partitions: [offsetsPartitionFor('group-1')] }]);
  assert.equal(h.state('t1'), 'Ongoing');
  const records = h.log.length;
  assert.equal(h.addOffsets('t1', 1000n, 0, 'group-1'), ErrorCode.NONE);
  assert.equal(h.log.length, records);
  assert.equal(h.addOffsets('t1', 1000n, 1, 'group-1', 2), ErrorCode.PRODUCER_FENCED);
  assert.equal(h.addOffsets('t1', 1000n, 1, 'group-1', 1), ErrorCode.INVALID_PRODUCER_EPOCH);
  assert.equal(h.addOffsets('t9', 1000n, 0, 'group-1'), ErrorCode.INVALID_PRODUCER_ID_MAPPING);
  assert.equal(h.addOffsets('', 1000n, 0, 'group-1'), ErrorCode.INVALID_REQUEST);
});
