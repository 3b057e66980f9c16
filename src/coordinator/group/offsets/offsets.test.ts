import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, type OffsetCommitRequest } from '../../../protocol/index.js';
import { encodeGroupRecord } from '../records-serde.js';
import type { OffsetFetchGroupRequest } from '../shard-api.js';
import { commitRequest, ctx, settle, ShardHarness, subscription } from '../testing/shard-harness.js';

function commit(h: ShardHarness, offsets: Record<string, Record<number, bigint>>, fields: Partial<OffsetCommitRequest> = {}, version = 8): number[] {
  const response = h.run(h.shard.offsetCommit(ctx(version), commitRequest(offsets, fields))).value!;
  return response.topics.flatMap((t) => t.partitions.map((p) => p.errorCode));
}

function fetch(h: ShardHarness, topics: OffsetFetchGroupRequest['topics'], groupId = 'g') {
  return h.shard.offsetFetch(ctx(8), { groupId, memberId: null, memberEpoch: -1, topics }, false);
}

/** Two members (a subscribed to t, b to t and u), Stable at generation 1. */
async function stableGroup(h = new ShardHarness()) {
  const a = await h.joinDynamic({ protocols: [{ name: 'range', metadata: subscription(['t']) }] }, 'a');
  const b = await h.joinDynamic({ protocols: [{ name: 'range', metadata: subscription(['t', 'u']) }] }, 'b');
  h.advance(6000);
  await settle();
  h.sync({ memberId: b.memberId, generationId: 1 });
  h.sync({ memberId: a.memberId, generationId: 1, assignments: [] });
  await settle();
  return { h, a: a.memberId, b: b.memberId };
}

test('a commit outside group management creates an Empty group whose offsets can be fetched', () => {
  const h = new ShardHarness();
  assert.deepEqual(commit(h, { t: { 0: 10n, 1: 11n } }), [0, 0]);
  assert.deepEqual(h.log.map((r) => r.type), ['OffsetCommit', 'OffsetCommit']);
  const record = h.log[0]!;
  assert.ok(record.type === 'OffsetCommit' && record.value);
  assert.equal(record.value.commitTimestamp, BigInt(h.clock.nowMs()));
  assert.equal(encodeGroupRecord(record).value!.readInt16BE(0), 3, 'written as OffsetCommitValue v3');
  assert.deepEqual(h.shard.listGroups([], []), [{ groupId: 'g', protocolType: '', groupState: 'Empty', groupType: 'classic' }]);
  const fetched = fetch(h, [{ name: 't', partitionIndexes: [0, 1, 2] }]);
  assert.equal(fetched.errorCode, ErrorCode.NONE);
  assert.deepEqual(fetched.topics[0]!.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.metadata, p.errorCode]), [
    [0, 10n, '', 0], [1, 11n, '', 0], [2, -1n, '', 0],
  ]);
});

test('leader epoch and metadata are kept; metadata over offset.metadata.max.bytes is refused per partition', () => {
  const h = new ShardHarness({ offsetMetadataMaxBytes: 5 });
  const req = commitRequest({ t: { 0: 1n, 1: 2n } });
  req.topics[0]!.partitions[0] = { ...req.topics[0]!.partitions[0]!, committedLeaderEpoch: 4, committedMetadata: 'hello' };
  req.topics[0]!.partitions[1] = { ...req.topics[0]!.partitions[1]!, committedMetadata: 'too long' };
  const response = h.run(h.shard.offsetCommit(ctx(8), req)).value!;
  assert.deepEqual(response.topics[0]!.partitions.map((p) => p.errorCode), [ErrorCode.NONE, ErrorCode.OFFSET_METADATA_TOO_LARGE]);
  const p = fetch(h, [{ name: 't', partitionIndexes: [0, 1] }]).topics[0]!.partitions;
  assert.deepEqual([p[0]!.committedOffset, p[0]!.committedLeaderEpoch, p[0]!.metadata], [1n, 4, 'hello']);
  assert.equal(p[1]!.committedOffset, -1n);
});

test('OffsetFetch: an unknown group answers -1 without an error; null topics means every committed offset', () => {
  const h = new ShardHarness();
  const unknown = fetch(h, [{ name: 't', partitionIndexes: [0] }], 'nobody');
  assert.deepEqual([unknown.errorCode, unknown.topics[0]!.partitions[0]!.committedOffset], [ErrorCode.NONE, -1n]);
  assert.deepEqual(fetch(h, null, 'nobody').topics, []);
  commit(h, { t: { 0: 5n }, u: { 3: 7n } });
  const all = fetch(h, null);
  assert.deepEqual(all.topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.committedOffset])]), [
    ['t', [[0, 5n]]], ['u', [[3, 7n]]],
  ]);
  assert.equal(fetch(h, null, '').errorCode, ErrorCode.INVALID_GROUP_ID);
});

test('classic commit checks: generation, member, rebalance state, fenced instance, simple commits on live groups', async () => {
  const { h, a, b } = await stableGroup();
  assert.deepEqual(commit(h, { t: { 0: 1n } }, { generationIdOrMemberEpoch: 1, memberId: a }), [ErrorCode.NONE]);
  assert.deepEqual(commit(h, { t: { 0: 1n } }, { generationIdOrMemberEpoch: 2, memberId: a }), [ErrorCode.ILLEGAL_GENERATION]);
  assert.deepEqual(commit(h, { t: { 0: 1n } }, { generationIdOrMemberEpoch: 1, memberId: 'x' }), [ErrorCode.UNKNOWN_MEMBER_ID]);
  assert.deepEqual(commit(h, { t: { 0: 1n } }), [ErrorCode.UNKNOWN_MEMBER_ID], 'a simple commit needs an Empty group');
  assert.deepEqual(commit(h, { t: { 0: 1n } }, { generationIdOrMemberEpoch: 1, memberId: a, groupInstanceId: 'i' }), [ErrorCode.UNKNOWN_MEMBER_ID]);
  assert.deepEqual(commit(h, { t: { 0: 1n } }, { groupId: '' }), [ErrorCode.INVALID_GROUP_ID]);
  // A new member joins: the group rebalances; after the join phase it is CompletingRebalance.
  h.join({ memberId: a });
  h.join({ memberId: b });
  await settle();
  assert.equal(h.state(), 'CompletingRebalance');
  assert.deepEqual(commit(h, { t: { 0: 1n } }, { generationIdOrMemberEpoch: 2, memberId: a }), [ErrorCode.REBALANCE_IN_PROGRESS]);
});

test('a static member fenced by its replacement cannot commit', async () => {
  const h = new ShardHarness();
  const first = h.join({ groupInstanceId: 'i1' });
  h.advance(3000);
  await settle();
  const old = first.value!.memberId;
  h.sync({ memberId: old, groupInstanceId: 'i1', generationId: 1, assignments: [] });
  h.join({ groupInstanceId: 'i1' });
  assert.deepEqual(commit(h, { t: { 0: 1n } }, { generationIdOrMemberEpoch: 1, memberId: old, groupInstanceId: 'i1' }), [ErrorCode.FENCED_INSTANCE_ID]);
});

test('a commit with a generation to a group that does not exist: ILLEGAL_GENERATION, GROUP_ID_NOT_FOUND from v9', () => {
  const h = new ShardHarness();
  assert.deepEqual(commit(h, { t: { 0: 1n } }, { generationIdOrMemberEpoch: 3, memberId: 'm' }, 8), [ErrorCode.ILLEGAL_GENERATION]);
  assert.deepEqual(commit(h, { t: { 0: 1n } }, { generationIdOrMemberEpoch: 3, memberId: 'm' }, 9), [ErrorCode.GROUP_ID_NOT_FOUND]);
  assert.deepEqual(h.shard.listGroups([], []), []);
});

test('a retention time (v2-4) becomes an expire timestamp, written as value v1', () => {
  const h = new ShardHarness();
  commit(h, { t: { 0: 1n } }, { retentionTimeMs: 60_000n }, 2);
  const record = h.log[0]!;
  assert.ok(record.type === 'OffsetCommit' && record.value);
  assert.equal(record.value.expireTimestamp, BigInt(h.clock.nowMs() + 60_000));
  assert.equal(encodeGroupRecord(record).value!.readInt16BE(0), 1);
});

test('OffsetDelete: unknown group, live non-consumer group, subscribed topics, and tombstones for the rest', async () => {
  const h = new ShardHarness();
  const del = (groupId: string, topics: Record<string, number[]>) => h.run(h.shard.offsetDelete(ctx(0), {
    groupId, topics: Object.entries(topics).map(([name, ps]) => ({ name, partitions: ps.map((partitionIndex) => ({ partitionIndex })) })),
  })).value!;
  assert.equal(del('nobody', { t: [0] }).errorCode, ErrorCode.GROUP_ID_NOT_FOUND);

  const { a } = await stableGroup(h);
  commit(h, { t: { 0: 1n }, v: { 0: 2n, 1: 3n } }, { generationIdOrMemberEpoch: 1, memberId: a });
  const before = h.log.length;
  const response = del('g', { t: [0], u: [0], v: [0, 5] });
  assert.equal(response.errorCode, ErrorCode.NONE);
  assert.deepEqual(response.topics.map((t) => [t.name, t.partitions.map((p) => p.errorCode)]), [
    ['t', [ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC]], ['u', [ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC]], ['v', [0, 0]],
  ]);
  assert.deepEqual(h.log.slice(before).map((r) => r.type === 'OffsetCommit' && [r.key.topic, r.key.partition, r.value]), [['v', 0, null]]);
  assert.equal(fetch(h, [{ name: 'v', partitionIndexes: [0, 1] }]).topics[0]!.partitions.map((p) => p.committedOffset).join(), '-1,3');

  const other = new ShardHarness();
  const m = await other.joinDynamic({ protocolType: 'connect', protocols: [{ name: 'x', metadata: Buffer.alloc(0) }] });
  other.advance(3000);
  await settle();
  other.sync({ memberId: m.memberId, generationId: 1, assignments: [] });
  const refused = other.run(other.shard.offsetDelete(ctx(0), { groupId: 'g', topics: [] })).value!;
  assert.equal(refused.errorCode, ErrorCode.NON_EMPTY_GROUP);
});

test('DeleteGroups: GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, and tombstones for an Empty group and its offsets', async () => {
  const { h } = await stableGroup();
  commit(h, { t: { 0: 1n } }, { groupId: 'simple' });
  const before = h.log.length;
  const result = h.run(h.shard.deleteGroups(ctx(2), ['g', 'simple', 'missing'])).value!;
  assert.deepEqual(result.map((r) => [r.groupId, r.errorCode]), [
    ['g', ErrorCode.NON_EMPTY_GROUP], ['simple', ErrorCode.NONE], ['missing', ErrorCode.GROUP_ID_NOT_FOUND],
  ]);
  assert.deepEqual(h.log.slice(before).map((r) => [r.type, r.value]), [['OffsetCommit', null], ['GroupMetadata', null]]);
  assert.deepEqual(h.shard.listGroups([], []).map((g) => g.groupId), ['g']);
  assert.equal(fetch(h, [{ name: 't', partitionIndexes: [0] }], 'simple').topics[0]!.partitions[0]!.committedOffset, -1n);
});

test('deleted topics lose their committed offsets in every group', () => {
  const h = new ShardHarness();
  commit(h, { t: { 0: 1n, 1: 2n }, u: { 0: 3n } }, { groupId: 'g1' });
  commit(h, { t: { 0: 4n } }, { groupId: 'g2' });
  const records = h.shard.onTopicsDeleted(['t', 'absent']);
  assert.deepEqual(records.map((r) => r.type === 'OffsetCommit' && [r.key.group, r.key.topic, r.key.partition, r.value]), [
    ['g1', 't', 0, null], ['g1', 't', 1, null], ['g2', 't', 0, null],
  ]);
  assert.deepEqual(fetch(h, null, 'g1').topics.map((t) => t.name), ['u']);
  assert.deepEqual(fetch(h, null, 'g2').topics, []);
});
