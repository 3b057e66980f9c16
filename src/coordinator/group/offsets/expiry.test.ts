import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type LeaveGroupRequest } from '../../../protocol/index.js';
import type { GroupRecord } from '../records.js';
import { OFFSET_EXPIRY_KEY } from '../shard.js';
import { commitRequest, ctx, settle, ShardHarness, subscription } from '../testing/shard-harness.js';

const MINUTE = 60_000;
const RETENTION = 60 * MINUTE;
const CHECK = 10 * MINUTE;

function harness(): ShardHarness {
  return new ShardHarness({ offsetsRetentionMs: RETENTION, offsetsRetentionCheckIntervalMs: CHECK });
}

function commit(h: ShardHarness, offsets: Record<string, Record<number, bigint>>, fields: Parameters<typeof commitRequest>[1] = {}, version = 8): void {
  h.run(h.shard.offsetCommit(ctx(version), commitRequest(offsets, fields)));
}

function describeRecords(records: readonly GroupRecord[]): string[] {
  return records.map((r) => (r.type === 'OffsetCommit' ? `offset ${r.key.group}/${r.key.topic}-${r.key.partition}` : `${r.type} ${JSON.stringify(r.key)}`)
    + (r.value === null ? ' tombstone' : ''));
}

function committed(h: ShardHarness, groupId = 'g'): string[] {
  const fetched = h.shard.offsetFetch(ctx(8), { groupId, memberId: null, memberEpoch: -1, topics: null }, false);
  return fetched.topics.flatMap((t) => t.partitions.map((p) => `${t.name}-${p.partitionIndex}`));
}

test('the expiry pass runs every offsets.retention.check.interval.ms', () => {
  const h = harness();
  assert.ok(h.timer.isScheduled(OFFSET_EXPIRY_KEY));
  h.advance(CHECK);
  assert.ok(h.timer.isScheduled(OFFSET_EXPIRY_KEY));
});

test('a simple group\'s offsets expire one by one from their commit, then the group goes', () => {
  const h = harness();
  commit(h, { t: { 0: 1n } });
  h.advance(30 * MINUTE);
  commit(h, { t: { 1: 2n } });
  h.advance(30 * MINUTE);
  assert.deepEqual(committed(h), ['t-1'], 't-0 is an hour old');
  assert.deepEqual(describeRecords(h.log.slice(-1)), ['offset g/t-0 tombstone']);
  const records = h.advance(30 * MINUTE);
  assert.deepEqual(describeRecords(records), ['offset g/t-1 tombstone', 'GroupMetadata {"group":"g"} tombstone']);
  assert.deepEqual(h.shard.listGroups([], []), []);
});

test('an explicit expire timestamp (v2-4 retention time) is honoured regardless of the group', () => {
  const h = harness();
  commit(h, { t: { 0: 1n } }, { retentionTimeMs: BigInt(5 * MINUTE) }, 2);
  commit(h, { t: { 1: 1n } });
  h.advance(CHECK);
  assert.deepEqual(committed(h), ['t-1']);
});

test('an Empty classic group keeps its offsets until retention has passed since it became Empty', async () => {
  const h = harness();
  const a = await h.joinDynamic({}, 'a');
  h.advance(3000);
  await settle();
  h.sync({ memberId: a.memberId, generationId: 1, assignments: [] });
  commit(h, { t: { 0: 1n } }, { generationIdOrMemberEpoch: 1, memberId: a.memberId });
  // The member stays two hours (heartbeating): its commit is older than the retention when it leaves.
  for (let t = 0; t < 2 * RETENTION / 5000; t++) {
    h.advance(5000);
    h.run(h.shard.heartbeat(ctx(4), { groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null }));
  }
  assert.deepEqual(committed(h), ['t-0'], 'a subscribed topic of a live group');
  const leave: LeaveGroupRequest = { groupId: 'g', memberId: '', members: [{ memberId: a.memberId, groupInstanceId: null, reason: null }] };
  h.run(h.shard.leaveGroup(ctx(3), leave));
  assert.equal(h.state(), 'Empty');
  h.advance(RETENTION - CHECK);
  assert.deepEqual(committed(h), ['t-0'], 'Empty for less than the retention');
  h.advance(2 * CHECK);
  assert.deepEqual(committed(h), []);
  assert.equal(h.state(), 'Dead', 'the Empty group without offsets is deleted');
});

test('in a Stable consumer-protocol group, offsets of topics nobody subscribes to expire from their commit', async () => {
  const h = harness();
  const a = await h.joinDynamic({ protocols: [{ name: 'range', metadata: subscription(['t']) }] }, 'a');
  h.advance(3000);
  await settle();
  h.sync({ memberId: a.memberId, generationId: 1, assignments: [] });
  commit(h, { t: { 0: 1n }, old: { 0: 2n } }, { generationIdOrMemberEpoch: 1, memberId: a.memberId });
  // Keep the member alive for more than the retention.
  for (let t = 0; t < 1.5 * RETENTION / 9000; t++) {
    h.advance(9000);
    h.run(h.shard.heartbeat(ctx(4), { groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null }));
  }
  assert.deepEqual(committed(h), ['t-0']);
  assert.equal(h.state(), 'Stable');
});

test('a group whose members do not use the consumer protocol keeps its offsets while it has members', async () => {
  const h = harness();
  const a = await h.joinDynamic({ protocolType: 'connect', protocols: [{ name: 'v1', metadata: Buffer.from([1]) }] }, 'a');
  h.advance(3000);
  await settle();
  h.sync({ memberId: a.memberId, generationId: 1, assignments: [] });
  commit(h, { t: { 0: 1n } }, { generationIdOrMemberEpoch: 1, memberId: a.memberId });
  for (let t = 0; t < 1.5 * RETENTION / 9000; t++) {
    h.advance(9000);
    h.run(h.shard.heartbeat(ctx(4), { groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null }));
  }
  assert.deepEqual(committed(h), ['t-0']);
});
