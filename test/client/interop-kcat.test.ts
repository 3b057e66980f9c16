/**
 * The Samsa client beside librdkafka (kcat): records written by each with every codec are read
 * exactly by the other, the same key goes to the same partition from both (librdkafka's
 * murmur2_random is the Java client's partitioner), and Samsa transactions are seen correctly by
 * a read_committed kcat.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { Admin, Consumer, Producer, partitionForKey } from '../../src/client/index.js';
import type { ConsumerRecord } from '../../src/client/index.js';
import { CODECS, KCAT, kcatConsume, kcatProduce, kcatVersion, run, type TextRecord } from '../interop/clients.js';
import { have } from '../broker/missing-client.js';

const kcat = kcatVersion();
let broker: TestBroker;
let admin: Admin;

before(async () => {
  broker = await startBroker({ inMemory: true, config: { 'num.partitions': '1' } });
  admin = new Admin({ bootstrapServers: broker.bootstrap });
});

after(async () => {
  await admin.close();
  await broker.stop();
});

function records(codec: string, n: number): TextRecord[] {
  return Array.from({ length: n }, (_, i) => ({ key: i % 10 === 3 ? null : `${codec}-k${i}`, value: `${codec} value ${i} ${'*'.repeat(i % 40)}`, headers: [['origin', 'test'], ['codec', codec]] }));
}

async function samsaRead(topic: string, partitions: number, count: number): Promise<ConsumerRecord[]> {
  const c = new Consumer({ bootstrapServers: broker.bootstrap, autoOffsetReset: 'earliest', fetchMaxWaitMs: 50 });
  c.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition })));
  const out: ConsumerRecord[] = [];
  const deadline = Date.now() + 10_000;
  while (out.length < count && Date.now() < deadline) out.push(...await c.poll(100));
  await c.close();
  return out.sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset));
}

for (const codec of CODECS) {
  test(`${codec}: the Samsa producer's records read by kcat, and kcat's read by the Samsa consumer`, async (t) => {
    if (!have(t, kcat, 'kcat')) return;
    const sent = records(codec, 150);
    await admin.createTopics([{ name: `to-kcat-${codec}`, numPartitions: 1 }, { name: `from-kcat-${codec}`, numPartitions: 1 }]);
    const producer = new Producer({ bootstrapServers: broker.bootstrap, compressionType: codec, lingerMs: 20 });
    await Promise.all(sent.map((r) => producer.send({ topic: `to-kcat-${codec}`, key: r.key, value: r.value, headers: r.headers.map(([key, value]) => ({ key, value })) })));
    await producer.close();
    assert.deepEqual(await kcatConsume(broker.bootstrap, `to-kcat-${codec}`), sent);
    await kcatProduce(broker.bootstrap, `from-kcat-${codec}`, codec, sent);
    const read = await samsaRead(`from-kcat-${codec}`, 1, sent.length);
    assert.deepEqual(read.map((r) => ({
      key: r.key === null ? null : r.key.toString(), value: r.value!.toString(), headers: r.headers.map((h) => [h.key, h.value!.toString()]),
    })), sent);
  });
}

test('the same key goes to the same partition from librdkafka (murmur2_random) and from the Samsa producer', async (t) => {
  if (!have(t, kcat, 'kcat')) return;
  await admin.createTopics([{ name: 'keys-kcat', numPartitions: 12 }, { name: 'keys-samsa', numPartitions: 12 }]);
  const keys = Array.from({ length: 2000 }, (_, i) => `customer-${i * 7919}`);
  const input = keys.map((k) => `${k}|x`).join('\n') + '\n';
  const r = await run(KCAT, ['-b', broker.bootstrap, '-P', '-t', 'keys-kcat', '-K', '|', '-X', 'topic.partitioner=murmur2_random', '-X', 'linger.ms=20'], input, 15_000);
  assert.equal(r.code, 0, r.stderr);
  const producer = new Producer({ bootstrapServers: broker.bootstrap });
  const ours = await Promise.all(keys.map((key) => producer.send({ topic: 'keys-samsa', key, value: 'x' })));
  await producer.close();
  const theirs = await samsaRead('keys-kcat', 12, keys.length);
  assert.equal(theirs.length, keys.length);
  const kcatPartition = new Map(theirs.map((rec) => [rec.key!.toString(), rec.partition]));
  keys.forEach((key, i) => {
    assert.equal(ours[i]!.partition, kcatPartition.get(key), key);
    assert.equal(ours[i]!.partition, partitionForKey(Buffer.from(key), 12));
  });
  assert.ok(new Set(ours.map((m) => m.partition)).size === 12);
});

test('Samsa transactions through a read_committed kcat: committed records only', async (t) => {
  if (!have(t, kcat, 'kcat')) return;
  await admin.createTopics([{ name: 'txn-kcat', numPartitions: 2 }]);
  const producer = new Producer({ bootstrapServers: broker.bootstrap, transactionalId: 'kcat-visible' });
  await producer.initTransactions();
  for (const commit of [true, false, true]) {
    producer.beginTransaction();
    await Promise.all([0, 1].map((partition) => producer.send({ topic: 'txn-kcat', partition, value: `${commit ? 'kept' : 'aborted'}-${partition}` })));
    if (commit) await producer.commitTransaction();
    else await producer.abortTransaction();
  }
  await producer.close();
  const res = await run(KCAT, ['-b', broker.bootstrap, '-C', '-t', 'txn-kcat', '-o', 'beginning', '-e', '-q', '-X', 'isolation.level=read_committed', '-f', '%s\\n'], '', 10_000);
  assert.equal(res.code, 0, res.stderr);
  assert.deepEqual(res.stdout.split('\n').filter((l) => l).sort(), ['kept-0', 'kept-0', 'kept-1', 'kept-1']);
});
