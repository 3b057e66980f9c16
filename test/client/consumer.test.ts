/**
 * The Samsa consumer against a Samsa broker: assign and positions, seek, offsetsForTimes, pause,
 * the async iterator and run(), commits without a group membership, read_committed over
 * KafkaJS transactions, the fetch buffer bound, and consumer groups with Samsa and KafkaJS members.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { Admin, Consumer, Producer, stringDeserializer, NoOffsetForPartitionError, roundRobinAssignor } from '../../src/client/index.js';
import type { ConsumerRecord, TopicPartition } from '../../src/client/index.js';

let broker: TestBroker;
let admin: Admin;
const BASE_MS = 1_700_000_000_000;

before(async () => {
  broker = await startBroker({ inMemory: true, config: { 'num.partitions': '2', 'group.initial.rebalance.delay.ms': '0' } });
  admin = new Admin({ bootstrapServers: broker.bootstrap });
  // The records carry 2023 time stamps: without this, time retention deletes them once the
  // broker's first retention check runs (30 s after start), in the middle of this file.
  await admin.createTopics([{ name: 'events', numPartitions: 2, configs: { 'retention.ms': '-1' } }]);
  const producer = new Producer({ bootstrapServers: broker.bootstrap });
  await Promise.all(Array.from({ length: 1000 }, (_, i) => producer.send({ topic: 'events', partition: i % 2, key: `k${i}`, value: `v${i}`, timestamp: BASE_MS + i })));
  await producer.close();
});

after(async () => {
  await admin.close();
  await broker.stop();
});

const P0 = { topic: 'events', partition: 0 };
const P1 = { topic: 'events', partition: 1 };

async function pollUntil<K, V>(c: Consumer<K, V>, count: number, timeoutMs = 10_000): Promise<Array<ConsumerRecord<K, V>>> {
  const out: Array<ConsumerRecord<K, V>> = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count && Date.now() < deadline) out.push(...await c.poll(100));
  return out;
}

test('assign reads from earliest or latest, in offset order per partition, at most max.poll.records per poll', async () => {
  const c = new Consumer({ bootstrapServers: broker.bootstrap, 'auto.offset.reset': 'earliest', maxPollRecords: 100 });
  c.assign([P0, P1]);
  const first = await c.poll(5000);
  assert.ok(first.length > 0 && first.length <= 100);
  const rest = await pollUntil(c, 1000 - first.length);
  const all = [...first, ...rest];
  assert.equal(all.length, 1000);
  for (const p of [0, 1]) {
    const offsets = all.filter((r) => r.partition === p).map((r) => r.offset);
    assert.deepEqual(offsets, Array.from({ length: 500 }, (_, i) => BigInt(i)));
  }
  assert.equal(await c.position(P0), 500n);
  await c.close();
  const latest = new Consumer({ bootstrapServers: broker.bootstrap, autoOffsetReset: 'latest' });
  latest.assign([P0]);
  assert.equal(await latest.position(P0), 500n);
  assert.deepEqual(await latest.poll(300), []);
  await latest.close();
});

test('seek, seekToBeginning, seekToEnd, position and offsetsForTimes', async () => {
  const c = new Consumer({ bootstrapServers: broker.bootstrap, keyDeserializer: stringDeserializer, valueDeserializer: stringDeserializer, autoOffsetReset: 'earliest' });
  c.assign([P0]);
  c.seek(P0, 490n);
  const tail = await pollUntil(c, 10);
  assert.deepEqual(tail.map((r) => r.value), Array.from({ length: 10 }, (_, i) => `v${(490 + i) * 2}`));
  c.seekToBeginning([P0]);
  assert.equal(await c.position(P0), 0n);
  c.seekToEnd();
  assert.equal(await c.position(P0), 500n);
  const [found] = await c.offsetsForTimes([{ ...P0, timestamp: BASE_MS + 101 }]);
  assert.equal(found!.offset, 51n, 'record 102 is the first at or after the timestamp on partition 0');
  assert.equal(found!.timestamp, BigInt(BASE_MS + 102));
  const [none] = await c.offsetsForTimes([{ ...P0, timestamp: BASE_MS + 10_000 }]);
  assert.equal(none!.offset, null);
  assert.deepEqual((await c.beginningOffsets([P0])).map((o) => o.offset), [0n]);
  assert.deepEqual((await c.endOffsets([P0])).map((o) => o.offset), [500n]);
  await c.close();
});

test('pause stops a partition, resume continues where it was', async () => {
  const c = new Consumer({ bootstrapServers: broker.bootstrap, autoOffsetReset: 'earliest' });
  c.assign([P0, P1]);
  c.pause([P1]);
  assert.deepEqual(c.paused(), [P1]);
  const got = await pollUntil(c, 500, 3000);
  assert.ok(got.every((r) => r.partition === 0));
  assert.deepEqual(await c.poll(300), []);
  c.resume([P1]);
  const after1 = await pollUntil(c, 500);
  assert.ok(after1.every((r) => r.partition === 1));
  assert.equal(after1[0]!.offset, 0n);
  await c.close();
});

test('the async iterator and run() hand out every record; breaking out leaves the consumer usable', async () => {
  const c = new Consumer({ bootstrapServers: broker.bootstrap, autoOffsetReset: 'earliest', maxPollRecords: 50 });
  c.assign([P0]);
  let n = 0;
  for await (const batch of c) {
    n += batch.records.length;
    if (n >= 200) break;
  }
  assert.equal(n, 200);
  const rest: bigint[] = [];
  const running = c.run({ eachRecord: (r) => { rest.push(r.offset); if (rest.length === 300) void c.close(); } });
  await running;
  assert.equal(rest[0], 200n);
  assert.equal(rest.length >= 300, true);
});

test('commit and committed with a group.id in assign mode; auto.offset.reset=none without a commit throws', async () => {
  const c = new Consumer({ bootstrapServers: broker.bootstrap, groupId: 'manual-assign', enableAutoCommit: false, autoOffsetReset: 'earliest' });
  c.assign([P0]);
  await pollUntil(c, 120);
  await c.commit([{ ...P0, offset: 120n, metadata: 'checkpoint' }]);
  const [committed] = await c.committed([P0]);
  assert.equal(committed!.offset, 120n);
  assert.equal(committed!.metadata, 'checkpoint');
  await c.close();
  const again = new Consumer({ bootstrapServers: broker.bootstrap, groupId: 'manual-assign', autoOffsetReset: 'none' });
  again.assign([P0]);
  assert.equal(await again.position(P0), 120n, 'the committed offset is the starting position');
  again.assign([P1]);
  await assert.rejects(again.poll(1000), NoOffsetForPartitionError);
  await again.close();
});

test('fetching ahead stays within maxBufferedBytes while the application is slow', async () => {
  await admin.createTopics([{ name: 'big', numPartitions: 4 }]);
  const producer = new Producer({ bootstrapServers: broker.bootstrap });
  const value = Buffer.alloc(4096, 7);
  await Promise.all(Array.from({ length: 2000 }, (_, i) => producer.send({ topic: 'big', partition: i % 4, value })));
  await producer.close();
  const limit = 256 * 1024;
  const c = new Consumer({ bootstrapServers: broker.bootstrap, autoOffsetReset: 'earliest', maxBufferedBytes: limit, maxPartitionFetchBytes: 64 * 1024, fetchMaxBytes: 128 * 1024, maxPollRecords: 10 });
  c.assign([0, 1, 2, 3].map((partition) => ({ topic: 'big', partition })));
  let maxBuffered = 0;
  let n = 0;
  const fetcher = (c as unknown as { fetcher: { buffered: number } }).fetcher;
  while (n < 2000) {
    n += (await c.poll(1000)).length;
    await new Promise((resolve) => setTimeout(resolve, 1));
    maxBuffered = Math.max(maxBuffered, fetcher.buffered);
  }
  // The limit stops new fetches; answers already asked for may land on top (one per broker).
  assert.ok(maxBuffered <= limit + 128 * 1024, `buffered ${maxBuffered}`);
  await c.close();
});

test('read_committed skips aborted transactions and stops at open ones; read_uncommitted sees everything', async () => {
  await admin.createTopics([{ name: 'txn-data', numPartitions: 1 }]);
  const kafka = new kafkajs.Kafka({ clientId: 'txn-writer', brokers: [broker.bootstrap], logLevel: kafkajs.logLevel.NOTHING });
  const producer = kafka.producer({ transactionalId: 'writer-1', maxInFlightRequests: 1, idempotent: true });
  await producer.connect();
  for (let t = 0; t < 6; t++) {
    const txn = await producer.transaction();
    await txn.send({ topic: 'txn-data', messages: [{ value: `t${t}-a` }, { value: `t${t}-b` }] });
    if (t % 3 === 1) await txn.abort();
    else await txn.commit();
  }
  const open = await producer.transaction();
  await open.send({ topic: 'txn-data', messages: [{ value: 'open' }] });
  const readCommitted = new Consumer({ bootstrapServers: broker.bootstrap, isolationLevel: 'read_committed', autoOffsetReset: 'earliest', valueDeserializer: stringDeserializer });
  readCommitted.assign([{ topic: 'txn-data', partition: 0 }]);
  const committed = await pollUntil(readCommitted, 8, 5000);
  assert.deepEqual(committed.map((r) => r.value), ['t0-a', 't0-b', 't2-a', 't2-b', 't3-a', 't3-b', 't5-a', 't5-b']);
  assert.deepEqual(await readCommitted.poll(300), [], 'the open transaction is not visible');
  await open.commit();
  const late = await pollUntil(readCommitted, 1, 5000);
  assert.deepEqual(late.map((r) => r.value), ['open']);
  await readCommitted.close();
  await producer.disconnect();
  const readAll = new Consumer({ bootstrapServers: broker.bootstrap, autoOffsetReset: 'earliest', valueDeserializer: stringDeserializer });
  readAll.assign([{ topic: 'txn-data', partition: 0 }]);
  const everything = await pollUntil(readAll, 13, 5000);
  assert.equal(everything.length, 13);
  await readAll.close();
});

for (const strategy of ['range', 'roundrobin', 'cooperative-sticky'] as const) {
  test(`a group (${strategy}): two Samsa members split partitions, one leaves, the other takes over; nothing is skipped`, async () => {
    const topic = `grouped-${strategy}`;
    await admin.createTopics([{ name: topic, numPartitions: 4 }]);
    const producer = new Producer({ bootstrapServers: broker.bootstrap });
    await Promise.all(Array.from({ length: 400 }, (_, i) => producer.send({ topic, partition: i % 4, value: String(i) })));
    const make = (): Consumer => new Consumer({
      bootstrapServers: broker.bootstrap, groupId: `g-${strategy}`, autoOffsetReset: 'earliest', partitionAssignmentStrategy: [strategy],
      sessionTimeoutMs: 10_000, heartbeatIntervalMs: 200, autoCommitIntervalMs: 100,
    });
    const a = make();
    const b = make();
    const assignedA: TopicPartition[][] = [];
    a.subscribe([topic], { onPartitionsAssigned: (ps) => { assignedA.push([...ps]); } });
    b.subscribe([topic]);
    const seen = new Set<string>();
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (a.assignment().length + b.assignment().length !== 4 || a.assignment().length === 0 || b.assignment().length === 0 || seen.size < 400)) {
      for (const r of [...await a.poll(50), ...await b.poll(50)]) seen.add(r.value!.toString());
    }
    assert.equal(a.assignment().length + b.assignment().length, 4);
    assert.ok(a.assignment().length > 0 && b.assignment().length > 0, 'both members own partitions');
    await b.close();
    await Promise.all(Array.from({ length: 400 }, (_, i) => producer.send({ topic, partition: i % 4, value: String(400 + i) })));
    await producer.close();
    const deadline2 = Date.now() + 20_000;
    while (Date.now() < deadline2 && seen.size < 800) for (const r of await a.poll(100)) seen.add(r.value!.toString());
    assert.equal(seen.size, 800);
    assert.equal(a.assignment().length, 4);
    await a.commit();
    const committed = await a.committed(a.assignment());
    assert.deepEqual(committed.map((c) => c.offset), [200n, 200n, 200n, 200n]);
    await a.close();
  });
}

for (const [label, strategies, revokedByA] of [
  ['the default [range, cooperative-sticky] is eager: everything is revoked before the rejoin', undefined, 4],
  ['cooperative-sticky alone revokes only the partitions that move', ['cooperative-sticky'] as const, 2],
] as const) {
  test(`rebalance protocol: ${label}`, async () => {
    const topic = `protocol-${revokedByA}`;
    await admin.createTopics([{ name: topic, numPartitions: 4 }]);
    const make = (): Consumer => new Consumer({
      bootstrapServers: broker.bootstrap, groupId: `g-protocol-${revokedByA}`, autoOffsetReset: 'earliest', sessionTimeoutMs: 10_000, heartbeatIntervalMs: 200,
      ...(strategies ? { partitionAssignmentStrategy: strategies } : {}),
    });
    const a = make();
    const b = make();
    const revoked: number[][] = [];
    let bJoined = false;
    a.subscribe([topic], { onPartitionsRevoked: (ps) => { revoked.push(ps.map((p) => p.partition).sort()); } });
    try {
      const settled = async (ok: () => boolean): Promise<void> => {
        const deadline = Date.now() + 20_000;
        while (Date.now() < deadline && !ok()) await Promise.all([a.poll(50), bJoined ? b.poll(50) : undefined]);
      };
      await settled(() => a.assignment().length === 4);
      assert.equal(a.assignment().length, 4);
      b.subscribe([topic]);
      bJoined = true;
      await settled(() => a.assignment().length === 2 && b.assignment().length === 2);
      assert.equal(a.assignment().length + b.assignment().length, 4);
      assert.equal(revoked[0]?.length, revokedByA, `a's first revocation: ${JSON.stringify(revoked)}`);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
}

test('a Samsa consumer and a KafkaJS consumer share one group (KafkaJS\'s RoundRobinAssigner protocol, served by our round-robin)', async () => {
  await admin.createTopics([{ name: 'mixed', numPartitions: 4 }]);
  const producer = new Producer({ bootstrapServers: broker.bootstrap });
  await Promise.all(Array.from({ length: 200 }, (_, i) => producer.send({ topic: 'mixed', partition: i % 4, value: String(i) })));
  await producer.close();
  const kafka = new kafkajs.Kafka({ clientId: 'mixed-kjs', brokers: [broker.bootstrap], logLevel: kafkajs.logLevel.NOTHING });
  const theirs = kafka.consumer({ groupId: 'mixed-group', sessionTimeout: 10_000, heartbeatInterval: 300, maxWaitTimeInMs: 100 });
  await theirs.connect();
  await theirs.subscribe({ topics: ['mixed'], fromBeginning: true });
  const seen = new Set<string>();
  const theirPartitions = new Set<number>();
  await theirs.run({ eachMessage: async ({ partition, message }) => { theirPartitions.add(partition); seen.add(message.value!.toString()); } });
  // KafkaJS names its only assignor 'RoundRobinAssigner'; a custom assignor object with that name joins its groups.
  const kafkajsRoundRobin = { ...roundRobinAssignor, name: 'RoundRobinAssigner' };
  const ours = new Consumer({ bootstrapServers: broker.bootstrap, groupId: 'mixed-group', autoOffsetReset: 'earliest', partitionAssignmentStrategy: [kafkajsRoundRobin], heartbeatIntervalMs: 300, sessionTimeoutMs: 10_000 });
  ours.subscribe(['mixed']);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && (seen.size < 200 || ours.assignment().length !== 2)) for (const r of await ours.poll(100)) seen.add(r.value!.toString());
  assert.equal(seen.size, 200);
  assert.equal(ours.assignment().length, 2, 'each member gets two of four partitions');
  const oursNow = new Set(ours.assignment().map((tp) => tp.partition));
  assert.ok([...theirPartitions].some((p) => !oursNow.has(p)), 'KafkaJS read partitions the Samsa member does not own');
  await ours.close();
  await theirs.disconnect();
});

test('close() from inside run() with a group ends run() cleanly and commits what was handed out', async () => {
  const c = new Consumer({ bootstrapServers: broker.bootstrap, groupId: 'run-and-close', autoOffsetReset: 'earliest', maxPollRecords: 100, heartbeatIntervalMs: 200 });
  c.subscribe(['events']);
  let n = 0;
  let closing: Promise<void> | null = null;
  await c.run({ eachBatch: () => { n++; if (n === 3) closing = c.close(); } });
  await closing;
  const offsets = await admin.fetchOffsets('run-and-close');
  const total = offsets.reduce((sum, o) => sum + o.offset, 0n);
  assert.ok(total >= 300n, `committed ${total} records' worth`);
});

test('static membership: a member that restarts with its group.instance.id gets its partitions back without a rebalance', async () => {
  await admin.createTopics([{ name: 'static-topic', numPartitions: 4 }]);
  const make = (instance: string): Consumer => new Consumer({
    bootstrapServers: broker.bootstrap, groupId: 'static-group', groupInstanceId: instance, autoOffsetReset: 'earliest',
    partitionAssignmentStrategy: ['range'], sessionTimeoutMs: 30_000, heartbeatIntervalMs: 200,
  });
  const a = make('member-a');
  const b = make('member-b');
  let bRevoked = 0;
  a.subscribe(['static-topic']);
  b.subscribe(['static-topic'], { onPartitionsRevoked: () => { bRevoked++; } });
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && (a.assignment().length !== 2 || b.assignment().length !== 2)) await Promise.all([a.poll(50), b.poll(50)]);
  const before1 = a.assignment().map((tp) => tp.partition).sort();
  const revokedBefore = bRevoked;
  await a.close();
  const [group] = await admin.describeGroups(['static-group']);
  assert.equal(group!.members.length, 2, 'a static member does not leave on close');
  const again = make('member-a');
  again.subscribe(['static-topic']);
  const deadline2 = Date.now() + 20_000;
  while (Date.now() < deadline2 && again.assignment().length !== 2) await Promise.all([again.poll(50), b.poll(50)]);
  assert.deepEqual(again.assignment().map((tp) => tp.partition).sort(), before1);
  assert.equal(bRevoked, revokedBefore, 'the other member kept its partitions throughout');
  await again.close();
  await b.close();
});
