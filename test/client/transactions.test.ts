/**
 * The admin's transaction calls against a real broker, with a transaction driven by raw
 * requests: open (Ongoing, its partitions, its producer's open transaction per partition), then
 * committed (CompleteCommit, no open transaction left). The tests run in order.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { Admin, KafkaResponseError, type TransactionDescription } from '../../src/client/index.js';
import { createTopic, kafkajsClient } from './helpers.js';
import { type RawTransaction, TXN_BROKER_CONFIG, beginTransaction } from './transactions-raw.js';

const BASE_MS = 1_700_000_000_000;
const TXN_ID = 'payments-tx';
let broker: TestBroker;
let admin: Admin;
let txn: RawTransaction;

before(async () => {
  broker = await startBroker({ inMemory: true, config: TXN_BROKER_CONFIG });
  await createTopic(kafkajsClient(broker.bootstrap), 'payments', 2);
  admin = new Admin({ bootstrapServers: broker.bootstrap });
  txn = await beginTransaction(broker.bootstrap, TXN_ID, [{ topic: 'payments', partition: 0 }, { topic: 'payments', partition: 1 }]);
  await txn.produce({ topic: 'payments', partition: 0 }, 3, BASE_MS);
});

after(async () => {
  await txn?.close();
  await admin?.close();
  await broker?.stop();
});

/** Describes until the state is no longer `passing` (markers are written after EndTxn answers); bounded by attempts, not time. */
async function describeSettled(passing: string): Promise<TransactionDescription> {
  for (let attempt = 0; ; attempt++) {
    const [d] = await admin.describeTransactions([TXN_ID]);
    if (d!.state !== passing || attempt >= 50) return d!;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('an open transaction is listed as Ongoing at its coordinator, and filters select it', async () => {
  const listed = await admin.listTransactions();
  assert.deepEqual(listed.filter((t) => t.transactionalId === TXN_ID), [
    { transactionalId: TXN_ID, producerId: txn.producerId, state: 'Ongoing', coordinatorId: 1 },
  ]);
  assert.equal((await admin.listTransactions({ states: ['Ongoing'], producerIds: [txn.producerId] })).length, 1);
  assert.deepEqual(await admin.listTransactions({ states: ['CompleteAbort'] }), []);
  assert.deepEqual(await admin.listTransactions({ producerIds: [txn.producerId + 1000n] }), []);
  assert.deepEqual(await admin.listTransactions({ durationFilterMs: 3_600_000 }), [], 'not open for an hour');
});

test('describeTransactions shows the producer, the timeout and the partitions of the open transaction', async () => {
  const [d] = await admin.describeTransactions([TXN_ID]);
  assert.equal(d!.state, 'Ongoing');
  assert.equal(d!.coordinatorId, 1);
  assert.equal(d!.producerId, txn.producerId);
  assert.equal(d!.producerEpoch, txn.producerEpoch);
  assert.equal(d!.transactionTimeoutMs, 60_000);
  assert.notEqual(d!.transactionStartTimeMs, null);
  assert.deepEqual(d!.topicPartitions, [{ topic: 'payments', partition: 0 }, { topic: 'payments', partition: 1 }]);
});

test('describeProducers shows where the producer\'s open transaction began on the partition it wrote', async () => {
  const [p0, p1] = await admin.describeProducers([{ topic: 'payments', partition: 0 }, { topic: 'payments', partition: 1 }]);
  assert.equal(p0!.activeProducers.length, 1);
  const s = p0!.activeProducers[0]!;
  assert.equal(s.producerId, txn.producerId);
  assert.equal(s.producerEpoch, txn.producerEpoch);
  assert.equal(s.lastSequence, 2);
  assert.equal(s.lastTimestamp, BigInt(BASE_MS + 2));
  assert.equal(s.currentTransactionStartOffset, 0n);
  assert.deepEqual(p1!.activeProducers, [], 'nothing written to partition 1');
});

test('an unknown transactional id is TRANSACTIONAL_ID_NOT_FOUND', async () => {
  await assert.rejects(admin.describeTransactions(['no-such-tx']),
    (e: unknown) => e instanceof KafkaResponseError && e.errorName === 'TRANSACTIONAL_ID_NOT_FOUND');
});

test('after EndTxn(commit) the transaction is CompleteCommit and the producer has no open transaction', async () => {
  await txn.end(true);
  const d = await describeSettled('PrepareCommit');
  assert.equal(d.state, 'CompleteCommit');
  // Kafka's coordinator keeps the start time of the completed transaction.
  assert.notEqual(d.transactionStartTimeMs, null);
  assert.deepEqual(d.topicPartitions, []);
  const listed = await admin.listTransactions({ states: ['CompleteCommit'] });
  assert.deepEqual(listed.map((t) => [t.transactionalId, t.producerId]), [[TXN_ID, txn.producerId]]);
  assert.deepEqual(await admin.listTransactions({ states: ['Ongoing'] }), []);

  const [p0] = await admin.describeProducers([{ topic: 'payments', partition: 0 }]);
  const s = p0!.activeProducers[0]!;
  assert.equal(s.producerId, txn.producerId);
  assert.equal(s.currentTransactionStartOffset, null);
  assert.notEqual(s.coordinatorEpoch, null, 'the commit marker carried a coordinator epoch');
});
