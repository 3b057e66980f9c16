/**
 * Groups and committed offsets live in `__consumer_offsets`: after a broker restart on the same
 * data dir the shards replay their partitions, and committed offsets, classic groups (empty or
 * with members) and KIP-848 consumer groups come back. A KafkaJS consumer resumes where its group
 * left off. Also measures how long loading takes for a partition of many offset commits.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import {
  ApiKey, ConsumerGroupDescribeRequest, type ConsumerGroupDescribeResponse, ConsumerGroupHeartbeatRequest, type ConsumerGroupHeartbeatResponse,
  DescribeGroupsRequest, type DescribeGroupsResponse, ErrorCode, FindCoordinatorRequest, type FindCoordinatorResponse, JoinGroupRequest,
  type JoinGroupResponse, ListGroupsRequest, type ListGroupsResponse, OffsetCommitRequest, type OffsetCommitResponse, OffsetFetchRequest,
  type OffsetFetchResponse, SyncGroupRequest, type SyncGroupResponse,
} from '../../src/protocol/index.js';
import { partitionForGroup } from '../../src/broker/group-coordinator/index.js';
import { withTimeout } from '../interop/clients.js';
import { missing } from './missing-client.js';
import { RawClient, createTopic } from './raw-client.js';

const TIMEOUT = { timeout: 45_000 };
const CONFIG = { 'group.initial.rebalance.delay.ms': '0' };

let dataDir: string;
let broker: TestBroker | undefined;
let client: RawClient | undefined;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'samsa-groups-restart-'));
});
after(async () => {
  client?.close();
  await broker?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function start(): Promise<RawClient> {
  broker = await startBroker({ dataDir, config: CONFIG });
  client = await RawClient.connect('127.0.0.1', broker.port);
  return client;
}

async function restart(): Promise<{ client: RawClient; loadMs: number }> {
  client?.close();
  await broker!.stop();
  const started = performance.now();
  const c = await start();
  await broker!.broker.services.groupCoordinator.whenLoaded();
  return { client: c, loadMs: performance.now() - started };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function committed(c: RawClient, groupId: string, topic: string, partitions: number[]): Promise<bigint[]> {
  const r = await c.request<OffsetFetchResponse>(ApiKey.OffsetFetch, 8, {
    ...OffsetFetchRequest.defaults(), groups: [{ groupId, memberId: null, memberEpoch: -1, topics: [{ name: topic, partitionIndexes: partitions }] }],
  });
  assert.equal(r.groups[0]!.errorCode, ErrorCode.NONE);
  return r.groups[0]!.topics[0]!.partitions.map((p) => p.committedOffset);
}

async function describe(c: RawClient, groupId: string): Promise<DescribeGroupsResponse['groups'][number]> {
  return (await c.request<DescribeGroupsResponse>(ApiKey.DescribeGroups, 5, { ...DescribeGroupsRequest.defaults(), groups: [groupId] })).groups[0]!;
}

interface KafkajsLike {
  Kafka: new (config: object) => {
    producer(): { connect(): Promise<void>; send(r: object): Promise<unknown>; disconnect(): Promise<void> };
    consumer(config: object): { connect(): Promise<void>; subscribe(s: object): Promise<void>; run(r: object): Promise<void>; disconnect(): Promise<void> };
  };
  logLevel: Record<string, number>;
}

async function consumeWithKafkajs(kafkajs: KafkajsLike, topic: string, groupId: string, expected: number): Promise<string[]> {
  const kafka = new kafkajs.Kafka({ clientId: 'kjs-restart', brokers: [broker!.bootstrap], logLevel: kafkajs.logLevel.NOTHING!, retry: { initialRetryTime: 50, retries: 20 } });
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 100, maxWaitTimeInMs: 100 });
  const got: string[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ autoCommitThreshold: 1, eachMessage: async ({ message }: { message: { value: Buffer | null } }) => { got.push(message.value?.toString() ?? ''); } });
    const deadline = Date.now() + 15_000;
    while (got.length < expected && Date.now() < deadline) await sleep(25);
    await sleep(300);
  } finally {
    await withTimeout(consumer.disconnect(), 10_000, 'kafkajs disconnect').catch(() => undefined);
  }
  return got;
}

async function produce(kafkajs: KafkajsLike, topic: string, values: string[]): Promise<void> {
  const producer = new kafkajs.Kafka({ clientId: 'kjs-restart', brokers: [broker!.bootstrap], logLevel: kafkajs.logLevel.NOTHING! }).producer();
  await producer.connect();
  await producer.send({ topic, messages: values.map((value, i) => ({ partition: i % 6, value })) });
  await producer.disconnect();
}

test('after a restart on the same data dir committed offsets and groups come back; a KafkaJS consumer resumes from its commits', TIMEOUT, async (t) => {
  let kafkajs: KafkajsLike;
  try {
    kafkajs = ((await import('kafkajs')) as unknown as { default: KafkajsLike }).default;
  } catch {
    return missing(t, 'kafkajs');
  }
  let c = await start();
  await createTopic(c, 'events', 6);
  await produce(kafkajs, 'events', Array.from({ length: 60 }, (_, i) => `before-${i}`));
  const first = await consumeWithKafkajs(kafkajs, 'events', 'resume-group', 60);
  assert.equal(new Set(first).size, 60);
  assert.deepEqual(await committed(c, 'resume-group', 'events', [0, 1, 2, 3, 4, 5]), Array(6).fill(10n));

  // A classic group with a live member, and a KIP-848 consumer group with one.
  const joinAs = (memberId: string) => c.request<JoinGroupResponse>(ApiKey.JoinGroup, 9, {
    ...JoinGroupRequest.defaults(), groupId: 'live-classic', sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 30_000, memberId, protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.from('subscription') }],
  });
  const join = await joinAs((await joinAs('')).memberId);
  assert.equal(join.errorCode, ErrorCode.NONE);
  const sync = await c.request<SyncGroupResponse>(ApiKey.SyncGroup, 5, {
    ...SyncGroupRequest.defaults(), groupId: 'live-classic', generationId: join.generationId, memberId: join.memberId, protocolType: 'consumer', protocolName: 'range',
    assignments: [{ memberId: join.memberId, assignment: Buffer.from('assignment') }],
  });
  assert.equal(sync.errorCode, ErrorCode.NONE);
  const heartbeat = await c.request<ConsumerGroupHeartbeatResponse>(ApiKey.ConsumerGroupHeartbeat, 0, {
    ...ConsumerGroupHeartbeatRequest.defaults(), groupId: 'live-848', memberId: '', memberEpoch: 0, rebalanceTimeoutMs: 30_000, subscribedTopicNames: ['events'], topicPartitions: [],
  });
  assert.equal(heartbeat.errorCode, ErrorCode.NONE, heartbeat.errorMessage ?? '');
  assert.ok(heartbeat.memberId);

  ({ client: c } = await restart());
  assert.deepEqual(await committed(c, 'resume-group', 'events', [0, 1, 2, 3, 4, 5]), Array(6).fill(10n));
  const resumed = await describe(c, 'resume-group');
  assert.deepEqual([resumed.errorCode, resumed.groupState, resumed.protocolType, resumed.members.length], [0, 'Empty', 'consumer', 0]);
  const live = await describe(c, 'live-classic');
  assert.deepEqual([live.groupState, live.protocolData, live.members.map((m) => m.memberId)], ['Stable', 'range', [join.memberId]]);
  assert.equal(live.members[0]!.memberAssignment.toString(), 'assignment');
  const cg = await c.request<ConsumerGroupDescribeResponse>(ApiKey.ConsumerGroupDescribe, 0, { ...ConsumerGroupDescribeRequest.defaults(), groupIds: ['live-848'] });
  assert.equal(cg.groups[0]!.errorCode, ErrorCode.NONE);
  assert.deepEqual(cg.groups[0]!.members.map((m) => [m.memberId, m.subscribedTopicNames]), [[heartbeat.memberId, ['events']]]);
  const listed = await c.request<ListGroupsResponse>(ApiKey.ListGroups, 5, ListGroupsRequest.defaults());
  assert.deepEqual(listed.groups.map((g) => [g.groupId, g.groupType]).sort(), [['live-848', 'consumer'], ['live-classic', 'classic'], ['resume-group', 'classic']]);

  await produce(kafkajs, 'events', Array.from({ length: 6 }, (_, i) => `after-${i}`));
  const second = await consumeWithKafkajs(kafkajs, 'events', 'resume-group', 6);
  assert.deepEqual(second.sort(), Array.from({ length: 6 }, (_, i) => `after-${i}`));
  assert.deepEqual(await committed(c, 'resume-group', 'events', [0, 1, 2, 3, 4, 5]), Array(6).fill(11n));
});

test('loading a partition of many offset commits: every commit is back after the restart (timing reported)', TIMEOUT, async (t) => {
  const topic = 'wide';
  const first = client ?? await start();
  const partitions = 100;
  const rounds = 300;
  await createTopic(first, topic, partitions);
  const find = await first.request<FindCoordinatorResponse>(ApiKey.FindCoordinator, 4, { ...FindCoordinatorRequest.defaults(), keyType: 0, coordinatorKeys: ['bulk'] });
  assert.equal(find.coordinators[0]!.errorCode, ErrorCode.NONE);
  const indexes = Array.from({ length: partitions }, (_, i) => i);
  const writeStarted = performance.now();
  for (let round = 1; round <= rounds; round++) {
    const r = await first.request<OffsetCommitResponse>(ApiKey.OffsetCommit, 9, {
      ...OffsetCommitRequest.defaults(), groupId: 'bulk', generationIdOrMemberEpoch: -1, memberId: '',
      topics: [{ name: topic, partitions: indexes.map((p) => ({ partitionIndex: p, committedOffset: BigInt(round * 1000 + p), committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: 'x'.repeat(20) })) }],
    });
    assert.ok(r.topics.every((x) => x.partitions.every((p) => p.errorCode === 0)));
  }
  const writeMs = performance.now() - writeStarted;
  const shard = partitionForGroup('bulk', 50);
  const { client: c, loadMs } = await restart();
  const report = broker!.broker.services.groupCoordinator.loadReports().get(shard);
  assert.ok(report && report.records >= partitions * rounds, `loaded ${report?.records} records`);
  assert.deepEqual(await committed(c, 'bulk', topic, indexes), indexes.map((p) => BigInt(rounds * 1000 + p)));
  t.diagnostic(`${partitions * rounds} offset commits written in ${Math.round(writeMs)} ms (${rounds} requests); restart ${Math.round(loadMs)} ms; ` +
    `partition ${shard} loaded ${report.records} records / ${report.batches} batches / ${report.bytes} bytes in ${report.durationMs.toFixed(1)} ms`);
});
