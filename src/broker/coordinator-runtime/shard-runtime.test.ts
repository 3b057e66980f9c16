import { test } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock } from '../../common/clock.js';
import {
  CompressionCodec, ControlRecordType, ErrorCode, NO_PRODUCER_ID, NO_SEQUENCE, decodeRecordBatchSync, endTxnMarkerOfBatch, readRecordBatchHeader,
} from '../../protocol/index.js';
import { silentLogger } from '../logger.js';
import { waitFor } from '../network/testing/test-client.js';
import { CoarseTimer } from './coarse-timer.js';
import { encodeCoordinatorBatch } from './coordinator-batch.js';
import { type Outcome, ShardRuntime } from './shard-runtime.js';
import { type KvRecord, KvShard, kvSerde } from './testing/kv-shard.js';
import { MemoryCoordinatorLog } from './testing/memory-log.js';

type Runtime = ShardRuntime<KvShard, KvRecord>;

function runtime(log: MemoryCoordinatorLog, options: { loadBufferSize?: number; maxQueued?: number; compression?: CompressionCodec } = {}) {
  const timer = new CoarseTimer(systemClock, (e) => { throw e; });
  const rt: Runtime = new ShardRuntime<KvShard, KvRecord>({
    name: 'test coordinator', topic: '__test_state', partition: 3, log, serde: kvSerde, timer, clock: systemClock, logger: silentLogger,
    newShard: (context) => new KvShard(context),
    compression: options.compression ?? CompressionCodec.None,
    loadBufferSize: options.loadBufferSize ?? 1 << 20,
    maxQueued: options.maxQueued ?? 100,
  });
  return { rt, timer };
}

const shardOf = (rt: Runtime): KvShard => (rt as unknown as { shard: KvShard }).shard;

function ok<R>(outcome: Outcome<R>): R {
  assert.ok(outcome.ok, `expected success, got error ${outcome.ok ? '' : outcome.errorCode}`);
  return outcome.response as R;
}

function decode(batch: Buffer) {
  return decodeRecordBatchSync(batch, { maxUncompressedBytes: 1 << 20 });
}

test('a write appends its records as one batch before the answer; reads see them', async () => {
  const log = new MemoryCoordinatorLog();
  const { rt, timer } = runtime(log, { compression: CompressionCodec.Gzip });
  await rt.loaded;
  assert.equal(rt.state, 'active');
  assert.equal(ok(await rt.write((s) => s.put([['a', '1'], ['b', '2'], ['c', '3']]))), 'put 3');
  const batches = log.batches(3);
  assert.equal(batches.length, 1);
  const batch = decode(batches[0]!);
  assert.equal(batch.compression, CompressionCodec.Gzip);
  assert.deepEqual([batch.isTransactional, batch.producerId], [false, NO_PRODUCER_ID]);
  assert.deepEqual(batch.records.map((r) => kvSerde.decode(r.key!, r.value)), [{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'c', value: '3' }]);
  assert.deepEqual(ok(await rt.read((s) => ['a', 'c', 'x'].map((k) => s.get(k)))), ['1', '3', undefined]);
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
  const first = rt.write((s) => { order.push('first runs'); return s.put([['k', '1']]); }).then(() => order.push('first answered'));
  const second = rt.write((s) => { order.push('second runs'); return s.put([['k', '2']]); }).then(() => order.push('second answered'));
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(order, ['first runs']);
  log.appendGate = undefined;
  release();
  await Promise.all([first, second]);
  assert.deepEqual(order, ['first runs', 'first answered', 'second runs', 'second answered']);
  await rt.unload();
  timer.stop();
});

test('loading replays the log in chunks of the load buffer size with each record\'s offset; requests wait out the load with COORDINATOR_LOAD_IN_PROGRESS', async () => {
  const log = new MemoryCoordinatorLog();
  log.leaderEpoch = 7;
  const first = runtime(log);
  await first.rt.loaded;
  for (let i = 0; i < 50; i++) ok(await first.rt.write((s) => s.put([[`k${i}`, `${i}`], [`other:${i}`, 'skipped']])));
  // A tombstone wins over the value before it.
  ok(await first.rt.write((s) => s.put([['k0', null]])));
  await first.rt.unload();
  first.timer.stop();

  let open!: () => void;
  log.readGate = new Promise((r) => { open = r; });
  log.reads = 0;
  const second = runtime(log, { loadBufferSize: 300 });
  assert.equal(second.rt.state, 'loading');
  assert.deepEqual(await second.rt.write((s) => s.put([['x', '1']])), { ok: false, errorCode: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS });
  log.readGate = undefined;
  open();
  await second.rt.loaded;
  assert.equal(second.rt.state, 'active');
  const shard = shardOf(second.rt);
  assert.equal(shard.loaded, true);
  assert.equal(shard.context.leaderEpoch, 7, 'the shard gets the leader epoch it loaded at');
  assert.equal(shard.replayed.length, 51, 'records of unknown types are skipped');
  assert.deepEqual(shard.replayed.slice(0, 2).map((c) => c.offset), [0n, 2n]);
  assert.ok(shard.replayed.every((c) => !c.isTransactional && c.producerId === NO_PRODUCER_ID));
  assert.equal(shard.get('k0'), undefined);
  assert.equal(shard.get('k49'), '49');
  assert.ok(log.reads > 5, `${log.reads} reads of at most 300 bytes`);
  assert.deepEqual([second.rt.lastLoad?.records, second.rt.lastLoad?.nextOffset, second.rt.lastLoad?.leaderEpoch], [101, 101n, 7]);
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
    [ErrorCode.NETWORK_EXCEPTION, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS],
    [ErrorCode.INVALID_PRODUCER_EPOCH, ErrorCode.INVALID_PRODUCER_EPOCH],
    [ErrorCode.CORRUPT_MESSAGE, ErrorCode.CORRUPT_MESSAGE],
  ];
  const log = new MemoryCoordinatorLog();
  const { rt, timer } = runtime(log);
  await rt.loaded;
  ok(await rt.write((s) => s.put([['k', '1']])));
  for (const [appendError, answered] of cases) {
    const before = shardOf(rt);
    log.failNextAppends.push(appendError);
    const outcome = await rt.write((s) => s.put([['k', '99']]));
    assert.deepEqual(outcome, { ok: false, errorCode: answered }, `append error ${appendError}`);
    assert.equal(before.unloaded, true);
    assert.notEqual(shardOf(rt), before);
    assert.equal(shardOf(rt).get('k'), '1', 'the failed write is gone from memory');
    assert.equal(rt.state, 'active');
  }
  // A shard that throws is reloaded too, and the client gets UNKNOWN_SERVER_ERROR.
  const before = shardOf(rt);
  assert.deepEqual(await rt.write((s) => s.fail()), { ok: false, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR });
  assert.notEqual(shardOf(rt), before);
  ok(await rt.write((s) => s.put([['k', '2']])));
  assert.equal(shardOf(rt).get('k'), '2');
  await rt.unload();
  timer.stop();
});

test('a deferred answer is awaited by the caller, not by the queue; unloading answers what is pending', async () => {
  const log = new MemoryCoordinatorLog();
  const { rt, timer } = runtime(log);
  await rt.loaded;
  const outcome = await rt.write((s) => s.join('m'));
  assert.ok(outcome.ok);
  assert.equal(log.batches(3).length, 1, 'the join\'s record is durable before the outcome');
  let answered = false;
  const pending = (outcome.response as { promise: Promise<string> }).promise.then((r) => { answered = true; return r; });
  // The queue is free: other operations run while the join waits.
  ok(await rt.write((s) => s.put([['k', '1']])));
  assert.equal(answered, false);
  await rt.write((s) => { s.release('m-1'); return { records: [], response: null }; });
  assert.equal(await pending, 'm-1');

  const second = await rt.write((s) => s.join('n'));
  assert.ok(second.ok);
  await rt.unload();
  assert.equal(await (second.response as { promise: Promise<string> }).promise, 'NOT_COORDINATOR');
  assert.deepEqual(await rt.write((s) => s.put([])), { ok: false, errorCode: ErrorCode.NOT_COORDINATOR });
  timer.stop();
});

test('timer operations run on the shard\'s queue, their records are appended, then their onDurable runs; rescheduling replaces, unloading cancels', async () => {
  const log = new MemoryCoordinatorLog();
  const { rt, timer } = runtime(log);
  await rt.loaded;
  let durableAt = -1;
  ok(await rt.write((s) => s.expireLater('a', 10, 'A', () => { durableAt = log.batches(3).length; })));
  ok(await rt.write((s) => s.expireLater('b', 5000, 'stale')));
  ok(await rt.write((s) => s.expireLater('b', 30, 'B')));
  assert.equal(timer.size, 2);
  await waitFor(() => log.batches(3).length === 2, 5000, 'both timers to fire');
  assert.equal(durableAt, 1, 'onDurable ran after the timer\'s record was appended');
  const shard = shardOf(rt);
  assert.deepEqual([shard.get('a'), shard.get('b')], ['A', 'B']);
  assert.equal(shard.context.timer.isScheduled('a'), false);
  ok(await rt.write((s) => s.expireLater('c', 20, 'C')));
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
  const writes = ['1', '2', '3'].map((v) => rt.write((s) => s.put([['k', v]])));
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
  ok(await rt.write((s) => s.put([['k', '1']])));
  await rt.unload();
  const failing = new ShardRuntime<KvShard, KvRecord>({
    name: 'test coordinator', topic: '__test_state', partition: 3, log, timer, clock: systemClock, logger: silentLogger,
    serde: { ...kvSerde, decode: () => { throw new Error('corrupt'); } },
    newShard: (context) => new KvShard(context), compression: CompressionCodec.None, loadBufferSize: 1024, maxQueued: 10,
  });
  await failing.loaded;
  assert.equal(failing.state, 'failed');
  assert.deepEqual(await failing.read((s) => s.get('k')), { ok: false, errorCode: ErrorCode.NOT_COORDINATOR });
  assert.equal(await failing.writeTxnMarker({ producerId: 1n, producerEpoch: 0, coordinatorEpoch: 0, committed: true }), ErrorCode.NOT_COORDINATOR);
  timer.stop();
});

test('a transactional write is one transactional batch of its producer without a sequence; the marker commits or drops it', async () => {
  const log = new MemoryCoordinatorLog();
  const { rt, timer } = runtime(log);
  await rt.loaded;
  assert.equal(ok(await rt.write((s) => s.putTransactional(42n, 3, [['a', 'txn-a'], ['b', 'txn-b']]))), 'pending 2');
  ok(await rt.write((s) => s.putTransactional(43n, 0, [['c', 'txn-c']])));
  const header = readRecordBatchHeader(log.batches(3)[0]!);
  assert.deepEqual([header.isTransactional, header.isControl, header.producerId, header.producerEpoch, header.baseSequence], [true, false, 42n, 3, NO_SEQUENCE]);
  const shard = shardOf(rt);
  assert.equal(shard.get('a'), undefined, 'pending until the marker');

  assert.equal(await rt.writeTxnMarker({ producerId: 42n, producerEpoch: 3, coordinatorEpoch: 5, committed: true }), ErrorCode.NONE);
  assert.equal(await rt.writeTxnMarker({ producerId: 43n, producerEpoch: 0, coordinatorEpoch: 5, committed: false }), ErrorCode.NONE);
  assert.deepEqual([shard.get('a'), shard.get('b'), shard.get('c')], ['txn-a', 'txn-b', undefined]);
  assert.deepEqual(shard.markers, ['42/3 commit', '43/0 abort']);
  const marker = decode(log.batches(3)[2]!);
  assert.deepEqual([marker.isControl, marker.isTransactional, marker.producerId, endTxnMarkerOfBatch(marker)], [true, true, 42n, { type: ControlRecordType.Commit, coordinatorEpoch: 5 }]);
  await rt.unload();
  timer.stop();
});

test('loading replays transactional batches and markers: committed ones count, aborted ones are dropped, open ones stay pending', async () => {
  const log = new MemoryCoordinatorLog();
  const first = runtime(log);
  await first.rt.loaded;
  ok(await first.rt.write((s) => s.put([['k', 'plain']])));
  ok(await first.rt.write((s) => s.putTransactional(1n, 0, [['k', 'committed']])));
  ok(await first.rt.write((s) => s.putTransactional(2n, 0, [['aborted', 'x']])));
  ok(await first.rt.write((s) => s.putTransactional(3n, 4, [['open', 'y']])));
  assert.equal(await first.rt.writeTxnMarker({ producerId: 1n, producerEpoch: 0, coordinatorEpoch: 0, committed: true }), ErrorCode.NONE);
  assert.equal(await first.rt.writeTxnMarker({ producerId: 2n, producerEpoch: 0, coordinatorEpoch: 0, committed: false }), ErrorCode.NONE);
  await first.rt.unload();
  first.timer.stop();

  const second = runtime(log);
  await second.rt.loaded;
  const shard = shardOf(second.rt);
  assert.deepEqual([shard.get('k'), shard.get('aborted'), shard.get('open')], ['committed', undefined, undefined]);
  assert.deepEqual([...shard.pending.keys()], [3n]);
  assert.deepEqual(shard.replayed.map((c) => [c.offset, c.producerId, c.producerEpoch, c.isTransactional]), [
    [0n, NO_PRODUCER_ID, -1, false], [1n, 1n, 0, true], [2n, 2n, 0, true], [3n, 3n, 4, true],
  ]);
  assert.deepEqual(shard.markers, ['1/0 commit', '2/0 abort']);
  assert.deepEqual([second.rt.lastLoad?.records, second.rt.lastLoad?.markers, second.rt.lastLoad?.batches], [4, 2, 6]);
  // The open transaction commits after the reload.
  assert.equal(await second.rt.writeTxnMarker({ producerId: 3n, producerEpoch: 4, coordinatorEpoch: 0, committed: true }), ErrorCode.NONE);
  assert.equal(shard.get('open'), 'y');
  await second.rt.unload();
  second.timer.stop();
});

test('markers wait their turn behind writes; while loading they get COORDINATOR_LOAD_IN_PROGRESS; a refused marker keeps the transaction pending', async () => {
  const log = new MemoryCoordinatorLog();
  let open!: () => void;
  log.readGate = new Promise((r) => { open = r; });
  const seeded = await log.append(3, encodeCoordinatorBatch([{ key: 'k', value: 'v' }], kvSerde, { timestampMs: 0, compression: CompressionCodec.None }));
  assert.equal(seeded.errorCode, ErrorCode.NONE);
  const { rt, timer } = runtime(log);
  assert.equal(await rt.writeTxnMarker({ producerId: 9n, producerEpoch: 0, coordinatorEpoch: 0, committed: true }), ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
  log.readGate = undefined;
  open();
  await rt.loaded;

  let release!: () => void;
  log.appendGate = new Promise((r) => { release = r; });
  const write = rt.write((s) => s.putTransactional(9n, 0, [['t', '1']]));
  const marker = rt.writeTxnMarker({ producerId: 9n, producerEpoch: 0, coordinatorEpoch: 0, committed: true });
  log.appendGate = undefined;
  release();
  ok(await write);
  assert.equal(await marker, ErrorCode.NONE);
  const shard = shardOf(rt);
  assert.equal(shard.get('t'), '1', 'the marker ran after the write it follows');

  ok(await rt.write((s) => s.putTransactional(10n, 0, [['u', '2']])));
  log.failNextMarkers.push(ErrorCode.TRANSACTION_COORDINATOR_FENCED);
  assert.equal(await rt.writeTxnMarker({ producerId: 10n, producerEpoch: 0, coordinatorEpoch: 0, committed: true }), ErrorCode.TRANSACTION_COORDINATOR_FENCED);
  assert.equal(shardOf(rt), shard, 'no reload: nothing changed in memory');
  assert.deepEqual([shard.get('u'), shard.pending.has(10n)], [undefined, true]);
  await rt.unload();
  assert.equal(await rt.writeTxnMarker({ producerId: 10n, producerEpoch: 0, coordinatorEpoch: 0, committed: true }), ErrorCode.NOT_COORDINATOR);
  timer.stop();
});
