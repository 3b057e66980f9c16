import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../common/clock.js';
import { SeededRandom } from '../../../common/random.js';
import { ErrorCode } from '../../../protocol/index.js';
import { DEFAULT_GROUP_COORDINATOR_CONFIG } from '../shard-api.js';
import { FakeConsumerGroups } from '../testing/fake-consumer-groups.js';
import { ManualTimer } from '../testing/manual-timer.js';
import type { OffsetsEnv } from './env.js';
import { fetchOffsets } from './fetch.js';
import { type CommittedOffset, OffsetStore } from './store.js';
import { ClassicGroup } from '../classic/group.js';

const offset = (n: bigint): CommittedOffset => ({ offset: n, leaderEpoch: -1, metadata: '', commitTimestampMs: 0, expireTimestampMs: null });

test('pending transactional offsets stay invisible until their transaction commits', () => {
  const store = new OffsetStore();
  store.put('g', 't', 0, offset(1n));
  store.putPending(7n, 'g', 't', 0, offset(5n));
  store.putPending(7n, 'g', 't', 1, offset(6n));
  assert.equal(store.get('g', 't', 0)!.offset, 1n);
  assert.ok(store.hasPending('g', 't', 1) && store.hasOpenTransactions('g'));
  assert.deepEqual(store.partitionsOfGroup('g').map((p) => `${p.topic}-${p.partition}`).sort(), ['t-0', 't-1']);
  store.endTransaction(7n, true);
  assert.equal(store.get('g', 't', 0)!.offset, 5n);
  assert.equal(store.get('g', 't', 1)!.offset, 6n);
  assert.ok(!store.hasOpenTransactions('g'));

  store.putPending(8n, 'g', 't', 2, offset(9n));
  store.endTransaction(8n, false);
  assert.equal(store.get('g', 't', 2), undefined);
  assert.ok(!store.hasPending('g', 't', 2));
});

test('a fetch that requires stable offsets gets UNSTABLE_OFFSET_COMMIT where a transaction is pending', () => {
  const clock = new ManualClock();
  const store = new OffsetStore();
  const env: OffsetsEnv = {
    config: DEFAULT_GROUP_COORDINATOR_CONFIG, clock, store,
    classic: { config: DEFAULT_GROUP_COORDINATOR_CONFIG, clock, random: new SeededRandom(1), timer: new ManualTimer(clock), groups: new Map() },
    consumerGroups: new FakeConsumerGroups(), apply: () => {},
  };
  env.classic.groups.set('g', ClassicGroup.create('g', clock.nowMs()));
  store.put('g', 't', 0, offset(1n));
  store.putPending(3n, 'g', 't', 0, offset(2n));
  const request = { groupId: 'g', memberId: null, memberEpoch: -1, topics: [{ name: 't', partitionIndexes: [0] }] };
  assert.equal(fetchOffsets(env, request, true).topics[0]!.partitions[0]!.errorCode, ErrorCode.UNSTABLE_OFFSET_COMMIT);
  const relaxed = fetchOffsets(env, request, false).topics[0]!.partitions[0]!;
  assert.deepEqual([relaxed.errorCode, relaxed.committedOffset], [ErrorCode.NONE, 1n]);
  assert.equal(fetchOffsets(env, { ...request, topics: null }, true).topics[0]!.partitions[0]!.errorCode, ErrorCode.UNSTABLE_OFFSET_COMMIT);
});
