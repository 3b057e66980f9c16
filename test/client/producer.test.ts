/**
 * The Samsa producer against a Samsa broker: partitioning, every codec read back by KafkaJS and
 * by the Samsa consumer, headers and timestamps, acks, buffer.memory back-pressure, delivery
 * timeouts, interceptors, and idempotent sends through broker restarts.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { Admin, Consumer, Producer, partitionForKey, ProducerTimeoutError, RecordTooLargeError, ConfigError } from '../../src/client/index.js';
import type { CompressionType, ConsumerRecord } from '../../src/client/index.js';
import { readWithKafkajs, registerKafkajsCodecs } from './kafkajs-codecs.js';
import { missing } from '../broker/missing-client.js';

let broker: TestBroker;
let admin: Admin;

before(async () => {
  broker = await startBroker({ inMemory: true, config: { 'num.partitions': '3' } });
  admin = new Admin({ bootstrapServers: broker.bootstrap });
});

after(async () => {
  await admin.close();
  await broker.stop();
});

async function readAll(topic: string, partitions: number, count: number): Promise<ConsumerRecord[]> {
  const c = new Consumer({ bootstrapServers: broker.bootstrap, autoOffsetReset: 'earliest', fetchMaxWaitMs: 50 });
  c.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition })));
  const out: ConsumerRecord[] = [];
  const deadline = Date.now() + 15_000;
  while (out.length < count && Date.now() < deadline) out.push(...await c.poll(200));
  await c.close();
  return out;
}

test('keyed records go to murmur2(key) mod partitions, and each send resolves to its offset', async () => {
  await admin.createTopics([{ name: 'keyed', numPartitions: 12 }]);
  const producer = new Producer({ bootstrapServers: broker.bootstrap });
  const sent = await Promise.all(Array.from({ length: 500 }, (_, i) => producer.send({ topic: 'keyed', key: `user-${i}`, value: `v${i}` })));
  await producer.close();
  const nextOffset = new Map<number, bigint>();
  sent.forEach((md, i) => {
    assert.equal(md.partition, partitionForKey(Buffer.from(`user-${i}`), 12));
    assert.equal(md.offset, nextOffset.get(md.partition) ?? 0n, 'offsets are consecutive per partition in send order');
    nextOffset.set(md.partition, md.offset + 1n);
  });
  const read = await readAll('keyed', 12, 500);
  assert.equal(read.length, 500);
  for (const r of read) assert.equal(r.partition, partitionForKey(r.key!, 12));
});

test('records without a key stick to a partition for about batch.size bytes, then move on', async () => {
  await admin.createTopics([{ name: 'sticky', numPartitions: 6 }]);
  const producer = new Producer({ bootstrapServers: broker.bootstrap, batchSize: 4096 });
  const sent = await Promise.all(Array.from({ length: 400 }, () => producer.send({ topic: 'sticky', value: Buffer.alloc(100) })));
  await producer.close();
  let switches = 0;
  for (let i = 1; i < sent.length; i++) if (sent[i]!.partition !== sent[i - 1]!.partition) switches++;
  // 400 × ~120 bytes ≈ 48 KiB at 4 KiB per sticky run: about 11 runs, never one per record.
  assert.ok(switches >= 5 && switches <= 30, `${switches} partition switches`);
  assert.ok(new Set(sent.map((s) => s.partition)).size >= 3);
});

for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as CompressionType[]) {
  test(`compression ${codec}: keys, values, null values, headers and timestamps survive, read by the Samsa consumer${codec === 'zstd' ? '' : ' and KafkaJS'}`, async (t) => {
    const topic = `codec-${codec}`;
    await admin.createTopics([{ name: topic, numPartitions: 1 }]);
    const producer = new Producer({ bootstrapServers: broker.bootstrap, compressionType: codec, lingerMs: 20 });
    const base = 1_700_000_000_000;
    await Promise.all(Array.from({ length: 200 }, (_, i) => producer.send({
      topic, key: `k${i}`, value: i % 50 === 7 ? null : `value-${i}-${'z'.repeat(i % 30)}`, timestamp: base + i,
      headers: [{ key: 'n', value: String(i) }, { key: 'bin', value: Buffer.from([i & 0xff, 0]) }],
    })));
    await producer.close();
    const read = await readAll(topic, 1, 200);
    assert.equal(read.length, 200);
    read.forEach((r, i) => {
      assert.equal(r.offset, BigInt(i));
      assert.equal(r.key?.toString(), `k${i}`);
      assert.equal(r.value?.toString() ?? null, i % 50 === 7 ? null : `value-${i}-${'z'.repeat(i % 30)}`);
      assert.equal(r.timestamp, BigInt(base + i));
      assert.deepEqual(r.headers.map((h) => h.key), ['n', 'bin']);
      assert.equal(r.headers[0]!.value!.toString(), String(i));
    });
    if (codec === 'zstd') return;
    if (!registerKafkajsCodecs().has(codec)) {
      missing(t, `KafkaJS's ${codec} codec on Node ${process.versions.node}`);
      return;
    }
    const theirs = await readWithKafkajs(broker.bootstrap, topic, 200);
    assert.equal(theirs.length, 200);
    theirs.sort((a, b) => Number(a.offset) - Number(b.offset)).forEach((m, i) => {
      assert.equal(m.key?.toString(), `k${i}`);
      assert.equal(m.value?.toString() ?? null, i % 50 === 7 ? null : `value-${i}-${'z'.repeat(i % 30)}`);
      assert.equal(m.timestamp, String(base + i));
      assert.equal(String(m.headers.n), String(i));
    });
  });
}

test('acks=0 and acks=1 deliver; acks=0 answers offset -1', async () => {
  await admin.createTopics([{ name: 'acks', numPartitions: 1 }]);
  const zero = new Producer({ bootstrapServers: broker.bootstrap, acks: 0 });
  const md0 = await zero.send({ topic: 'acks', value: 'a0' });
  assert.equal(md0.offset, -1n);
  assert.equal(zero.idempotent, false, 'acks=0 turns the default idempotence off');
  await zero.close();
  const one = new Producer({ bootstrapServers: broker.bootstrap, 'acks': '1' });
  const md1 = await one.send({ topic: 'acks', value: 'a1' });
  assert.equal(md1.offset, 1n);
  await one.close();
  assert.throws(() => new Producer({ bootstrapServers: broker.bootstrap, acks: 1, enableIdempotence: true }), ConfigError);
  assert.throws(() => new Producer({ bootstrapServers: broker.bootstrap, 'linger.ms': 5, lingerMs: 5 }), ConfigError);
  assert.throws(() => new Producer({ bootstrapServers: broker.bootstrap, 'no.such.option': 1 }), ConfigError);
});

test('idempotence is on by default: batches carry a producer id the broker tracks', async () => {
  await admin.createTopics([{ name: 'idem', numPartitions: 1 }]);
  const producer = new Producer({ bootstrapServers: broker.bootstrap, 'bootstrap.servers': undefined });
  assert.equal(producer.idempotent, true);
  await Promise.all(Array.from({ length: 50 }, (_, i) => producer.send({ topic: 'idem', value: `${i}` })));
  await producer.close();
  const [state] = await admin.describeProducers([{ topic: 'idem', partition: 0 }]);
  assert.equal(state!.activeProducers.length, 1);
  assert.equal(state!.activeProducers[0]!.lastSequence, 49);
});

test('buffer.memory bounds what waits to be sent; send() waits for room instead of growing', async () => {
  await admin.createTopics([{ name: 'bounded', numPartitions: 2 }]);
  const producer = new Producer({ bootstrapServers: broker.bootstrap, bufferMemory: 64 * 1024, batchSize: 16 * 1024, lingerMs: 1 });
  const value = Buffer.alloc(1024, 1);
  let maxBuffered = 0;
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < 3000; i++) {
    sends.push(producer.send({ topic: 'bounded', value }));
    maxBuffered = Math.max(maxBuffered, producer.bufferedBytes);
  }
  const sampler = setInterval(() => { maxBuffered = Math.max(maxBuffered, producer.bufferedBytes); }, 1);
  await Promise.all(sends);
  clearInterval(sampler);
  await producer.close();
  assert.ok(maxBuffered <= 64 * 1024, `buffered ${maxBuffered} bytes`);
  assert.ok(maxBuffered > 32 * 1024, 'the buffer was used');
  const [p0, p1] = await admin.listOffsets([{ topic: 'bounded', partition: 0, spec: 'latest' }, { topic: 'bounded', partition: 1, spec: 'latest' }]);
  assert.equal((p0!.offset ?? 0n) + (p1!.offset ?? 0n), 3000n);
  await assert.rejects(new Producer({ bootstrapServers: broker.bootstrap, bufferMemory: 1000 }).send({ topic: 'bounded', value: Buffer.alloc(2000) }), RecordTooLargeError);
});

test('interceptors see every record before it is sent and every outcome', async () => {
  await admin.createTopics([{ name: 'intercepted', numPartitions: 1 }]);
  const acked: string[] = [];
  const producer = new Producer<string, string>({
    bootstrapServers: broker.bootstrap,
    interceptors: [{
      onSend: (r) => ({ ...r, value: `${r.value}!` }),
      onAcknowledgement: (md, error, r) => { if (md && !error) acked.push(`${r.value}@${md.offset}`); },
    }],
  });
  await producer.send({ topic: 'intercepted', value: 'a' });
  await producer.send({ topic: 'intercepted', value: 'b' });
  await producer.close();
  assert.deepEqual(acked, ['a!@0', 'b!@1']);
  const read = await readAll('intercepted', 1, 2);
  assert.deepEqual(read.map((r) => r.value?.toString()), ['a!', 'b!']);
});

test('a record for a missing topic fails within max.block.ms when topics are not created automatically', async () => {
  const producer = new Producer({ bootstrapServers: broker.bootstrap, allowAutoCreateTopics: false, maxBlockMs: 500 });
  await assert.rejects(producer.send({ topic: 'never-created', value: 'x' }));
  await producer.close();
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

test('a record that cannot be delivered fails after delivery.timeout.ms', async () => {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'samsa-producer-timeout-'));
  const b = await startBroker({ dataDir, config: { listeners: `PLAINTEXT://127.0.0.1:${port}`, 'num.partitions': '1' } });
  const producer = new Producer({ bootstrapServers: b.bootstrap, deliveryTimeoutMs: 2_000, requestTimeoutMs: 1_000, lingerMs: 0, retryBackoffMaxMs: 200 });
  await producer.send({ topic: 'doomed', value: 'first' });
  await b.stop({ keepData: true });
  await assert.rejects(producer.send({ topic: 'doomed', value: 'lost' }), ProducerTimeoutError);
  await producer.close({ timeoutMs: 100 });
  await rm(dataDir, { recursive: true, force: true });
});

test('idempotent sends through two broker restarts: every acknowledged record once, in order', async () => {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'samsa-producer-restart-'));
  const config = { listeners: `PLAINTEXT://127.0.0.1:${port}`, 'num.partitions': '3' };
  let b = await startBroker({ dataDir, config });
  const producer = new Producer({ bootstrapServers: b.bootstrap, lingerMs: 2, retryBackoffMs: 50, retryBackoffMaxMs: 200 });
  const total = 6000;
  const acked: Array<{ i: number; partition: number; offset: bigint }> = [];
  const sends: Promise<void>[] = [];
  let restarts = 0;
  for (let i = 0; i < total; i++) {
    sends.push(producer.send({ topic: 'restarts', key: `k${i % 30}`, value: String(i) }).then((md) => { acked.push({ i, partition: md.partition, offset: md.offset }); }));
    if (i % 2000 === 1000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await b.stop({ keepData: true });
      b = await startBroker({ dataDir, config });
      restarts++;
    }
    if (i % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(sends);
  await producer.close();
  assert.equal(restarts, 3);
  assert.equal(acked.length, total);
  const c = new Consumer({ bootstrapServers: b.bootstrap, autoOffsetReset: 'earliest' });
  c.assign([0, 1, 2].map((partition) => ({ topic: 'restarts', partition })));
  const seen: ConsumerRecord[] = [];
  const deadline = Date.now() + 20_000;
  while (seen.length < total && Date.now() < deadline) seen.push(...await c.poll(200));
  assert.equal(seen.length, total, 'no duplicates and no losses');
  await c.close();
  const values = seen.map((r) => Number(r.value!.toString()));
  assert.equal(new Set(values).size, total);
  // Per key, values come in send order.
  const lastByKey = new Map<string, number>();
  for (const r of seen) {
    const k = r.key!.toString();
    const v = Number(r.value!.toString());
    assert.ok((lastByKey.get(k) ?? -1) < v, `order for ${k}`);
    lastByKey.set(k, v);
  }
  const byOffset = new Map(seen.map((r) => [`${r.partition}:${r.offset}`, Number(r.value!.toString())]));
  for (const a of acked) assert.equal(byOffset.get(`${a.partition}:${a.offset}`), a.i, 'each record is at the offset its send resolved to');
  await b.stop();
  await rm(dataDir, { recursive: true, force: true });
});

test('sendBatch resolves every record in order with one promise, and rejects when one record fails', async () => {
  await admin.createTopics([{ name: 'batched', numPartitions: 2 }]);
  const producer = new Producer({ bootstrapServers: broker.bootstrap });
  const results = await producer.sendBatch(Array.from({ length: 300 }, (_, i) => ({ topic: 'batched', partition: i % 2, value: String(i) })));
  assert.equal(results.length, 300);
  results.forEach((md, i) => {
    assert.equal(md.partition, i % 2);
    assert.equal(md.offset, BigInt(Math.floor(i / 2)));
  });
  await assert.rejects(producer.sendBatch([{ topic: 'batched', partition: 0, value: 'ok' }, { topic: 'batched', partition: 7, value: 'no such partition' }]), RangeError);
  assert.deepEqual(await producer.sendBatch([]), []);
  await producer.close();
});
