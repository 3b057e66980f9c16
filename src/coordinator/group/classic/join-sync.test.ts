import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../../protocol/index.js';
import { settle, ShardHarness, subscription, waiting } from '../testing/shard-harness.js';

/** Two dynamic members join a new group and sync: the group is Stable at generation 1. */
async function twoMemberGroup(h = new ShardHarness()): Promise<{ h: ShardHarness; leader: string; follower: string }> {
  const a = await h.joinDynamic({}, 'a');
  const b = await h.joinDynamic({}, 'b');
  h.advance(6000);
  await settle();
  const leader = a.join.value!.leader;
  const follower = leader === a.memberId ? b.memberId : a.memberId;
  const followerSync = h.sync({ memberId: follower, generationId: 1 });
  h.sync({ memberId: leader, generationId: 1, assignments: [
    { memberId: leader, assignment: Buffer.from('L') }, { memberId: follower, assignment: Buffer.from('F') },
  ] });
  await settle();
  assert.equal(followerSync.value?.errorCode, ErrorCode.NONE);
  return { h, leader, follower };
}

test('a new dynamic member is asked to rejoin with a generated member id (v4+)', async () => {
  const h = new ShardHarness();
  const first = h.join({}, 9, 'my-client');
  assert.equal(first.value!.errorCode, ErrorCode.MEMBER_ID_REQUIRED);
  assert.match(first.value!.memberId, /^my-client-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  // The group was created and is persisted (empty, generation 0).
  assert.equal(h.log.length, 1);
  assert.deepEqual(h.log[0]!.type === 'GroupMetadata' && h.log[0]!.value && [h.log[0]!.value.generation, h.log[0]!.value.members.length], [0, 0]);
  const second = h.join({ memberId: first.value!.memberId }, 9, 'my-client');
  assert.equal(second.deferred, true);
  assert.equal(h.state(), 'PreparingRebalance');
});

test('JoinGroup v3 adds an unknown member at once, without MEMBER_ID_REQUIRED', async () => {
  const h = new ShardHarness();
  const join = h.join({}, 3);
  assert.equal(join.deferred, true);
  h.advance(3000);
  await settle();
  assert.equal(join.value!.errorCode, ErrorCode.NONE);
  assert.equal(join.value!.generationId, 1);
  assert.equal(join.value!.protocolName, 'range');
  assert.equal(join.value!.leader, join.value!.memberId);
});

test('two members join, the initial delay is extended while members arrive, then both sync', async () => {
  const h = new ShardHarness();
  const a = await h.joinDynamic({}, 'a');
  h.advance(1000);
  const b = await h.joinDynamic({}, 'b');
  h.advance(2000); // first delay (3s) ends; b arrived during it: extended by 3s
  await settle();
  assert.ok(waiting(a.join));
  h.advance(3000);
  await settle();
  for (const { join, memberId } of [a, b]) {
    assert.equal(join.value!.errorCode, ErrorCode.NONE);
    assert.equal(join.value!.memberId, memberId);
    assert.equal(join.value!.generationId, 1);
    assert.equal(join.value!.protocolType, 'consumer');
    assert.equal(join.value!.protocolName, 'range');
    assert.equal(join.value!.skipAssignment, false);
    assert.equal(join.value!.leader, a.memberId);
  }
  // Only the leader learns the members and their metadata.
  assert.deepEqual(a.join.value!.members.map((m) => m.memberId).sort(), [a.memberId, b.memberId].sort());
  assert.deepEqual(a.join.value!.members[0]!.metadata, subscription(['t']));
  assert.deepEqual(b.join.value!.members, []);

  const followerSync = h.sync({ memberId: b.memberId, generationId: 1 });
  await settle();
  assert.ok(waiting(followerSync), 'a follower waits for the leader');
  const before = h.log.length;
  const leaderSync = h.sync({ memberId: a.memberId, generationId: 1, protocolType: 'consumer', protocolName: 'range',
    assignments: [{ memberId: a.memberId, assignment: Buffer.from('A') }, { memberId: b.memberId, assignment: Buffer.from('B') }] });
  await settle();
  assert.deepEqual(leaderSync.value!.assignment, Buffer.from('A'));
  assert.equal(leaderSync.value!.protocolName, 'range');
  assert.deepEqual(followerSync.value!.assignment, Buffer.from('B'));
  const record = h.log[before]!;
  assert.ok(record.type === 'GroupMetadata' && record.value);
  assert.equal(record.value.generation, 1);
  assert.deepEqual(record.value.members.map((m) => m.assignment.toString()).sort(), ['A', 'B']);
  const described = h.describe();
  assert.equal(described.groupState, 'Stable');
  assert.equal(described.protocolData, 'range');
  assert.deepEqual(described.members.map((m) => m.memberAssignment.toString()).sort(), ['A', 'B']);
});

test('the initial delay never runs past the rebalance timeout', async () => {
  const h = new ShardHarness({ groupInitialRebalanceDelayMs: 3000 });
  const a = await h.joinDynamic({ rebalanceTimeoutMs: 5000 }, 'a');
  h.advance(2000);
  await h.joinDynamic({ rebalanceTimeoutMs: 5000 }, 'b');
  h.advance(2000);
  await h.joinDynamic({ rebalanceTimeoutMs: 5000 }, 'c');
  h.advance(999);
  await settle();
  assert.ok(waiting(a.join));
  h.advance(1);
  await settle();
  assert.equal(a.join.value!.members.length, 3);
});

test('a member that rejoins with the same metadata in CompletingRebalance gets its answer again', async () => {
  const h = new ShardHarness();
  const a = await h.joinDynamic({}, 'a');
  h.advance(3000);
  await settle();
  const again = h.join({ memberId: a.memberId });
  assert.equal(again.value!.generationId, 1);
  assert.equal(again.value!.members.length, 1, 'the leader gets the members again');
});

test('a follower rejoining Stable with the same metadata changes nothing; the leader rejoining rebalances', async () => {
  const { h, leader, follower } = await twoMemberGroup();
  const same = h.join({ memberId: follower });
  assert.equal(same.deferred, false);
  assert.equal(same.value!.generationId, 1);
  assert.equal(h.state(), 'Stable');
  const leaderJoin = h.join({ memberId: leader });
  assert.equal(leaderJoin.deferred, true);
  assert.equal(h.state(), 'PreparingRebalance');
  const followerJoin = h.join({ memberId: follower });
  await settle();
  // Every known member rejoined: the rebalance completes without waiting.
  assert.equal(leaderJoin.value!.generationId, 2);
  assert.equal(followerJoin.value!.generationId, 2);
});

test('the protocol is chosen by vote among those every member supports', async () => {
  const h = new ShardHarness();
  const md = Buffer.from([1]);
  const a = await h.joinDynamic({ protocols: [{ name: 'range', metadata: md }, { name: 'roundrobin', metadata: md }, { name: 'sticky', metadata: md }] }, 'a');
  await h.joinDynamic({ protocols: [{ name: 'roundrobin', metadata: md }, { name: 'range', metadata: md }] }, 'b');
  await h.joinDynamic({ protocols: [{ name: 'roundrobin', metadata: md }, { name: 'range', metadata: md }] }, 'c');
  const unsupported = h.join({ protocols: [{ name: 'sticky', metadata: md }] }, 9, 'd');
  assert.equal(unsupported.value!.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  const otherType = h.join({ protocolType: 'connect', protocols: [{ name: 'range', metadata: md }] }, 9, 'e');
  assert.equal(otherType.value!.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  h.advance(6000);
  await settle();
  assert.equal(a.join.value!.protocolName, 'roundrobin');
});

test('a group needs a protocol type and at least one protocol', () => {
  const h = new ShardHarness();
  assert.equal(h.join({ protocolType: '' }).value!.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  assert.equal(h.join({ groupId: 'g2', protocols: [] }).value!.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  assert.equal(h.join({ groupId: 'g3', protocols: [] }, 6).value!.protocolName, '', 'protocolName is not nullable before v7');
});

test('session timeouts outside group.min/max.session.timeout.ms are refused', () => {
  const h = new ShardHarness();
  assert.equal(h.join({ sessionTimeoutMs: 5999 }).value!.errorCode, ErrorCode.INVALID_SESSION_TIMEOUT);
  assert.equal(h.join({ sessionTimeoutMs: 1_800_001 }).value!.errorCode, ErrorCode.INVALID_SESSION_TIMEOUT);
  assert.equal(h.join({ groupId: '' }).value!.errorCode, ErrorCode.INVALID_GROUP_ID);
  assert.equal(h.join({ sessionTimeoutMs: 6000 }).value!.errorCode, ErrorCode.MEMBER_ID_REQUIRED);
});

test('group.max.size turns away members beyond it', async () => {
  const h = new ShardHarness({ groupMaxSize: 1 });
  await h.joinDynamic({}, 'a');
  const refused = h.join({}, 9, 'b');
  assert.equal(refused.value!.errorCode, ErrorCode.GROUP_MAX_SIZE_REACHED);
  assert.equal(refused.value!.memberId, '');
});

test('an unknown member id cannot create a group; a known one of a vanished group is unknown', () => {
  const h = new ShardHarness();
  assert.equal(h.join({ memberId: 'ghost' }).value!.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  assert.deepEqual(h.log, []);
});

test('SyncGroup errors: unknown member, wrong generation, protocol mismatch, rebalance in progress', async () => {
  const { h, leader, follower } = await twoMemberGroup();
  assert.equal(h.sync({ groupId: 'nope', memberId: leader }).value!.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  assert.equal(h.sync({ memberId: 'stranger', generationId: 1 }).value!.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  assert.equal(h.sync({ memberId: follower, generationId: 7 }).value!.errorCode, ErrorCode.ILLEGAL_GENERATION);
  assert.equal(h.sync({ memberId: follower, generationId: 1, protocolName: 'roundrobin' }).value!.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  assert.equal(h.sync({ memberId: follower, generationId: 1, protocolType: 'connect' }).value!.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  const stable = h.sync({ memberId: follower, generationId: 1, protocolType: 'consumer', protocolName: 'range' });
  assert.deepEqual(stable.value!.assignment, Buffer.from('F'), 'a Stable group answers with the current assignment');
  h.join({ memberId: leader });
  assert.equal(h.sync({ memberId: follower, generationId: 1 }).value!.errorCode, ErrorCode.REBALANCE_IN_PROGRESS);
});

test('a member joining while others wait for their assignment sends them back to rejoin', async () => {
  const h = new ShardHarness();
  await h.joinDynamic({}, 'a');
  const b = await h.joinDynamic({}, 'b');
  h.advance(6000);
  await settle();
  const followerSync = h.sync({ memberId: b.memberId, generationId: 1 });
  await settle();
  assert.ok(waiting(followerSync));
  await h.joinDynamic({}, 'c');
  await settle();
  assert.equal(followerSync.value!.errorCode, ErrorCode.REBALANCE_IN_PROGRESS);
  assert.equal(h.state(), 'PreparingRebalance');
});
