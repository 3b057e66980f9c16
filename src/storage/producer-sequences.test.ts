/**
 * Idempotent appends: duplicates of each of a producer's last five batches, sequence gaps, the
 * int32 wrap, epoch bumps and fencing, unknown producers (KIP-360), coordinator and replicated
 * writes, and the transactional-state rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../protocol/generated/errors.js';
import { InvalidProducerEpochError, InvalidTxnStateError, OutOfOrderSequenceError } from './errors.js';
import { decrementSequence, incrementSequence, inSequence } from './producer-state-entry.js';
import { makeBatch, makeProducerBatch, memoryLog, readAll } from './testing/fixtures.js';

const PID = 4000n;
const opts = { leaderEpoch: 0 };

test('sequence arithmetic wraps at int32', () => {
  assert.equal(incrementSequence(5, 3), 8);
  assert.equal(incrementSequence(2147483646, 1), 2147483647);
  assert.equal(incrementSequence(2147483647, 1), 0);
  assert.equal(incrementSequence(2147483645, 4), 1);
  assert.equal(decrementSequence(1, 4), 2147483645);
  assert.equal(decrementSequence(8, 3), 5);
  assert.ok(inSequence(2147483647, 0));
  assert.ok(inSequence(-1, 0));
  assert.ok(!inSequence(3, 5));
});

test('a retry of any of the last five batches is a duplicate: original offsets, nothing written', async () => {
  const f = memoryLog();
  const log = await f.open();
  const sent: Array<{ batch: Buffer; base: bigint; last: bigint }> = [];
  let seq = 0;
  for (let i = 0; i < 6; i++) {
    const count = 1 + (i % 3);
    const batch = makeProducerBatch({ producerId: PID, baseSequence: seq, count, value: `b${i}` });
    seq += count;
    const info = await log.append(Buffer.from(batch), opts);
    assert.equal(info.duplicate, false);
    sent.push({ batch, base: info.baseOffset, last: info.lastOffset });
  }
  const end = log.logEndOffset;
  const stored = await readAll(log);
  for (const { batch, base, last } of sent.slice(1)) {
    const info = await log.append(Buffer.from(batch), opts);
    assert.deepEqual([info.duplicate, info.baseOffset, info.lastOffset, info.recordsCount], [true, base, last, 0]);
  }
  assert.equal(log.logEndOffset, end, 'duplicates write nothing');
  assert.deepEqual(await readAll(log), stored);
  // The oldest batch is no longer remembered: its retry is out of order, not a duplicate.
  await assert.rejects(log.append(Buffer.from(sent[0]!.batch), opts), (err: unknown) => err instanceof OutOfOrderSequenceError && err.errorCode === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
  assert.equal(log.logEndOffset, end);
  await log.close();
});

test('a gap or a repeat that matches no kept batch is OUT_OF_ORDER_SEQUENCE_NUMBER; the next sequence works after it', async () => {
  const f = memoryLog();
  const log = await f.open();
  await log.append(makeProducerBatch({ producerId: PID, baseSequence: 0, count: 3 }), opts);
  await assert.rejects(log.append(makeProducerBatch({ producerId: PID, baseSequence: 4 }), opts), OutOfOrderSequenceError);
  await assert.rejects(log.append(makeProducerBatch({ producerId: PID, baseSequence: 1, count: 1 }), opts), OutOfOrderSequenceError, 'overlapping, not equal');
  assert.equal(log.logEndOffset, 3n);
  const ok = await log.append(makeProducerBatch({ producerId: PID, baseSequence: 3, count: 2 }), opts);
  assert.deepEqual([ok.baseOffset, ok.duplicate], [3n, false]);
  assert.equal(log.producerStates()[0]!.lastSequence, 4);
  await log.close();
});

test('sequences wrap after 2147483647 to 0, and a batch may span the wrap', async () => {
  const f = memoryLog();
  const log = await f.open();
  // An unknown producer may start anywhere (KIP-360).
  await log.append(makeProducerBatch({ producerId: PID, baseSequence: 2147483645, count: 2 }), opts);
  const spanning = makeProducerBatch({ producerId: PID, baseSequence: 2147483647, count: 3 });
  await log.append(Buffer.from(spanning), opts);
  assert.equal(log.producerStates()[0]!.lastSequence, 1);
  const retried = await log.append(Buffer.from(spanning), opts);
  assert.deepEqual([retried.duplicate, retried.baseOffset, retried.lastOffset], [true, 2n, 4n]);
  await log.append(makeProducerBatch({ producerId: PID, baseSequence: 2 }), opts);
  await assert.rejects(log.append(makeProducerBatch({ producerId: PID, baseSequence: 0 }), opts), OutOfOrderSequenceError);
  await log.close();
});

test('epochs: a new epoch starts at sequence 0, an older epoch is fenced with INVALID_PRODUCER_EPOCH', async () => {
  const f = memoryLog();
  const log = await f.open();
  await log.append(makeProducerBatch({ producerId: PID, producerEpoch: 1, baseSequence: 0, count: 2 }), opts);
  await assert.rejects(log.append(makeProducerBatch({ producerId: PID, producerEpoch: 2, baseSequence: 2 }), opts), OutOfOrderSequenceError);
  await log.append(makeProducerBatch({ producerId: PID, producerEpoch: 2, baseSequence: 0 }), opts);
  await assert.rejects(
    log.append(makeProducerBatch({ producerId: PID, producerEpoch: 1, baseSequence: 2 }), opts),
    (err: unknown) => err instanceof InvalidProducerEpochError && err.errorCode === ErrorCode.INVALID_PRODUCER_EPOCH,
  );
  // A retry of an old-epoch batch is fenced too, not taken for a duplicate.
  await assert.rejects(log.append(makeProducerBatch({ producerId: PID, producerEpoch: 1, baseSequence: 0, count: 2 }), opts), InvalidProducerEpochError);
  assert.deepEqual(
    log.producerStates().map((p) => [p.producerId, p.producerEpoch, p.lastSequence]),
    [[PID, 2, 0]],
  );
  await log.close();
});

test('producers are independent; plain batches (no producer id) are not checked', async () => {
  const f = memoryLog();
  const log = await f.open();
  await log.append(makeProducerBatch({ producerId: 1n, baseSequence: 7 }), opts);
  await log.append(makeProducerBatch({ producerId: 2n, baseSequence: 0 }), opts);
  await log.append(makeBatch({ count: 2 }), opts);
  await log.append(makeBatch({ count: 2 }), opts);
  await log.append(makeProducerBatch({ producerId: 1n, baseSequence: 8 }), opts);
  assert.deepEqual(
    log.producerStates().map((p) => [p.producerId, p.lastSequence]),
    [[1n, 8], [2n, 0]],
  );
  assert.equal(log.logEndOffset, 7n);
  await log.close();
});

test('several batches of one producer in one request are checked in order; a duplicate among them answers the request', async () => {
  const f = memoryLog();
  const log = await f.open();
  const first = makeProducerBatch({ producerId: PID, baseSequence: 0, count: 2 });
  const second = makeProducerBatch({ producerId: PID, baseSequence: 2, count: 1 });
  const both = await log.append(Buffer.concat([first, second]), opts);
  assert.deepEqual([both.baseOffset, both.lastOffset], [0n, 2n]);
  const gap = Buffer.concat([makeProducerBatch({ producerId: PID, baseSequence: 3 }), makeProducerBatch({ producerId: PID, baseSequence: 5 })]);
  await assert.rejects(log.append(gap, opts), OutOfOrderSequenceError);
  assert.equal(log.logEndOffset, 3n, 'nothing of a refused request is written');
  assert.equal(log.producerStates()[0]!.lastSequence, 2, 'nor remembered');
  const retry = await log.append(Buffer.concat([first, second]), opts);
  assert.deepEqual([retry.duplicate, retry.baseOffset], [true, 0n]);
  await log.close();
});

test('coordinator writes check epochs, not sequences; replicated batches are taken as they are', async () => {
  const f = memoryLog();
  const log = await f.open();
  const coordinator = { leaderEpoch: 0, origin: 'coordinator' as const };
  await log.append(makeProducerBatch({ producerId: PID, producerEpoch: 3, baseSequence: -1, transactional: true }), coordinator);
  await log.append(makeProducerBatch({ producerId: PID, producerEpoch: 3, baseSequence: -1, transactional: true }), coordinator);
  await assert.rejects(log.append(makeProducerBatch({ producerId: PID, producerEpoch: 2, baseSequence: -1, transactional: true }), coordinator), InvalidProducerEpochError);
  assert.deepEqual(log.producerStates().map((p) => [p.producerEpoch, p.lastSequence, p.currentTxnStartOffset]), [[3, -1, 0n]]);
  // A follower copies whatever the leader wrote, gaps and old epochs included.
  const follower = await memoryLog().open();
  await follower.appendAsFollower(Buffer.from(makeProducerBatch({ producerId: PID, producerEpoch: 5, baseSequence: 10 })));
  const gapBatch = makeProducerBatch({ producerId: PID, producerEpoch: 4, baseSequence: 40 });
  gapBatch.writeBigInt64BE(1n, 0);
  await follower.appendAsFollower(gapBatch);
  assert.equal(follower.logEndOffset, 2n);
  assert.deepEqual(follower.producerStates().map((p) => [p.producerEpoch, p.lastSequence]), [[4, 40]]);
  await follower.close();
  await log.close();
});

test('a plain batch from a producer with a transaction in progress is INVALID_TXN_STATE', async () => {
  const f = memoryLog();
  const log = await f.open();
  await log.append(makeProducerBatch({ producerId: PID, baseSequence: 0, transactional: true }), opts);
  await assert.rejects(
    log.append(makeProducerBatch({ producerId: PID, baseSequence: 1, transactional: false }), opts),
    (err: unknown) => err instanceof InvalidTxnStateError && err.errorCode === ErrorCode.INVALID_TXN_STATE,
  );
  await log.append(makeProducerBatch({ producerId: PID, baseSequence: 1, transactional: true }), opts);
  assert.equal(log.producerStates()[0]!.currentTxnStartOffset, 0n);
  await log.close();
});
