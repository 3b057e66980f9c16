/**
 * Producer state across unclean stops (seeded, on the in-memory file system's crash twin):
 *
 * - after a crash that follows a flush, the reopened log has the same producers, the same
 *   aborted transactions and the same last stable offset, and every producer's last batch,
 *   retried, is still a duplicate answered with its first offsets;
 * - after a crash at any file operation, the state loaded from snapshots plus the log equals the
 *   state rebuilt from the whole log with no snapshot at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CrashMode } from '../common/fs-memory.js';
import type { PartitionLog } from './partition-log.js';
import { makeBatch, makeProducerBatch, memoryLog, type MemoryLogFixture } from './testing/fixtures.js';

type Op =
  | { kind: 'produce'; producer: number; count: number; transactional: boolean }
  | { kind: 'retry'; producer: number }
  | { kind: 'marker'; producer: number; committed: boolean }
  | { kind: 'plain' }
  | { kind: 'flush' }
  | { kind: 'checkpoint' }
  | { kind: 'expire' }
  | { kind: 'restart' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('produce' as const), producer: fc.integer({ min: 0, max: 2 }), count: fc.integer({ min: 1, max: 3 }), transactional: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retry' as const), producer: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('marker' as const), producer: fc.integer({ min: 0, max: 2 }), committed: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('plain' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flush' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('checkpoint' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const) }) },
);

const PRODUCERS = [100n, 200n, 300n];

interface Producer {
  nextSeq: number;
  inTxn: boolean;
  last: { batch: Buffer; baseOffset: bigint; lastOffset: bigint } | null;
}

const EXPIRATION = { producerIdExpirationMs: 2000 };

/**
 * Opens the log and runs the ops (`restart`: a clean close and open); returns the log and the
 * recovery point a checkpoint last recorded. With `crashing`, stops quietly at the first I/O
 * failure (the scheduled crash).
 */
async function drive(f: MemoryLogFixture, ops: Op[], producers: Producer[], crashing = false): Promise<{ log: PartitionLog | null; checkpointed: bigint }> {
  let checkpointed = 0n;
  let log: PartitionLog | null = null;
  try {
    log = await f.open(EXPIRATION);
    for (const op of ops) {
      if (op.kind === 'restart') {
        await log.close();
        checkpointed = log.recoveryPoint;
        log = await f.open({ ...EXPIRATION, hadCleanShutdown: true, recoveryPoint: checkpointed });
      } else if (op.kind === 'flush') {
        await log.flush();
      } else if (op.kind === 'checkpoint') {
        checkpointed = log.recoveryPoint;
        await log.deleteSnapshotsAfterRecoveryPointCheckpoint(checkpointed);
      } else if (op.kind === 'expire') {
        f.clock.advance(500);
        log.removeExpiredProducers();
      } else if (op.kind === 'plain') {
        await log.append(makeBatch({ count: 2 }), { leaderEpoch: 0 });
      } else if (op.kind === 'marker') {
        const p = producers[op.producer]!;
        await log.appendTxnMarker({ producerId: PRODUCERS[op.producer]!, producerEpoch: 0, coordinatorEpoch: 1, committed: op.committed }, { leaderEpoch: 0 });
        p.inTxn = false;
      } else if (op.kind === 'retry') {
        const p = producers[op.producer]!;
        if (!p.last) continue;
        const info = await log.append(Buffer.from(p.last.batch), { leaderEpoch: 0 });
        assert.deepEqual([info.duplicate, info.baseOffset], [true, p.last.baseOffset]);
      } else {
        const p = producers[op.producer]!;
        const transactional = p.inTxn || op.transactional;
        const batch = makeProducerBatch({ producerId: PRODUCERS[op.producer]!, baseSequence: p.nextSeq, count: op.count, transactional, timestamp: BigInt(f.clock.nowMs()) });
        const info = await log.append(Buffer.from(batch), { leaderEpoch: 0 });
        p.nextSeq += op.count;
        p.inTxn = transactional;
        p.last = { batch, baseOffset: info.baseOffset, lastOffset: info.lastOffset };
      }
    }
  } catch (err) {
    if (!crashing || err instanceof assert.AssertionError) throw err;
  }
  return { log, checkpointed };
}

const fresh = (): Producer[] => PRODUCERS.map(() => ({ nextSeq: 0, inTxn: false, last: null }));
const config = { segmentBytes: 400, indexIntervalBytes: 100, segmentIndexBytes: 120 };

test('after a flush and a crash, producer state, aborted transactions and the LSO are as before; retries are still duplicates (seeded)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(opArb, { minLength: 1, maxLength: 60 }),
      fc.constantFrom<CrashMode>('lose', 'torn', 'keep'),
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.boolean(),
      async (ops, mode, seed, useCheckpoint) => {
        const f = memoryLog(config, seed);
        const producers = fresh();
        const { log, checkpointed } = await drive(f, ops, producers);
        assert.ok(log);
        await log.flush();
        log.updateHighWatermark(log.logEndOffset);
        const states = log.producerStates();
        const aborted = await log.abortedTransactions(0n, log.logEndOffset);
        const lso = log.lastStableOffset;
        f.fs.crash(mode);
        const reopened = await f.open({ ...EXPIRATION, recoveryPoint: useCheckpoint ? checkpointed : log.recoveryPoint });
        reopened.updateHighWatermark(reopened.logEndOffset);
        assert.deepEqual(reopened.producerStates(), states);
        assert.deepEqual(await reopened.abortedTransactions(0n, reopened.logEndOffset), aborted);
        assert.equal(reopened.lastStableOffset, lso);
        for (const [i, p] of producers.entries()) {
          if (!p.last || !states.some((s) => s.producerId === PRODUCERS[i])) continue;
          const info = await reopened.append(Buffer.from(p.last.batch), { leaderEpoch: 0 });
          assert.deepEqual([info.duplicate, info.baseOffset, info.lastOffset], [true, p.last.baseOffset, p.last.lastOffset]);
        }
        await reopened.close();
      },
    ),
    { seed: 20260105, numRuns: 80 },
  );
});

test('after a crash at any file operation, snapshots plus the log give the state the whole log gives (seeded)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(opArb, { minLength: 1, maxLength: 50 }),
      fc.integer({ min: 1, max: 600 }),
      fc.constantFrom<CrashMode>('lose', 'torn', 'keep'),
      fc.integer({ min: 1, max: 1_000_000 }),
      async (ops, crashAfter, mode, seed) => {
        const f = memoryLog(config, seed);
        f.fs.crashAfterOperations(crashAfter, mode, { halt: true });
        const { checkpointed } = await drive(f, ops, fresh(), true);
        f.fs.crash(mode);
        const reopened = await f.open({ ...EXPIRATION, recoveryPoint: checkpointed });
        reopened.updateHighWatermark(reopened.logEndOffset);
        const states = reopened.producerStates();
        const aborted = await reopened.abortedTransactions(0n, reopened.logEndOffset);
        const lso = reopened.lastStableOffset;
        await reopened.close();
        for (const name of await f.fs.readdir(f.dir)) if (name.endsWith('.snapshot') || name.endsWith('.txnindex')) await f.fs.unlink(`${f.dir}/${name}`);
        const rebuilt = await f.open({ ...EXPIRATION, recoveryPoint: 0n });
        rebuilt.updateHighWatermark(rebuilt.logEndOffset);
        assert.deepEqual(rebuilt.producerStates(), states);
        assert.deepEqual(await rebuilt.abortedTransactions(0n, rebuilt.logEndOffset), aborted);
        assert.equal(rebuilt.lastStableOffset, lso);
        await rebuilt.close();
      },
    ),
    { seed: 20260106, numRuns: 120 },
  );
});
