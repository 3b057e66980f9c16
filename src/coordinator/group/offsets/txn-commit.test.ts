import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, type TxnOffsetCommitRequest, type TxnOffsetCommitResponse } from '../../../protocol/index.js';
import type { ConsumerGroupsFactory } from '../shard.js';
import { FakeConsumerGroups } from '../testing/fake-consumer-groups.js';
import { commitRequest, ctx, settle, ShardHarness, subscription } from '../testing/shard-harness.js';

const PRODUCER = 4000n;

function txnRequest(offsets: Record<string, Record<number, bigint>>, fields: Partial<TxnOffsetCommitRequest> = {}): TxnOffsetCommitRequest {
  return {
    transactionalId: 'txn', groupId: 'g', producerId: PRODUCER, producerEpoch: 2, generationId: -1, memberId: '', groupInstanceId: null,
    topics: Object.entries(offsets).map(([name, partitions]) => ({
      name,
      partitions: Object.entries(partitions).map(([p, committedOffset]) => ({
        partitionIndex: Number(p), committedOffset, committedLeaderEpoch: -1, committedMetadata: '',
      })),
    })),
    ...fields,
  };
}

/** The error code of every partition of the answer, in order. */
function txnCommit(h: ShardHarness, offsets: Record<string, Record<number, bigint>>, fields: Partial<TxnOffsetCommitRequest> = {}, version = 3): number[] {
  const response = h.run(h.shard.txnOffsetCommit(ctx(version), txnRequest(offsets, fields))).value!;
  return response.topics.flatMap((t) => t.partitions.map((p) => p.errorCode));
}

/** [offset, errorCode] of each partition of t, plain or requiring stable offsets. */
function fetched(h: ShardHarness, partitions: number[], requireStable = false, groupId = 'g'): [bigint, number][] {
  const group = h.shard.offsetFetch(ctx(8), { groupId, memberId: null, memberEpoch: -1, topics: [{ name: 't', partitionIndexes: partitions }] }, requireStable);
  return group.topics[0]!.partitions.map((p) => [p.committedOffset, p.errorCode]);
}

test('transactional offsets are written in a transactional batch and stay invisible until the commit marker', () => {
  const h = new ShardHarness();
  const result = h.shard.txnOffsetCommit(ctx(3), txnRequest({ t: { 0: 10n, 1: 11n } }));
  assert.deepEqual(result.transactional, { producerId: PRODUCER, producerEpoch: 2 });
  assert.deepEqual(result.records.map((r) => r.type === 'OffsetCommit' && [r.key.group, r.key.topic, r.key.partition, r.value?.offset]), [
    ['g', 't', 0, 10n], ['g', 't', 1, 11n],
  ]);
  h.run(result);
  assert.deepEqual(h.shard.listGroups([], []).map((g) => [g.groupId, g.groupState, g.protocolType]), [['g', 'Empty', '']], 'a simple group holds them');
  assert.deepEqual(fetched(h, [0, 1]), [[-1n, 0], [-1n, 0]], 'pending offsets are not committed ones');
  assert.deepEqual(fetched(h, [0, 1, 2], true), [[-1n, ErrorCode.UNSTABLE_OFFSET_COMMIT], [-1n, ErrorCode.UNSTABLE_OFFSET_COMMIT], [-1n, 0]]);
  h.endTransaction(PRODUCER, true);
  assert.deepEqual(fetched(h, [0, 1], true), [[10n, 0], [11n, 0]]);
});

test('an aborted transaction leaves the committed offsets as they were', () => {
  const h = new ShardHarness();
  h.run(h.shard.offsetCommit(ctx(8), commitRequest({ t: { 0: 5n } })));
  assert.deepEqual(txnCommit(h, { t: { 0: 9n } }), [0]);
  assert.deepEqual(fetched(h, [0]), [[5n, 0]], 'the last committed offset while the transaction is open');
  h.endTransaction(PRODUCER, false);
  assert.deepEqual(fetched(h, [0], true), [[5n, 0]]);
});

test('replaying the log: committed transactions count, aborted ones are dropped, an open one stays pending', () => {
  const h = new ShardHarness();
  txnCommit(h, { t: { 0: 1n } }, { groupId: 'committed', producerId: 1n });
  txnCommit(h, { t: { 0: 2n } }, { groupId: 'aborted', producerId: 2n });
  txnCommit(h, { t: { 0: 3n } }, { groupId: 'open', producerId: 3n });
  h.endTransaction(1n, true);
  h.endTransaction(2n, false);
  const replayed = h.replayed();
  assert.deepEqual(fetched(replayed, [0], true, 'committed'), [[1n, 0]]);
  assert.deepEqual(fetched(replayed, [0], true, 'aborted'), [[-1n, 0]]);
  assert.deepEqual(fetched(replayed, [0], true, 'open'), [[-1n, ErrorCode.UNSTABLE_OFFSET_COMMIT]]);
  replayed.endTransaction(3n, true);
  assert.deepEqual(fetched(replayed, [0], true, 'open'), [[3n, 0]], 'its marker after the reload commits it');
});

test('a plain commit made while the transaction was open is newer than the transaction\'s offset and stays', () => {
  const h = new ShardHarness();
  txnCommit(h, { t: { 0: 7n, 1: 7n } });
  h.run(h.shard.offsetCommit(ctx(8), commitRequest({ t: { 0: 8n } })));
  h.endTransaction(PRODUCER, true);
  assert.deepEqual(fetched(h, [0, 1]), [[8n, 0], [7n, 0]]);
  assert.deepEqual(fetched(h.replayed(), [0, 1]), [[8n, 0], [7n, 0]], 'the same after replaying the log');
});

test('without member fields a transactional commit is taken whatever the classic group does; given, they are checked', async () => {
  const h = new ShardHarness();
  const a = await h.joinDynamic({ protocols: [{ name: 'range', metadata: subscription(['t']) }] }, 'a');
  h.advance(3000);
  await settle();
  assert.equal(h.state(), 'CompletingRebalance');
  // v0-2 cannot send member fields: accepted, and not held back by the rebalance (OffsetCommit would be).
  assert.deepEqual(txnCommit(h, { t: { 0: 1n } }, {}, 0), [0]);
  assert.deepEqual(txnCommit(h, { t: { 0: 1n } }, { memberId: a.memberId, generationId: 1 }), [0]);
  assert.deepEqual(txnCommit(h, { t: { 0: 1n } }, { memberId: a.memberId, generationId: 2 }), [ErrorCode.ILLEGAL_GENERATION]);
  assert.deepEqual(txnCommit(h, { t: { 0: 1n } }, { memberId: 'stranger', generationId: 1 }), [ErrorCode.UNKNOWN_MEMBER_ID]);
  assert.deepEqual(txnCommit(h, { t: { 0: 1n } }, { memberId: '', generationId: 1 }), [ErrorCode.UNKNOWN_MEMBER_ID]);
  assert.deepEqual(txnCommit(h, { t: { 0: 1n } }, { memberId: a.memberId, groupInstanceId: 'nobody', generationId: 1 }), [ErrorCode.UNKNOWN_MEMBER_ID]);
});

test('a static member is fenced by its instance id', async () => {
  const h = new ShardHarness();
  const join = h.join({ groupInstanceId: 'i-1' });
  h.advance(3000);
  await settle();
  const memberId = join.value!.memberId;
  assert.deepEqual(txnCommit(h, { t: { 0: 1n } }, { memberId, groupInstanceId: 'i-1', generationId: 1 }), [0]);
  assert.deepEqual(txnCommit(h, { t: { 0: 1n } }, { memberId: 'old-incarnation', groupInstanceId: 'i-1', generationId: 1 }), [ErrorCode.FENCED_INSTANCE_ID]);
});

test('unknown groups, empty group ids, missing producers and oversized metadata', () => {
  const h = new ShardHarness({ offsetMetadataMaxBytes: 4 });
  assert.deepEqual(txnCommit(h, { t: { 0: 1n } }, { groupId: 'new', generationId: 3, memberId: 'm' }), [ErrorCode.ILLEGAL_GENERATION]);
  assert.deepEqual(txnCommit(h, { t: { 0: 1n, 1: 1n } }, { groupId: '' }), [ErrorCode.INVALID_GROUP_ID, ErrorCode.INVALID_GROUP_ID]);
  assert.deepEqual(txnCommit(h, { t: { 0: 1n } }, { producerId: -1n }), [ErrorCode.INVALID_PRODUCER_ID_MAPPING]);
  assert.deepEqual(h.log, [], 'refused commits write nothing');
  assert.deepEqual(h.shard.listGroups([], []), []);

  const req = txnRequest({ t: { 0: 1n, 1: 2n } });
  req.topics[0]!.partitions[1] = { ...req.topics[0]!.partitions[1]!, committedMetadata: 'too long' };
  req.topics[0]!.partitions[0] = { ...req.topics[0]!.partitions[0]!, committedMetadata: 'fits', committedLeaderEpoch: 6 };
  const result = h.shard.txnOffsetCommit(ctx(2), req);
  const response = result.response as TxnOffsetCommitResponse;
  assert.deepEqual(response.topics[0]!.partitions.map((p) => p.errorCode), [ErrorCode.NONE, ErrorCode.OFFSET_METADATA_TOO_LARGE]);
  assert.equal(result.records.length, 1);
  const record = result.records[0]!;
  assert.ok(record.type === 'OffsetCommit' && record.value);
  assert.deepEqual([record.value.metadata, record.value.leaderEpoch, record.value.commitTimestamp, record.value.expireTimestamp], ['fits', 6, BigInt(h.clock.nowMs()), -1n]);
});

test('a consumer group checks the member through its own rules', () => {
  const fake = new FakeConsumerGroups();
  fake.groups.set('g', { members: 1, subscribed: new Set() });
  const h = new ShardHarness({}, (() => fake) as ConsumerGroupsFactory);
  assert.deepEqual(txnCommit(h, { t: { 0: 1n } }, { memberId: 'm', generationId: 4, groupInstanceId: 'i' }), [0]);
  fake.commitError = ErrorCode.ILLEGAL_GENERATION;
  assert.deepEqual(txnCommit(h, { t: { 0: 1n } }, { memberId: 'm', generationId: 3 }), [ErrorCode.ILLEGAL_GENERATION]);
  assert.deepEqual(fake.calls.filter((c) => c.startsWith('validateTransactional')), [
    'validateTransactionalOffsetCommit g m i 4', 'validateTransactionalOffsetCommit g m null 3',
  ]);
});

test('deleting a group or its offsets drops pending transactional offsets too; a later commit marker brings nothing back', () => {
  const h = new ShardHarness();
  txnCommit(h, { t: { 0: 1n } }, { groupId: 'gone' });
  txnCommit(h, { t: { 0: 2n, 1: 2n } }, { groupId: 'trimmed', producerId: 77n });
  const deleted = h.run(h.shard.deleteGroups(ctx(2), ['gone'])).value!;
  assert.deepEqual(deleted, [{ groupId: 'gone', errorCode: ErrorCode.NONE }]);
  assert.deepEqual(h.log.slice(-2).map((r) => [r.type, r.value]), [['OffsetCommit', null], ['GroupMetadata', null]]);
  const trimmed = h.run(h.shard.offsetDelete(ctx(0), { groupId: 'trimmed', topics: [{ name: 't', partitions: [{ partitionIndex: 1 }] }] })).value!;
  assert.equal(trimmed.errorCode, ErrorCode.NONE);
  assert.deepEqual(fetched(h, [1], true, 'trimmed'), [[-1n, 0]], 'the tombstone took the pending offset away');
  h.endTransaction(PRODUCER, true);
  h.endTransaction(77n, true);
  assert.deepEqual(fetched(h, [0], false, 'gone'), [[-1n, 0]]);
  assert.deepEqual(fetched(h, [0, 1], false, 'trimmed'), [[2n, 0], [-1n, 0]]);
  assert.deepEqual(fetched(h.replayed(), [0, 1], false, 'trimmed'), [[2n, 0], [-1n, 0]]);
});

test('offset expiry leaves a group with an open transaction alone', () => {
  const h = new ShardHarness({ offsetsRetentionMs: 60_000, offsetsRetentionCheckIntervalMs: 10_000 });
  txnCommit(h, { t: { 0: 1n } });
  h.advance(120_000);
  assert.deepEqual(h.shard.listGroups([], []).map((g) => g.groupId), ['g']);
  h.endTransaction(PRODUCER, true);
  assert.deepEqual(fetched(h, [0]), [[1n, 0]]);
  h.advance(70_000);
  assert.deepEqual(fetched(h, [0]), [[-1n, 0]], 'committed, the offset expires like any other');
  assert.deepEqual(h.shard.listGroups([], []), []);
});
