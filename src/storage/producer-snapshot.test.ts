/**
 * Producer-state snapshots: Kafka's byte format, what a partition log writes at rolls and close,
 * what it loads at open (and when a snapshot is corrupt or missing), and which it deletes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32c } from '../protocol/crc/index.js';
import { CorruptSnapshotError } from './errors.js';
import { decodeProducerSnapshot, encodeProducerSnapshot, type SnapshotEntry } from './producer-snapshot.js';
import { makeBatch, makeProducerBatch, memoryLog } from './testing/fixtures.js';

const opts = { leaderEpoch: 0 };

/** Kafka's layout, written field by field at fixed positions. */
function kafkaSnapshot(): Buffer {
  const buf = Buffer.alloc(10 + 2 * 46);
  buf.writeInt16BE(1, 0); // version
  buf.writeInt32BE(2, 6); // entry count
  const entry = (at: number, e: [bigint, number, number, bigint, number, bigint, number, bigint]): void => {
    buf.writeBigInt64BE(e[0], at); // producer_id
    buf.writeInt16BE(e[1], at + 8); // epoch
    buf.writeInt32BE(e[2], at + 10); // last_sequence
    buf.writeBigInt64BE(e[3], at + 14); // last_offset
    buf.writeInt32BE(e[4], at + 22); // offset_delta
    buf.writeBigInt64BE(e[5], at + 26); // timestamp
    buf.writeInt32BE(e[6], at + 34); // coordinator_epoch
    buf.writeBigInt64BE(e[7], at + 38); // current_txn_first_offset
  };
  entry(10, [1000n, 3, 41, 99n, 4, 1_700_000_000_123n, -1, -1n]);
  entry(56, [2001n, 0, -1, -1n, 0, 1_700_000_000_456n, 7, 120n]);
  buf.writeUInt32BE(crc32c(buf.subarray(6)), 2);
  return buf;
}

const ENTRIES: SnapshotEntry[] = [
  { producerId: 1000n, producerEpoch: 3, lastSequence: 41, lastOffset: 99n, offsetDelta: 4, timestamp: 1_700_000_000_123n, coordinatorEpoch: -1, currentTxnFirstOffset: -1n },
  { producerId: 2001n, producerEpoch: 0, lastSequence: -1, lastOffset: -1n, offsetDelta: 0, timestamp: 1_700_000_000_456n, coordinatorEpoch: 7, currentTxnFirstOffset: 120n },
];

test('snapshot format: byte for byte Kafka version 1, CRC-32C over everything after it', () => {
  const kafka = kafkaSnapshot();
  assert.deepEqual(encodeProducerSnapshot(ENTRIES), kafka);
  assert.deepEqual(decodeProducerSnapshot(kafka), ENTRIES);
  assert.deepEqual(decodeProducerSnapshot(encodeProducerSnapshot([])), []);
  const flipped = Buffer.from(kafka);
  flipped[40]! ^= 1;
  assert.throws(() => decodeProducerSnapshot(flipped), CorruptSnapshotError);
  const version = Buffer.from(kafka);
  version.writeInt16BE(2, 0);
  assert.throws(() => decodeProducerSnapshot(version), /unknown snapshot version 2/);
  assert.throws(() => decodeProducerSnapshot(kafka.subarray(0, kafka.length - 1)), CorruptSnapshotError);
  assert.throws(() => decodeProducerSnapshot(Buffer.alloc(3)), CorruptSnapshotError);
});

/** A log with two producers: one idempotent (three batches), one with a transaction in progress. */
async function logWithProducers(config = {}) {
  const f = memoryLog(config);
  const log = await f.open();
  const batches = [0, 2, 4].map((seq) => makeProducerBatch({ producerId: 5n, producerEpoch: 1, baseSequence: seq, count: 2 }));
  for (const b of batches) await log.append(Buffer.from(b), opts);
  await log.append(makeProducerBatch({ producerId: 6n, transactional: true }), opts);
  await log.append(makeBatch(), opts);
  log.updateHighWatermark(log.logEndOffset);
  return { f, log, last: batches[2]! };
}

test('clean close writes a snapshot at the log end; a clean open loads it and keeps detecting the last batch retried', async () => {
  const { f, log, last } = await logWithProducers();
  const states = log.producerStates();
  await log.close();
  const names = (await f.fs.readdir(f.dir)).filter((n) => n.endsWith('.snapshot'));
  assert.deepEqual(names, ['00000000000000000008.snapshot']);
  const snapshot = await f.fs.open(`${f.dir}/${names[0]}`, 'read');
  const entries = decodeProducerSnapshot(await snapshot.read(0, 4096));
  await snapshot.close();
  assert.deepEqual(
    entries.map((e) => [e.producerId, e.producerEpoch, e.lastSequence, e.lastOffset, e.offsetDelta, e.currentTxnFirstOffset]),
    [[5n, 1, 5, 5n, 1, -1n], [6n, 0, 0, 6n, 0, 6n]],
  );
  const reopened = await f.open({ hadCleanShutdown: true, recoveryPoint: 8n });
  assert.deepEqual(reopened.producerStates(), states);
  reopened.updateHighWatermark(reopened.logEndOffset);
  assert.equal(reopened.lastStableOffset, 6n, 'the open transaction came back');
  const retry = await reopened.append(Buffer.from(last), opts);
  assert.deepEqual([retry.duplicate, retry.baseOffset], [true, 4n]);
  await reopened.close();
});

test('a corrupt snapshot is deleted with a warning and the state rebuilt from the log', async () => {
  const { f, log } = await logWithProducers();
  const states = log.producerStates();
  await log.close();
  const path = `${f.dir}/00000000000000000008.snapshot`;
  const handle = await f.fs.open(path, 'write');
  await handle.write([Buffer.from([0xff])], 20);
  await handle.close();
  const warnings: string[] = [];
  const reopened = await f.open({ hadCleanShutdown: true, recoveryPoint: 8n, onWarning: (m) => warnings.push(m) });
  assert.ok(warnings.some((w) => w.includes('CRC')), warnings.join('\n'));
  assert.deepEqual(reopened.producerStates(), states);
  const rewritten = await f.fs.open(path, 'read');
  assert.deepEqual(decodeProducerSnapshot(await rewritten.read(0, 4096)).map((e) => e.producerId), [5n, 6n], 'a fresh snapshot replaced it');
  await rewritten.close();
  await reopened.close();
});

test('a clean shutdown without any snapshot (a log from before producer state) opens empty and records it', async () => {
  const { f, log } = await logWithProducers();
  await log.close();
  await f.fs.unlink(`${f.dir}/00000000000000000008.snapshot`);
  const reopened = await f.open({ hadCleanShutdown: true, recoveryPoint: 8n });
  assert.deepEqual(reopened.producerStates(), []);
  assert.ok((await f.fs.readdir(f.dir)).includes('00000000000000000008.snapshot'));
  await reopened.close();
});

test('snapshots at rolls; after a recovery-point checkpoint only those recovery and truncation may need stay', async () => {
  const probe = makeProducerBatch({ producerId: 5n, count: 2 });
  const f = memoryLog({ segmentBytes: probe.length * 2 });
  const log = await f.open();
  for (let seq = 0; seq < 20; seq += 2) await log.append(makeProducerBatch({ producerId: 5n, baseSequence: seq, count: 2 }), opts);
  await log.flush();
  const snapshots = async (): Promise<bigint[]> =>
    (await f.fs.readdir(f.dir)).filter((n) => n.endsWith('.snapshot')).map((n) => BigInt(n.slice(0, 20)));
  const bases = log.segmentBaseOffsets;
  assert.deepEqual(await snapshots(), bases.slice(1), 'one per roll, at the new segment base');
  const roll4 = await f.fs.open(`${f.dir}/00000000000000000004.snapshot`, 'read');
  assert.deepEqual(decodeProducerSnapshot(await roll4.read(0, 1000)).map((e) => [e.lastSequence, e.lastOffset]), [[3, 3n]], 'the state as of the roll');
  await roll4.close();
  // Recovery point 12 lies in segment 12: keep from the segment before it (8), and the last two segments.
  await log.deleteSnapshotsAfterRecoveryPointCheckpoint(12n);
  assert.deepEqual(await snapshots(), bases.filter((b) => b >= 8n));
  await log.deleteSnapshotsAfterRecoveryPointCheckpoint(log.logEndOffset);
  assert.deepEqual(await snapshots(), bases.slice(-2));
  await log.close();
});
