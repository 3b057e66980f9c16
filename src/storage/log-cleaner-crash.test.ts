/**
 * Property: a machine crash at any file operation of a cleaning (rewrite, swap, index rebuild,
 * checkpoint) leaves a log that reopens consistently: every record present is the record the
 * log held at that offset, the latest value of every key is still there, and no cleaner
 * leftovers (`.cleaned`, `.swap`) remain.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRecordBatchSync, encodeRecordBatchSync } from '../protocol/records/index.js';
import { LogCleaner } from './log-cleaner.js';
import type { PartitionLog } from './partition-log.js';
import { memoryLog, readAll } from './testing/fixtures.js';

const kv = (key: string, value: string): Buffer =>
  encodeRecordBatchSync({ records: [{ timestamp: 1_700_000_000_000n, key: Buffer.from(key), value: Buffer.from(value) }] });

async function records(log: PartitionLog): Promise<Map<bigint, string>> {
  const out = new Map<bigint, string>();
  for (const b of await readAll(log)) {
    for (const r of decodeRecordBatchSync(b, { maxUncompressedBytes: 1 << 20 }).records) out.set(r.offset, `${r.key!.toString()}=${r.value!.toString()}`);
  }
  return out;
}

async function scenario(crashAfter: number, mode: 'torn' | 'lose' | 'keep'): Promise<boolean> {
  const f = memoryLog({ segmentBytes: kv('k0', 'v000').length * 3, cleanupPolicy: ['compact'], minCleanableDirtyRatio: 0.01, fileDeleteDelayMs: 0 }, crashAfter);
  const log = await f.open();
  for (let i = 0; i < 15; i++) {
    await log.append(kv(`k${i % 4}`, `v${String(i).padStart(3, '0')}`), { leaderEpoch: 0 });
    log.updateHighWatermark(log.logEndOffset);
  }
  await log.flush();
  const original = await records(log);
  const latest = new Map<string, bigint>();
  for (const [o, r] of original) latest.set(r.split('=')[0]!, o);
  const cleaner = new LogCleaner(f.fs, f.clock, { cleanerEnable: true, cleanerBackoffMs: 0, cleanerDedupeBufferSize: 1 << 20 }, () => [log], () => {});
  f.fs.crashAfterOperations(crashAfter, mode, { halt: true });
  let finished = false;
  try {
    await cleaner.runOnce();
    finished = true;
  } catch {
    // the crash
  }
  f.fs.crash(mode);
  const reopened = await f.open({ recoveryPoint: 0n });
  const now = await records(reopened);
  for (const [o, r] of now) assert.equal(r, original.get(o), `crash after ${crashAfter} (${mode}): offset ${o}`);
  for (const [key, o] of latest) assert.equal(now.get(o), original.get(o), `crash after ${crashAfter} (${mode}): latest ${key} at ${o}`);
  const names = await f.fs.readdir(f.dir);
  assert.ok(!names.some((n) => n.endsWith('.cleaned') || n.endsWith('.swap')), names.join(','));
  assert.equal(reopened.logEndOffset, 15n);
  await reopened.close();
  return finished;
}

test('a crash at any operation of a cleaning recovers to a consistent log', async () => {
  for (const mode of ['torn', 'lose', 'keep'] as const) {
    let n = 1;
    while (!(await scenario(n, mode))) n++;
    assert.ok(n > 10, `the cleaning took ${n} operations`);
  }
});
