import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompressionCodec } from '../protocol/compression/codec.js';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, MAX_TIMESTAMP } from './log-timestamp.js';
import { makeBatch, memoryLog } from './testing/fixtures.js';

test('offsetForTimestamp: the first offset whose record timestamp is >= the target, across segments', async () => {
  const f = memoryLog({ segmentBytes: 400, indexIntervalBytes: 50 });
  const log = await f.open();
  // Batch i holds records with timestamps 100i, 100i+10, 100i+20 (batch 3 compressed).
  for (let i = 0; i < 10; i++) {
    const timestamps = [0, 10, 20].map((d) => BigInt(100 * i + d));
    await log.append(makeBatch({ timestamps, compression: i === 3 ? CompressionCodec.Snappy : undefined }), { leaderEpoch: 2 });
  }
  assert.ok(log.segmentBaseOffsets.length > 2);
  const at = async (ts: bigint) => (await log.offsetForTimestamp(ts))?.offset ?? null;
  assert.equal(await at(0n), 0n);
  assert.equal(await at(5n), 1n);
  assert.equal(await at(20n), 2n);
  assert.equal(await at(21n), 3n);
  assert.equal(await at(315n), 11n);
  assert.equal(await at(900n), 27n);
  assert.equal(await at(920n), 29n);
  assert.equal(await at(921n), null);
  const found = await log.offsetForTimestamp(410n);
  assert.deepEqual(found, { timestamp: 410n, offset: 13n, leaderEpoch: 2 });
  const records = Array.from({ length: 30 }, (_, o) => ({ offset: BigInt(o), timestamp: BigInt(100 * Math.floor(o / 3) + 10 * (o % 3)) }));
  for (let ts = 0n; ts <= 930n; ts += 7n) {
    assert.equal(await at(ts), records.find((r) => r.timestamp >= ts)?.offset ?? null, `timestamp ${ts}`);
  }
});

test('offsetForTimestamp: special timestamps and the log start offset', async () => {
  const f = memoryLog({ segmentBytes: 300, retentionMs: -1 });
  const log = await f.open();
  assert.equal(await log.offsetForTimestamp(MAX_TIMESTAMP), null);
  await log.append(makeBatch({ timestamps: [50n, 70n, 60n] }), { leaderEpoch: 1 });
  await log.append(makeBatch({ timestamps: [10n, 90n, 20n] }), { leaderEpoch: 3 });
  await log.append(makeBatch({ timestamps: [30n, 40n] }), { leaderEpoch: 3 });
  assert.deepEqual(await log.offsetForTimestamp(LATEST_TIMESTAMP), { timestamp: -1n, offset: 8n, leaderEpoch: 3 });
  assert.deepEqual(await log.offsetForTimestamp(EARLIEST_TIMESTAMP), { timestamp: -1n, offset: 0n, leaderEpoch: -1 });
  assert.deepEqual(await log.offsetForTimestamp(MAX_TIMESTAMP), { timestamp: 90n, offset: 4n, leaderEpoch: 3 });
  assert.equal((await log.offsetForTimestamp(55n))?.offset, 1n);
  assert.equal((await log.offsetForTimestamp(75n))?.offset, 4n);
  log.updateHighWatermark(8n);
  await log.deleteRecordsBefore(5n);
  assert.equal((await log.offsetForTimestamp(0n))?.offset, 5n, 'no offset below the log start');
  assert.equal((await log.offsetForTimestamp(EARLIEST_TIMESTAMP))?.offset, 5n);
  assert.equal(await log.offsetForTimestamp(-7n), null);
});

test('offsetForTimestamp with LogAppendTime uses the append time of each batch', async () => {
  const f = memoryLog({ messageTimestampType: 'LogAppendTime' });
  const log = await f.open();
  await log.append(makeBatch({ count: 2, timestamp: 1n }), { leaderEpoch: 0, nowMs: 1000 });
  await log.append(makeBatch({ count: 2, timestamp: 1n }), { leaderEpoch: 0, nowMs: 2000 });
  assert.deepEqual(await log.offsetForTimestamp(1500n), { timestamp: 2000n, offset: 2n, leaderEpoch: 0 });
  assert.deepEqual(await log.offsetForTimestamp(MAX_TIMESTAMP), { timestamp: 2000n, offset: 2n, leaderEpoch: 0 });
});
