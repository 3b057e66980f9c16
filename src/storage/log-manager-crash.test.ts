/**
 * Property at the log manager level: crashes at any file operation, during work, checkpoints or
 * a clean shutdown, never lose a flushed append, and a restart always yields readable logs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ManualClock } from '../common/clock.js';
import { type CrashMode, MemoryFileSystem } from '../common/fs-memory.js';
import { SeededRandom } from '../common/random.js';
import { logConfig } from './config.js';
import { LogManager, type LogManagerOptions } from './log-manager.js';
import { makeBatch, readAll } from './testing/fixtures.js';

type Step = { kind: 'append'; partition: number; count: number; flush: boolean } | { kind: 'tick'; ms: number } | { kind: 'restart' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('append' as const), partition: fc.integer({ min: 0, max: 2 }), count: fc.integer({ min: 1, max: 3 }), flush: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 90_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const) }) },
);

async function scenario(steps: Step[], crashAfter: number, mode: CrashMode, seed: number): Promise<void> {
  const clock = new ManualClock();
  const fs = new MemoryFileSystem({ clock, random: new SeededRandom(seed) });
  const options: LogManagerOptions = {
    fs,
    clock,
    random: new SeededRandom(seed),
    logDirs: ['/d1', '/d2'],
    nodeId: 1,
    clusterId: 'c',
    configFor: () => logConfig({ segmentBytes: 700, indexIntervalBytes: 100, segmentIndexBytes: 64, retentionMs: -1 }),
    tickMs: 0,
    initialTaskDelayMs: 0,
    flushRecoveryPointCheckpointIntervalMs: 20_000,
  };
  const durable = new Map<number, Map<bigint, Buffer>>([0, 1, 2].map((p) => [p, new Map()]));
  let manager = await LogManager.start(options);
  fs.crashAfterOperations(crashAfter, mode, { halt: true });
  try {
    for (const step of steps) {
      if (step.kind === 'tick') {
        clock.advance(step.ms);
        await manager.tick();
      } else if (step.kind === 'restart') {
        await manager.shutdown();
        manager = await LogManager.start(options);
      } else {
        const log = await manager.getOrCreateLog({ topic: 't', partition: step.partition });
        const batch = makeBatch({ count: step.count, seed: step.partition });
        const info = await log.append(batch, { leaderEpoch: 0, flush: step.flush });
        if (step.flush) durable.get(step.partition)!.set(info.baseOffset, Buffer.from(batch));
      }
    }
    await manager.shutdown();
  } catch {
    // the crash
  }
  fs.crash(mode);
  const restarted = await LogManager.start(options);
  for (const [partition, batches] of durable) {
    if (batches.size === 0) continue;
    const log = restarted.getLog({ topic: 't', partition });
    assert.ok(log, `partition ${partition} survived`);
    const stored = new Map((await readAll(log)).map((b) => [b.readBigInt64BE(0), b]));
    for (const [offset, bytes] of batches) assert.ok(stored.get(offset)?.equals(bytes), `partition ${partition} offset ${offset}`);
  }
  await restarted.shutdown();
}

test('log manager crash anywhere: flushed appends survive restarts (seeded)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(stepArb, { minLength: 1, maxLength: 25 }),
      fc.integer({ min: 1, max: 600 }),
      fc.constantFrom<CrashMode>('lose', 'torn', 'keep'),
      fc.integer({ min: 1, max: 1000 }),
      scenario,
    ),
    { seed: 424242, numRuns: 60 },
  );
});
