import { test } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock } from '../../common/clock.js';
import { decodeGroupRecord, encodeGroupRecord } from '../../coordinator/group/records-serde.js';
import type { CoordinatorResult, GroupCoordinatorShardApi } from '../../coordinator/group/shard-api.js';
import {
  CompressionCodec, ErrorCode, type HeartbeatRequest, type JoinGroupRequest, type OffsetCommitRequest, decodeRecordBatchSync, defaultJoinGroupRequest,
} from '../../protocol/index.js';
import { silentLogger } from '../logger.js';
import { CoarseTimer } from './coarse-timer.js';
import { type Outcome, ShardRuntime } from './shard-runtime.js';
import { FakeShard, commitRecord } from './testing/fake-shard.js';
import { MemoryCoordinatorLog } from './testing/memory-log.js';

const serde = { encode: encodeGroupRecord, decode: decodeGroupRecord };
const CTX = { apiVersion: 8, clientId: 'c', clientHost: '/127.0.0.1' };

function runtime(log: MemoryCoordinatorLog, options: { loadBufferSize?: number; maxQueued?: number; compression?: CompressionCodec } = {}) {
  const timer = new CoarseTimer(systemClock, (e) => { throw e; });
  const rt = new ShardRuntime({
    topic: '__consumer_offsets', partition: 3, log, serde, timer, clock: systemClock, logger: silentLogger,
    newShard: (p, t) => FakeShard.asApi(p, t),
    compression: options.compression ?? CompressionCodec.None,
    loadBufferSize: options.loadBufferSize ?? 1 << 20,
    maxQueued: options.maxQueued ?? 100,
  });
  return { rt, timer };
}

function commit(group: string, offsets: [string, number, bigint][]): OffsetCommitRequest {
  return {
    groupId: group, generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1n,
    topics: offsets.map(([name, partitionIndex, committedOffset]) => ({
      name, partitions: [{ partitionIndex, committedOffset, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: null }],
    })),
  };
}

const shardOf = (rt: ShardRuntime): FakeShard => (rt as unknown as { shard: FakeShard }).shard;

function ok<R>(outcome: Outcome<R>): R {
  assert.ok(outcome.ok, `expected success, got error ${outcome.ok ? '' : outcome.errorCode}`);
  return outcome.response as R;
}

test('a write appends its records as one batch before the answer; reads see them', async () => {
  const log = new MemoryCoordinatorLog();
  const { rt, timer } = runtime(log, { compression: CompressionCodec.Gzip });
  await rt.loaded;
  assert.equal(rt.state, 'active');
  const answer = ok(await rt.write((s) => s.offsetCommit(CTX, commit('g', [['t', 0, 5n], ['t', 1, 7n], ['u', 0, 9n]]))));
  assert.deepEqual(answer.topics.map((t) => t.name), ['t', 't', 'u']);
  const batches = log.batches(3);
  assert.equal(batches.length, 1);
  const batch = decodeRecordBatchSync(batches[0]!, { maxUncompressedBytes: 1 << 20 });
  assert.equal(batch.compression, CompressionCodec.Gzip);
  assert.equal(batch.records.length, 3);
  assert.deepEqual(decodeGroupRecord(batch.records[0]!.key!, batch.records[0]!.value), commitRecord('g', 't', 0, 5n));
  const fetched = ok(await rt.read((s) => s.offsetFetch(CTX, { groupId: 'g', memberId: null, memberEpoch: -1, topics: [{ name: 't', partitionIndexes: [0, 1, 2] }] }, false)));
  assert.deepEqual(fetched.topics[0]!.partitions.map((p) => p.committedOffset), [5n, 7n, -1n]);
  await rt.unload();
  timer.stop();
});

test('operations run one at a time: the second starts only after the first one\'s append', async () => {
  const log = new MemoryCoordinatorLog();
  const { rt, timer } = runtime(log);
  await rt.loaded;
  let release!: () => void;
  log.appendGate = new Promise((r) => { release = r; });
  const order: string[] = [];
  const first = rt.write((s) => { order.push('first runs'); return s.offsetCommit(CTX, commit('g', [['t', 0, 1n]])); }).then(() => order.push('first answered'));
  const second = rt.write((s) => { order.push('second runs'); return s.offsetCommit(CTX, commit('g', [['t', 0, 2n]])); }).then(() => order.push('second answered'));
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(order, ['first runs']);
  log.appendGate = undefined;
  release();
  await Promise.all([first, second]);
  assert.deepEqual(order, ['first runs', 'first answered', 'second runs', 'second answered']);
  await rt.unload();
  timer.stop();
});

test('loading replays the log in chunks of the load buffer size; requests wait out the load with COORDINATOR_LOAD_IN_PROGRESS', async () => {
  const log = new MemoryCoordinatorLog();
  const first = runtime(log);
  await first.rt.loaded;
  for (let i = 0; i < 50; i++) ok(await first.rt.write((s) => s.offsetCommit(CTX, commit(`g${i}`, [['t', 0, BigInt(i)], ['t', 1, BigInt(i * 2)]]))));
  // A tombstone wins over the commit before it.
  ok(await first.rt.write((): CoordinatorResult<null> => ({ records: [commitRecord('g0', 't', 0, null)], response: null })));
  await first.rt.unload();
  first.timer.stop();

  let open!: () => void;
  log.readGate = new Promise((r) => { open = r; });
  log.reads = 0;
  const second = runtime(log, { loadBufferSize: 300 });
  assert.equal(second.rt.state, 'loading');
  const refused = await second.rt.write((s) => s.offsetCommit(CTX, commit('g', [['t', 0, 1n]])));
  assert.deepEqual(refused, { ok: false, errorCode: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS });
  log.readGate = undefined;
  open();
  await second.rt.loaded;
  assert.equal(second.rt.state, 'active');
  const shard = shardOf(second.rt);
  assert.equal(shard.loaded, true);
  assert.equal(shard.replayed, 101);
  assert.equal(shard.offsets.get('g0/t/0'), undefined);
  assert.equal(shard.offsets.get('g49/t/1'), 98n);
  assert.ok(log.reads > 5, `${log.reads} reads of at most 300 bytes`);
  assert.equal(second.rt.lastLoad?.records, 101);
  assert.equal(second.rt.lastLoad?.nextOffset, 101n);
  await second.rt.unload();
  second.timer.stop();
});

test('a failed append answers with Kafka\'s mapping and reloads the shard, so memory matches the log again', async () => {
  const cases: [number, number][] = [
    [ErrorCode.NOT_LEADER_OR_FOLLOWER, ErrorCode.NOT_COORDINATOR],
    [ErrorCode.KAFKA_STORAGE_ERROR, ErrorCode.NOT_COORDINATOR],
    [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.COORDINATOR_NOT_AVAILABLE],
    [ErrorCode.NOT_ENOUGH_REPLICAS, ErrorCode.COORDINATOR_NOT_AVAILABLE],
    [ErrorCode.REQUEST_TIMED_OUT, ErrorCode.COORDINATOR_NOT_AVAILABLE],
    [ErrorCode.MESSAGE_TOO_LARGE, ErrorCode.UNKNOWN_SERVER_ERROR],
    [ErrorCode.RECORD_LIST_TOO_LARGE, ErrorCode.UNKNOWN_SERVER_ERROR],
    [ErrorCode.CORRUPT_MESSAGE, ErrorCode.CORRUPT_MESSAGE],
  ];
  const log = new MemoryCoordinatorLog();
  const { rt, timer } = runtime(log);
  await rt.loaded;
  ok(await rt.write((s) => s.offsetCommit(CTX, commit('g', [['t', 0, 1n]]))));
  for (const [appendError, answered] of cases) {
    const before = shardOf(rt);
    log.failNextAppends.push(appendError);
    const outcome = await rt.write((s) => s.offsetCommit(CTX, commit('g', [['t', 0, 99n]])));
    assert.deepEqual(outcome, { ok: false, errorCode: answered }, `append error ${appendError}`);
    assert.equal(before.unloaded, true);
    assert.notEqual(shardOf(rt), before);
    assert.equal(shardOf(rt).offsets.get('g/t/0'), 1n, 'the failed commit is gone from memory');
    assert.equal(rt.state, 'active');
  }
  // A shard that throws is reloaded too, and the client gets UNKNOWN_SERVER_ERROR.
  const before = shardOf(rt);
  assert.deepEqual(await rt.write((s) => s.leaveGroup(CTX, { groupId: 'g', memberId: 'm', members: [] })), { ok: false, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR });
  assert.notEqual(shardOf(rt), before);
  ok(await rt.write((s) => s.offsetCommit(CTX, commit('g', [['t', 0, 2n]]))));
  assert.equal(shardOf(rt).offsets.get('g/t/0'), 2n);
  await rt.unload();
  timer.stop();
});

test('a deferred answer is awaited by the caller, not by the queue; unloading answers what is pending', async () => {
  const log = new MemoryCoordinatorLog();
  const { rt, timer } = runtime(log);
  await rt.loaded;
  const join: JoinGroupRequest = { ...defaultJoinGroupRequest(), groupId: 'g' };
  const outcome = await rt.write((s) => s.joinGroup(CTX, join));
  assert.ok(outcome.ok);
  assert.equal(log.batches(3).length, 1, 'the join\'s record is durable before the outcome');
  let answered = false;
  const pending = (outcome.response as { promise: Promise<{ memberId: string }> }).promise.then((r) => { answered = true; return r; });
  // The queue is free: other operations run while the join waits.
  ok(await rt.write((s) => s.offsetCommit(CTX, commit('g', [['t', 0, 1n]]))));
  assert.equal(answered, false);
  await rt.write((s) => { (s as unknown as FakeShard).release('m-1'); return { records: [], response: null }; });
  assert.equal((await pending).memberId, 'm-1');

  const second = await rt.write((s) => s.joinGroup(CTX, join));
  assert.ok(second.ok);
  await rt.unload();
  assert.equal((await (second.response as { promise: Promise<{ errorCode: number }> }).promise).errorCode, ErrorCode.NOT_COORDINATOR);
  assert.deepEqual(await rt.write((s) => s.offsetCommit(CTX, commit('g', []))), { ok: false, errorCode: ErrorCode.NOT_COORDINATOR });
  timer.stop();
});

test('timer operations run on the shard\'s queue and their records are appended; rescheduling replaces, unloading cancels', async () => {
  const log = new MemoryCoordinatorLog();
  const { rt, timer } = runtime(log);
  await rt.loaded;
  const hb = (memberId: string, delayMs: number): HeartbeatRequest => ({ groupId: 'g', generationId: delayMs, memberId, groupInstanceId: null });
  ok(await rt.write((s) => s.heartbeat(CTX, hb('a', 10))));
  ok(await rt.write((s) => s.heartbeat(CTX, hb('b', 5000))));
  ok(await rt.write((s) => s.heartbeat(CTX, hb('b', 30))));
  assert.equal(timer.size, 2);
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(log.batches(3).length, 2);
  const shard = shardOf(rt);
  assert.equal(shard.offsets.get('g/expired/0'), 30n);
  assert.equal(shard.timer.isScheduled('a'), false);
  ok(await rt.write((s) => s.heartbeat(CTX, hb('c', 20))));
  await rt.unload();
  assert.equal(timer.size, 0);
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(log.batches(3).length, 2, 'the unloaded shard\'s timer never ran');
  timer.stop();
});

test('a full queue refuses client operations with COORDINATOR_NOT_AVAILABLE', async () => {
  const log = new MemoryCoordinatorLog();
  const { rt, timer } = runtime(log, { maxQueued: 2 });
  await rt.loaded;
  let release!: () => void;
  log.appendGate = new Promise((r) => { release = r; });
  const writes = [1n, 2n, 3n].map((o) => rt.write((s) => s.offsetCommit(CTX, commit('g', [['t', 0, o]]))));
  assert.deepEqual(await writes[2], { ok: false, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE });
  log.appendGate = undefined;
  release();
  assert.ok((await writes[0]!).ok);
  assert.ok((await writes[1]!).ok);
  await rt.unload();
  timer.stop();
});

test('a log that does not replay leaves the shard failed: NOT_COORDINATOR', async () => {
  const log = new MemoryCoordinatorLog();
  const { rt, timer } = runtime(log);
  await rt.loaded;
  ok(await rt.write((s) => s.offsetCommit(CTX, commit('g', [['t', 0, 1n]]))));
  await rt.unload();
  const broken = { ...serde, decode: () => { throw new Error('corrupt'); } };
  const failing = new ShardRuntime({
    topic: '__consumer_offsets', partition: 3, log, serde: broken, timer, clock: systemClock, logger: silentLogger,
    newShard: (p, t): GroupCoordinatorShardApi => FakeShard.asApi(p, t), compression: CompressionCodec.None, loadBufferSize: 1024, maxQueued: 10,
  });
  await failing.loaded;
  assert.equal(failing.state, 'failed');
  assert.deepEqual(await failing.read((s) => s.listGroups([], [])), { ok: false, errorCode: ErrorCode.NOT_COORDINATOR });
  timer.stop();
});
