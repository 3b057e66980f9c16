import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRecordBatchSync, encodeRecordBatchSync } from '../protocol/records/index.js';
import { InvalidRecordError } from './errors.js';
import { LogCleaner } from './log-cleaner.js';
import type { PartitionLog } from './partition-log.js';
import { memoryLog, readAll } from './testing/fixtures.js';

const T0 = 1_700_000_000_000;

/** One record `key=value` (value null: a tombstone). */
function kv(key: string | null, value: string | null, timestamp = BigInt(T0)): Buffer {
  return encodeRecordBatchSync({
    records: [{ timestamp, key: key === null ? null : Buffer.from(key), value: value === null ? null : Buffer.from(value) }],
  });
}

async function contents(log: PartitionLog): Promise<Array<[bigint, string, string | null]>> {
  const out: Array<[bigint, string, string | null]> = [];
  for (const b of await readAll(log)) {
    for (const r of decodeRecordBatchSync(b, { maxUncompressedBytes: 1 << 20 }).records) out.push([r.offset, r.key!.toString(), r.value?.toString() ?? null]);
  }
  return out;
}

async function compactedLog(config: Record<string, unknown> = {}) {
  const size = kv('k0', 'v000').length;
  const f = memoryLog({ segmentBytes: size * 4, cleanupPolicy: ['compact'], minCleanableDirtyRatio: 0.01, fileDeleteDelayMs: 0, ...config });
  const log = await f.open();
  const cleaner = new LogCleaner(f.fs, f.clock, { cleanerEnable: true, cleanerBackoffMs: 100, cleanerDedupeBufferSize: 1 << 20 }, () => [log], () => {});
  const append = async (key: string | null, value: string | null) => {
    await log.append(kv(key, value), { leaderEpoch: 0 });
    log.updateHighWatermark(log.logEndOffset);
  };
  return { f, log, cleaner, append };
}

test('the cleaner keeps the last value per key, offsets preserved, active segment untouched', async () => {
  const { f, log, cleaner, append } = await compactedLog();
  for (let i = 0; i < 20; i++) await append(`k${i % 3}`, `v${String(i).padStart(3, '0')}`);
  await log.flush();
  const before = await contents(log);
  const activeBase = log.segmentBaseOffsets.at(-1)!;
  assert.equal(await cleaner.runOnce(), true);
  const after = await contents(log);
  const offsets = after.map(([o]) => o);
  assert.deepEqual(offsets, [...offsets].sort((a, b) => (a < b ? -1 : 1)), 'offsets increase');
  assert.deepEqual(after.filter(([o]) => o >= activeBase), before.filter(([o]) => o >= activeBase), 'active segment untouched');
  const cleaned = after.filter(([o]) => o < activeBase);
  const latest = new Map(before.map(([o, k]) => [k, o]));
  for (const [o, k, v] of cleaned) {
    assert.equal(before.find(([bo]) => bo === o)![2], v, 'same record at the same offset');
    assert.ok(latest.get(k)! === o || o < activeBase, 'only latest values or unmapped ones');
  }
  const keysBelow = cleaned.map(([, k]) => k);
  assert.equal(new Set(keysBelow).size, keysBelow.length, 'one record per key in the cleaned part');
  assert.deepEqual(log.segmentBaseOffsets[0], 0n);
  assert.equal(log.logEndOffset, 20n);
  const names = await f.fs.readdir(f.dir);
  assert.ok(names.includes('00000000000000000000.log') && !names.some((n) => n.endsWith('.cleaned') || n.endsWith('.swap')), names.join(','));
  const checkpoint = (await f.fs.open('/data/cleaner-offset-checkpoint', 'read').then((h) => h.read(0, 1000))).toString();
  assert.match(checkpoint, /^0\n1\ntopic 0 \d+\n$/);
  assert.equal(await cleaner.runOnce(), false, 'nothing dirty any more');
  await log.close();
  const reopened = await f.open({ hadCleanShutdown: true });
  assert.deepEqual(await contents(reopened), after, 'the cleaned log survives a restart');
  await reopened.close();
});

test('tombstones stay until delete.retention.ms after they were cleaned, then go', async () => {
  const { f, log, cleaner, append } = await compactedLog({ deleteRetentionMs: 10_000 });
  await append('a', 'v001');
  await append('b', 'v002');
  await append('a', null);
  await append('c', 'v003');
  for (let i = 0; i < 8; i++) await append('d', `v${i}00`);
  await log.flush();
  assert.equal(await cleaner.runOnce(), true);
  let now = await contents(log);
  assert.ok(now.some(([o, k, v]) => o === 2n && k === 'a' && v === null), 'the tombstone is kept');
  assert.ok(!now.some(([o]) => o === 0n), 'the value it deletes is gone');
  f.clock.advance(5_000);
  assert.equal(await cleaner.runOnce(), false, 'horizon not reached');
  f.clock.advance(5_001);
  assert.equal(await cleaner.runOnce(), true, 'the passed horizon makes the log cleanable');
  now = await contents(log);
  assert.ok(!now.some(([, k]) => k === 'a'), 'the tombstone is gone');
  assert.ok(now.some(([o, k]) => o === 1n && k === 'b'));
  await log.close();
});

test('reads and appends during cleaning see consistent data', async () => {
  const { log, cleaner, append } = await compactedLog();
  for (let i = 0; i < 24; i++) await append(`k${i % 2}`, `v${String(i).padStart(3, '0')}`);
  await log.flush();
  const cleaning = cleaner.runOnce();
  const appends = Promise.all([append('k0', 'x001'), append('k1', 'x002')]);
  const reads = contents(log);
  const [cleaned, , seen] = await Promise.all([cleaning, appends, reads]);
  assert.equal(cleaned, true);
  for (const [o, , v] of seen) assert.ok(o < 26n && v !== undefined);
  const after = await contents(log);
  assert.deepEqual(after.slice(-2).map(([o, , v]) => [o, v]), [[24n, 'x001'], [25n, 'x002']]);
  await log.close();
});

test('a compacted topic rejects records without a key with INVALID_RECORD', async () => {
  const { log, append } = await compactedLog();
  await assert.rejects(append(null, 'v'), (err: unknown) => err instanceof InvalidRecordError && err.errorCode === 87);
  await append('k', 'v');
  assert.equal(log.logEndOffset, 1n);
  await log.close();
});
