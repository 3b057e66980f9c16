/**
 * The group coordinator of a real broker (testkit), over the wire: FindCoordinator at every
 * version (creating `__consumer_offsets` on first use), Kafka's error codes for bad input,
 * simple offset commits and fetches, and a KafkaJS consumer group of two members sharing a
 * 6-partition topic.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import {
  ApiKey, ApiVersionsRequest, type ApiVersionsResponse, ConsumerGroupDescribeRequest, DeleteTopicsRequest, type DeleteTopicsResponse, type ConsumerGroupDescribeResponse, DeleteGroupsRequest, type DeleteGroupsResponse,
  type DescribeGroupsResponse, ErrorCode, FindCoordinatorRequest, type FindCoordinatorResponse, HeartbeatRequest, type HeartbeatResponse,
  JoinGroupRequest, type JoinGroupResponse, LeaveGroupRequest, type LeaveGroupResponse, ListGroupsRequest, type ListGroupsResponse,
  MetadataRequest, type MetadataResponse, OffsetCommitRequest, type OffsetCommitResponse, OffsetDeleteRequest, type OffsetDeleteResponse,
  OffsetFetchRequest, type OffsetFetchResponse, SyncGroupRequest, type SyncGroupResponse, ZERO_UUID,
} from '../../src/protocol/index.js';
import { partitionForGroup } from '../../src/broker/group-coordinator/index.js';
import { RawClient, createTopic } from './raw-client.js';

let broker: TestBroker;
let client: RawClient;

before(async () => {
  broker = await startBroker({ config: { 'group.initial.rebalance.delay.ms': '0', 'num.partitions': '1' } });
  client = await RawClient.connect('127.0.0.1', broker.port);
  await createTopic(client, 'orders', 6);
});
after(async () => {
  client?.close();
  await broker?.stop();
});

const services = () => broker.broker.services;

function commitRequest(groupId: string, topics: [string, number[], bigint][], extra: Partial<OffsetCommitRequest> = {}): OffsetCommitRequest {
  return {
    ...OffsetCommitRequest.defaults(), groupId, generationIdOrMemberEpoch: -1, memberId: '', ...extra,
    topics: topics.map(([name, partitions, offset]) => ({
      name,
      partitions: partitions.map((partitionIndex) => ({ partitionIndex, committedOffset: offset, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: `m${partitionIndex}` })),
    })),
  };
}

const codes = (r: OffsetCommitResponse | OffsetDeleteResponse) =>
  r.topics.flatMap((t) => t.partitions.map((p) => `${t.name}-${p.partitionIndex}:${p.errorCode}`)).sort();

test('FindCoordinator v0-v6: __consumer_offsets is created on first use, internal, with 50 compacted partitions; the group coordinator is this broker', async () => {
  assert.equal(services().metadata.image.topicsByName.has('__consumer_offsets'), false);
  const { host, port } = services().advertisedEndpoints()[0]!;
  for (let version = 0; version <= 3; version++) {
    const r = await client.request<FindCoordinatorResponse>(ApiKey.FindCoordinator, version, { ...FindCoordinatorRequest.defaults(), key: `group-v${version}`, keyType: 0 });
    assert.deepEqual([r.errorCode, r.nodeId, r.host, r.port], [ErrorCode.NONE, 1, host, port], `v${version}`);
  }
  for (let version = 4; version <= 6; version++) {
    const r = await client.request<FindCoordinatorResponse>(ApiKey.FindCoordinator, version, { ...FindCoordinatorRequest.defaults(), keyType: 0, coordinatorKeys: ['a', '', 'ÅÄÖ-group'] });
    assert.deepEqual(r.coordinators.map((c) => [c.key, c.errorCode, c.nodeId, c.host, c.port]), [
      ['a', 0, 1, host, port], ['', 0, 1, host, port], ['ÅÄÖ-group', 0, 1, host, port],
    ], `v${version}`);
  }
  const md = await client.request<MetadataResponse>(ApiKey.Metadata, 12, { ...MetadataRequest.defaults(), topics: [{ topicId: ZERO_UUID, name: '__consumer_offsets' }] });
  assert.equal(md.topics[0]!.isInternal, true);
  assert.equal(md.topics[0]!.partitions.length, 50);
  assert.deepEqual(Object.fromEntries(services().metadata.image.topicConfigs.get('__consumer_offsets') ?? []), {
    'cleanup.policy': 'compact', 'compression.type': 'producer', 'segment.bytes': String(100 * 1024 * 1024),
  });
  await services().groupCoordinator.whenLoaded();
  assert.equal(services().groupCoordinator.loadReports().size, 50);
});

test('FindCoordinator: unknown key types are INVALID_REQUEST (transaction keys: test/broker/transactions-coordinator.test.ts)', async () => {
  const v6 = await client.request<FindCoordinatorResponse>(ApiKey.FindCoordinator, 6, { ...FindCoordinatorRequest.defaults(), keyType: 7, coordinatorKeys: ['x', 'y'] });
  assert.deepEqual(v6.coordinators.map((c) => [c.key, c.errorCode]), [['x', ErrorCode.INVALID_REQUEST], ['y', ErrorCode.INVALID_REQUEST]]);
  const share = await client.request<FindCoordinatorResponse>(ApiKey.FindCoordinator, 6, { ...FindCoordinatorRequest.defaults(), keyType: 2, coordinatorKeys: ['s'] });
  assert.equal(share.coordinators[0]!.errorCode, ErrorCode.INVALID_REQUEST);
});

test('bad input gets Kafka\'s error codes: empty group ids, session timeouts out of range, unknown topics and partitions', async () => {
  const join = (body: Partial<JoinGroupRequest>) => client.request<JoinGroupResponse>(ApiKey.JoinGroup, 9, {
    ...JoinGroupRequest.defaults(), sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.alloc(0) }], ...body,
  });
  assert.equal((await join({ groupId: '' })).errorCode, ErrorCode.INVALID_GROUP_ID);
  assert.equal((await join({ groupId: 'g', sessionTimeoutMs: 5999 })).errorCode, ErrorCode.INVALID_SESSION_TIMEOUT);
  assert.equal((await join({ groupId: 'g', sessionTimeoutMs: 1_800_001 })).errorCode, ErrorCode.INVALID_SESSION_TIMEOUT);
  const heartbeat = await client.request<HeartbeatResponse>(ApiKey.Heartbeat, 4, { ...HeartbeatRequest.defaults(), groupId: '' });
  assert.equal(heartbeat.errorCode, ErrorCode.INVALID_GROUP_ID);
  const sync = await client.request<SyncGroupResponse>(ApiKey.SyncGroup, 5, { ...SyncGroupRequest.defaults(), groupId: '', protocolType: 'consumer', protocolName: 'range' });
  assert.equal(sync.errorCode, ErrorCode.INVALID_GROUP_ID);
  const syncNoProtocol = await client.request<SyncGroupResponse>(ApiKey.SyncGroup, 5, { ...SyncGroupRequest.defaults(), groupId: 'g', protocolType: null, protocolName: null });
  assert.equal(syncNoProtocol.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  const leave = await client.request<LeaveGroupResponse>(ApiKey.LeaveGroup, 5, { ...LeaveGroupRequest.defaults(), groupId: '', members: [] });
  assert.equal(leave.errorCode, ErrorCode.INVALID_GROUP_ID);
  const offsetDelete = await client.request<OffsetDeleteResponse>(ApiKey.OffsetDelete, 0, { ...OffsetDeleteRequest.defaults(), groupId: '' });
  assert.equal(offsetDelete.errorCode, ErrorCode.INVALID_GROUP_ID);
  const cgDescribe = await client.request<ConsumerGroupDescribeResponse>(ApiKey.ConsumerGroupDescribe, 0, { ...ConsumerGroupDescribeRequest.defaults(), groupIds: [''] });
  assert.equal(cgDescribe.groups[0]!.errorCode, ErrorCode.INVALID_GROUP_ID);

  const commit = await client.request<OffsetCommitResponse>(ApiKey.OffsetCommit, 9, commitRequest('simple', [['orders', [0, 6], 5n], ['no-such-topic', [0], 1n]]));
  assert.deepEqual(codes(commit), [`no-such-topic-0:${ErrorCode.UNKNOWN_TOPIC_OR_PARTITION}`, 'orders-0:0', `orders-6:${ErrorCode.UNKNOWN_TOPIC_OR_PARTITION}`]);
  const onlyUnknown = await client.request<OffsetCommitResponse>(ApiKey.OffsetCommit, 2, commitRequest('simple', [['nope', [1, 2], 1n]]));
  assert.deepEqual(codes(onlyUnknown), [`nope-1:${ErrorCode.UNKNOWN_TOPIC_OR_PARTITION}`, `nope-2:${ErrorCode.UNKNOWN_TOPIC_OR_PARTITION}`]);
  const deleteUnknown = await client.request<OffsetDeleteResponse>(ApiKey.OffsetDelete, 0, { groupId: 'simple', topics: [{ name: 'nope', partitions: [{ partitionIndex: 0 }] }, { name: 'orders', partitions: [{ partitionIndex: 9 }] }] });
  assert.equal(deleteUnknown.errorCode, ErrorCode.NONE);
  assert.deepEqual(codes(deleteUnknown), [`nope-0:${ErrorCode.UNKNOWN_TOPIC_OR_PARTITION}`, `orders-9:${ErrorCode.UNKNOWN_TOPIC_OR_PARTITION}`]);
});

test('simple commits (no member) are fetched back at every OffsetFetch version; v8+ fetches several groups across shards at once', async () => {
  const groups = ['alpha', 'beta', 'gamma', 'delta'];
  assert.ok(new Set(groups.map((g) => partitionForGroup(g, 50))).size > 1, 'the groups live on different shards');
  for (const [i, g] of groups.entries()) {
    const r = await client.request<OffsetCommitResponse>(ApiKey.OffsetCommit, 8, commitRequest(g, [['orders', [0, 1, 2], BigInt(10 + i)]]));
    assert.deepEqual(codes(r), ['orders-0:0', 'orders-1:0', 'orders-2:0']);
  }
  for (let version = 0; version <= 7; version++) {
    const r = await client.request<OffsetFetchResponse>(ApiKey.OffsetFetch, version, {
      ...OffsetFetchRequest.defaults(), groupId: 'beta', topics: [{ name: 'orders', partitionIndexes: [1, 3] }],
    });
    assert.equal(r.errorCode, ErrorCode.NONE, `v${version}`);
    assert.deepEqual(r.topics[0]!.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.errorCode]), [[1, 11n, 0], [3, -1n, 0]], `v${version}`);
    if (version >= 1) assert.equal(r.topics[0]!.partitions[0]!.metadata, 'm1');
  }
  const all = await client.request<OffsetFetchResponse>(ApiKey.OffsetFetch, 7, { ...OffsetFetchRequest.defaults(), groupId: 'gamma', topics: null });
  assert.deepEqual(all.topics.flatMap((t) => t.partitions.map((p) => [t.name, p.partitionIndex, p.committedOffset])).sort(), [['orders', 0, 12n], ['orders', 1, 12n], ['orders', 2, 12n]]);
  const many = await client.request<OffsetFetchResponse>(ApiKey.OffsetFetch, 9, {
    ...OffsetFetchRequest.defaults(),
    groups: groups.map((groupId) => ({ groupId, memberId: null, memberEpoch: -1, topics: [{ name: 'orders', partitionIndexes: [2] }] })),
  });
  assert.deepEqual(many.groups.map((g) => [g.groupId, g.errorCode, g.topics[0]?.partitions[0]?.committedOffset]).sort(), [
    ['alpha', 0, 10n], ['beta', 0, 11n], ['delta', 0, 13n], ['gamma', 0, 12n],
  ]);
  // The records are in __consumer_offsets, on the partition each group hashes to.
  const lookup = services().replicas.lookup('__consumer_offsets', partitionForGroup('alpha', 50));
  assert.ok((lookup.log?.logEndOffset ?? 0n) >= 3n);

  const deleted = await client.request<DeleteGroupsResponse>(ApiKey.DeleteGroups, 2, { ...DeleteGroupsRequest.defaults(), groupsNames: ['delta', 'delta', 'no-such-group'] });
  assert.deepEqual(deleted.results.map((r) => [r.groupId, r.errorCode]).sort(), [['delta', 0], ['no-such-group', ErrorCode.GROUP_ID_NOT_FOUND]]);
  const afterDelete = await client.request<OffsetFetchResponse>(ApiKey.OffsetFetch, 6, { ...OffsetFetchRequest.defaults(), groupId: 'delta', topics: [{ name: 'orders', partitionIndexes: [0] }] });
  assert.equal(afterDelete.topics[0]!.partitions[0]!.committedOffset, -1n);
});

test('a classic group over the raw protocol: join, sync, heartbeat, describe, list, leave', async () => {
  const joinAs = (memberId: string) => client.request<JoinGroupResponse>(ApiKey.JoinGroup, 5, {
    ...JoinGroupRequest.defaults(), groupId: 'raw-group', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId, protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.from('meta') }],
  });
  // From v4 a new member first gets its id with MEMBER_ID_REQUIRED, then joins with it.
  const first = await joinAs('');
  assert.equal(first.errorCode, ErrorCode.MEMBER_ID_REQUIRED);
  assert.match(first.memberId, /^samsa-test-/);
  const join = await joinAs(first.memberId);
  assert.equal(join.errorCode, ErrorCode.NONE);
  assert.equal(join.leader, join.memberId);
  assert.equal(join.generationId, 1);
  const sync = await client.request<SyncGroupResponse>(ApiKey.SyncGroup, 3, {
    ...SyncGroupRequest.defaults(), groupId: 'raw-group', generationId: 1, memberId: join.memberId, assignments: [{ memberId: join.memberId, assignment: Buffer.from('all') }],
  });
  assert.deepEqual([sync.errorCode, sync.assignment.toString()], [0, 'all']);
  const hb = await client.request<HeartbeatResponse>(ApiKey.Heartbeat, 3, { ...HeartbeatRequest.defaults(), groupId: 'raw-group', generationId: 1, memberId: join.memberId });
  assert.equal(hb.errorCode, ErrorCode.NONE);
  const described = await client.request<DescribeGroupsResponse>(ApiKey.DescribeGroups, 5, { groups: ['raw-group', 'unknown-group'], includeAuthorizedOperations: true });
  const raw = described.groups.find((g) => g.groupId === 'raw-group')!;
  assert.deepEqual([raw.errorCode, raw.groupState, raw.protocolType, raw.protocolData, raw.members.length], [0, 'Stable', 'consumer', 'range', 1]);
  assert.equal(raw.members[0]!.clientHost, '/127.0.0.1');
  assert.equal(raw.members[0]!.clientId, 'samsa-test');
  assert.notEqual(raw.authorizedOperations, -2147483648);
  assert.equal(described.groups.find((g) => g.groupId === 'unknown-group')?.groupState, 'Dead');
  const listed = await client.request<ListGroupsResponse>(ApiKey.ListGroups, 4, { ...ListGroupsRequest.defaults(), statesFilter: ['Stable'] });
  assert.equal(listed.errorCode, ErrorCode.NONE);
  assert.deepEqual(listed.groups.map((g) => g.groupId), ['raw-group']);
  const leave = await client.request<LeaveGroupResponse>(ApiKey.LeaveGroup, 1, { ...LeaveGroupRequest.defaults(), groupId: 'raw-group', memberId: join.memberId });
  assert.equal(leave.errorCode, ErrorCode.NONE);
  const afterLeave = await client.request<DescribeGroupsResponse>(ApiKey.DescribeGroups, 0, { groups: ['raw-group'], includeAuthorizedOperations: false });
  assert.equal(afterLeave.groups[0]!.groupState, 'Empty');
});

test('deleting a topic drops the offsets committed for it', async () => {
  await createTopic(client, 'short-lived', 2);
  const commit = await client.request<OffsetCommitResponse>(ApiKey.OffsetCommit, 8, commitRequest('keeper', [['short-lived', [0, 1], 3n], ['orders', [4], 8n]]));
  assert.deepEqual(codes(commit), ['orders-4:0', 'short-lived-0:0', 'short-lived-1:0']);
  const deleted = await client.request<DeleteTopicsResponse>(ApiKey.DeleteTopics, 6, { ...DeleteTopicsRequest.defaults(), topics: [{ name: 'short-lived', topicId: ZERO_UUID }], timeoutMs: 10_000 });
  assert.equal(deleted.responses[0]!.errorCode, ErrorCode.NONE);
  const all = await client.request<OffsetFetchResponse>(ApiKey.OffsetFetch, 7, { ...OffsetFetchRequest.defaults(), groupId: 'keeper', topics: null });
  assert.deepEqual(all.topics.flatMap((t) => t.partitions.map((p) => [t.name, p.partitionIndex, p.committedOffset])), [['orders', 4, 8n]]);
});

test('without the consumer rebalance protocol the KIP-848 APIs are not offered; group requests before __consumer_offsets exists get NOT_COORDINATOR and create it', async () => {
  const classicOnly = await startBroker({ inMemory: true, config: { 'group.coordinator.rebalance.protocols': 'classic', 'offsets.topic.num.partitions': '3' } });
  const c = await RawClient.connect('127.0.0.1', classicOnly.port);
  try {
    const versions = await c.request<ApiVersionsResponse>(ApiKey.ApiVersions, 3, { ...ApiVersionsRequest.defaults(), clientSoftwareName: 't', clientSoftwareVersion: '1' });
    const offered = new Map(versions.apiKeys.map((k) => [k.apiKey, [k.minVersion, k.maxVersion]]));
    assert.equal(offered.has(ApiKey.ConsumerGroupHeartbeat), false);
    assert.equal(offered.has(ApiKey.ConsumerGroupDescribe), false);
    assert.deepEqual(offered.get(ApiKey.FindCoordinator), [0, 6]);
    assert.deepEqual(offered.get(ApiKey.JoinGroup), [0, 9]);
    assert.deepEqual(offered.get(ApiKey.OffsetFetch), [0, 9]);
    const fetched = await c.request<OffsetFetchResponse>(ApiKey.OffsetFetch, 5, { ...OffsetFetchRequest.defaults(), groupId: 'early', topics: null });
    assert.equal(fetched.errorCode, ErrorCode.NOT_COORDINATOR);
    const image = () => classicOnly.broker.services.metadata.image;
    for (let i = 0; i < 200 && !image().topicsByName.has('__consumer_offsets'); i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(image().topicsByName.get('__consumer_offsets')?.partitions.size, 3);
    await classicOnly.broker.services.groupCoordinator.whenLoaded();
    const again = await c.request<OffsetFetchResponse>(ApiKey.OffsetFetch, 5, { ...OffsetFetchRequest.defaults(), groupId: 'early', topics: null });
    assert.equal(again.errorCode, ErrorCode.NONE);
  } finally {
    c.close();
    await classicOnly.stop();
  }
  const defaults = await client.request<ApiVersionsResponse>(ApiKey.ApiVersions, 3, { ...ApiVersionsRequest.defaults(), clientSoftwareName: 't', clientSoftwareVersion: '1' });
  const served = new Map(defaults.apiKeys.map((k) => [k.apiKey, [k.minVersion, k.maxVersion]]));
  assert.deepEqual(served.get(ApiKey.ConsumerGroupHeartbeat), [0, 1]);
  assert.deepEqual(served.get(ApiKey.ConsumerGroupDescribe), [0, 0]);
});

test('stopping the broker answers a JoinGroup still waiting on a rebalance with NOT_COORDINATOR, and does not wait for it', async () => {
  const b = await startBroker({ inMemory: true, config: { 'group.initial.rebalance.delay.ms': '0' } });
  const c = await RawClient.connect('127.0.0.1', b.port);
  const joinAs = (memberId: string) => c.request<JoinGroupResponse>(ApiKey.JoinGroup, 5, {
    ...JoinGroupRequest.defaults(), groupId: 'waiting', sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 30_000, memberId, protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
  });
  try {
    await c.request<FindCoordinatorResponse>(ApiKey.FindCoordinator, 3, { ...FindCoordinatorRequest.defaults(), key: 'waiting' });
    const first = await joinAs((await joinAs('')).memberId);
    assert.equal(first.errorCode, ErrorCode.NONE);
    // A second member: its join waits until the first one rejoins (up to the rebalance timeout).
    const second = joinAs((await joinAs('')).memberId);
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    await b.stop();
    assert.ok(performance.now() - started < 5000, `stop took ${performance.now() - started} ms`);
    assert.equal((await second).errorCode, ErrorCode.NOT_COORDINATOR);
  } finally {
    c.close();
  }
});

test('while __consumer_offsets is being created, other connections are told to wait (never NOT_COORDINATOR) and FindCoordinator waits for the shards', async () => {
  const b = await startBroker({ config: { 'offsets.topic.num.partitions': '20' } });
  const c1 = await RawClient.connect('127.0.0.1', b.port);
  const c2 = await RawClient.connect('127.0.0.1', b.port);
  const c3 = await RawClient.connect('127.0.0.1', b.port);
  try {
    const image = () => b.broker.services.metadata.image;
    const creating = c1.request<FindCoordinatorResponse>(ApiKey.FindCoordinator, 3, { ...FindCoordinatorRequest.defaults(), key: 'early' });
    while (!image().topicsByName.has('__consumer_offsets')) await new Promise((r) => setImmediate(r));
    const [found, fetched] = await Promise.all([
      c2.request<FindCoordinatorResponse>(ApiKey.FindCoordinator, 3, { ...FindCoordinatorRequest.defaults(), key: 'early' }),
      c3.request<OffsetFetchResponse>(ApiKey.OffsetFetch, 6, { ...OffsetFetchRequest.defaults(), groupId: 'early', topics: null }),
    ]);
    assert.ok([ErrorCode.NONE, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS].includes(fetched.errorCode as 0 | 14), `OffsetFetch got ${fetched.errorCode}`);
    assert.equal(found.errorCode, ErrorCode.NONE);
    assert.equal((await creating).errorCode, ErrorCode.NONE);
    const after = await c3.request<OffsetFetchResponse>(ApiKey.OffsetFetch, 6, { ...OffsetFetchRequest.defaults(), groupId: 'early', topics: null });
    assert.equal(after.errorCode, ErrorCode.NONE);
  } finally {
    for (const c of [c1, c2, c3]) c.close();
    await b.stop();
  }
});
