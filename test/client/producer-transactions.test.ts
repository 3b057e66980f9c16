/**
 * Transactions with the Samsa producer: commit and abort seen through read_committed readers
 * (the Samsa consumer and KafkaJS), consume-transform-produce with sendOffsetsToTransaction and
 * the group's committed offsets, zombie fencing, and the state rules (send outside a transaction,
 * commit after a failure).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { Admin, Consumer, KafkaResponseError, Producer, TransactionStateError, stringDeserializer } from '../../src/client/index.js';
import type { ConsumerRecord } from '../../src/client/index.js';
import { readWithKafkajs } from './kafkajs-codecs.js';

let broker: TestBroker;
let admin: Admin;

before(async () => {
  broker = await startBroker({ inMemory: true, config: { 'group.initial.rebalance.delay.ms': '0', 'transaction.state.log.num.partitions': '3', 'offsets.topic.num.partitions': '3' } });
  admin = new Admin({ bootstrapServers: broker.bootstrap });
});

after(async () => {
  await admin.close();
  await broker.stop();
});

async function readCommitted(topic: string, partitions: number, expected: number, isolation: 'read_committed' | 'read_uncommitted' = 'read_committed'): Promise<string[]> {
  const c = new Consumer({ bootstrapServers: broker.bootstrap, isolationLevel: isolation, autoOffsetReset: 'earliest', valueDeserializer: stringDeserializer });
  c.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition })));
  const out: Array<ConsumerRecord<Buffer | null, string | null>> = [];
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && out.length < expected) out.push(...await c.poll(100));
  // Nothing more arrives.
  out.push(...await c.poll(300));
  await c.close();
  return out.map((r) => r.value!).sort();
}

test('committed transactions are visible to read_committed readers, aborted ones are not', async () => {
  await admin.createTopics([{ name: 'tx-out', numPartitions: 3 }]);
  const producer = new Producer({ bootstrapServers: broker.bootstrap, transactionalId: 'tx-writer' });
  await producer.initTransactions();
  await assert.rejects(producer.send({ topic: 'tx-out', value: 'outside' }), TransactionStateError);
  const expected: string[] = [];
  for (let t = 0; t < 6; t++) {
    producer.beginTransaction();
    const values = Array.from({ length: 30 }, (_, i) => `t${t}-${i}`);
    await Promise.all(values.map((value, i) => producer.send({ topic: 'tx-out', partition: i % 3, value })));
    if (t % 2 === 1) await producer.abortTransaction();
    else {
      await producer.commitTransaction();
      expected.push(...values);
    }
  }
  // An aborted transaction whose records were never awaited: they fail, nothing is visible.
  producer.beginTransaction();
  const pending = producer.send({ topic: 'tx-out', partition: 0, value: 'dropped' });
  await producer.abortTransaction();
  await pending.catch(() => undefined);
  await producer.close();
  assert.deepEqual(await readCommitted('tx-out', 3, expected.length), expected.sort());
  assert.equal((await readCommitted('tx-out', 3, 181, 'read_uncommitted')).length >= 180, true);
  const kafkajsView = await readWithKafkajs(broker.bootstrap, 'tx-out', expected.length);
  assert.deepEqual(kafkajsView.map((m) => m.value!.toString()).sort(), expected.sort(), 'KafkaJS read_committed sees the same');
});

test('consume-transform-produce: offsets committed in the transaction, output and offsets agree', async () => {
  await admin.createTopics([{ name: 'ctp-in', numPartitions: 2 }, { name: 'ctp-out', numPartitions: 2 }]);
  const seed = new Producer({ bootstrapServers: broker.bootstrap });
  await Promise.all(Array.from({ length: 200 }, (_, i) => seed.send({ topic: 'ctp-in', partition: i % 2, value: String(i) })));
  await seed.close();
  const consumer = new Consumer({
    bootstrapServers: broker.bootstrap, groupId: 'ctp', enableAutoCommit: false, autoOffsetReset: 'earliest', isolationLevel: 'read_committed',
    heartbeatIntervalMs: 200, sessionTimeoutMs: 10_000, valueDeserializer: stringDeserializer,
  });
  consumer.subscribe(['ctp-in']);
  const producer = new Producer({ bootstrapServers: broker.bootstrap, transactionalId: 'ctp-worker' });
  await producer.initTransactions();
  let done = 0;
  let round = 0;
  const deadline = Date.now() + 20_000;
  while (done < 200 && Date.now() < deadline) {
    const records = await consumer.poll(200);
    if (records.length === 0) continue;
    producer.beginTransaction();
    for (const r of records) void producer.send({ topic: 'ctp-out', partition: r.partition, value: `${r.value}x` });
    const next = new Map<number, bigint>();
    for (const r of records) next.set(r.partition, r.offset + 1n);
    await producer.sendOffsetsToTransaction([...next].map(([partition, offset]) => ({ topic: 'ctp-in', partition, offset })), consumer.groupMetadata());
    // Every third round is aborted and its input read again.
    if (++round % 3 === 0) {
      await producer.abortTransaction();
      for (const [partition] of next) {
        const [c] = await consumer.committed([{ topic: 'ctp-in', partition }]);
        consumer.seek({ topic: 'ctp-in', partition }, c!.offset ?? 0n);
      }
      continue;
    }
    await producer.commitTransaction();
    done += records.length;
  }
  assert.equal(done, 200);
  const committed = await consumer.committed([{ topic: 'ctp-in', partition: 0 }, { topic: 'ctp-in', partition: 1 }]);
  assert.deepEqual(committed.map((c) => c.offset), [100n, 100n]);
  await consumer.close();
  await producer.close();
  const out = await readCommitted('ctp-out', 2, 200);
  assert.deepEqual(out, Array.from({ length: 200 }, (_, i) => `${i}x`).sort(), 'each input exactly once in the output');
});

test('a second producer with the same transactional id fences the first', async () => {
  await admin.createTopics([{ name: 'fenced', numPartitions: 1 }]);
  const zombie = new Producer({ bootstrapServers: broker.bootstrap, transactionalId: 'fence-me' });
  await zombie.initTransactions();
  zombie.beginTransaction();
  await zombie.send({ topic: 'fenced', value: 'zombie' });
  const successor = new Producer({ bootstrapServers: broker.bootstrap, transactionalId: 'fence-me' });
  await successor.initTransactions();
  successor.beginTransaction();
  await successor.send({ topic: 'fenced', value: 'successor' });
  await successor.commitTransaction();
  const failure = await zombie.commitTransaction().then(() => null, (e: unknown) => e);
  assert.ok(failure instanceof KafkaResponseError, `the zombie's commit fails (${String(failure)})`);
  assert.ok(['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH'].includes(failure.errorName), failure.errorName);
  await assert.rejects(zombie.send({ topic: 'fenced', value: 'again' }), 'a fenced producer stays fenced');
  await zombie.close({ timeoutMs: 100 });
  await successor.close();
  assert.deepEqual(await readCommitted('fenced', 1, 1), ['successor']);
});
