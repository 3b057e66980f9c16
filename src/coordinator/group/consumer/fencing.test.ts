import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../../protocol/index.js';
import { Harness, heartbeatRequest, joinRequest, topicIdOf } from './testing/harness.js';

const T = topicIdOf('t');
const owned = (...partitions: number[]) => [{ topicId: T, partitions }];

/** a owns t-0..3 at epoch 1; b joins (epoch 2); a is asked to give up 2 and 3. */
function twoMembers() {
  const h = new Harness({ topics: { t: 4 } });
  assert.equal(h.heartbeat(joinRequest('a', ['t'])).memberEpoch, 1);
  assert.equal(h.heartbeat(joinRequest('b', ['t'])).memberEpoch, 2);
  const revoke = h.heartbeat(heartbeatRequest({ memberId: 'a', memberEpoch: 1, topicPartitions: owned(0, 1, 2, 3) }));
  assert.deepEqual([revoke.memberEpoch, revoke.assignment], [1, { topicPartitions: owned(0, 1) }]);
  return h;
}

test('an epoch ahead of the coordinator\'s is fenced', () => {
  const h = twoMembers();
  const res = h.heartbeat(heartbeatRequest({ memberId: 'a', memberEpoch: 5, topicPartitions: owned(0, 1) }));
  assert.equal(res.errorCode, ErrorCode.FENCED_MEMBER_EPOCH);
  assert.equal(res.errorMessage, 'The consumer group member has a greater member epoch (5) than the one known by the group ' +
    'coordinator (1). The member must abandon all its partitions and rejoin.');
});

test('the previous epoch is accepted when the member owns a subset of its assignment (the bump was lost)', () => {
  const h = twoMembers();
  const acked = h.heartbeat(heartbeatRequest({ memberId: 'a', memberEpoch: 1, topicPartitions: owned(0, 1) }));
  assert.equal(acked.memberEpoch, 2);
  // The response above is lost: a retries at epoch 1.
  const retry = h.heartbeat(heartbeatRequest({ memberId: 'a', memberEpoch: 1, topicPartitions: owned(0, 1) }));
  assert.equal(retry.errorCode, 0);
  assert.equal(retry.memberEpoch, 2);
  const subset = h.heartbeat(heartbeatRequest({ memberId: 'a', memberEpoch: 1, topicPartitions: owned(1) }));
  assert.equal(subset.errorCode, 0);
});

test('the previous epoch is fenced when the member claims more, or does not say what it owns', () => {
  const h = twoMembers();
  h.heartbeat(heartbeatRequest({ memberId: 'a', memberEpoch: 1, topicPartitions: owned(0, 1) }));
  const more = h.heartbeat(heartbeatRequest({ memberId: 'a', memberEpoch: 1, topicPartitions: owned(0, 1, 2) }));
  assert.equal(more.errorCode, ErrorCode.FENCED_MEMBER_EPOCH);
  assert.match(more.errorMessage ?? '', /smaller member epoch \(1\) than the one known by the group coordinator \(2\)/);
  const unknown = h.heartbeat(heartbeatRequest({ memberId: 'a', memberEpoch: 1, topicPartitions: null }));
  assert.equal(unknown.errorCode, ErrorCode.FENCED_MEMBER_EPOCH);
  const older = h.heartbeat(heartbeatRequest({ memberId: 'b', memberEpoch: 1, topicPartitions: [] }));
  assert.equal(older.errorCode, ErrorCode.FENCED_MEMBER_EPOCH, 'b went from 0 to 2: 1 was never its epoch');
});

test('a join retried after a lost response is accepted; a rejoin of a member that moved on is fenced until it expires', () => {
  const h = new Harness({ topics: { t: 2 } });
  const first = h.heartbeat(joinRequest('a', ['t']));
  const retried = h.heartbeat(joinRequest('a', ['t']));
  assert.equal(retried.errorCode, 0);
  assert.deepEqual([retried.memberEpoch, retried.assignment], [first.memberEpoch, first.assignment]);

  h.heartbeat(joinRequest('b', ['t']));
  h.heartbeat(heartbeatRequest({ memberId: 'a', memberEpoch: 1, topicPartitions: owned(0, 1) }));
  h.heartbeat(heartbeatRequest({ memberId: 'a', memberEpoch: 1, topicPartitions: owned(0) }));
  const rejoin = h.heartbeat(joinRequest('a', ['t']));
  assert.equal(rejoin.errorCode, ErrorCode.FENCED_MEMBER_EPOCH);
  h.advance(45_000);
  assert.equal(h.heartbeat(joinRequest('a', ['t'])).errorCode, 0);
});

test('an epoch behind by more than one is fenced', () => {
  const h = new Harness({ topics: { t: 4 } });
  h.heartbeat(joinRequest('a', ['t']));
  h.heartbeat(joinRequest('b', ['t']));
  h.heartbeat(joinRequest('c', ['t']));
  const b = h.heartbeat(heartbeatRequest({ memberId: 'b', memberEpoch: 2, topicPartitions: [] }));
  assert.equal(b.memberEpoch, 3);
  h.heartbeat(joinRequest('d', ['t']));
  const c = h.heartbeat(heartbeatRequest({ memberId: 'c', memberEpoch: 3, topicPartitions: [] }));
  assert.equal(c.memberEpoch, 4);
  const stale = h.heartbeat(heartbeatRequest({ memberId: 'c', memberEpoch: 1, topicPartitions: [] }));
  assert.equal(stale.errorCode, ErrorCode.FENCED_MEMBER_EPOCH);
});
