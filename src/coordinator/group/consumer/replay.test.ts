import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../../protocol/index.js';
import { ManualTimer } from '../testing/manual-timer.js';
import { Harness, heartbeatRequest, joinRequest, throughCodecs } from './testing/harness.js';
import { SimClient } from './testing/sim-client.js';

/** A scenario touching every record type: joins, static bounce, leave, expiry, metadata changes, regex. */
function scenario(): { h: Harness; clients: SimClient[] } {
  const h = new Harness({ topics: { orders: 12, 'audit-1': 2 } });
  const a = new SimClient(h, 'a', ['orders'], { slowRevocation: true });
  const b = new SimClient(h, 'b', ['orders'], { instanceId: 'static-b' });
  const c = new SimClient(h, 'c', ['orders', 'audit-1']);
  for (const x of [a, b, c]) x.heartbeat();
  for (let i = 0; i < 3; i++) for (const x of [a, b, c]) x.heartbeat();
  b.leave(-2);
  const b2 = new SimClient(h, 'b2', ['orders'], { instanceId: 'static-b' });
  b2.heartbeat();
  h.heartbeat(joinRequest('r', [], { subscribedTopicNames: null, subscribedTopicRegex: 'audit-.*', serverAssignor: 'range' }));
  h.setTopics({ orders: 16, 'audit-1': 2, 'audit-2': 3 });
  for (const x of [a, b2, c]) x.heartbeat();
  c.leave();
  const d = new SimClient(h, 'd', ['orders']);
  d.heartbeat();
  a.heartbeat();
  // d crashes; its session expires while the others keep heartbeating.
  d.crash();
  for (let i = 0; i < 10; i++) { h.advance(5000); a.heartbeat(); b2.heartbeat(); }
  // a is left in the middle of a revocation.
  new SimClient(h, 'e', ['orders']).heartbeat();
  a.heartbeat();
  return { h, clients: [a, b2, d] };
}

test('replaying a scenario\'s records (through their codecs) rebuilds the same groups', () => {
  const { h } = scenario();
  const types = new Set(h.log.map((r) => `${r.type}${r.value === null ? ' tombstone' : ''}`));
  for (const t of ['ConsumerGroupMemberMetadata tombstone', 'ConsumerGroupPartitionMetadata', 'ConsumerGroupTargetAssignmentMember tombstone',
    'ConsumerGroupTargetAssignmentMetadata', 'ConsumerGroupCurrentMemberAssignment tombstone']) {
    assert.ok(types.has(t), `the scenario writes ${t}`);
  }
  const replayed = h.replayed();
  assert.deepEqual(replayed.describe(['g', 'missing'], false), h.groups.describe(['g', 'missing'], false));
  assert.deepEqual(replayed.list(), h.groups.list());
  assert.equal(h.describe().groupState, 'Reconciling');
});

test('after a reload the coordinator carries on exactly as the original', () => {
  const { h } = scenario();
  const timer = new ManualTimer(h.clock);
  const replayed = h.replayed(timer);
  const members = h.describe().members;
  for (const m of members) {
    const req = heartbeatRequest({ memberId: m.memberId, memberEpoch: m.memberEpoch, instanceId: m.instanceId,
      topicPartitions: m.assignment.topicPartitions.map(({ topicId, partitions }) => ({ topicId, partitions })) });
    const original = h.groups.heartbeat({ apiVersion: 1, clientId: 'x', clientHost: 'y' }, req);
    const reloaded = replayed.heartbeat({ apiVersion: 1, clientId: 'x', clientHost: 'y' }, req);
    assert.deepEqual(reloaded, original, `heartbeat of ${m.memberId}`);
  }
  assert.deepEqual(replayed.describe(['g'], false), h.groups.describe(['g'], false));
});

test('onLoaded re-arms session timeouts for every member and the rebalance timeout of a member revoking', () => {
  const { h } = scenario();
  const timer = new ManualTimer(h.clock);
  h.replayed(timer);
  const keys = timer.scheduledKeys();
  for (const m of h.describe().members) {
    assert.ok(keys.some((k) => k.startsWith('consumer-group-session-timeout') && k.includes(`"${m.memberId}"`)), `session of ${m.memberId}`);
  }
  assert.deepEqual(keys.filter((k) => k.startsWith('consumer-group-rebalance-timeout')), ['consumer-group-rebalance-timeout:["g","a"]']);
  // Nobody heartbeats to the reloaded coordinator: the sessions expire and the group empties.
  const records = timer.advance(45_000);
  assert.ok(records.length > 0);
});

test('onUnloaded cancels the timers of every member', () => {
  const { h } = scenario();
  h.groups.onUnloaded();
  assert.deepEqual(h.timer.scheduledKeys(), []);
});

test('delete: NON_EMPTY_GROUP while members remain; tombstones in Kafka\'s order for an empty group', () => {
  const h = new Harness({ topics: { t: 2 } });
  h.heartbeat(joinRequest('a', ['t']));
  assert.deepEqual(h.groups.delete('g'), { errorCode: ErrorCode.NON_EMPTY_GROUP, records: [] });
  assert.equal(h.groups.delete('nope').errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
  h.heartbeat(heartbeatRequest({ memberId: 'a', memberEpoch: -1 }));
  const { errorCode, records } = h.groups.delete('g');
  assert.equal(errorCode, 0);
  assert.deepEqual(records.map((r) => [r.type, r.value]), [
    ['ConsumerGroupTargetAssignmentMetadata', null],
    ['ConsumerGroupPartitionMetadata', null],
    ['ConsumerGroupMetadata', null],
  ]);
  assert.equal(h.groups.has('g'), false);
  h.log.push(...records);
  assert.equal(h.replayed().has('g'), false, 'replaying the tombstones deletes the group');
});

test('replay ignores tombstones of unknown groups and members, and declines other record types', () => {
  const h = new Harness();
  const groups = h.newGroups();
  const tombstones = [
    { type: 'ConsumerGroupMetadata', key: { groupId: 'x' }, value: null },
    { type: 'ConsumerGroupMemberMetadata', key: { groupId: 'x', memberId: 'm' }, value: null },
    { type: 'ConsumerGroupCurrentMemberAssignment', key: { groupId: 'x', memberId: 'm' }, value: null },
    { type: 'ConsumerGroupPartitionMetadata', key: { groupId: 'x' }, value: null },
  ] as const;
  for (const t of tombstones) assert.equal(groups.replay(throughCodecs(t)), true);
  assert.equal(groups.has('x'), false);
  assert.equal(groups.replay({ type: 'GroupMetadata', key: { group: 'x' }, value: null }), false);
});
