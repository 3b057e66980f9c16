import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OffsetOutOfRangeError } from './errors.js';
import { makeBatch, memoryLog, offsetsIn } from './testing/fixtures.js';

const HOUR = 3_600_000;

async function logWithSegments(config: Parameters<typeof memoryLog>[0], batches: number, timestampOf: (i: number) => bigint) {
  const f = memoryLog(config);
  const log = await f.open();
  for (let i = 0; i < batches; i++) await log.append(makeBatch({ count: 2, seed: i, timestamp: timestampOf(i) }), { leaderEpoch: 0 });
  log.updateHighWatermark(log.logEndOffset);
  return { f, log };
}

const names = async (f: ReturnType<typeof memoryLog>): Promise<string[]> => (await f.fs.readdir(f.dir)).filter((n) => n.includes('.log'));

test('retention.ms deletes segments by their largest timestamp, via .deleted files after file.delete.delay.ms', async () => {
  const size = makeBatch({ count: 2 }).length;
  const now = 1_700_000_000_000;
  const { f, log } = await logWithSegments({ segmentBytes: size * 2, retentionMs: 10 * HOUR, fileDeleteDelayMs: 60_000 }, 7, (i) =>
    BigInt(now - (7 - i) * 4 * HOUR),
  );
  assert.deepEqual(log.segmentBaseOffsets, [0n, 4n, 8n, 12n]);
  // Segment maxima: now-24h, now-16h, now-8h, now-4h (active).
  assert.equal(await log.deleteOldSegments(now), 2);
  assert.deepEqual(log.segmentBaseOffsets, [8n, 12n]);
  assert.equal(log.logStartOffset, 8n);
  assert.deepEqual(await names(f), [
    '00000000000000000000.log.deleted',
    '00000000000000000004.log.deleted',
    '00000000000000000008.log',
    '00000000000000000012.log',
  ]);
  assert.equal((await log.read(2n, 100, { minOneBatch: true })).kind, 'offsetOutOfRange');
  await log.deleteDueFiles(now + 59_999);
  assert.equal((await names(f)).length, 4);
  await log.deleteDueFiles(now + 60_000);
  assert.deepEqual(await names(f), ['00000000000000000008.log', '00000000000000000012.log']);
  assert.equal((await f.fs.readdir(f.dir)).filter((n) => n.endsWith('.deleted')).length, 0);
});

test('retention.bytes deletes the oldest segments while the partition is over the limit', async () => {
  const size = makeBatch({ count: 2 }).length;
  const { log } = await logWithSegments({ segmentBytes: size * 2, retentionBytes: size * 3, fileDeleteDelayMs: 0 }, 7, () => BigInt(Date.now()));
  assert.equal(log.size, size * 7);
  assert.equal(await log.deleteOldSegments(), 2);
  assert.deepEqual(log.segmentBaseOffsets, [8n, 12n]);
  assert.equal(log.size, size * 3);
  assert.equal(await log.deleteOldSegments(), 0);
});

test('retention keeps what is above the high watermark, and needs cleanup.policy=delete', async () => {
  const size = makeBatch({ count: 2 }).length;
  const { log } = await logWithSegments({ segmentBytes: size * 2, retentionMs: 1, fileDeleteDelayMs: 0 }, 6, () => 1000n);
  log.updateHighWatermark(5n);
  assert.equal(await log.deleteOldSegments(1_000_000), 1);
  assert.deepEqual(log.segmentBaseOffsets, [4n, 8n]);
  log.updateConfig({ ...log.config, cleanupPolicy: ['compact'] });
  log.updateHighWatermark(12n);
  assert.equal(await log.deleteOldSegments(1_000_000), 0);
});

test('when every segment expired the log rolls first, so the active segment itself is never deleted', async () => {
  const { f, log } = await logWithSegments({ retentionMs: HOUR, fileDeleteDelayMs: 0 }, 3, () => 1000n);
  assert.deepEqual(log.segmentBaseOffsets, [0n]);
  assert.equal(await log.deleteOldSegments(f.clock.nowMs()), 1);
  assert.deepEqual(log.segmentBaseOffsets, [6n]);
  assert.deepEqual([log.logStartOffset, log.logEndOffset], [6n, 6n]);
  assert.equal(await log.deleteOldSegments(f.clock.nowMs()), 0, 'an empty active segment stays');
  assert.equal((await log.append(makeBatch(), { leaderEpoch: 0 })).baseOffset, 6n);
});

test('deleteRecordsBefore moves the log start offset (up to the high watermark) and drops whole segments below it', async () => {
  const size = makeBatch({ count: 2 }).length;
  const { log } = await logWithSegments({ segmentBytes: size * 2, fileDeleteDelayMs: 0, retentionMs: -1 }, 6, () => 0n);
  log.updateHighWatermark(9n);
  assert.equal(await log.deleteRecordsBefore(5n), 5n);
  assert.deepEqual(log.segmentBaseOffsets, [4n, 8n]);
  assert.equal((await log.read(4n, 100, { minOneBatch: true })).kind, 'offsetOutOfRange');
  const r = await log.read(5n, 100, { minOneBatch: true });
  assert.ok(r.kind === 'records');
  assert.deepEqual(offsetsIn(r.records), [[4n, 5n]], 'the batch holding the log start offset is returned whole');
  assert.equal(await log.deleteRecordsBefore(3n), 5n, 'never moves back');
  await assert.rejects(log.deleteRecordsBefore(10n), OffsetOutOfRangeError);
});

test('the log start offset survives a restart through log-start-offset-checkpoint', async () => {
  const size = makeBatch({ count: 2 }).length;
  const { f, log } = await logWithSegments({ segmentBytes: size * 2, fileDeleteDelayMs: 0 }, 4, () => 1_700_000_000_000n);
  log.updateHighWatermark(8n);
  await log.deleteRecordsBefore(5n);
  await log.close();
  const reopened = await f.open({ hadCleanShutdown: true, logStartOffset: 5n });
  assert.equal(reopened.logStartOffset, 5n);
  await reopened.close();
  const forgotten = await f.open({ hadCleanShutdown: true });
  assert.equal(forgotten.logStartOffset, 4n, 'without the checkpoint: the first segment base offset');
});
