/**
 * Consumer groups with real clients, in process, against a testkit broker: two KafkaJS consumers
 * (the classic protocol) share a 6-partition topic and commit; a @platformatic/kafka consumer
 * joins with the KIP-848 consumer protocol, gets every partition assigned by the broker and
 * commits. A missing client skips its test (fails it under SAMSA_TEST_REQUIRE_INTEROP=1).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import {
  ApiKey, ConsumerGroupDescribeRequest, type ConsumerGroupDescribeResponse, DescribeGroupsRequest, type DescribeGroupsResponse, ErrorCode,
  ListGroupsRequest, type ListGroupsResponse, OffsetFetchRequest, type OffsetFetchResponse,
} from '../../src/protocol/index.js';
import { withTimeout } from '../interop/clients.js';
import { missing } from './missing-client.js';
import { RawClient, createTopic } from './raw-client.js';

const TIMEOUT = { timeout: 40_000 };
const PARTITIONS = 6;

let broker: TestBroker;
let client: RawClient;

before(async () => {
  broker = await startBroker({ config: { 'group.initial.rebalance.delay.ms': '0' } });
  client = await RawClient.connect('127.0.0.1', broker.port);
});
after(async () => {
  client?.close();
  await broker?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

async function committed(groupId: string, topic: string): Promise<bigint[]> {
  const r = await client.request<OffsetFetchResponse>(ApiKey.OffsetFetch, 9, {
    ...OffsetFetchRequest.defaults(),
    groups: [{ groupId, memberId: null, memberEpoch: -1, topics: [{ name: topic, partitionIndexes: [0, 1, 2, 3, 4, 5] }] }],
  });
  assert.equal(r.groups[0]!.errorCode, ErrorCode.NONE);
  return r.groups[0]!.topics[0]!.partitions.map((p) => p.committedOffset);
}

async function describe(groupId: string): Promise<DescribeGroupsResponse['groups'][number]> {
  const r = await client.request<DescribeGroupsResponse>(ApiKey.DescribeGroups, 5, { ...DescribeGroupsRequest.defaults(), groups: [groupId] });
  return r.groups[0]!;
}

interface KafkajsLike {
  Kafka: new (config: object) => {
    producer(): { connect(): Promise<void>; send(r: object): Promise<unknown>; disconnect(): Promise<void> };
    consumer(config: object): KafkajsConsumer;
  };
  logLevel: Record<string, number>;
}
interface KafkajsConsumer {
  connect(): Promise<void>;
  subscribe(s: object): Promise<void>;
  run(r: object): Promise<void>;
  disconnect(): Promise<void>;
  on(event: string, listener: (e: { payload: { memberId: string; memberAssignment: Record<string, number[]> } }) => void): void;
  events: Record<string, string>;
}

test('KafkaJS: two consumers share a 6-partition topic (3 partitions each), read everything once and commit', TIMEOUT, async (t) => {
  let kafkajs: KafkajsLike;
  try {
    kafkajs = ((await import('kafkajs')) as unknown as { default: KafkajsLike }).default;
  } catch {
    return missing(t, 'kafkajs');
  }
  const topic = 'kjs-orders';
  await createTopic(client, topic, PARTITIONS);
  const kafka = new kafkajs.Kafka({ clientId: 'kjs', brokers: [broker.bootstrap], logLevel: kafkajs.logLevel.NOTHING!, retry: { initialRetryTime: 50, retries: 20 } });
  const assignments = new Map<string, number[]>();
  const received = new Map<string, { partition: number; value: string }[]>();
  const consumers = ['one', 'two'].map((name) => {
    const consumer = kafka.consumer({ groupId: 'kjs-group', sessionTimeout: 10_000, rebalanceTimeout: 10_000, heartbeatInterval: 100, maxWaitTimeInMs: 100 });
    consumer.on(consumer.events.GROUP_JOIN!, (e) => assignments.set(name, [...(e.payload.memberAssignment[topic] ?? [])].sort()));
    received.set(name, []);
    return { name, consumer };
  });
  try {
    await Promise.all(consumers.map(async ({ name, consumer }) => {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommitThreshold: 1,
        eachMessage: async ({ partition, message }: { partition: number; message: { value: Buffer | null } }) => {
          received.get(name)!.push({ partition, value: message.value?.toString() ?? '' });
        },
      });
    }));
    await until('a 3/3 split', () => [...assignments.values()].map((a) => a.length).join() === '3,3');
    const [a, b] = [assignments.get('one')!, assignments.get('two')!];
    assert.deepEqual([...a, ...b].sort(), [0, 1, 2, 3, 4, 5]);
    await until('a stable group of two', async () => {
      const g = await describe('kjs-group');
      return g.groupState === 'Stable' && g.members.length === 2;
    });

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 60 }, (_, i) => ({ partition: i % PARTITIONS, value: `m${i}` })) });
    await producer.disconnect();
    await until('60 messages', () => received.get('one')!.length + received.get('two')!.length >= 60);
    await sleep(200);
    const all = [...received.get('one')!, ...received.get('two')!];
    assert.equal(all.length, 60, 'each message read once');
    assert.deepEqual(new Set(all.map((m) => m.value)).size, 60);
    for (const [name, partitions] of assignments) {
      assert.ok(received.get(name)!.every((m) => partitions.includes(m.partition)), `${name} read only its partitions`);
    }
    await until('commits of 10 per partition', async () => (await committed('kjs-group', topic)).every((o) => o === 10n));

    const group = await describe('kjs-group');
    assert.deepEqual([group.protocolType, group.protocolData, group.members.length], ['consumer', 'RoundRobinAssigner', 2]);
    const listed = await client.request<ListGroupsResponse>(ApiKey.ListGroups, 5, ListGroupsRequest.defaults());
    assert.deepEqual(listed.groups.filter((g) => g.groupId === 'kjs-group').map((g) => [g.groupState, g.groupType]), [['Stable', 'classic']]);
  } finally {
    await Promise.all(consumers.map(({ consumer }) => withTimeout(consumer.disconnect(), 10_000, 'kafkajs disconnect').catch(() => undefined)));
  }
  const left = await describe('kjs-group');
  assert.deepEqual([left.groupState, left.members.length], ['Empty', 0]);
  assert.deepEqual(await committed('kjs-group', topic), Array(PARTITIONS).fill(10n));
});

interface PltConsumer {
  assignments: { topic: string; partitions: number[] }[] | null;
  consume(o: object): Promise<AsyncIterable<{ partition: number; value: string | undefined; commit(): Promise<void> }> & { close(): Promise<void> }>;
  close(): Promise<void>;
}
interface PltModule {
  Consumer: new (o: object) => PltConsumer;
  Producer: new (o: object) => { send(o: object): Promise<unknown>; close(): Promise<void> };
  stringSerializers: object;
  stringDeserializers: object;
}

test('@platformatic/kafka: a KIP-848 consumer (groupProtocol consumer) is assigned every partition by the broker and commits', TIMEOUT, async (t) => {
  let plt: PltModule;
  try {
    plt = (await import('@platformatic/kafka')) as unknown as PltModule;
  } catch {
    return missing(t, '@platformatic/kafka');
  }
  const topic = 'plt-orders';
  await createTopic(client, topic, PARTITIONS);
  const common = { clientId: 'plt', bootstrapBrokers: [broker.bootstrap], retries: 20, retryDelay: 50 };
  const producer = new plt.Producer({ ...common, serializers: plt.stringSerializers });
  await producer.send({ messages: Array.from({ length: 30 }, (_, i) => ({ topic, partition: i % PARTITIONS, value: `p${i}` })) });
  await producer.close();

  const consumer = new plt.Consumer({ ...common, groupId: 'plt-group', groupProtocol: 'consumer', maxWaitTime: 100, deserializers: plt.stringDeserializers });
  const got: string[] = [];
  try {
    await withTimeout((async () => {
      const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
      try {
        for await (const m of stream) {
          got.push(m.value ?? '');
          await m.commit();
          if (got.length >= 30) break;
        }
      } finally {
        await stream.close();
      }
    })(), 25_000, '@platformatic/kafka consume');
    assert.equal(new Set(got).size, 30);
    assert.deepEqual(consumer.assignments?.flatMap((a) => a.partitions).sort(), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(await committed('plt-group', topic), Array(PARTITIONS).fill(5n));
    const described = await client.request<ConsumerGroupDescribeResponse>(ApiKey.ConsumerGroupDescribe, 0, { ...ConsumerGroupDescribeRequest.defaults(), groupIds: ['plt-group'] });
    const group = described.groups[0]!;
    assert.deepEqual([group.errorCode, group.groupState, group.members.length, group.assignorName], [0, 'Stable', 1, 'uniform']);
    assert.deepEqual(group.members[0]!.assignment.topicPartitions.flatMap((tp) => tp.partitions).sort(), [0, 1, 2, 3, 4, 5]);
    const listed = await client.request<ListGroupsResponse>(ApiKey.ListGroups, 5, { ...ListGroupsRequest.defaults(), typesFilter: ['consumer'] });
    assert.deepEqual(listed.groups.map((g) => [g.groupId, g.groupType]), [['plt-group', 'consumer']]);
  } finally {
    await withTimeout(consumer.close(), 10_000, '@platformatic/kafka close').catch(() => undefined);
  }
  await until('the member left', async () => {
    const r = await client.request<ConsumerGroupDescribeResponse>(ApiKey.ConsumerGroupDescribe, 0, { ...ConsumerGroupDescribeRequest.defaults(), groupIds: ['plt-group'] });
    return r.groups[0]!.groupState === 'Empty';
  });
  assert.equal((await describe('plt-group')).groupState, 'Dead', 'DescribeGroups describes classic groups only, as Kafka');
});
