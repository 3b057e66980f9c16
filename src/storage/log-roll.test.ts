import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeBatch, memoryLog, offsetsIn, readAll } from './testing/fixtures.js';

const fileSize = async (f: ReturnType<typeof memoryLog>, name: string): Promise<number | undefined> =>
  (await f.fs.stat(`${f.dir}/${name}`))?.size;

test('segments roll on segment.bytes; files named by 20-digit base offset; indexes preallocated then trimmed; a producer snapshot per roll', async () => {
  const batch = makeBatch({ count: 2 });
  const f = memoryLog({ segmentBytes: batch.length * 3, segmentIndexBytes: 100, indexIntervalBytes: 0 });
  const log = await f.open();
  for (let i = 0; i < 7; i++) await log.append(makeBatch({ count: 2, seed: i, timestamp: BigInt(1000 + 10 * i) }), { leaderEpoch: 0 });
  await log.flush();
  assert.deepEqual(log.segmentBaseOffsets, [0n, 6n, 12n]);
  assert.deepEqual(await f.fs.readdir(f.dir), [
    '00000000000000000000.index',
    '00000000000000000000.log',
    '00000000000000000000.timeindex',
    '00000000000000000006.index',
    '00000000000000000006.log',
    '00000000000000000006.snapshot',
    '00000000000000000006.timeindex',
    '00000000000000000012.index',
    '00000000000000000012.log',
    '00000000000000000012.snapshot',
    '00000000000000000012.timeindex',
  ]);
  assert.equal(await fileSize(f, '00000000000000000000.log'), batch.length * 3);
  // Inactive, trimmed: an entry for each batch but the first (interval 0), in both indexes.
  assert.equal(await fileSize(f, '00000000000000000000.index'), 2 * 8);
  assert.equal(await fileSize(f, '00000000000000000000.timeindex'), 2 * 12);
  // Active: preallocated to segment.index.bytes, rounded down to whole entries.
  assert.equal(await fileSize(f, '00000000000000000012.index'), 96);
  assert.equal(await fileSize(f, '00000000000000000012.timeindex'), 96);
  await log.close();
  assert.equal(await fileSize(f, '00000000000000000012.index'), 0);
  assert.equal(await fileSize(f, '00000000000000000012.timeindex'), 12);
});

test('segments roll on segment.ms, measured from the first batch timestamp', async () => {
  const f = memoryLog({ segmentMs: 1000 });
  const log = await f.open();
  await log.append(makeBatch({ timestamp: 10_000n }), { leaderEpoch: 0 });
  await log.append(makeBatch({ timestamp: 10_900n }), { leaderEpoch: 0 });
  assert.deepEqual(log.segmentBaseOffsets, [0n]);
  await log.append(makeBatch({ timestamp: 11_001n }), { leaderEpoch: 0 });
  assert.deepEqual(log.segmentBaseOffsets, [0n, 2n]);
});

test('without timestamps segment.ms counts from the segment creation on the clock', async () => {
  const f = memoryLog({ segmentMs: 1000 });
  const log = await f.open();
  await log.append(makeBatch({ timestamps: [-1n] }), { leaderEpoch: 0 });
  f.clock.advance(999);
  await log.append(makeBatch({ timestamps: [-1n] }), { leaderEpoch: 0 });
  assert.equal(log.segmentBaseOffsets.length, 1);
  f.clock.advance(2);
  await log.append(makeBatch({ timestamps: [-1n] }), { leaderEpoch: 0 });
  assert.deepEqual(log.segmentBaseOffsets, [0n, 2n]);
});

test('segment.jitter.ms shortens segment.ms by a per-segment random amount', async () => {
  const f = memoryLog({ segmentMs: 1000, segmentJitterMs: 900 }, 7);
  const log = await f.open();
  let rolledAfter = -1;
  await log.append(makeBatch({ timestamp: 0n }), { leaderEpoch: 0 });
  for (let t = 1; t <= 1001 && rolledAfter < 0; t += 10) {
    await log.append(makeBatch({ timestamp: BigInt(t) }), { leaderEpoch: 0 });
    if (log.segmentBaseOffsets.length > 1) rolledAfter = t;
  }
  assert.ok(rolledAfter > 100 && rolledAfter <= 1001, `rolled after ${rolledAfter} ms`);
});

test('segments roll when an index is full', async () => {
  const f = memoryLog({ segmentIndexBytes: 24, indexIntervalBytes: 0 });
  const log = await f.open();
  for (let i = 0; i < 8; i++) await log.append(makeBatch({ timestamp: BigInt(1000 + i) }), { leaderEpoch: 0 });
  // Time index: 2 entries; entries come with every batch but the first, so 3 batches a segment.
  assert.deepEqual(log.segmentBaseOffsets, [0n, 3n, 6n]);
  assert.equal((await readAll(log)).length, 8);
});

test('segments roll before relative offsets overflow int32 (follower appends with gaps)', async () => {
  const f = memoryLog();
  const log = await f.open({ tailCacheBytes: 0 });
  await log.appendAsFollower(makeBatch({ baseOffset: 0n }));
  await log.appendAsFollower(makeBatch({ baseOffset: 2n ** 31n - 1n }));
  assert.deepEqual(log.segmentBaseOffsets, [0n]);
  await log.appendAsFollower(makeBatch({ baseOffset: 2n ** 31n }));
  assert.deepEqual(log.segmentBaseOffsets, [0n, 2n ** 31n]);
  assert.deepEqual(await f.fs.readdir(f.dir).then((n) => n.filter((x) => x.endsWith('.log'))), [
    '00000000000000000000.log',
    '00000000002147483648.log',
  ]);
  const r = await log.read(5n, 1000, { minOneBatch: true });
  assert.ok(r.kind === 'records');
  assert.deepEqual(offsetsIn(r.records), [[2n ** 31n - 1n, 2n ** 31n - 1n]]);
});

test('roll() starts a new segment unless the active one is empty; config changes apply to the live log', async () => {
  const f = memoryLog();
  const log = await f.open();
  await log.roll();
  assert.deepEqual(log.segmentBaseOffsets, [0n]);
  await log.append(makeBatch({ count: 3 }), { leaderEpoch: 0 });
  await log.roll();
  assert.deepEqual(log.segmentBaseOffsets, [0n, 3n]);
  log.updateConfig({ ...log.config, segmentBytes: makeBatch().length });
  await log.append(makeBatch(), { leaderEpoch: 0 });
  await log.append(makeBatch(), { leaderEpoch: 0 });
  assert.deepEqual(log.segmentBaseOffsets, [0n, 3n, 4n]);
});
