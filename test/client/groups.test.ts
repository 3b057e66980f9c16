/**
 * The admin's group operations against a real broker, with a kafkajs consumer group as the
 * subject. The tests run in order: the group is active first, then empty, then deleted.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { Admin, GroupNotInactiveError } from '../../src/client/index.js';
import { type KafkajsClient, type KafkajsConsumer, consumeAndCommit, createTopic, kafkajsClient, produce } from './helpers.js';

const BASE_MS = 1_700_000_000_000;
const GROUP = 'orders-service';
let broker: TestBroker;
let kafka: KafkajsClient;
let consumer: KafkajsConsumer | null = null;
let admin: Admin;

before(async () => {
  broker = await startBroker({ inMemory: true, config: { 'group.initial.rebalance.delay.ms': '0', 'offsets.topic.num.partitions': '3' } });
  kafka = kafkajsClient(broker.bootstrap, 'orders-app');
  await createTopic(kafka, 'orders', 3);
  await produce(kafka, 'orders', [0, 1, 2], 10, BASE_MS);
  consumer = await consumeAndCommit(kafka, GROUP, 'orders', 30);
  await produce(kafka, 'orders', [0], 4, BASE_MS + 100_000);
  admin = new Admin({ bootstrapServers: broker.bootstrap });
});

after(async () => {
  await consumer?.disconnect();
  await admin?.close();
  await broker?.stop();
});

test('listGroups shows the active group as a classic consumer group', async () => {
  const groups = await admin.listGroups();
  const g = groups.find((x) => x.groupId === GROUP);
  assert.deepEqual(g, { groupId: GROUP, protocolType: 'consumer', state: 'Stable', type: 'classic' });
});

test('describeGroups shows the member, its client id and its assignment', async () => {
  const [g] = await admin.describeGroups([GROUP]);
  assert.equal(g!.state, 'Stable');
  assert.equal(g!.coordinator.nodeId, 1);
  assert.equal(g!.members.length, 1);
  const m = g!.members[0]!;
  assert.equal(m.clientId, 'orders-app');
  assert.match(m.host, /127\.0\.0\.1/);
  assert.deepEqual(m.assignment, [0, 1, 2].map((partition) => ({ topic: 'orders', partition })));
});

test('fetchOffsets and describeGroupLag: committed 10 everywhere, 4 behind on partition 0', async () => {
  const committed = await admin.fetchOffsets(GROUP);
  assert.deepEqual(committed.map((c) => [c.topic, c.partition, c.offset]), [['orders', 0, 10n], ['orders', 1, 10n], ['orders', 2, 10n]]);
  const some = await admin.fetchOffsets(GROUP, [{ topic: 'orders', partition: 1 }]);
  assert.deepEqual(some.map((c) => c.partition), [1]);
  const { partitions } = await admin.describeGroupLag(GROUP);
  assert.deepEqual(partitions.map((p) => [p.partition, p.committedOffset, p.logEndOffset, p.lag]), [[0, 10n, 14n, 4n], [1, 10n, 10n, 0n], [2, 10n, 10n, 0n]]);
  assert.ok(partitions.every((p) => p.member?.clientId === 'orders-app'));
});

test('resetting the offsets of an active group is refused', async () => {
  await assert.rejects(admin.resetOffsets(GROUP, { topics: [{ topic: 'orders' }], to: 'earliest' }),
    (e: unknown) => e instanceof GroupNotInactiveError && e.state === 'Stable');
});

test('once the consumer leaves, the group is Empty and its offsets can be reset', async () => {
  await consumer!.disconnect();
  consumer = null;
  const [g] = await admin.describeGroups([GROUP]);
  assert.equal(g!.state, 'Empty');
  assert.equal(g!.members.length, 0);

  const dry = await admin.resetOffsets(GROUP, { topics: [{ topic: 'orders' }], to: 'earliest' });
  assert.deepEqual(dry.map((p) => [p.partition, p.offset]), [[0, 0n], [1, 0n], [2, 0n]]);
  assert.deepEqual((await admin.fetchOffsets(GROUP)).map((c) => c.offset), [10n, 10n, 10n], 'a dry run changes nothing');

  await admin.resetOffsets(GROUP, { topics: [{ topic: 'orders', partitions: [0, 1] }], to: 'earliest', execute: true });
  assert.deepEqual((await admin.fetchOffsets(GROUP)).map((c) => c.offset), [0n, 0n, 10n]);

  const clamped = await admin.resetOffsets(GROUP, { topics: [{ topic: 'orders', partitions: [0] }], to: { offset: 1000n }, execute: true });
  assert.deepEqual(clamped.map((p) => p.offset), [14n], 'kept within the log');

  const byTime = await admin.resetOffsets(GROUP, { topics: [{ topic: 'orders' }], to: { timestampMs: BASE_MS + 7000 }, execute: true });
  assert.deepEqual(byTime.map((p) => p.offset), [7n, 7n, 7n]);
  const late = await admin.resetOffsets(GROUP, { topics: [{ topic: 'orders', partitions: [1] }], to: { timestampMs: BASE_MS + 10_000_000 } });
  assert.deepEqual(late.map((p) => p.offset), [10n], 'no record that late: the log end');

  await admin.resetOffsets(GROUP, { topics: [{ topic: 'orders' }], to: 'latest', execute: true });
  assert.deepEqual((await admin.describeGroupLag(GROUP)).partitions.map((p) => p.lag), [0n, 0n, 0n]);
});

test('deleteOffsets removes one partition\'s committed offset', async () => {
  const results = await admin.deleteOffsets(GROUP, [{ topic: 'orders', partition: 2 }]);
  assert.deepEqual(results.map((r) => [r.partition, r.error]), [[2, null]]);
  assert.deepEqual((await admin.fetchOffsets(GROUP)).map((c) => c.partition), [0, 1]);
});

test('deleteGroups deletes the empty group; a missing group is reported, not thrown', async () => {
  const [deleted, missing] = await admin.deleteGroups([GROUP, 'no-such-group']);
  assert.equal(deleted!.error, null);
  assert.equal(missing!.error?.errorName, 'GROUP_ID_NOT_FOUND');
  const [g] = await admin.describeGroups([GROUP]);
  assert.equal(g!.state, 'Dead');
  assert.deepEqual(await admin.fetchOffsets(GROUP), []);
  assert.equal((await admin.listGroups()).some((x) => x.groupId === GROUP), false);
});
