/**
 * Compaction with transactions: aborted records are dropped and never shadow a committed value,
 * markers stay, the `.txnindex` survives the swap, and nothing at or past the first unstable
 * offset is cleaned.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRecordBatchSync } from '../protocol/records/index.js';
import { LogCleaner } from './log-cleaner.js';
import { offsetFileStem } from './names.js';
import type { PartitionLog } from './partition-log.js';
import { makeProducerBatch, memoryLog, readAll } from './testing/fixtures.js';

interface Stored {
  offset: bigint;
  control: boolean;
  producerId: bigint;
  key: string | null;
  value: string | null;
}

async function contents(log: PartitionLog): Promise<Stored[]> {
  const out: Stored[] = [];
  for (const b of await readAll(log)) {
    const batch = decodeRecordBatchSync(b, { maxUncompressedBytes: 1 << 20 });
    for (const r of batch.records) {
      out.push({ offset: r.offset, control: batch.isControl, producerId: batch.producerId, key: batch.isControl ? null : r.key!.toString(), value: batch.isControl ? null : r.value!.toString() });
    }
  }
  return out;
}

async function compactedTxnLog() {
  const probe = makeProducerBatch({ producerId: 1n, key: 'k', value: 'v00', transactional: true });
  const f = memoryLog({ segmentBytes: probe.length * 3, cleanupPolicy: ['compact'], minCleanableDirtyRatio: 0.01, fileDeleteDelayMs: 0 });
  const log = await f.open();
  const cleaner = new LogCleaner(f.fs, f.clock, { cleanerEnable: true, cleanerBackoffMs: 100, cleanerDedupeBufferSize: 1 << 20 }, () => [log], () => {});
  const seq = new Map<bigint, number>();
  const write = async (producerId: bigint, key: string, value: string, transactional = true): Promise<void> => {
    const baseSequence = seq.get(producerId) ?? 0;
    seq.set(producerId, baseSequence + 1);
    await log.append(makeProducerBatch({ producerId, baseSequence, key, value, transactional }), { leaderEpoch: 0 });
  };
  const end = async (producerId: bigint, committed: boolean): Promise<void> => {
    await log.appendTxnMarker({ producerId, producerEpoch: 0, coordinatorEpoch: 0, committed }, { leaderEpoch: 0 });
  };
  return { f, log, cleaner, write, end };
}

test('aborted records are dropped and cannot remove a committed value; markers and the .txnindex stay', async () => {
  const { f, log, cleaner, write, end } = await compactedTxnLog();
  await write(1n, 'a', 'committed');
  await end(1n, true);
  await write(2n, 'a', 'aborted');
  await write(2n, 'b', 'aborted');
  await end(2n, false);
  await write(3n, 'c', 'plain', false);
  for (let i = 0; i < 6; i++) await write(3n, `z${i}`, 'filler', false);
  log.updateHighWatermark(log.logEndOffset);
  await log.flush();
  const abortedBefore = await log.abortedTransactions(0n, log.logEndOffset);
  assert.deepEqual(abortedBefore.map((t) => [t.producerId, t.firstOffset, t.lastOffset]), [[2n, 2n, 4n]]);
  assert.equal(await cleaner.runOnce(), true);
  const after = await contents(log);
  const data = after.filter((r) => !r.control);
  assert.deepEqual(data.filter((r) => r.key === 'a').map((r) => [r.offset, r.value]), [[0n, 'committed']], 'the committed value survives the aborted one');
  assert.ok(!data.some((r) => r.value === 'aborted'), 'aborted records are gone');
  assert.deepEqual(after.filter((r) => r.control).map((r) => [r.offset, r.producerId]), [[1n, 1n], [4n, 2n]], 'markers are kept');
  assert.deepEqual(await log.abortedTransactions(0n, log.logEndOffset), abortedBefore, 'the .txnindex survived the swap');
  const markerSegment = log.segmentBaseOffsets.filter((base) => base <= 4n).at(-1)!;
  assert.ok(markerSegment > 0n && markerSegment <= 4n, `the abort marker lands in segment ${markerSegment}, which was cleaned`);
  assert.ok((await f.fs.readdir(f.dir)).includes(`${offsetFileStem(markerSegment)}.txnindex`));
  await log.close();
  const reopened = await f.open({ hadCleanShutdown: true, recoveryPoint: log.logEndOffset });
  assert.deepEqual(await contents(reopened), after);
  assert.deepEqual(await reopened.abortedTransactions(0n, reopened.logEndOffset), abortedBefore);
  await reopened.close();
});

test('the cleaner stops below the first unstable offset', async () => {
  const { log, cleaner, write, end } = await compactedTxnLog();
  await write(1n, 'a', 'v1', false);
  await write(1n, 'a', 'v2', false);
  await write(1n, 'a', 'v3', false);
  await write(2n, 'a', 'open'); // 3: a transaction left open
  for (let i = 0; i < 8; i++) await write(1n, 'a', `w${i}`, false);
  log.updateHighWatermark(log.logEndOffset);
  await log.flush();
  assert.equal(log.lastStableOffset, 3n);
  assert.equal(await cleaner.runOnce(), true);
  const values = (await contents(log)).map((r) => [r.offset, r.value]);
  assert.deepEqual(values.slice(0, 2), [[2n, 'v3'], [3n, 'open']], 'only the segment below offset 3 was cleaned, against what it holds');
  assert.equal(values.length, 10);
  await end(2n, true);
  log.updateHighWatermark(log.logEndOffset);
  await log.flush();
  assert.equal(await cleaner.runOnce(), true);
  const cleaned = (await contents(log)).filter((r) => !r.control).map((r) => r.value);
  assert.ok(!cleaned.includes('v3') && !cleaned.includes('open'), cleaned.join(','));
  await log.close();
});
