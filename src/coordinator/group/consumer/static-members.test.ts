import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../../protocol/index.js';
import { assignmentSize } from './assignment.js';
import { Harness, heartbeatRequest, joinRequest } from './testing/harness.js';
import { assertDisjointOwnership, SimClient } from './testing/sim-client.js';

function stableStaticPair() {
  const h = new Harness({ topics: { t: 6 } });
  const a = new SimClient(h, 'a1', ['t'], { instanceId: 'instance-a' });
  const b = new SimClient(h, 'b1', ['t'], { instanceId: 'instance-b' });
  for (let i = 0; i < 3; i++) { a.heartbeat(); b.heartbeat(); }
  assert.equal(h.describe().groupState, 'Stable');
  assert.equal(assignmentSize(a.owned), 3);
  return { h, a, b };
}

test('a static member leaving with -2 keeps its place; its successor (same instance id) takes its partitions', () => {
  const { h, a, b } = stableStaticPair();
  const partitionsOfA = a.owned;
  const epoch = h.describe().groupEpoch;
  const left = h.heartbeat(heartbeatRequest({ memberId: 'a1', memberEpoch: -2, instanceId: 'instance-a' }));
  assert.deepEqual([left.errorCode, left.memberId, left.memberEpoch], [0, 'a1', -2]);
  assert.deepEqual(h.log.slice(-1).map((r) => r.type), ['ConsumerGroupCurrentMemberAssignment']);
  a.crash();
  assert.equal(h.describe().groupEpoch, epoch, 'no rebalance');
  assert.equal(h.describe().members.find((m) => m.memberId === 'a1')?.memberEpoch, -2);
  b.heartbeat();
  assert.equal(assignmentSize(b.owned), 3, 'the departed member\'s partitions stay reserved');

  const before = h.log.length;
  const successor = new SimClient(h, 'a2', ['t'], { instanceId: 'instance-a' });
  const res = successor.heartbeat();
  assert.equal(res.errorCode, 0, res.errorMessage ?? '');
  assert.equal(res.memberEpoch, epoch);
  assert.deepEqual(successor.owned, partitionsOfA);
  assert.deepEqual(h.log.slice(before).map((r) => [r.type, 'memberId' in r.key ? r.key.memberId : null, r.value === null]), [
    ['ConsumerGroupCurrentMemberAssignment', 'a1', true],
    ['ConsumerGroupTargetAssignmentMember', 'a1', true],
    ['ConsumerGroupMemberMetadata', 'a1', true],
    ['ConsumerGroupMemberMetadata', 'a2', false],
    ['ConsumerGroupTargetAssignmentMember', 'a2', false],
    ['ConsumerGroupCurrentMemberAssignment', 'a2', false],
    ['ConsumerGroupCurrentMemberAssignment', 'a2', false],
  ]);
  assert.deepEqual(h.describe().members.map((m) => [m.memberId, m.instanceId, m.memberEpoch]),
    [['a2', 'instance-a', epoch], ['b1', 'instance-b', epoch]]);
  assert.equal(h.describe().groupState, 'Stable');
  assertDisjointOwnership([successor, b]);
  assert.deepEqual(h.timer.scheduledKeys().filter((k) => k.includes('a1')), [], 'the old member\'s timers are gone');
});

test('a second member with an instance id still in use is UNRELEASED_INSTANCE_ID', () => {
  const { h } = stableStaticPair();
  const res = h.heartbeat(joinRequest('a3', ['t'], { instanceId: 'instance-a' }));
  assert.equal(res.errorCode, ErrorCode.UNRELEASED_INSTANCE_ID);
  assert.equal(res.errorMessage, 'Static member a3 with instance id instance-a cannot join the group because the instance id is owned by a1 member.');
});

test('a heartbeat naming another member\'s instance id is FENCED_INSTANCE_ID', () => {
  const { h } = stableStaticPair();
  const epoch = h.describe().groupEpoch;
  const res = h.heartbeat(heartbeatRequest({ memberId: 'b1', memberEpoch: epoch, instanceId: 'instance-a', topicPartitions: [] }));
  assert.equal(res.errorCode, ErrorCode.FENCED_INSTANCE_ID);
  assert.equal(res.errorMessage, 'Static member b1 with instance id instance-a was fenced by member a1.');
  const leave = h.heartbeat(heartbeatRequest({ memberId: 'b1', memberEpoch: -2, instanceId: 'instance-a' }));
  assert.equal(leave.errorCode, ErrorCode.FENCED_INSTANCE_ID);
});

test('a departed static member that does not come back within the session timeout is removed', () => {
  const { h, a, b } = stableStaticPair();
  h.heartbeat(heartbeatRequest({ memberId: 'a1', memberEpoch: -2, instanceId: 'instance-a' }));
  a.crash();
  for (let i = 0; i < 10; i++) { h.advance(5000); b.heartbeat(); }
  assert.deepEqual(h.describe().members.map((m) => m.memberId), ['b1']);
  assert.equal(assignmentSize(b.owned), 6);
});

test('a static member leaving with -1 leaves for good', () => {
  const { h, b } = stableStaticPair();
  const res = h.heartbeat(heartbeatRequest({ memberId: 'a1', memberEpoch: -1, instanceId: 'instance-a' }));
  assert.deepEqual([res.errorCode, res.memberEpoch], [0, -1]);
  assert.deepEqual(h.describe().members.map((m) => m.memberId), ['b1']);
  b.heartbeat();
  assert.equal(assignmentSize(b.owned), 6);
  const again = new SimClient(h, 'a2', ['t'], { instanceId: 'instance-a' }).heartbeat();
  assert.equal(again.errorCode, 0, 'the instance id is free again');
});

test('a static member that left with -2 may rejoin under its own member id', () => {
  const { h, a, b } = stableStaticPair();
  const mine = a.owned;
  h.heartbeat(heartbeatRequest({ memberId: 'a1', memberEpoch: -2, instanceId: 'instance-a' }));
  a.crash();
  const back = new SimClient(h, 'a1', ['t'], { instanceId: 'instance-a' });
  assert.equal(back.heartbeat().errorCode, 0);
  assert.deepEqual(back.owned, mine);
  b.heartbeat();
  assert.equal(h.describe().groupState, 'Stable');
  h.advance(40_000);
  back.heartbeat();
  b.heartbeat();
  h.advance(40_000);
  assert.equal(h.describe().members.length, 2, 'the rejoined member\'s session was renewed');
});
