import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, type HeartbeatRequest, type LeaveGroupRequest } from '../../../protocol/index.js';
import { ctx, settle, ShardHarness, waiting } from '../testing/shard-harness.js';

function heartbeat(h: ShardHarness, fields: Partial<HeartbeatRequest>): number {
  const req: HeartbeatRequest = { groupId: 'g', generationId: 1, memberId: '', groupInstanceId: null, ...fields };
  return h.run(h.shard.heartbeat(ctx(4), req)).value!.errorCode;
}

function leave(h: ShardHarness, version: number, fields: Partial<LeaveGroupRequest>) {
  const req: LeaveGroupRequest = { groupId: 'g', memberId: '', members: [], ...fields };
  return h.run(h.shard.leaveGroup(ctx(version), req)).value!;
}

/** Two dynamic members, Stable at generation 1 with assignments. */
async function stableGroup(h = new ShardHarness()) {
  const a = await h.joinDynamic({}, 'a');
  const b = await h.joinDynamic({}, 'b');
  h.advance(6000);
  await settle();
  h.sync({ memberId: b.memberId, generationId: 1 });
  h.sync({ memberId: a.memberId, generationId: 1, assignments: [
    { memberId: a.memberId, assignment: Buffer.from('A') }, { memberId: b.memberId, assignment: Buffer.from('B') },
  ] });
  await settle();
  assert.equal(h.state(), 'Stable');
  return { h, a: a.memberId, b: b.memberId };
}

/** A static member (groupInstanceId i1) alone in a Stable group at generation 1. */
async function staticGroup(h = new ShardHarness()) {
  const join = h.join({ groupInstanceId: 'i1' });
  assert.equal(join.deferred, true, 'static members join without MEMBER_ID_REQUIRED');
  h.advance(3000);
  await settle();
  const memberId = join.value!.memberId;
  assert.match(memberId, /^i1-/);
  h.sync({ memberId, groupInstanceId: 'i1', generationId: 1, assignments: [{ memberId, assignment: Buffer.from('S') }] });
  await settle();
  return { h, memberId };
}

test('heartbeats keep a member; one that stops is removed after its session timeout and the group rebalances', async () => {
  const { h, a, b } = await stableGroup();
  h.advance(4000);
  assert.equal(heartbeat(h, { memberId: a }), ErrorCode.NONE);
  h.advance(4000);
  assert.equal(heartbeat(h, { memberId: a }), ErrorCode.NONE);
  assert.equal(h.state(), 'Stable');
  // b's session (10 s from its SyncGroup answer) runs out; a is told to rejoin.
  h.advance(4000);
  assert.equal(h.state(), 'PreparingRebalance');
  assert.equal(heartbeat(h, { memberId: b }), ErrorCode.UNKNOWN_MEMBER_ID);
  assert.equal(heartbeat(h, { memberId: a }), ErrorCode.REBALANCE_IN_PROGRESS);
  const rejoin = h.join({ memberId: a });
  await settle();
  assert.equal(rejoin.value!.generationId, 2);
  assert.deepEqual(rejoin.value!.members.map((m) => m.memberId), [a]);
});

test('heartbeat errors: unknown group, unknown member, wrong generation, fenced instance', async () => {
  const { h, memberId } = await staticGroup();
  assert.equal(heartbeat(h, { groupId: 'other', memberId }), ErrorCode.UNKNOWN_MEMBER_ID);
  assert.equal(heartbeat(h, { memberId: 'x' }), ErrorCode.UNKNOWN_MEMBER_ID);
  assert.equal(heartbeat(h, { memberId, generationId: 0 }), ErrorCode.ILLEGAL_GENERATION);
  assert.equal(heartbeat(h, { memberId: 'x', groupInstanceId: 'i1' }), ErrorCode.FENCED_INSTANCE_ID);
  assert.equal(heartbeat(h, { memberId, groupInstanceId: 'i1' }), ErrorCode.NONE);
  assert.equal(heartbeat(h, { groupId: '', memberId }), ErrorCode.INVALID_GROUP_ID);
});

test('members that do not rejoin within the rebalance timeout are dropped', async () => {
  const { h, a, b } = await stableGroup();
  const leaderJoin = h.join({ memberId: a, rebalanceTimeoutMs: 20_000 });
  // b stays alive by heartbeating but never rejoins.
  for (let t = 0; t < 6; t++) {
    h.advance(4000);
    heartbeat(h, { memberId: a });
    heartbeat(h, { memberId: b });
  }
  await settle();
  // The group's rebalance timeout is the largest of its members' (60 s for b).
  assert.ok(waiting(leaderJoin));
  for (let t = 0; t < 10; t++) {
    h.advance(4000);
    heartbeat(h, { memberId: b });
  }
  await settle();
  assert.equal(leaderJoin.value!.generationId, 2);
  assert.deepEqual(leaderJoin.value!.members.map((m) => m.memberId), [a]);
  assert.equal(heartbeat(h, { memberId: b, generationId: 2 }), ErrorCode.UNKNOWN_MEMBER_ID);
});

test('members that do not sync within the rebalance timeout are removed and the group rebalances', async () => {
  const h = new ShardHarness();
  const a = await h.joinDynamic({ rebalanceTimeoutMs: 8000 }, 'a');
  const b = await h.joinDynamic({ rebalanceTimeoutMs: 8000 }, 'b');
  h.advance(6000);
  await settle();
  h.sync({ memberId: a.memberId, generationId: 1, assignments: [] });
  h.advance(4000);
  heartbeat(h, { memberId: a.memberId });
  heartbeat(h, { memberId: b.memberId });
  h.advance(4000);
  assert.equal(h.state(), 'PreparingRebalance');
  assert.deepEqual(h.describe().members.map((m) => m.memberId), [a.memberId]);
});

test('a rebalance waits for pending members (MEMBER_ID_REQUIRED) until their session expires', async () => {
  const h = new ShardHarness();
  const a = await h.joinDynamic({}, 'a');
  h.advance(3000);
  await settle();
  h.sync({ memberId: a.memberId, generationId: 1, assignments: [] });
  const pending = h.join({}, 9, 'b').value!.memberId;
  const rejoin = h.join({ memberId: a.memberId });
  h.advance(9000);
  heartbeat(h, { memberId: a.memberId });
  await settle();
  assert.ok(waiting(rejoin), 'the join phase waits for the pending member');
  h.advance(1000);
  await settle();
  assert.equal(rejoin.value?.generationId, 2, 'its session (10 s) is over: the join completes without it');
  assert.equal(h.join({ memberId: pending }, 9, 'b').value!.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
});

test('a static member rejoining with a new member id replaces the old one without a rebalance', async () => {
  const { h, memberId: old } = await staticGroup();
  const before = h.log.length;
  const rejoin = h.join({ groupInstanceId: 'i1' });
  await settle();
  const fresh = rejoin.value!.memberId;
  assert.notEqual(fresh, old);
  assert.equal(rejoin.value!.errorCode, ErrorCode.NONE);
  assert.equal(rejoin.value!.generationId, 1, 'no new generation');
  assert.equal(rejoin.value!.leader, fresh);
  assert.equal(rejoin.value!.skipAssignment, true, 'v9: the leader need not assign again');
  assert.equal(h.state(), 'Stable');
  const record = h.log[before]!;
  assert.ok(record.type === 'GroupMetadata' && record.value);
  assert.deepEqual(record.value.members.map((m) => [m.memberId, m.groupInstanceId, m.assignment.toString()]), [[fresh, 'i1', 'S']]);
  // The old member id is fenced everywhere; the new one keeps the assignment.
  assert.equal(heartbeat(h, { memberId: old, groupInstanceId: 'i1' }), ErrorCode.FENCED_INSTANCE_ID);
  assert.equal(h.sync({ memberId: old, groupInstanceId: 'i1', generationId: 1 }).value!.errorCode, ErrorCode.FENCED_INSTANCE_ID);
  assert.deepEqual(h.sync({ memberId: fresh, groupInstanceId: 'i1', generationId: 1 }).value!.assignment, Buffer.from('S'));
});

test('before v9 a replaced static leader is told the previous leader, so it does not reassign', async () => {
  const { h, memberId: old } = await staticGroup();
  const rejoin = h.join({ groupInstanceId: 'i1' }, 7);
  await settle();
  assert.equal(rejoin.value!.leader, old);
  assert.equal(rejoin.value!.skipAssignment, false);
  assert.deepEqual(rejoin.value!.members, []);
});

test('a static member replaced while its JoinGroup is parked gets FENCED_INSTANCE_ID', async () => {
  const h = new ShardHarness();
  const s1 = h.join({ groupInstanceId: 'i1' });
  const s2 = h.join({ groupInstanceId: 'i2' });
  h.advance(6000);
  await settle();
  const [old, other] = [s1.value!.memberId, s2.value!.memberId];
  h.sync({ memberId: other, groupInstanceId: 'i2', generationId: 1 });
  h.sync({ memberId: old, groupInstanceId: 'i1', generationId: 1, assignments: [] });
  const parked = h.join({ memberId: old, groupInstanceId: 'i1' });
  assert.equal(h.state(), 'PreparingRebalance');
  const replacement = h.join({ groupInstanceId: 'i1' });
  await settle();
  assert.equal(parked.value!.errorCode, ErrorCode.FENCED_INSTANCE_ID);
  assert.ok(waiting(replacement), 'still waiting for i2');
  assert.equal(h.join({ memberId: old, groupInstanceId: 'i1' }).value!.errorCode, ErrorCode.FENCED_INSTANCE_ID);
  const otherJoin = h.join({ memberId: other, groupInstanceId: 'i2' });
  await settle();
  assert.equal(replacement.value!.generationId, 2);
  assert.equal(otherJoin.value!.generationId, 2);
  assert.notEqual(replacement.value!.memberId, old);
});

test('a static member rejoining with protocols that change the selection triggers a rebalance', async () => {
  const { h } = await staticGroup();
  const md = Buffer.from([1]);
  const rejoin = h.join({ groupInstanceId: 'i1', protocols: [{ name: 'roundrobin', metadata: md }, { name: 'range', metadata: md }] });
  await settle();
  assert.equal(rejoin.value!.generationId, 2);
  assert.equal(rejoin.value!.protocolName, 'roundrobin');
});

test('LeaveGroup v0-2: one member, errors at the top level', async () => {
  const { h, a, b } = await stableGroup();
  assert.deepEqual(leave(h, 1, { memberId: 'nobody' }), { throttleTimeMs: 0, errorCode: ErrorCode.UNKNOWN_MEMBER_ID, members: [] });
  assert.equal(leave(h, 2, { memberId: b }).errorCode, ErrorCode.NONE);
  assert.equal(h.state(), 'PreparingRebalance');
  const rejoin = h.join({ memberId: a });
  await settle();
  assert.equal(rejoin.value!.generationId, 2);
});

test('LeaveGroup v3+: a batch with per-member errors; the last member out leaves the group Empty at a new generation', async () => {
  const { h, a, b } = await stableGroup();
  const before = h.log.length;
  const response = leave(h, 5, { members: [
    { memberId: a, groupInstanceId: null, reason: 'bye' },
    { memberId: 'ghost', groupInstanceId: null, reason: null },
    { memberId: b, groupInstanceId: 'not-static', reason: null },
  ] });
  assert.deepEqual(response.members.map((m) => [m.memberId, m.errorCode]), [
    [a, ErrorCode.NONE], ['ghost', ErrorCode.UNKNOWN_MEMBER_ID], [b, ErrorCode.UNKNOWN_MEMBER_ID],
  ]);
  assert.equal(leave(h, 3, { members: [{ memberId: b, groupInstanceId: null, reason: null }] }).members[0]!.errorCode, ErrorCode.NONE);
  assert.equal(h.state(), 'Empty');
  const record = h.log.at(-1)!;
  assert.equal(h.log.length, before + 1);
  assert.ok(record.type === 'GroupMetadata' && record.value);
  assert.deepEqual([record.value.generation, record.value.members.length, record.value.protocol, record.value.protocolType], [2, 0, null, 'consumer']);
});

test('LeaveGroup by instance id alone removes a static member', async () => {
  const { h } = await staticGroup();
  const response = leave(h, 4, { members: [
    { memberId: '', groupInstanceId: 'i1', reason: null }, { memberId: '', groupInstanceId: 'i9', reason: null },
  ] });
  assert.deepEqual(response.members.map((m) => m.errorCode), [ErrorCode.NONE, ErrorCode.UNKNOWN_MEMBER_ID]);
  assert.equal(h.state(), 'Empty');
  assert.deepEqual(leave(h, 4, { groupId: 'nope', members: [{ memberId: 'm', groupInstanceId: null, reason: null }] }).members[0]!.errorCode,
    ErrorCode.UNKNOWN_MEMBER_ID);
});

test('unloading answers parked requests NOT_COORDINATOR and cancels every timer', async () => {
  const h = new ShardHarness();
  const a = await h.joinDynamic({}, 'a');
  h.shard.onUnloaded();
  await settle();
  assert.equal(a.join.value!.errorCode, ErrorCode.NOT_COORDINATOR);
  assert.deepEqual(h.timer.scheduledKeys(), []);
});
