import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type ConsumerGroupHeartbeatRequest, ErrorCode } from '../../protocol/index.js';
import { commitRequest, ctx, settle, ShardHarness } from './testing/shard-harness.js';
import { FakeConsumerGroups } from './testing/fake-consumer-groups.js';

function withFake(): { h: ShardHarness; fake: FakeConsumerGroups } {
  let fake!: FakeConsumerGroups;
  const h = new ShardHarness({}, () => (fake = new FakeConsumerGroups()));
  return { h, fake };
}

function consumerJoin(groupId: string): ConsumerGroupHeartbeatRequest {
  return {
    groupId, memberId: 'member-1', memberEpoch: 0, instanceId: null, rackId: null, rebalanceTimeoutMs: 30_000,
    subscribedTopicNames: ['t'], subscribedTopicRegex: null, serverAssignor: null, topicPartitions: [],
  };
}

function fetchAll(h: ShardHarness, groupId: string): string[] {
  const fetched = h.shard.offsetFetch(ctx(8), { groupId, memberId: null, memberEpoch: -1, topics: null }, false);
  return fetched.topics.flatMap((t) => t.partitions.map((p) => `${t.name}-${p.partitionIndex}=${p.committedOffset}`));
}

test('JoinGroup on a consumer group with members is INCONSISTENT_GROUP_PROTOCOL; an empty one gives way to a classic group', () => {
  const { h, fake } = withFake();
  fake.groups.set('busy', { members: 2, subscribed: new Set() });
  fake.groups.set('idle', { members: 0, subscribed: new Set() });
  assert.equal(h.join({ groupId: 'busy' }).value!.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  assert.equal(h.log.length, 0);
  assert.equal(h.join({ groupId: 'idle' }).value!.errorCode, ErrorCode.MEMBER_ID_REQUIRED);
  assert.deepEqual(h.log.map((r) => `${r.type}${r.value === null ? ' tombstone' : ''}`), ['ConsumerGroupMetadata tombstone', 'GroupMetadata']);
  assert.ok(!fake.has('idle'));
  assert.equal(h.describe('idle').protocolType, '', 'now a classic group');
});

test('classic requests for a consumer group id answer UNKNOWN_MEMBER_ID; commits are checked by the consumer groups', () => {
  const { h, fake } = withFake();
  fake.groups.set('cg', { members: 1, subscribed: new Set(['t']) });
  assert.equal(h.sync({ groupId: 'cg', memberId: 'm' }).value!.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  assert.equal(h.run(h.shard.heartbeat(ctx(4), { groupId: 'cg', generationId: 1, memberId: 'm', groupInstanceId: null })).value!.errorCode,
    ErrorCode.UNKNOWN_MEMBER_ID);
  const leave = h.run(h.shard.leaveGroup(ctx(3), { groupId: 'cg', memberId: '', members: [{ memberId: 'm', groupInstanceId: null, reason: null }] })).value!;
  assert.equal(leave.members[0]!.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);

  fake.commitError = ErrorCode.STALE_MEMBER_EPOCH;
  let response = h.run(h.shard.offsetCommit(ctx(9), commitRequest({ t: { 0: 1n } }, { groupId: 'cg', memberId: 'm', generationIdOrMemberEpoch: 3 }))).value!;
  assert.equal(response.topics[0]!.partitions[0]!.errorCode, ErrorCode.STALE_MEMBER_EPOCH);
  assert.ok(fake.calls.includes('validateOffsetCommit cg m 3'));
  fake.commitError = ErrorCode.NONE;
  response = h.run(h.shard.offsetCommit(ctx(9), commitRequest({ t: { 0: 1n }, u: { 0: 2n } }, { groupId: 'cg', memberId: 'm', generationIdOrMemberEpoch: 3 }))).value!;
  assert.equal(response.topics[0]!.partitions[0]!.errorCode, ErrorCode.NONE);
  assert.deepEqual(fetchAll(h, 'cg'), ['t-0=1', 'u-0=2']);
  assert.equal(h.shard.listGroups([], ['classic']).length, 0, 'no classic group was created for the commit');

  const deleted = h.run(h.shard.offsetDelete(ctx(0), { groupId: 'cg', topics: [{ name: 't', partitions: [{ partitionIndex: 0 }] }, { name: 'u', partitions: [{ partitionIndex: 0 }] }] })).value!;
  assert.deepEqual(deleted.topics.map((t) => t.partitions[0]!.errorCode), [ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC, ErrorCode.NONE]);
  assert.deepEqual(fetchAll(h, 'cg'), ['t-0=1']);
});

test('DeleteGroups on consumer groups: NON_EMPTY_GROUP, or the offsets\' and the group\'s tombstones', () => {
  const { h, fake } = withFake();
  fake.groups.set('busy', { members: 1, subscribed: new Set() });
  fake.groups.set('idle', { members: 0, subscribed: new Set() });
  h.run(h.shard.offsetCommit(ctx(9), commitRequest({ t: { 0: 1n } }, { groupId: 'idle' })));
  const before = h.log.length;
  const result = h.run(h.shard.deleteGroups(ctx(2), ['busy', 'idle'])).value!;
  assert.deepEqual(result.map((r) => r.errorCode), [ErrorCode.NON_EMPTY_GROUP, ErrorCode.NONE]);
  assert.deepEqual(h.log.slice(before).map((r) => r.type), ['OffsetCommit', 'ConsumerGroupMetadata']);
  assert.deepEqual(fetchAll(h, 'idle'), []);
});

test('the first consumer-protocol member replaces an Empty classic group, whose offsets stay', () => {
  const h = new ShardHarness();
  h.run(h.shard.offsetCommit(ctx(8), commitRequest({ t: { 0: 42n } }, { groupId: 'cg' })));
  const before = h.log.length;
  const answer = h.run(h.shard.consumerGroupHeartbeat(ctx(1), consumerJoin('cg'))).value!;
  assert.equal(answer.errorCode, ErrorCode.NONE);
  assert.equal(answer.memberEpoch, 1);
  const written = h.log.slice(before);
  assert.deepEqual([written[0]!.type, written[0]!.value], ['GroupMetadata', null]);
  assert.ok(written.slice(1).every((r) => r.type.startsWith('ConsumerGroup')));
  assert.deepEqual(h.shard.listGroups([], []).map((g) => [g.groupId, g.groupType]), [['cg', 'consumer']]);
  assert.deepEqual(fetchAll(h, 'cg'), ['t-0=42']);
  // JoinGroup for it now fails: the consumer group has a member.
  assert.equal(h.join({ groupId: 'cg' }).value!.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);

  // Replay (offset commit first, then the tombstone and the consumer group) rebuilds the same.
  const replayed = h.replayed();
  assert.deepEqual(replayed.shard.listGroups([], []), h.shard.listGroups([], []));
  assert.deepEqual(fetchAll(replayed, 'cg'), ['t-0=42']);
});

test('a consumer-protocol member cannot take over a classic group that has members', async () => {
  const h = new ShardHarness();
  await h.joinDynamic({ groupId: 'cg' });
  const answer = h.run(h.shard.consumerGroupHeartbeat(ctx(1), consumerJoin('cg'))).value!;
  assert.equal(answer.errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
  assert.equal(h.state('cg'), 'PreparingRebalance');
});

test('DescribeGroups: unknown ids and consumer groups are Dead without an error (classic groups only, as Kafka)', () => {
  const { h, fake } = withFake();
  fake.groups.set('cg', { members: 1, subscribed: new Set() });
  const [unknown, consumer] = h.shard.describeGroups(ctx(5), ['nope', 'cg'], false);
  assert.deepEqual([unknown!.errorCode, unknown!.groupState, unknown!.members], [ErrorCode.NONE, 'Dead', []]);
  assert.deepEqual([consumer!.errorCode, consumer!.groupState, consumer!.members], [ErrorCode.NONE, 'Dead', []]);
});

test('ListGroups filters states and types case-insensitively', async () => {
  const { h, fake } = withFake();
  fake.groups.set('cg', { members: 1, subscribed: new Set() });
  h.run(h.shard.offsetCommit(ctx(8), commitRequest({ t: { 0: 1n } }, { groupId: 'simple' })));
  await h.joinDynamic({ groupId: 'joining' });
  const ids = (states: string[], types: string[]): string[] => h.shard.listGroups(states, types).map((g) => g.groupId).sort();
  assert.deepEqual(ids([], []), ['cg', 'joining', 'simple']);
  assert.deepEqual(ids(['EMPTY'], []), ['simple']);
  assert.deepEqual(ids(['stable', 'preparingrebalance'], []), ['cg', 'joining']);
  assert.deepEqual(ids([], ['Classic']), ['joining', 'simple']);
  assert.deepEqual(ids([], ['CONSUMER']), ['cg']);
  assert.deepEqual(ids([], ['share']), []);
  assert.deepEqual(ids(['Empty'], ['consumer']), []);
});

test('replaying the records of a scenario rebuilds the same groups, members and offsets', async () => {
  const h = new ShardHarness();
  // A Stable two-member group with commits; a static member later replaced.
  const a = await h.joinDynamic({}, 'a');
  const s = h.join({ groupInstanceId: 'i1' }, 9, 's');
  h.advance(6000);
  await settle();
  const staticId = s.value!.memberId;
  h.sync({ memberId: staticId, groupInstanceId: 'i1', generationId: 1 });
  h.sync({ memberId: a.memberId, generationId: 1, assignments: [
    { memberId: a.memberId, assignment: Buffer.from('A') }, { memberId: staticId, assignment: Buffer.from('S') },
  ] });
  await settle();
  h.run(h.shard.offsetCommit(ctx(8), commitRequest({ t: { 0: 10n, 1: 11n } }, { memberId: a.memberId, generationIdOrMemberEpoch: 1 })));
  h.join({ groupInstanceId: 'i1' }, 9, 's');
  // A simple group, a group that emptied, and a deleted group.
  h.run(h.shard.offsetCommit(ctx(2), commitRequest({ u: { 3: 7n } }, { groupId: 'simple', retentionTimeMs: 3_600_000n })));
  const e = await h.joinDynamic({ groupId: 'emptied' }, 'e');
  h.advance(3000);
  await settle();
  h.run(h.shard.leaveGroup(ctx(1), { groupId: 'emptied', memberId: e.memberId, members: [] }));
  h.run(h.shard.offsetCommit(ctx(8), commitRequest({ v: { 0: 1n } }, { groupId: 'gone' })));
  h.run(h.shard.deleteGroups(ctx(2), ['gone']));

  const replayed = h.replayed();
  const ids = ['g', 'simple', 'emptied', 'gone'];
  assert.deepEqual(replayed.shard.describeGroups(ctx(5), ids, false), h.shard.describeGroups(ctx(5), ids, false));
  assert.deepEqual(replayed.shard.listGroups([], []), h.shard.listGroups([], []));
  for (const id of ids) assert.deepEqual(fetchAll(replayed, id), fetchAll(h, id), id);
  assert.deepEqual(fetchAll(h, 'g'), ['t-0=10', 't-1=11']);
  assert.equal(h.describe('g').members.length, 2);
  assert.equal(h.describe('emptied').groupState, 'Empty');

  // Loaded members get fresh sessions: without heartbeats they are gone after their session timeout.
  replayed.advance(9999);
  assert.equal(replayed.state('g'), 'Stable');
  replayed.advance(1);
  assert.equal(replayed.state('g'), 'Empty');
});

test('onLoaded re-arms sessions, and the loaded group answers sync and heartbeats at its generation', async () => {
  const h = new ShardHarness();
  const a = await h.joinDynamic({}, 'a');
  h.advance(3000);
  await settle();
  h.sync({ memberId: a.memberId, generationId: 1, assignments: [{ memberId: a.memberId, assignment: Buffer.from('x') }] });
  const replayed = h.replayed();
  replayed.advance(5000);
  const beat = replayed.run(replayed.shard.heartbeat(ctx(4), { groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null }));
  assert.equal(beat.value!.errorCode, ErrorCode.NONE);
  assert.deepEqual(replayed.sync({ memberId: a.memberId, generationId: 1 }).value!.assignment, Buffer.from('x'));
  replayed.advance(9000);
  assert.equal(replayed.state(), 'Stable', 'the heartbeat reset the session');
  replayed.advance(1000);
  assert.equal(replayed.state(), 'Empty', 'its session ran out: the last member is gone');
});
