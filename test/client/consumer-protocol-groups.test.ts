/**
 * A KIP-848 consumer group (ConsumerGroupHeartbeat, joined by @platformatic/kafka with
 * groupProtocol "consumer") as the admin sees it: ConsumerGroupDescribe for members and
 * assignments, ListGroups type "consumer".
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Consumer, stringDeserializers } from '@platformatic/kafka';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { Admin } from '../../src/client/index.js';
import { createTopic, kafkajsClient, produce } from './helpers.js';

const GROUP = 'kip848-readers';
let broker: TestBroker;
let admin: Admin;
let consumer: Consumer<string, string, string, string> | null = null;
let stream: Awaited<ReturnType<Consumer<string, string, string, string>['consume']>> | null = null;

before(async () => {
  broker = await startBroker({ inMemory: true, config: { 'offsets.topic.num.partitions': '3' } });
  const kafka = kafkajsClient(broker.bootstrap);
  await createTopic(kafka, 'events', 2);
  await produce(kafka, 'events', [0, 1], 3, 1_700_000_000_000);
  admin = new Admin({ bootstrapServers: broker.bootstrap });
  consumer = new Consumer({
    clientId: 'plt-reader', bootstrapBrokers: [broker.bootstrap], groupId: GROUP, groupProtocol: 'consumer',
    maxWaitTime: 100, deserializers: stringDeserializers,
  });
  stream = await consumer.consume({ topics: ['events'], mode: 'committed', fallbackMode: 'earliest', autocommit: false });
  let seen = 0;
  for await (const m of stream) {
    await m.commit();
    if (++seen === 6) break;
  }
});

after(async () => {
  await stream?.close().catch(() => undefined);
  await consumer?.close().catch(() => undefined);
  await admin?.close();
  await broker?.stop();
});

test('a consumer-protocol group is listed with type "consumer" and described with its assignment', async () => {
  const listed = (await admin.listGroups()).find((g) => g.groupId === GROUP);
  assert.equal(listed?.type, 'consumer');
  const [g] = await admin.describeGroups([GROUP]);
  assert.equal(g!.type, 'consumer');
  assert.equal(g!.members.length, 1);
  assert.equal(g!.members[0]!.clientId, 'plt-reader');
  assert.deepEqual(g!.members[0]!.assignment, [{ topic: 'events', partition: 0 }, { topic: 'events', partition: 1 }]);
  const lag = await admin.describeGroupLag(GROUP);
  assert.deepEqual(lag.partitions.map((p) => [p.partition, p.committedOffset, p.logEndOffset, p.lag]), [[0, 3n, 3n, 0n], [1, 3n, 3n, 0n]]);
});
