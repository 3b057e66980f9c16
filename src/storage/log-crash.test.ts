/**
 * Property: whatever point a machine crash hits (any file operation, any crash mode), reopening
 * the log recovers it to a readable state holding every batch whose append was acknowledged and
 * flushed, byte for byte, with indexes that agree with the data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CrashMode } from '../common/fs-memory.js';
import { validateRecordBatch } from '../protocol/records/index.js';
import { batchesIn } from './file-batches.js';
import type { PartitionLog } from './partition-log.js';
import { makeBatch, memoryLog } from './testing/fixtures.js';

type Op =
  | { kind: 'append'; count: number; valueSize: number; flush: boolean; parallel: number }
  | { kind: 'flush' }
  | { kind: 'advance'; ms: number }
  | { kind: 'truncate'; fraction: number }
  | { kind: 'deleteRecords'; fraction: number };

const fraction = fc.double({ min: 0, max: 1, noNaN: true });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      count: fc.integer({ min: 1, max: 4 }),
      valueSize: fc.integer({ min: 0, max: 300 }),
      flush: fc.boolean(),
      parallel: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flush' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 2000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), fraction }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteRecords' as const), fraction }) },
);

interface Run {
  ops: Op[];
  crashAfter: number;
  mode: CrashMode;
  seed: number;
  tailCacheBytes: number;
  fileDeleteDelayMs: number;
}

const at = (end: bigint, f: number): bigint => BigInt(Math.floor(Number(end) * f));

async function runScenario(run: Run): Promise<void> {
  const config = { segmentBytes: 1500, indexIntervalBytes: 120, segmentIndexBytes: 96, segmentMs: 3000, fileDeleteDelayMs: run.fileDeleteDelayMs };
  const f = memoryLog(config, run.seed);
  /** The recovery point as the last checkpoint would hold it (truncation writes one at once). */
  let checkpointed = 0n;
  const log: PartitionLog = await f.open({
    tailCacheBytes: run.tailCacheBytes,
    onRecoveryPointLowered: async () => {
      checkpointed = log.recoveryPoint;
    },
  });
  /** Acknowledged appends by base offset, and the base offsets known durable. */
  const acked = new Map<bigint, { bytes: Buffer; last: bigint }>();
  const durable = new Set<bigint>();
  const forget = (keep: (base: bigint, last: bigint) => boolean): void => {
    for (const [base, { last }] of acked) {
      if (keep(base, last)) continue;
      acked.delete(base);
      durable.delete(base);
    }
  };
  let seq = 0;
  /** What a truncation or deletion in progress may remove when the crash interrupts it. */
  let interrupted: ((last: bigint) => boolean) | null = null;
  f.fs.crashAfterOperations(run.crashAfter, run.mode, { halt: true });
  try {
    for (const op of run.ops) {
      checkpointed = log.recoveryPoint;
      if (op.kind === 'advance') {
        f.clock.advance(op.ms);
      } else if (op.kind === 'flush') {
        const before = [...acked.keys()];
        await log.flush();
        for (const o of before) durable.add(o);
      } else if (op.kind === 'truncate') {
        const offset = at(log.logEndOffset, op.fraction);
        interrupted = (last) => last >= offset;
        await log.truncateTo(offset);
        interrupted = null;
        forget((_, last) => last < offset);
      } else if (op.kind === 'deleteRecords') {
        log.updateHighWatermark(log.logEndOffset);
        const target = at(log.logEndOffset, op.fraction);
        interrupted = (last) => last < target;
        const start = await log.deleteRecordsBefore(target);
        interrupted = null;
        forget((_, last) => last >= start);
      } else {
        const batches = Array.from({ length: op.parallel }, () =>
          makeBatch({ count: op.count, valueSize: op.valueSize, seed: seq++, timestamp: BigInt(f.clock.nowMs()) }),
        );
        const results = await Promise.allSettled(batches.map((b) => log.append(b, { leaderEpoch: 1, flush: op.flush })));
        results.forEach((r, i) => {
          if (r.status !== 'fulfilled') return;
          acked.set(r.value.baseOffset, { bytes: Buffer.from(batches[i]!), last: r.value.lastOffset });
          if (op.flush) durable.add(r.value.baseOffset);
        });
        if (results.some((r) => r.status === 'rejected')) break;
      }
    }
  } catch {
    // The crash hit this operation: what it was removing may be gone or not.
    const mayBeGone = interrupted;
    if (mayBeGone) for (const [base, { last }] of acked) if (mayBeGone(last)) durable.delete(base);
  }
  f.fs.crash(run.mode);

  const reopened = await f.open({ recoveryPoint: checkpointed, tailCacheBytes: 0 });
  const segmentBases = new Set(reopened.segmentBaseOffsets);
  // Walk the log batch by batch. Unflushed data lost from one segment while a later segment's
  // file survived leaves a gap up to that segment's base offset (as in Kafka); nothing else may.
  const byBase = new Map<bigint, Buffer>();
  let next = reopened.logStartOffset;
  while (next < reopened.logEndOffset) {
    const r = await reopened.read(next, 1, { minOneBatch: true });
    assert.ok(r.kind === 'records', `read at ${next}`);
    if (r.records.length === 0) {
      assert.ok(segmentBases.has(reopened.logEndOffset), `empty read at ${next} below the log end ${reopened.logEndOffset}`);
      break;
    }
    const bytes = batchesIn(r.records)[0]!.bytes;
    validateRecordBatch(bytes);
    const info = batchesIn(bytes)[0]!.info;
    assert.ok(info.baseOffset === next || (info.baseOffset > next && segmentBases.has(info.baseOffset)), `batch at ${info.baseOffset} after ${next}`);
    for (let o = next; o <= info.lastOffset; o++) {
      const at = await reopened.read(o, 1, { minOneBatch: true });
      assert.ok(at.kind === 'records' && batchesIn(at.records)[0]?.info.baseOffset === info.baseOffset, `index lookup at ${o}`);
    }
    byBase.set(info.baseOffset, Buffer.from(bytes));
    const sent = acked.get(info.baseOffset);
    if (sent) assert.ok(sent.bytes.equals(bytes), `batch at ${info.baseOffset} is the one appended`);
    next = info.lastOffset + 1n;
  }
  for (const offset of durable) {
    assert.ok(byBase.get(offset)?.equals(acked.get(offset)!.bytes), `flushed batch at ${offset} survived (mode ${run.mode})`);
  }
  const end = reopened.logEndOffset;
  const after = await reopened.append(makeBatch({ count: 2 }), { leaderEpoch: 2, flush: true });
  assert.equal(after.baseOffset, end);
  await reopened.close();
  const clean = await f.open({ hadCleanShutdown: true, tailCacheBytes: 0 });
  assert.equal(clean.logEndOffset, end + 2n);
  const last = await clean.read(end, 1000, { minOneBatch: true });
  assert.ok(last.kind === 'records' && batchesIn(last.records)[0]?.info.baseOffset === end);
}

test('crash at any point: flushed appends survive, the tail is cut clean, indexes agree (seeded)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        ops: fc.array(opArb, { minLength: 1, maxLength: 40 }),
        crashAfter: fc.integer({ min: 1, max: 400 }),
        mode: fc.constantFrom<CrashMode>('lose', 'torn', 'keep'),
        seed: fc.integer({ min: 1, max: 1_000_000 }),
        tailCacheBytes: fc.constantFrom(0, 4096),
        fileDeleteDelayMs: fc.constantFrom(0, 1000),
      }),
      runScenario,
    ),
    { seed: 20240601, numRuns: 150 },
  );
});
