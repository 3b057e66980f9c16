import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../../protocol/index.js';
import { Harness, heartbeatRequest, joinRequest, topicIdOf } from './testing/harness.js';
import { assertDisjointOwnership, SimClient } from './testing/sim-client.js';
import { assignmentSize } from './assignment.js';

function memberView(h: Harness, memberId: string) {
  const m = h.describe().members.find((x) => x.memberId === memberId);
  assert.ok(m, `member ${memberId} is described`);
  return m;
}

function count(partitions: { partitions: number[] }[]): number {
  return partitions.reduce((n, t) => n + t.partitions.length, 0);
}

test('three members join a 12-partition topic one by one and converge without ever sharing a partition', () => {
  const h = new Harness({ topics: { orders: 12 } });
  const clients: SimClient[] = [];
  const step = (c: SimClient) => {
    const res = c.heartbeat();
    assert.equal(res.errorCode, ErrorCode.NONE, res.errorMessage ?? '');
    assertDisjointOwnership(clients);
    return res;
  };

  const a = new SimClient(h, 'a', ['orders'], { slowRevocation: true });
  clients.push(a);
  const first = step(a);
  assert.equal(first.memberEpoch, 1);
  assert.equal(first.heartbeatIntervalMs, 5000);
  assert.equal(assignmentSize(a.owned), 12);
  assert.equal(h.describe().groupState, 'Stable');

  for (const [name, expected] of [['b', 6], ['c', 4]] as const) {
    const joiner = new SimClient(h, name, ['orders'], { slowRevocation: true });
    clients.push(joiner);
    const joined = step(joiner);
    assert.equal(h.describe().groupState, 'Reconciling');
    assert.equal(joined.memberEpoch, h.describe().groupEpoch, 'a joiner takes the new epoch at once');
    assert.equal(assignmentSize(joiner.owned), 0, 'its partitions are still owned by others');
    // Everyone heartbeats until the group is stable; revocations complete one round late.
    for (let round = 0; round < 6 && h.describe().groupState !== 'Stable'; round++) {
      for (const c of clients) step(c);
      for (const c of clients) c.completeRevocation();
      assertDisjointOwnership(clients);
    }
    assert.equal(h.describe().groupState, 'Stable');
    for (const c of clients) assert.equal(assignmentSize(c.owned), expected, `${c.memberId} owns ${expected}`);
  }
  const all = new Set(clients.flatMap((c) => [...(c.owned.get(topicIdOf('orders')) ?? [])]));
  assert.equal(all.size, 12);
});

test('a first join writes member, subscription metadata, epoch, target and current assignment records in order', () => {
  const h = new Harness({ topics: { orders: 4 } });
  const res = h.heartbeat(joinRequest('m1', ['orders']));
  assert.equal(res.errorCode, 0);
  assert.deepEqual(h.log.map((r) => r.type), [
    'ConsumerGroupMemberMetadata',
    'ConsumerGroupPartitionMetadata',
    'ConsumerGroupMetadata',
    'ConsumerGroupTargetAssignmentMember',
    'ConsumerGroupTargetAssignmentMetadata',
    'ConsumerGroupCurrentMemberAssignment',
  ]);
  assert.deepEqual(res.assignment, { topicPartitions: [{ topicId: topicIdOf('orders'), partitions: [0, 1, 2, 3] }] });
  const d = h.describe();
  assert.equal(d.groupEpoch, 1);
  assert.equal(d.assignmentEpoch, 1);
  assert.equal(d.assignorName, 'uniform');
  assert.equal(memberView(h, 'm1').clientHost, '/127.0.0.1');
});

test('a heartbeat without changes writes nothing and sends no assignment', () => {
  const h = new Harness({ topics: { orders: 4 } });
  h.heartbeat(joinRequest('m1', ['orders']));
  const before = h.log.length;
  const owned = [{ topicId: topicIdOf('orders'), partitions: [0, 1, 2, 3] }];
  const res = h.heartbeat(heartbeatRequest({ memberId: 'm1', memberEpoch: 1, topicPartitions: owned }));
  assert.equal(res.errorCode, 0);
  assert.equal(res.memberEpoch, 1);
  assert.equal(res.assignment, null);
  assert.equal(h.log.length, before);
  // A full request (after an error, say) gets the assignment again.
  const full = h.heartbeat(heartbeatRequest({ memberId: 'm1', memberEpoch: 1, rebalanceTimeoutMs: 60_000, subscribedTopicNames: ['orders'], topicPartitions: owned }));
  assert.deepEqual(full.assignment, { topicPartitions: owned });
});

test('leaving bumps the epoch and the partitions go to the members that remain', () => {
  const h = new Harness({ topics: { orders: 12 } });
  const a = new SimClient(h, 'a', ['orders']);
  const b = new SimClient(h, 'b', ['orders']);
  // a is asked to revoke half, acknowledges in its next heartbeat, then b gets them.
  a.heartbeat(); b.heartbeat(); a.heartbeat(); a.heartbeat(); b.heartbeat();
  assert.equal(assignmentSize(a.owned), 6);
  assert.equal(assignmentSize(b.owned), 6);
  const epoch = h.describe().groupEpoch;
  const before = h.log.length;

  const left = b.leave();
  assert.deepEqual([left.errorCode, left.memberId, left.memberEpoch], [0, 'b', -1]);
  assert.deepEqual(h.log.slice(before).map((r) => [r.type, r.value === null]), [
    ['ConsumerGroupCurrentMemberAssignment', true],
    ['ConsumerGroupTargetAssignmentMember', true],
    ['ConsumerGroupMemberMetadata', true],
    ['ConsumerGroupMetadata', false],
  ]);
  assert.equal(h.describe().groupEpoch, epoch + 1);
  assert.equal(h.describe().groupState, 'Assigning');
  a.heartbeat();
  assert.equal(assignmentSize(a.owned), 12);
  assert.equal(h.describe().groupState, 'Stable');
  // A second leave of the same member: it is gone.
  const again = h.heartbeat(heartbeatRequest({ memberId: 'b', memberEpoch: -1 }));
  assert.equal(again.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
});

test('the last member leaving leaves an empty group that keeps its epoch', () => {
  const h = new Harness({ topics: { orders: 2 } });
  const a = new SimClient(h, 'a', ['orders']);
  a.heartbeat();
  a.leave();
  const d = h.describe();
  assert.equal(d.groupState, 'Empty');
  assert.equal(d.groupEpoch, 2);
  assert.equal(h.groups.isEmpty('g'), true);
  assert.deepEqual(h.log.slice(-2).map((r) => r.type), ['ConsumerGroupPartitionMetadata', 'ConsumerGroupMetadata'],
    'the subscription metadata loses the topic nobody subscribes to any more');
});

test('a member whose session expires is removed and its partitions reassigned; heartbeats keep a session alive', () => {
  const h = new Harness({ topics: { orders: 8 } });
  const a = new SimClient(h, 'a', ['orders']);
  const b = new SimClient(h, 'b', ['orders']);
  a.heartbeat(); b.heartbeat(); a.heartbeat(); a.heartbeat(); b.heartbeat();
  assert.equal(assignmentSize(b.owned), 4);
  b.crash();
  for (let t = 0; t < 9; t++) {
    h.advance(5000);
    a.heartbeat();
  }
  assert.deepEqual(h.describe().members.map((m) => m.memberId), ['a']);
  assert.equal(assignmentSize(a.owned), 8);
  assert.equal(h.describe().groupState, 'Stable');
  // a stops too: its session expires 45 s after its last heartbeat.
  a.crash();
  assert.equal(h.advance(44_999).length, 0);
  assert.ok(h.advance(1).length > 0);
  assert.equal(h.describe().groupState, 'Empty');
});

test('a member that does not revoke within its rebalance timeout is fenced even while heartbeating', () => {
  const h = new Harness({ topics: { orders: 4 } });
  const a = new SimClient(h, 'a', ['orders'], { slowRevocation: true });
  const b = new SimClient(h, 'b', ['orders']);
  a.heartbeat();
  b.heartbeat();
  a.heartbeat();
  assert.ok(a.revokingSinceMs !== undefined, 'a was asked to revoke');
  for (let t = 0; t < 11; t++) {
    h.advance(5000);
    assert.equal(a.heartbeat().errorCode, 0);
    b.heartbeat();
  }
  h.advance(5000);
  assert.equal(h.describe().members.length, 1, 'a was fenced at 60 s');
  assert.equal(a.heartbeat().errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  b.heartbeat();
  assert.equal(assignmentSize(b.owned), 4);
});

test('a subscription to a topic that does not exist yet is fine; the topic is assigned once created', () => {
  const h = new Harness({ topics: {} });
  const a = new SimClient(h, 'a', ['later']);
  const res = a.heartbeat();
  assert.equal(res.errorCode, 0);
  assert.deepEqual(res.assignment, { topicPartitions: [] });
  assert.equal(h.describe().groupState, 'Stable');
  h.setTopics({ later: 3 });
  a.heartbeat();
  assert.equal(h.describe().groupEpoch, 2);
  assert.equal(assignmentSize(a.owned), 3);
  h.setTopics({ later: 5, other: 1 });
  a.heartbeat();
  assert.equal(h.describe().groupEpoch, 3, 'more partitions: a new epoch');
  assert.equal(assignmentSize(a.owned), 5);
  h.setTopics({ later: 5, other: 2 });
  a.heartbeat();
  assert.equal(h.describe().groupEpoch, 3, 'a topic nobody subscribes to changes nothing');
  h.setTopics({ other: 2 });
  a.heartbeat();
  assert.equal(assignmentSize(a.owned), 0, 'a deleted topic is revoked');
});

test('a regex subscription matches whole topic names, never internal topics, and follows new topics', () => {
  const h = new Harness({ topics: { 'orders-eu': 3, 'orders-us': 2, 'payments': 4, 'my-orders-eu': 1, '__consumer_offsets': 50 } });
  const res = h.heartbeat(joinRequest('m', [], { subscribedTopicNames: null, subscribedTopicRegex: 'orders-.*' }));
  assert.equal(res.errorCode, 0, res.errorMessage ?? '');
  assert.equal(count(res.assignment!.topicPartitions), 5);
  assert.equal(h.groups.isSubscribedToTopic('g', 'orders-us'), true);
  assert.equal(h.groups.isSubscribedToTopic('g', 'payments'), false);
  const all = h.heartbeat(joinRequest('n', [], { subscribedTopicNames: null, subscribedTopicRegex: '.*' }));
  assert.equal(all.errorCode, 0);
  assert.equal(h.groups.isSubscribedToTopic('g', '__consumer_offsets'), false);
  h.setTopics({ 'orders-eu': 3, 'orders-us': 2, 'payments': 4, 'orders-asia': 7 });
  const after = h.heartbeat(heartbeatRequest({ memberId: 'm', memberEpoch: res.memberEpoch, topicPartitions: res.assignment!.topicPartitions }));
  assert.equal(after.errorCode, 0);
  assert.equal(h.describe().groupEpoch, 3, 'the new topic bumps the epoch');
  assert.equal(h.groups.isSubscribedToTopic('g', 'orders-asia'), true);
});

test('the group uses the server assignor most members ask for, else the first configured', () => {
  const h = new Harness({ topics: { t: 4 } });
  h.heartbeat(joinRequest('a', ['t']));
  assert.equal(h.describe().assignorName, 'uniform');
  h.heartbeat(joinRequest('b', ['t'], { serverAssignor: 'range' }));
  assert.equal(h.describe().assignorName, 'range');
  const bad = h.heartbeat(joinRequest('c', ['t'], { serverAssignor: 'sticky' }));
  assert.equal(bad.errorCode, ErrorCode.UNSUPPORTED_ASSIGNOR);
  assert.equal(bad.errorMessage, 'ServerAssignor sticky is not supported. Supported assignors: uniform, range.');
});

test('v0: the coordinator generates the member id of a joining member', () => {
  const h = new Harness({ topics: { t: 1 } });
  const res = h.heartbeat(joinRequest('', ['t']), { apiVersion: 0, clientId: 'c', clientHost: '/10.0.0.1' });
  assert.equal(res.errorCode, 0);
  assert.match(res.memberId ?? '', /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  assert.equal(res.memberEpoch, 1);
  assert.equal(h.describe().members[0]!.memberId, res.memberId);
});
