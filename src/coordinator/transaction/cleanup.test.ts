import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../protocol/index.js';
import { ABORT_TIMED_OUT_TRANSACTIONS_KEY, MAX_RECORDS_PER_PASS, REMOVE_EXPIRED_TRANSACTIONAL_IDS_KEY } from './cleanup.js';
import { TransactionState } from './shard-api.js';
import { TxnHarness } from './testing/harness.js';

const ABORT_INTERVAL = 10_000;
const EXPIRY_INTERVAL = 3_600_000;
const EXPIRATION = 7 * 24 * 3_600_000;

test('both passes are armed at load, re-armed after every run, and cancelled at unload', () => {
  const h = new TxnHarness();
  assert.equal(h.timer.dueInMs(ABORT_TIMED_OUT_TRANSACTIONS_KEY), ABORT_INTERVAL);
  assert.equal(h.timer.dueInMs(REMOVE_EXPIRED_TRANSACTIONAL_IDS_KEY), EXPIRY_INTERVAL);
  h.advance(ABORT_INTERVAL);
  assert.equal(h.timer.dueInMs(ABORT_TIMED_OUT_TRANSACTIONS_KEY), ABORT_INTERVAL);
  h.advance(EXPIRY_INTERVAL - ABORT_INTERVAL);
  assert.equal(h.timer.dueInMs(REMOVE_EXPIRED_TRANSACTIONAL_IDS_KEY), EXPIRY_INTERVAL);
  h.shard.onUnloaded();
  assert.equal(h.timer.isScheduled(ABORT_TIMED_OUT_TRANSACTIONS_KEY), false);
  assert.equal(h.timer.isScheduled(REMOVE_EXPIRED_TRANSACTIONAL_IDS_KEY), false);
  assert.equal(h.describe('t1').errorCode, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
});

test('an ongoing transaction past its timeout is aborted with a bumped epoch; its producer is fenced', () => {
  const h = new TxnHarness();
  h.init('t1', { timeoutMs: 15_000 });
  h.add('t1', 1000n, 0, { a: [0] });
  // Checked at 10 s (not yet) and at 20 s: start + timeout < now.
  assert.deepEqual(h.advance(ABORT_INTERVAL), []);
  assert.equal(h.state('t1'), 'Ongoing');
  const records = h.advance(ABORT_INTERVAL);
  assert.equal(records.length, 1);
  assert.equal(records[0]!.value!.transactionStatus, TransactionState.PrepareAbort);
  assert.equal(records[0]!.value!.producerEpoch, 1);
  assert.deepEqual(h.markers.pending.map((j) => [j.transactionalId, j.producerEpoch, j.committed]), [['t1', 1, false]]);
  h.writeMarkers();
  assert.equal(h.state('t1'), 'CompleteAbort');
  assert.equal(h.end('t1', 1000n, 0, true).errorCode, ErrorCode.PRODUCER_FENCED);
  assert.equal(h.addCode('t1', 1000n, 0, { a: [0] }), ErrorCode.PRODUCER_FENCED);
  // The application starts over with a new epoch.
  assert.equal(h.init('t1').producerEpoch, 2);
});

test('a transaction exactly at its timeout is not aborted yet', () => {
  const h = new TxnHarness();
  h.init('t1', { timeoutMs: ABORT_INTERVAL });
  h.add('t1', 1000n, 0, { a: [0] });
  assert.deepEqual(h.advance(ABORT_INTERVAL), []);
  assert.equal(h.advance(ABORT_INTERVAL).length, 1);
});

test('transactions being completed, idle ones and young ones are left alone by the abort pass', () => {
  const h = new TxnHarness();
  h.init('idle', { timeoutMs: 1_000 });
  h.init('completing', { timeoutMs: 1_000 });
  h.add('completing', 1001n, 0, { a: [0] });
  h.end('completing', 1001n, 0, true);
  h.clock.advance(9_000);
  h.init('young', { timeoutMs: 5_000 });
  h.add('young', 1002n, 0, { a: [1] });
  assert.deepEqual(h.advance(1_000), []);
  assert.deepEqual([h.state('idle'), h.state('completing'), h.state('young')], ['Empty', 'PrepareCommit', 'Ongoing']);
});

test('many timed-out transactions are aborted in passes of MAX_RECORDS_PER_PASS, the next pass at once', () => {
  const h = new TxnHarness();
  const count = MAX_RECORDS_PER_PASS + 20;
  for (let i = 0; i < count; i++) {
    const { producerId } = h.init(`t${i}`, { timeoutMs: 1_000 });
    h.add(`t${i}`, producerId, 0, { a: [i % 3] });
  }
  const runs = h.timer.advance(ABORT_INTERVAL);
  assert.deepEqual(runs.map((r) => [r.key, r.records.length]), [
    [ABORT_TIMED_OUT_TRANSACTIONS_KEY, MAX_RECORDS_PER_PASS],
    [ABORT_TIMED_OUT_TRANSACTIONS_KEY, 20],
  ]);
  for (const run of runs) run.onDurable?.();
  assert.equal(h.markers.pending.length, count);
  assert.equal(h.timer.dueInMs(ABORT_TIMED_OUT_TRANSACTIONS_KEY), ABORT_INTERVAL);
});

test('idle transactional ids expire after transactional.id.expiration.ms with a tombstone; busy ones stay', () => {
  const h = new TxnHarness();
  h.init('empty');
  h.init('committed');
  h.add('committed', 1001n, 0, { a: [0] });
  h.end('committed', 1001n, 0, true);
  h.writeMarkers();
  h.init('ongoing', { timeoutMs: 900_000 });
  h.add('ongoing', 1002n, 0, { a: [0] });
  h.init('completing');
  h.add('completing', 1003n, 0, { a: [0] });
  h.end('completing', 1003n, 0, false);
  // The pass runs hourly; the idle ids last updated at the start expire at the pass 7 days in.
  const checks = Math.floor(EXPIRATION / EXPIRY_INTERVAL);
  const tombstones = [];
  for (let i = 0; i < checks; i++) tombstones.push(...h.advance(EXPIRY_INTERVAL).filter((r) => r.value === null));
  assert.deepEqual(tombstones.map((r) => r.key.transactionalId).sort(), ['committed', 'empty']);
  assert.equal(h.describe('empty').errorCode, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
  assert.equal(h.describe('committed').errorCode, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
  assert.equal(h.state('completing'), 'PrepareAbort');
  // The ongoing one timed out meanwhile and was aborted, then sat waiting for its markers.
  assert.equal(h.state('ongoing'), 'PrepareAbort');
  // An expired id starts over with a new producer id.
  assert.equal(h.init('empty').producerId, 1004n);
});

test('an id used within transactional.id.expiration.ms stays', () => {
  const h = new TxnHarness({ config: { transactionalIdExpirationMs: 2 * EXPIRY_INTERVAL } });
  h.init('t1');
  h.advance(EXPIRY_INTERVAL);
  // Used again at 1 h: kept at the 2 h pass, removed at the 3 h one (idle for the full 2 h).
  h.init('t1');
  h.advance(EXPIRY_INTERVAL);
  assert.equal(h.state('t1'), 'Empty');
  h.advance(EXPIRY_INTERVAL);
  assert.equal(h.describe('t1').errorCode, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
});

test('at load, transactions caught in PrepareCommit/PrepareAbort get their markers again and complete', () => {
  const h = new TxnHarness({ coordinatorEpoch: 4 });
  for (const id of ['c', 'a', 'o', 'done']) h.init(id);
  h.add('c', 1000n, 0, { x: [0] });
  h.add('a', 1001n, 0, { x: [1] });
  h.add('o', 1002n, 0, { x: [2] });
  h.add('done', 1003n, 0, { x: [3] });
  h.end('c', 1000n, 0, true);
  h.end('a', 1001n, 0, false);
  h.end('done', 1003n, 0, true);
  const done = h.markers.pending.find((j) => j.transactionalId === 'done')!;
  h.run(h.shard.completeTransaction('done', done.producerId, done.producerEpoch));
  // The broker stops before the other markers are written; another loads the log at a newer epoch.
  const restarted = h.replayed({ coordinatorEpoch: 5 });
  assert.deepEqual(restarted.markers.sent.map((j) => [j.transactionalId, j.committed, j.coordinatorEpoch, j.partitions]), [
    ['c', true, 5, [{ topic: 'x', partition: 0 }]],
    ['a', false, 5, [{ topic: 'x', partition: 1 }]],
  ]);
  restarted.writeMarkers();
  assert.deepEqual(['c', 'a', 'o', 'done'].map((id) => restarted.state(id)), ['CompleteCommit', 'CompleteAbort', 'Ongoing', 'CompleteCommit']);
});
