/**
 * Transaction markers, the last stable offset, the `.txnindex` (contents, reads, truncation,
 * retention) and producer expiry, on a partition log in memory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../protocol/generated/errors.js';
import { decodeRecordBatchSync, endTxnMarkerOfBatch } from '../protocol/records/index.js';
import { InvalidProducerEpochError, InvalidRecordError, TransactionCoordinatorFencedError } from './errors.js';
import type { PartitionLog } from './partition-log.js';
import { makeBatch, makeProducerBatch, memoryLog, readAll } from './testing/fixtures.js';
import { ABORTED_TXN_ENTRY_BYTES, decodeAbortedTxns, encodeAbortedTxns } from './txn-index.js';

const opts = { leaderEpoch: 0 };
const txnBatch = (producerId: bigint, baseSequence: number, count = 1, producerEpoch = 0): Buffer =>
  makeProducerBatch({ producerId, producerEpoch, baseSequence, count, transactional: true });
const marker = (producerId: bigint, committed: boolean, coordinatorEpoch = 0, producerEpoch = 0) => ({ producerId, producerEpoch, coordinatorEpoch, committed });
const hwToEnd = (log: PartitionLog): bigint => log.updateHighWatermark(log.logEndOffset);

test('a marker ends the transaction: control batch written, LSO follows the high watermark and the oldest open transaction', async () => {
  const f = memoryLog();
  const log = await f.open();
  await log.append(makeBatch({ count: 2 }), opts); // 0-1
  await log.append(txnBatch(10n, 0, 2), opts); // 2-3
  await log.append(txnBatch(20n, 0), opts); // 4
  hwToEnd(log);
  assert.equal(log.firstUnstableOffset, 2n);
  assert.equal(log.lastStableOffset, 2n);
  const commit = await log.appendTxnMarker(marker(10n, true), { leaderEpoch: 3, nowMs: 5000 }); // 5
  assert.deepEqual([commit.baseOffset, commit.lastOffset, commit.duplicate], [5n, 5n, false]);
  assert.equal(log.firstUnstableOffset, 2n, 'the commit is above the high watermark: not yet stable');
  hwToEnd(log);
  assert.equal(log.firstUnstableOffset, 4n);
  assert.equal(log.lastStableOffset, 4n);
  await log.appendTxnMarker(marker(20n, false), opts); // 6
  assert.equal(log.lastStableOffset, 4n, 'decided, but its marker is not below the high watermark yet');
  hwToEnd(log);
  assert.equal(log.firstUnstableOffset, null);
  assert.equal(log.lastStableOffset, 7n);
  const stored = (await readAll(log)).at(-2)!;
  const decoded = decodeRecordBatchSync(stored, { maxUncompressedBytes: 1 << 20 });
  assert.deepEqual([decoded.isControl, decoded.isTransactional, decoded.producerId, decoded.partitionLeaderEpoch], [true, true, 10n, 3]);
  assert.deepEqual(endTxnMarkerOfBatch(decoded), { type: 1, coordinatorEpoch: 0 });
  assert.deepEqual(
    log.producerStates().map((p) => [p.producerId, p.currentTxnStartOffset, p.lastTimestamp]),
    [[10n, -1n, 5000n], [20n, -1n, BigInt(f.clock.nowMs())]],
  );
  await log.close();
});

test('markers are fenced by coordinator epoch (TRANSACTION_COORDINATOR_FENCED) and producer epoch (INVALID_PRODUCER_EPOCH), and raise the epoch', async () => {
  const f = memoryLog();
  const log = await f.open();
  await log.append(txnBatch(7n, 0, 1, 2), opts);
  await log.appendTxnMarker(marker(7n, true, 5, 2), opts);
  await assert.rejects(
    log.appendTxnMarker(marker(7n, false, 4, 2), opts),
    (err: unknown) => err instanceof TransactionCoordinatorFencedError && err.errorCode === ErrorCode.TRANSACTION_COORDINATOR_FENCED,
  );
  await assert.rejects(log.appendTxnMarker(marker(7n, false, 5, 1), opts), (err: unknown) => err instanceof InvalidProducerEpochError);
  const end = log.logEndOffset;
  // An abort from a newer coordinator with a bumped epoch fences the old producer's data.
  await log.appendTxnMarker(marker(7n, false, 6, 3), opts);
  assert.equal(log.logEndOffset, end + 1n, 'a marker with no transaction in progress is still written');
  await assert.rejects(log.append(txnBatch(7n, 1, 1, 2), opts), InvalidProducerEpochError);
  await log.append(txnBatch(7n, 0, 1, 3), opts);
  assert.deepEqual(log.producerStates().map((p) => [p.producerEpoch, p.coordinatorEpoch]), [[3, 6]]);
  // A marker for a producer this partition never saw is written.
  await log.appendTxnMarker(marker(99n, true, 0, 0), opts);
  assert.ok(log.producerStates().some((p) => p.producerId === 99n && p.lastSequence === -1));
  await assert.rejects(log.appendTxnMarker(marker(-1n, true), opts), InvalidRecordError);
  await assert.rejects(log.appendTxnMarker({ producerId: 1n, producerEpoch: 70000, coordinatorEpoch: 0, committed: true }, opts), InvalidRecordError);
  await log.close();
});

test('aborts go to the .txnindex of the segment the marker lands in, in Kafka format; reads return the overlapping ones', async () => {
  const probe = makeProducerBatch({ producerId: 1n, transactional: true, count: 2 });
  const f = memoryLog({ segmentBytes: probe.length * 4 });
  const log = await f.open();
  await log.append(txnBatch(1n, 0, 2), opts); // 0-1
  await log.append(txnBatch(2n, 0, 2), opts); // 2-3
  await log.appendTxnMarker(marker(1n, false), opts); // 4: abort 1 [0,4], LSO 2 (producer 2 open)
  await log.append(txnBatch(2n, 2, 2), opts); // 5-6
  await log.appendTxnMarker(marker(2n, true), opts); // 7: commit
  await log.append(txnBatch(3n, 0, 2), opts); // 8-9
  await log.appendTxnMarker(marker(3n, false), opts); // 10: abort 3 [8,10], LSO 11
  hwToEnd(log);
  await log.flush();
  const segments = log.segmentBaseOffsets;
  assert.ok(segments.length >= 2, `segments ${segments.join(',')}`);
  const all = await log.abortedTransactions(0n, log.logEndOffset);
  assert.deepEqual(all, [
    { producerId: 1n, firstOffset: 0n, lastOffset: 4n, lastStableOffset: 2n },
    { producerId: 3n, firstOffset: 8n, lastOffset: 10n, lastStableOffset: 11n },
  ]);
  assert.deepEqual(await log.abortedTransactions(5n, 8n), [], 'neither overlaps [5, 8)');
  assert.deepEqual((await log.abortedTransactions(3n, 9n)).map((t) => t.producerId), [1n, 3n]);
  assert.deepEqual((await log.abortedTransactions(9n, 11n)).map((t) => t.producerId), [3n]);
  // Files: one per segment that got an abort, 34 bytes an entry, hand-checked bytes.
  const names = (await f.fs.readdir(f.dir)).filter((n) => n.endsWith('.txnindex'));
  assert.equal(names.length, 2, names.join(','));
  const first = await f.fs.open(`${f.dir}/${names[0]}`, 'read');
  const bytes = await first.read(0, 1000);
  await first.close();
  const expected = Buffer.alloc(ABORTED_TXN_ENTRY_BYTES);
  expected.writeInt16BE(0, 0);
  expected.writeBigInt64BE(1n, 2);
  expected.writeBigInt64BE(0n, 10);
  expected.writeBigInt64BE(4n, 18);
  expected.writeBigInt64BE(2n, 26);
  assert.deepEqual(bytes, expected);
  assert.deepEqual(decodeAbortedTxns(encodeAbortedTxns(all), 0n, 'x'), all);
  await log.close();
  const reopened = await f.open({ hadCleanShutdown: true, recoveryPoint: log.logEndOffset });
  assert.deepEqual(await reopened.abortedTransactions(0n, reopened.logEndOffset), all, 'read back from the files');
  await reopened.close();
});

test('truncation drops aborted transactions whose marker is cut and rebuilds producer state', async () => {
  const f = memoryLog();
  const log = await f.open();
  await log.append(txnBatch(1n, 0, 2), opts); // 0-1
  await log.appendTxnMarker(marker(1n, false), opts); // 2
  await log.append(txnBatch(2n, 0), opts); // 3
  await log.appendTxnMarker(marker(2n, false), opts); // 4
  await log.append(txnBatch(1n, 2), opts); // 5
  assert.equal((await log.abortedTransactions(0n, 6n)).length, 2);
  await log.truncateTo(4n);
  assert.deepEqual((await log.abortedTransactions(0n, 4n)).map((t) => t.producerId), [1n]);
  hwToEnd(log);
  assert.equal(log.firstUnstableOffset, 3n, 'producer 2 is open again: its abort was cut');
  assert.deepEqual(log.producerStates().map((p) => [p.producerId, p.lastSequence, p.currentTxnStartOffset]), [[1n, 1, -1n], [2n, 0, 3n]]);
  const txnindex = await f.fs.stat(`${f.dir}/00000000000000000000.txnindex`);
  assert.equal(txnindex?.size, ABORTED_TXN_ENTRY_BYTES);
  // The duplicate of a cut batch is a new batch again.
  const retried = await log.append(txnBatch(1n, 2), opts);
  assert.equal(retried.duplicate, false);
  await log.truncateFullyAndStartAt(100n);
  assert.deepEqual(log.producerStates(), []);
  assert.deepEqual(await log.abortedTransactions(100n, 200n), []);
  assert.deepEqual((await f.fs.readdir(f.dir)).filter((n) => n.endsWith('.snapshot') || n.endsWith('.txnindex')), []);
  await log.close();
});

test('retention deletes a segment with its .txnindex and the snapshots below the new log start', async () => {
  const probe = txnBatch(1n, 0);
  const f = memoryLog({ segmentBytes: probe.length * 2 + 10, retentionBytes: 1, fileDeleteDelayMs: 0 });
  const log = await f.open();
  await log.append(txnBatch(1n, 0), opts);
  await log.appendTxnMarker(marker(1n, false), opts);
  for (let i = 0; i < 4; i++) await log.append(makeBatch(), opts);
  hwToEnd(log);
  await log.flush();
  const before = await f.fs.readdir(f.dir);
  assert.ok(before.includes('00000000000000000000.txnindex'));
  assert.ok(await log.deleteOldSegments() > 0);
  const after = await f.fs.readdir(f.dir);
  assert.ok(!after.some((n) => n.startsWith('00000000000000000000.')), after.join(','));
  const first = log.segmentBaseOffsets[0]!;
  for (const n of after.filter((x) => x.endsWith('.snapshot'))) assert.ok(BigInt(n.slice(0, 20)) >= first, n);
  assert.deepEqual(log.producerStates().map((p) => p.producerId), [1n], 'producer state outlives its segments');
  await log.close();
});

test('producers idle for producer.id.expiration.ms without an open transaction expire', async () => {
  const f = memoryLog();
  const log = await f.open({ producerIdExpirationMs: 1000 });
  const t0 = BigInt(f.clock.nowMs());
  await log.append(makeProducerBatch({ producerId: 1n, timestamp: t0 }), opts);
  await log.append(makeProducerBatch({ producerId: 2n, timestamp: t0, transactional: true }), opts);
  await log.append(makeProducerBatch({ producerId: 3n, timestamp: t0 + 800n }), opts);
  assert.equal(log.removeExpiredProducers(f.clock.nowMs() + 999), 0);
  assert.equal(log.removeExpiredProducers(f.clock.nowMs() + 1000), 1);
  assert.deepEqual(log.producerStates().map((p) => p.producerId), [2n, 3n], 'the open transaction keeps producer 2');
  // An expired producer is unknown again: any sequence is taken.
  const info = await log.append(makeProducerBatch({ producerId: 1n, baseSequence: 57 }), opts);
  assert.equal(info.duplicate, false);
  await log.close();
});

test('a truncation that makes a finished segment active again keeps its .txnindex appendable', async () => {
  const probe = txnBatch(1n, 0);
  const f = memoryLog({ segmentBytes: probe.length * 5 });
  const log = await f.open();
  await log.append(txnBatch(1n, 0), opts); // 0
  await log.appendTxnMarker(marker(1n, false), opts); // 1
  for (let i = 0; i < 8; i++) await log.append(makeBatch(), opts);
  assert.ok(log.segmentBaseOffsets.length >= 2 && log.segmentBaseOffsets[1]! >= 4n, log.segmentBaseOffsets.join(','));
  assert.equal((await log.abortedTransactions(0n, 2n)).length, 1, 'read (and released) from the finished segment');
  await log.truncateTo(2n);
  assert.deepEqual(log.segmentBaseOffsets, [0n]);
  await log.append(txnBatch(2n, 0), opts); // 2
  await log.appendTxnMarker(marker(2n, false), opts); // 3
  await log.flush();
  assert.deepEqual(log.segmentBaseOffsets, [0n], 'both landed in the reactivated segment');
  assert.deepEqual((await log.abortedTransactions(0n, 4n)).map((t) => [t.producerId, t.firstOffset, t.lastOffset]), [[1n, 0n, 1n], [2n, 2n, 3n]]);
  const file = await f.fs.stat(`${f.dir}/00000000000000000000.txnindex`);
  assert.equal(file?.size, 2 * ABORTED_TXN_ENTRY_BYTES);
  await log.close();
});
