import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompressionCodec } from '../protocol/compression/codec.js';
import { readRecordBatchHeader, validateRecordBatch } from '../protocol/records/index.js';
import { RecordBatchTooLargeError } from './errors.js';
import { batchesIn } from './file-batches.js';
import { makeBatch, memoryLog, offsetsIn, readAll } from './testing/fixtures.js';

test('append assigns offsets in place and read returns the stored bytes unchanged', async () => {
  const f = memoryLog();
  const log = await f.open({ tailCacheBytes: 0 });
  const sent = [makeBatch({ count: 3 }), makeBatch({ count: 1, compression: CompressionCodec.Lz4 }), makeBatch({ count: 5 })];
  const infos = [];
  for (const batch of sent) infos.push(await log.append(batch, { leaderEpoch: 4 }));
  assert.deepEqual(infos.map((i) => [i.baseOffset, i.lastOffset]), [[0n, 2n], [3n, 3n], [4n, 8n]]);
  assert.equal(infos[0]!.logAppendTime, -1n);
  assert.equal(log.logEndOffset, 9n);
  const result = await log.read(0n, 1 << 20, { minOneBatch: true });
  assert.equal(result.kind, 'records');
  if (result.kind !== 'records') return;
  assert.equal(result.fromCache, false);
  assert.ok(result.records.equals(Buffer.concat(sent)), 'the stored bytes are the appended buffers, offsets written in place');
  for (const { bytes } of batchesIn(result.records)) {
    assert.doesNotThrow(() => validateRecordBatch(bytes));
    assert.equal(readRecordBatchHeader(bytes).partitionLeaderEpoch, 4);
  }
  await log.close();
});

test('reads at every offset find the batch holding it, from the file and from the tail cache', async () => {
  for (const tailCacheBytes of [0, 1 << 20, 700]) {
    const f = memoryLog({ indexIntervalBytes: 100, segmentBytes: 2000 });
    const log = await f.open({ tailCacheBytes });
    const ranges: Array<[bigint, bigint]> = [];
    for (let i = 0; i < 40; i++) {
      const info = await log.append(makeBatch({ count: 1 + (i % 4), seed: i }), { leaderEpoch: 0 });
      ranges.push([info.baseOffset, info.lastOffset]);
    }
    assert.ok(log.segmentBaseOffsets.length > 2, 'the log rolled');
    for (let offset = 0n; offset < log.logEndOffset; offset++) {
      const result = await log.read(offset, 1, { minOneBatch: true });
      assert.equal(result.kind, 'records');
      if (result.kind !== 'records') continue;
      const got = offsetsIn(result.records);
      assert.equal(got.length, 1);
      const holding = ranges.find(([b, l]) => b <= offset && offset <= l)!;
      assert.deepEqual(got[0], holding, `offset ${offset}, cache ${tailCacheBytes}`);
    }
    const whole = await readAll(log);
    assert.deepEqual(whole.map((b) => offsetsIn(b)[0]), ranges);
  }
});

test('read limits: maxBytes cuts at whole batches, minOneBatch, maxOffset, segment boundary, out of range', async () => {
  const f = memoryLog({ segmentBytes: 10_000 });
  const log = await f.open({ tailCacheBytes: 0 });
  const size = makeBatch({ count: 2 }).length;
  for (let i = 0; i < 10; i++) await log.append(makeBatch({ count: 2 }), { leaderEpoch: 0 });
  const r = await log.read(0n, size * 3 + 5, { minOneBatch: false });
  assert.ok(r.kind === 'records' && offsetsIn(r.records).length === 3 && r.records.length === size * 3);
  const tooSmall = await log.read(0n, size - 1, { minOneBatch: false });
  assert.ok(tooSmall.kind === 'records' && tooSmall.records.length === 0 && tooSmall.firstBatchTooLarge);
  const one = await log.read(3n, 1, { minOneBatch: true });
  assert.ok(one.kind === 'records');
  assert.deepEqual(offsetsIn(one.records), [[2n, 3n]]);
  const bounded = await log.read(0n, 1 << 20, { minOneBatch: true, maxOffset: 5n });
  assert.ok(bounded.kind === 'records');
  assert.deepEqual(offsetsIn(bounded.records), [[0n, 1n], [2n, 3n]]);
  const atEnd = await log.read(20n, 100, { minOneBatch: true });
  assert.ok(atEnd.kind === 'records' && atEnd.records.length === 0);
  assert.equal((await log.read(21n, 100, { minOneBatch: true })).kind, 'offsetOutOfRange');
  assert.equal((await log.read(-1n, 100, { minOneBatch: true })).kind, 'offsetOutOfRange');
});

test('reads stop at the end of a segment', async () => {
  const batchSize = makeBatch({ count: 1 }).length;
  const f = memoryLog({ segmentBytes: batchSize * 3 });
  const log = await f.open({ tailCacheBytes: 0 });
  for (let i = 0; i < 7; i++) await log.append(makeBatch({ count: 1 }), { leaderEpoch: 0 });
  assert.deepEqual(log.segmentBaseOffsets, [0n, 3n, 6n]);
  const r = await log.read(1n, 1 << 20, { minOneBatch: true });
  assert.ok(r.kind === 'records');
  assert.deepEqual(offsetsIn(r.records), [[1n, 1n], [2n, 2n]]);
  assert.equal((await readAll(log)).length, 7);
});

test('concurrent appends get ordered offsets and are coalesced into fewer writes', async () => {
  const f = memoryLog();
  const log = await f.open();
  await log.read(0n, 1 << 20, { minOneBatch: true }); // a reader at the end: new writes are cached for it
  const before = f.fs.operationCount;
  const appends = Array.from({ length: 50 }, (_, i) => log.append(makeBatch({ count: 2, seed: i }), { leaderEpoch: 1 }));
  const infos = await Promise.all(appends);
  assert.deepEqual(infos.map((i) => i.baseOffset), Array.from({ length: 50 }, (_, i) => BigInt(i * 2)));
  assert.ok(f.fs.operationCount - before < 5, `${f.fs.operationCount - before} file operations for 50 appends`);
  const all = await readAll(log);
  assert.equal(all.length, 50);
  const cached = await log.read(0n, 1 << 20, { minOneBatch: true });
  assert.ok(cached.kind === 'records' && cached.fromCache);
  assert.ok(cached.records.equals(Buffer.concat(all)));
});

test('writes are copied into the tail cache only while a reader has lately asked for the end', async () => {
  const f = memoryLog();
  const log = await f.open();
  await log.append(makeBatch({ count: 2, seed: 1 }), { leaderEpoch: 1 });
  const first = await log.read(0n, 1 << 20, { minOneBatch: true });
  assert.ok(first.kind === 'records' && !first.fromCache, 'nobody read the end before: served from the file');
  await log.read(2n, 1 << 20, { minOneBatch: true }); // a consumer caught up, at the end
  await log.append(makeBatch({ count: 2, seed: 2 }), { leaderEpoch: 1 });
  const next = await log.read(2n, 1 << 20, { minOneBatch: true });
  assert.ok(next.kind === 'records' && next.fromCache && next.records.length > 0, 'written after a read at the end: served from memory');
});

test('LogAppendTime appends return the append time and store it in the batch', async () => {
  const f = memoryLog({ messageTimestampType: 'LogAppendTime' });
  const log = await f.open();
  const info = await log.append(makeBatch({ count: 2, timestamp: 5n }), { leaderEpoch: 0, nowMs: 1234 });
  assert.equal(info.logAppendTime, 1234n);
  assert.equal(info.maxTimestamp, 1234n);
  const r = await log.read(0n, 1000, { minOneBatch: true });
  assert.ok(r.kind === 'records');
  assert.equal(readRecordBatchHeader(r.records).maxTimestamp, 1234n);
  assert.doesNotThrow(() => validateRecordBatch(r.records));
});

test('high watermark is the broker\'s, clamped to the log; appends larger than a segment are refused', async () => {
  const f = memoryLog({ segmentBytes: 200 });
  const log = await f.open();
  await log.append(makeBatch({ count: 3 }), { leaderEpoch: 0 });
  assert.equal(log.highWatermark, 0n);
  assert.equal(log.maybeIncrementHighWatermark(2n), true);
  assert.equal(log.maybeIncrementHighWatermark(1n), false);
  assert.equal(log.updateHighWatermark(100n), 3n);
  const r = await log.read(0n, 1000, { minOneBatch: true });
  assert.ok(r.kind === 'records' && r.highWatermark === 3n && r.logEndOffset === 3n);
  await assert.rejects(log.append(Buffer.concat([makeBatch({ valueSize: 150 }), makeBatch({ valueSize: 150 })]), { leaderEpoch: 0 }), RecordBatchTooLargeError);
});

test('appendAsFollower keeps offsets and epochs; truncateTo cuts them again', async () => {
  const f = memoryLog({ segmentBytes: 400 });
  const log = await f.open();
  await log.appendAsFollower(makeBatch({ count: 2, baseOffset: 0n, partitionLeaderEpoch: 3 }));
  await log.appendAsFollower(makeBatch({ count: 3, baseOffset: 2n, partitionLeaderEpoch: 3 }));
  await log.appendAsFollower(makeBatch({ count: 1, baseOffset: 10n, partitionLeaderEpoch: 4 }));
  for (let i = 0; i < 6; i++) await log.appendAsFollower(makeBatch({ count: 1, baseOffset: 11n + BigInt(i), partitionLeaderEpoch: 4 }));
  assert.equal(log.logEndOffset, 17n);
  log.updateHighWatermark(17n);
  const segmentsBefore = log.segmentBaseOffsets.length;
  assert.ok(segmentsBefore > 1);
  assert.equal(await log.truncateTo(3n), true);
  assert.equal(log.logEndOffset, 2n, 'the batch holding offset 3 goes whole');
  assert.equal(log.highWatermark, 2n);
  assert.deepEqual(log.segmentBaseOffsets, [0n]);
  assert.equal(await log.truncateTo(50n), false);
  const info = await log.append(makeBatch({ count: 1 }), { leaderEpoch: 5 });
  assert.equal(info.baseOffset, 2n);
  assert.deepEqual((await readAll(log)).map((b) => offsetsIn(b)[0]), [[0n, 1n], [2n, 2n]]);
  await log.truncateFullyAndStartAt(100n);
  assert.deepEqual([log.logStartOffset, log.logEndOffset, log.segmentBaseOffsets], [100n, 100n, [100n]]);
  assert.equal((await log.append(makeBatch(), { leaderEpoch: 5 })).baseOffset, 100n);
  await log.close();
  const reopened = await f.open({ hadCleanShutdown: true });
  assert.deepEqual([reopened.logStartOffset, reopened.logEndOffset], [100n, 101n]);
});
