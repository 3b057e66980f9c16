/**
 * The wire-tap checks on hand-made exchanges: each broker-side invariant holding, and caught.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiKey, ConsumerProtocolAssignment, ErrorCode, Writer } from '../../../src/protocol/index.js';
import { assignedPartitions, checkClassicGenerations, checkConsumerGroupEpochs, checkOffsetVisibility, errorCounts } from './tap-checks.js';
import type { Death, Exchange } from './wire-tap.js';

function assignment(topic: string, partitions: number[]): Buffer {
  const w = new Writer();
  w.int16(0);
  ConsumerProtocolAssignment.encode(w, 0, { assignedPartitions: [{ topic, partitions }], userData: null });
  return w.toBuffer();
}

/** Exchanges in order; each request and response takes the next order number. */
function wire(): { x: (clientId: string, apiKey: number, request: unknown, response?: unknown) => Exchange; all: Exchange[]; death: (clientId: string) => Death } {
  const all: Exchange[] = [];
  let order = 0;
  return {
    all,
    x(clientId, apiKey, request, response) {
      const e: Exchange = { seq: all.length, connection: 1, clientId, apiKey, apiName: String(apiKey), apiVersion: 9, request, requestAt: order, requestOrder: order++ };
      if (response !== undefined) {
        e.response = response;
        e.responseAt = order;
        e.responseOrder = order++;
      }
      all.push(e);
      return e;
    },
    death: (clientId) => ({ clientId, at: order, order: order++ }),
  };
}

const join = (memberId: string, generationId: number, leader: string, members: string[] = []): unknown => ({
  errorCode: 0, generationId, protocolName: 'range', leader, memberId, members: members.map((m) => ({ memberId: m, groupInstanceId: null, metadata: Buffer.alloc(0) })),
});

test('assignedPartitions decodes the consumer protocol assignment, empty bytes as none', () => {
  assert.deepEqual(assignedPartitions(assignment('t', [3, 1]), 't'), [1, 3]);
  assert.deepEqual(assignedPartitions(assignment('t', [3, 1]), 'other'), []);
  assert.deepEqual(assignedPartitions(Buffer.alloc(0), 't'), []);
});

test('classic: one correct generation; then each broker-side mistake is named', () => {
  const w = wire();
  w.x('c1', ApiKey.JoinGroup, { groupId: 'g' }, join('m1', 1, 'm1', ['m1', 'm2']));
  w.x('c2', ApiKey.JoinGroup, { groupId: 'g' }, join('m2', 1, 'm1'));
  w.x('c1', ApiKey.SyncGroup, { groupId: 'g', generationId: 1, memberId: 'm1', assignments: [
    { memberId: 'm1', assignment: assignment('t', [0, 1]) }, { memberId: 'm2', assignment: assignment('t', [2, 3]) },
  ] }, { errorCode: 0, assignment: assignment('t', [0, 1]) });
  w.x('c2', ApiKey.SyncGroup, { groupId: 'g', generationId: 1, memberId: 'm2', assignments: [] }, { errorCode: 0, assignment: assignment('t', [2, 3]) });
  const ok = checkClassicGenerations(w.all, 't', 4);
  assert.deepEqual(ok.violations, []);
  assert.equal(ok.generations.length, 1);
  assert.deepEqual([...ok.generations[0]!.plan!], [['m1', [0, 1]], ['m2', [2, 3]]]);

  assert.equal(ok.generations[0]!.coverage, 'full');

  // Generation 2: c3 joins but is not listed to the leader, c2 is told another leader, the
  // leader's plan gives partition 1 twice, and c2 is handed a partition the leader gave c1.
  w.x('c1', ApiKey.JoinGroup, { groupId: 'g' }, join('m1', 2, 'm1', ['m1', 'm2']));
  w.x('c2', ApiKey.JoinGroup, { groupId: 'g' }, join('m2', 2, 'm2'));
  w.x('c3', ApiKey.JoinGroup, { groupId: 'g' }, join('m3', 2, 'm1'));
  w.x('c1', ApiKey.SyncGroup, { groupId: 'g', generationId: 2, memberId: 'm1', assignments: [
    { memberId: 'm1', assignment: assignment('t', [0, 1]) }, { memberId: 'm2', assignment: assignment('t', [1, 2]) },
  ] }, { errorCode: 0, assignment: assignment('t', [0, 1]) });
  w.x('c2', ApiKey.SyncGroup, { groupId: 'g', generationId: 2, memberId: 'm2', assignments: [] }, { errorCode: 0, assignment: assignment('t', [2]) });
  w.x('c3', ApiKey.SyncGroup, { groupId: 'g', generationId: 7, memberId: 'm3', assignments: [] }, { errorCode: 0, assignment: assignment('t', [3]) });
  w.x('c2', ApiKey.JoinGroup, { groupId: 'g' }, join('m2', 1, 'm1'));
  const all = checkClassicGenerations(w.all, 't', 4);
  const bad = all.violations.map((v) => v.split(':')[0]);
  assert.deepEqual(bad.sort(), ['GenerationsIncrease', 'LeaderPlanDisjoint', 'MembersListed', 'OneLeader', 'SyncMatchesPlan', 'SyncMatchesPlan'].sort());
  assert.equal(all.generations[1]!.coverage, 'partial');
  assert.deepEqual(checkClassicGenerations(w.all, 't', 4, 'other').generations, []);
});

test('classic: a member killed before its JoinGroup answer is listed to the leader without a violation', () => {
  const w = wire();
  w.x('c1', ApiKey.JoinGroup, { groupId: 'g' }, join('m1', 3, 'm1', ['m1', 'm2']));
  w.x('c2', ApiKey.JoinGroup, { groupId: 'g' });
  assert.deepEqual(checkClassicGenerations(w.all, 't', 1).violations, []);
});

const hbReq = (memberId: string, memberEpoch: number, owned: number[] | null): unknown => ({
  groupId: 'g', memberId, memberEpoch, topicPartitions: owned === null ? null : [{ topicId: 'T', partitions: owned }],
});
const hbRes = (memberId: string, memberEpoch: number, assigned: number[] | null, errorCode = 0): unknown => ({
  errorCode, memberId, memberEpoch, assignment: assigned === null ? null : { topicPartitions: [{ topicId: 'T', partitions: assigned }] },
});

test('KIP-848: a partition moves only after its owner reported releasing it', () => {
  const w = wire();
  w.x('a', ApiKey.ConsumerGroupHeartbeat, hbReq('', 0, []), hbRes('A', 1, [0, 1]));
  w.x('a', ApiKey.ConsumerGroupHeartbeat, hbReq('A', 1, [0, 1]), hbRes('A', 1, null));
  w.x('b', ApiKey.ConsumerGroupHeartbeat, hbReq('', 0, []), hbRes('B', 2, []));
  w.x('a', ApiKey.ConsumerGroupHeartbeat, hbReq('A', 1, [0, 1]), hbRes('A', 2, [0]));
  w.x('a', ApiKey.ConsumerGroupHeartbeat, hbReq('A', 2, [0]), hbRes('A', 2, null));
  w.x('b', ApiKey.ConsumerGroupHeartbeat, hbReq('B', 2, []), hbRes('B', 2, [1]));
  const ok = checkConsumerGroupEpochs(w.all);
  assert.deepEqual(ok.violations, []);
  assert.deepEqual(ok.groups.map((g) => [g.group, g.maxEpoch, g.members, g.heartbeats]), [['g', 2, 2, 6]]);

  // Partition 0 given to b while a still holds it: a violation; after a is killed it is fine.
  w.x('b', ApiKey.ConsumerGroupHeartbeat, hbReq('B', 2, [1]), hbRes('B', 3, [0, 1]));
  const bad = checkConsumerGroupEpochs(w.all);
  assert.equal(bad.violations.length, 1);
  assert.match(bad.violations[0]!, /^ExclusiveAssignment: group g: ConsumerGroupHeartbeat answered b .* partition 0 of topic T while a \(epoch 2, last heartbeat at \d+ ms\) still was assigned it/);
  w.all.pop();
  const death = w.death('a');
  w.x('b', ApiKey.ConsumerGroupHeartbeat, hbReq('B', 2, [1]), hbRes('B', 3, [0, 1]));
  assert.deepEqual(checkConsumerGroupEpochs(w.all, { deaths: [death] }).violations, []);
});

test('KIP-848: with a session timeout, a silent (killed) member holds its partitions until its session runs out', () => {
  const w = wire();
  w.x('a', ApiKey.ConsumerGroupHeartbeat, hbReq('', 0, []), hbRes('A', 1, [0]));
  w.x('b', ApiKey.ConsumerGroupHeartbeat, hbReq('', 0, []), hbRes('B', 2, []));
  // a's last heartbeat was at order 0; b is given partition 0 at order 5 and then at order 12.
  w.x('b', ApiKey.ConsumerGroupHeartbeat, hbReq('B', 2, []), hbRes('B', 3, [0]));
  const early = checkConsumerGroupEpochs(w.all, { sessionTimeoutMs: 10, slackMs: 0 });
  assert.equal(early.violations.length, 1);
  assert.match(early.violations[0]!, /answered b at 5 ms .* while a \(epoch 1, last heartbeat at 0 ms\) still was assigned it/);
  w.all.pop();
  w.x('b', ApiKey.ConsumerGroupHeartbeat, hbReq('B', 2, []));
  w.x('b', ApiKey.ConsumerGroupHeartbeat, hbReq('B', 2, []));
  w.x('b', ApiKey.ConsumerGroupHeartbeat, hbReq('B', 2, []), hbRes('B', 3, [0]));
  // Answered at order 9: past a's session of 8 from its last heartbeat (0), within one of 10.
  assert.deepEqual(checkConsumerGroupEpochs(w.all, { sessionTimeoutMs: 8, slackMs: 0 }).violations, []);
  assert.equal(checkConsumerGroupEpochs(w.all, { sessionTimeoutMs: 10, slackMs: 0 }).violations.length, 1);
});

test('KIP-848: leaving and fenced members hold nothing; epochs never go down', () => {
  const w = wire();
  w.x('a', ApiKey.ConsumerGroupHeartbeat, hbReq('', 0, []), hbRes('A', 1, [0]));
  w.x('a', ApiKey.ConsumerGroupHeartbeat, hbReq('A', -1, null), hbRes('A', -1, null));
  w.x('b', ApiKey.ConsumerGroupHeartbeat, hbReq('', 0, []), hbRes('B', 2, [0]));
  w.x('b', ApiKey.ConsumerGroupHeartbeat, hbReq('B', 2, [0]), hbRes('B', 2, null, ErrorCode.FENCED_MEMBER_EPOCH));
  w.x('c', ApiKey.ConsumerGroupHeartbeat, hbReq('', 0, []), hbRes('C', 4, [0]));
  w.x('c', ApiKey.ConsumerGroupHeartbeat, hbReq('C', 4, [0]), hbRes('C', 3, null));
  const r = checkConsumerGroupEpochs(w.all);
  assert.deepEqual(r.violations.map((v) => v.split(':')[0]), ['EpochsIncrease']);
  assert.deepEqual([...r.groups[0]!.errors], [['FENCED_MEMBER_EPOCH', 1]]);
});

const commitReq = (offset: number): unknown => ({ groupId: 'g', topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: BigInt(offset) }] }] });
const commitRes = (errorCode = 0): unknown => ({ topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode }] }] });
const fetchRes = (offset: number, v8 = false): unknown => {
  const topics = [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: BigInt(offset), errorCode: 0 }] }];
  return v8 ? { errorCode: 0, topics: [], groups: [{ groupId: 'g', errorCode: 0, topics }] } : { errorCode: 0, topics, groups: [] };
};

test('offsets: OffsetFetch answers the last acknowledged commit; refused commits do not count', () => {
  const w = wire();
  w.x('f', ApiKey.OffsetFetch, { groupId: 'g' }, fetchRes(-1));
  w.x('a', ApiKey.OffsetCommit, commitReq(5), commitRes());
  w.x('a', ApiKey.OffsetCommit, commitReq(9), commitRes(ErrorCode.ILLEGAL_GENERATION));
  w.x('f', ApiKey.OffsetFetch, { groupId: 'g' }, fetchRes(5));
  w.x('f', ApiKey.OffsetFetch, { groupId: '' }, fetchRes(5, true));
  assert.deepEqual(checkOffsetVisibility(w.all), { commits: 1, fetches: 3, violations: [] });

  w.x('f', ApiKey.OffsetFetch, { groupId: 'g' }, fetchRes(-1));
  const r = checkOffsetVisibility(w.all);
  assert.equal(r.violations.length, 1);
  assert.match(r.violations[0]!, /^CommitVisible: group g: OffsetFetch v9 by f at \d+ ms answered t-0 = -1, but OffsetCommit 5 by a was acknowledged/);
  assert.deepEqual([...errorCounts(w.all)], [['8 ILLEGAL_GENERATION', 1]]);
});

test('offsets: a commit racing with the fetch may or may not be seen', () => {
  const w = wire();
  w.x('a', ApiKey.OffsetCommit, commitReq(5), commitRes());
  const racing = w.x('a', ApiKey.OffsetCommit, commitReq(7));
  w.x('f', ApiKey.OffsetFetch, { groupId: 'g' }, fetchRes(7));
  w.x('f', ApiKey.OffsetFetch, { groupId: 'g' }, fetchRes(5));
  racing.response = commitRes();
  racing.responseAt = 99;
  racing.responseOrder = 99;
  assert.deepEqual(checkOffsetVisibility(w.all).violations, []);
});

test('offsets: a commit whose answer never came back (its client was killed) may be seen, a made-up offset may not', () => {
  const w = wire();
  w.x('a', ApiKey.OffsetCommit, commitReq(5), commitRes());
  w.x('a', ApiKey.OffsetCommit, commitReq(7));
  w.x('f', ApiKey.OffsetFetch, { groupId: 'g' }, fetchRes(7));
  assert.deepEqual(checkOffsetVisibility(w.all).violations, []);
  w.x('f', ApiKey.OffsetFetch, { groupId: 'g' }, fetchRes(6));
  assert.equal(checkOffsetVisibility(w.all).violations.length, 1);
});
