import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../../protocol/index.js';
import { Harness, heartbeatRequest, joinRequest, topicIdOf } from './testing/harness.js';

function twoMemberGroup() {
  const h = new Harness({ topics: { t: 4 }, classicGroups: ['classic'] });
  h.heartbeat(joinRequest('a', ['t'], { rackId: 'rack-1' }), { apiVersion: 1, clientId: 'client-a', clientHost: '/10.0.0.1' });
  h.heartbeat(joinRequest('b', ['t'], { instanceId: 'i-b' }), { apiVersion: 1, clientId: 'client-b', clientHost: '/10.0.0.2' });
  return h;
}

test('ConsumerGroupDescribe shows epochs, state, assignor and each member\'s current and target assignment', () => {
  const h = twoMemberGroup();
  const [g, missing, classic] = h.groups.describe(['g', 'missing', 'classic'], true);
  assert.deepEqual([g!.errorCode, g!.groupState, g!.groupEpoch, g!.assignmentEpoch, g!.assignorName], [0, 'Reconciling', 2, 2, 'uniform']);
  const T = topicIdOf('t');
  assert.deepEqual(g!.members.map((m) => [m.memberId, m.instanceId, m.rackId, m.memberEpoch, m.clientId, m.clientHost, m.subscribedTopicNames]), [
    ['a', null, 'rack-1', 1, 'client-a', '/10.0.0.1', ['t']],
    ['b', 'i-b', null, 2, 'client-b', '/10.0.0.2', ['t']],
  ]);
  assert.deepEqual(g!.members[0]!.assignment, { topicPartitions: [{ topicId: T, topicName: 't', partitions: [0, 1, 2, 3] }] });
  assert.deepEqual(g!.members[0]!.targetAssignment, { topicPartitions: [{ topicId: T, topicName: 't', partitions: [0, 1] }] });
  assert.deepEqual(g!.members[1]!.assignment, { topicPartitions: [] });
  assert.deepEqual([missing!.errorCode, missing!.errorMessage], [ErrorCode.GROUP_ID_NOT_FOUND, 'Group missing not found.']);
  assert.deepEqual([classic!.errorCode, classic!.errorMessage], [ErrorCode.GROUP_ID_NOT_FOUND, 'Group classic is not a consumer group']);
});

test('ListGroups view of a consumer group', () => {
  const h = twoMemberGroup();
  assert.deepEqual(h.groups.list(), [{ groupId: 'g', protocolType: 'consumer', groupState: 'Reconciling', groupType: 'consumer' }]);
  assert.equal(h.groups.has('g'), true);
  assert.equal(h.groups.isEmpty('g'), false);
  assert.equal(h.groups.isEmpty('missing'), true);
});

test('group states: Empty, Assigning (epoch ahead of the assignment), Reconciling, Stable', () => {
  const h = new Harness({ topics: { t: 2 } });
  h.heartbeat(joinRequest('a', ['t']));
  assert.equal(h.describe().groupState, 'Stable');
  h.heartbeat(joinRequest('b', ['t']));
  h.heartbeat(heartbeatRequest({ memberId: 'b', memberEpoch: -1 }));
  assert.equal(h.describe().groupState, 'Assigning');
  h.heartbeat(heartbeatRequest({ memberId: 'a', memberEpoch: 1, topicPartitions: [{ topicId: topicIdOf('t'), partitions: [0, 1] }] }));
  assert.equal(h.describe().groupState, 'Stable');
  h.heartbeat(heartbeatRequest({ memberId: 'a', memberEpoch: -1 }));
  assert.equal(h.describe().groupState, 'Empty');
});

test('OffsetCommit checks: members commit at their current epoch with v9+; admins only into an empty group', () => {
  const h = twoMemberGroup();
  const g = h.groups;
  assert.equal(g.validateOffsetCommit('g', 'a', 1, 9), 0);
  assert.equal(g.validateOffsetCommit('g', 'a', 2, 9), ErrorCode.STALE_MEMBER_EPOCH);
  assert.equal(g.validateOffsetCommit('g', 'a', 1, 8), ErrorCode.UNSUPPORTED_VERSION);
  assert.equal(g.validateOffsetCommit('g', 'x', 1, 9), ErrorCode.UNKNOWN_MEMBER_ID);
  assert.equal(g.validateOffsetCommit('g', '', -1, 9), ErrorCode.UNKNOWN_MEMBER_ID, 'an admin commit while members are active');
  h.heartbeat(heartbeatRequest({ memberId: 'a', memberEpoch: -1 }));
  h.heartbeat(heartbeatRequest({ memberId: 'b', memberEpoch: -1, instanceId: 'i-b' }));
  assert.equal(g.validateOffsetCommit('g', '', -1, 2), 0, 'an admin commit into the empty group');
  assert.equal(g.validateOffsetCommit('g', 'a', 1, 9), ErrorCode.UNKNOWN_MEMBER_ID);
});

test('TxnOffsetCommit checks: without member fields anyone may commit; a member at another epoch is ILLEGAL_GENERATION', () => {
  const h = twoMemberGroup();
  const g = h.groups;
  assert.equal(g.validateTransactionalOffsetCommit('g', '', null, -1), 0, 'no member id, generation or instance id: not checked');
  assert.equal(g.validateTransactionalOffsetCommit('g', 'a', null, 1), 0, 'any version may commit for a KIP-848 member');
  assert.equal(g.validateTransactionalOffsetCommit('g', 'a', null, 2), ErrorCode.ILLEGAL_GENERATION, 'a stale epoch');
  assert.equal(g.validateTransactionalOffsetCommit('g', 'x', null, 1), ErrorCode.UNKNOWN_MEMBER_ID);
  assert.equal(g.validateTransactionalOffsetCommit('g', '', 'i-x', -1), ErrorCode.UNKNOWN_MEMBER_ID, 'an instance id is checked');
  h.heartbeat(heartbeatRequest({ memberId: 'a', memberEpoch: -1 }));
  h.heartbeat(heartbeatRequest({ memberId: 'b', memberEpoch: -1, instanceId: 'i-b' }));
  assert.equal(g.validateTransactionalOffsetCommit('g', 'gone', null, -1), 0, 'a negative epoch into the empty group');
});

test('OffsetFetch checks: no member id and a negative epoch pass; otherwise the member and its epoch', () => {
  const h = twoMemberGroup();
  const g = h.groups;
  assert.equal(g.validateOffsetFetch('g', null, -1), 0);
  assert.equal(g.validateOffsetFetch('g', 'b', 2), 0);
  assert.equal(g.validateOffsetFetch('g', 'b', 1), ErrorCode.STALE_MEMBER_EPOCH);
  assert.equal(g.validateOffsetFetch('g', 'zz', 2), ErrorCode.UNKNOWN_MEMBER_ID);
  assert.equal(g.validateOffsetFetch('g', null, 3), ErrorCode.UNKNOWN_MEMBER_ID);
});

test('isSubscribedToTopic follows names and regexes of current members', () => {
  const h = twoMemberGroup();
  assert.equal(h.groups.isSubscribedToTopic('g', 't'), true);
  assert.equal(h.groups.isSubscribedToTopic('g', 'other'), false);
  assert.equal(h.groups.isSubscribedToTopic('missing', 't'), false);
});
