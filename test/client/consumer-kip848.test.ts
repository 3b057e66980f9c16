/**
 * The Samsa consumer with group.protocol=consumer (KIP-848): members reconcile the broker's
 * assignments, a leaving member's partitions move, and a @platformatic/kafka member shares the group.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Consumer as PlatformaticConsumer, stringDeserializers } from '@platformatic/kafka';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { Admin, Consumer, Producer } from '../../src/client/index.js';

let broker: TestBroker;
let admin: Admin;

before(async () => {
  broker = await startBroker({ inMemory: true, config: { 'offsets.topic.num.partitions': '3', 'group.consumer.heartbeat.interval.ms': '500' } });
  admin = new Admin({ bootstrapServers: broker.bootstrap });
});

after(async () => {
  await admin.close();
  await broker.stop();
});

function member(groupId: string, assignor?: string): Consumer {
  return new Consumer({
    bootstrapServers: broker.bootstrap, groupId, groupProtocol: 'consumer', autoOffsetReset: 'earliest', autoCommitIntervalMs: 100,
    ...(assignor ? { groupRemoteAssignor: assignor } : {}),
  });
}

for (const assignor of ['uniform', 'range']) {
  test(`two KIP-848 members (${assignor}) split six partitions; when one leaves the other gets them all and nothing is skipped`, async () => {
    const topic = `kip848-${assignor}`;
    await admin.createTopics([{ name: topic, numPartitions: 6 }]);
    const producer = new Producer({ bootstrapServers: broker.bootstrap });
    await Promise.all(Array.from({ length: 600 }, (_, i) => producer.send({ topic, partition: i % 6, value: String(i) })));
    const a = member(`g848-${assignor}`, assignor);
    const b = member(`g848-${assignor}`, assignor);
    a.subscribe([topic]);
    b.subscribe([topic]);
    const seen = new Set<string>();
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (seen.size < 600 || a.assignment().length !== 3 || b.assignment().length !== 3)) {
      for (const r of [...await a.poll(50), ...await b.poll(50)]) seen.add(r.value!.toString());
    }
    assert.equal(seen.size, 600);
    assert.equal(a.assignment().length, 3);
    assert.equal(b.assignment().length, 3);
    await b.close();
    await Promise.all(Array.from({ length: 600 }, (_, i) => producer.send({ topic, partition: i % 6, value: String(600 + i) })));
    await producer.close();
    const deadline2 = Date.now() + 20_000;
    while (Date.now() < deadline2 && (seen.size < 1200 || a.assignment().length !== 6)) for (const r of await a.poll(100)) seen.add(r.value!.toString());
    assert.equal(seen.size, 1200);
    assert.equal(a.assignment().length, 6);
    await a.commit();
    const committed = await a.committed(a.assignment());
    assert.deepEqual(committed.map((c) => c.offset), [200n, 200n, 200n, 200n, 200n, 200n]);
    await a.close();
  });
}

test('a Samsa KIP-848 member and a @platformatic/kafka member share a group', async () => {
  await admin.createTopics([{ name: 'kip848-mixed', numPartitions: 4 }]);
  const producer = new Producer({ bootstrapServers: broker.bootstrap });
  await Promise.all(Array.from({ length: 400 }, (_, i) => producer.send({ topic: 'kip848-mixed', partition: i % 4, value: String(i) })));
  await producer.close();
  const theirs = new PlatformaticConsumer({
    clientId: 'plt-member', bootstrapBrokers: [broker.bootstrap], groupId: 'kip848-mixed-group', groupProtocol: 'consumer',
    maxWaitTime: 100, deserializers: stringDeserializers,
  });
  const stream = await theirs.consume({ topics: ['kip848-mixed'], mode: 'committed', fallbackMode: 'earliest', autocommit: 100 });
  const seen = new Set<string>();
  const theirPartitions = new Set<number>();
  stream.on('data', (m: { partition: number; value: string }) => { theirPartitions.add(m.partition); seen.add(m.value); });
  const ours = member('kip848-mixed-group');
  ours.subscribe(['kip848-mixed']);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && (seen.size < 400 || ours.assignment().length !== 2)) for (const r of await ours.poll(100)) seen.add(r.value!.toString());
  assert.equal(seen.size, 400);
  assert.equal(ours.assignment().length, 2, 'the broker gives each of the two members two partitions');
  await ours.close();
  await stream.close();
  await theirs.close();
});
