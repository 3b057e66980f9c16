import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateRecordBatch } from '../protocol/records/index.js';
import { batchesIn } from './file-batches.js';
import { makeBatch, memoryLog, offsetsIn, readAll } from './testing/fixtures.js';

async function fill(log: Awaited<ReturnType<ReturnType<typeof memoryLog>['open']>>, n: number): Promise<Buffer[]> {
  const sent: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const batch = makeBatch({ count: 1 + (i % 3), seed: i, timestamp: BigInt(1000 + i) });
    await log.append(batch, { leaderEpoch: 1 });
    sent.push(Buffer.from(batch));
  }
  return sent;
}

/** Every offset reads back the batch holding it (the indexes agree with the log). */
async function checkEveryOffset(log: Awaited<ReturnType<ReturnType<typeof memoryLog>['open']>>): Promise<void> {
  for (let offset = log.logStartOffset; offset < log.logEndOffset; offset++) {
    const r = await log.read(offset, 1, { minOneBatch: true });
    assert.ok(r.kind === 'records', `offset ${offset}`);
    const [range] = offsetsIn(r.records);
    assert.ok(range && range[0] <= offset && offset <= range[1], `offset ${offset} read ${String(range)}`);
  }
}

test('a clean close and reopen keeps everything, indexes included', async () => {
  const f = memoryLog({ segmentBytes: 600, indexIntervalBytes: 50 });
  const log = await f.open();
  const sent = await fill(log, 30);
  await log.close();
  const warnings: string[] = [];
  const reopened = await f.open({ hadCleanShutdown: true, recoveryPoint: 0n, onWarning: (w) => warnings.push(w), tailCacheBytes: 0 });
  assert.deepEqual(warnings, []);
  assert.equal(reopened.recoveryPoint, reopened.logEndOffset);
  assert.deepEqual(await readAll(reopened), sent);
  await checkEveryOffset(reopened);
  const more = makeBatch({ count: 2 });
  assert.equal((await reopened.append(more, { leaderEpoch: 2 })).baseOffset, reopened.logEndOffset - 2n);
});

test('after a process crash (nothing lost) recovery re-validates and keeps every batch', async () => {
  const f = memoryLog({ segmentBytes: 600, indexIntervalBytes: 50 });
  const log = await f.open();
  const sent = await fill(log, 30);
  const recoveryPoint = log.recoveryPoint;
  f.fs.crash('keep');
  const reopened = await f.open({ recoveryPoint, tailCacheBytes: 0 });
  assert.deepEqual(await readAll(reopened), sent);
  await checkEveryOffset(reopened);
});

test('a torn tail is cut at the last whole batch; flushed batches survive', async () => {
  const f = memoryLog({ segmentBytes: 100_000 });
  const log = await f.open();
  const flushed = await fill(log, 10);
  await log.flush();
  for (let i = 0; i < 5; i++) await log.append(makeBatch({ count: 2, valueSize: 500, seed: 50 + i, timestamp: 2000n }), { leaderEpoch: 1 });
  const active = `${f.dir}/00000000000000000000.log`;
  const file = await f.fs.open(active, 'write');
  const size = await file.size();
  await file.truncate(size - 100);
  await file.write([Buffer.alloc(300, 0xab)], size - 100);
  f.fs.crash('keep');
  const warnings: string[] = [];
  const reopened = await f.open({ recoveryPoint: 0n, onWarning: (w) => warnings.push(w), tailCacheBytes: 0 });
  assert.equal(warnings.length, 1, warnings.join('\n'));
  const all = await readAll(reopened);
  assert.deepEqual(all.slice(0, 10), flushed);
  assert.equal(all.length, 14);
  assert.equal((await f.fs.stat(active))?.size, all.reduce((n, b) => n + b.length, 0));
});

test('a corrupt batch in an older segment cuts the log there and drops the later segments', async () => {
  const f = memoryLog({ segmentBytes: 400 });
  const log = await f.open();
  await fill(log, 20);
  const bases = log.segmentBaseOffsets;
  assert.ok(bases.length >= 4);
  f.fs.crash('keep');
  const second = `${f.dir}/${bases[1]!.toString().padStart(20, '0')}.log`;
  const file = await f.fs.open(second, 'write');
  const first = batchesIn(await file.read(0, 400));
  const at = first[1]!.info.position + 70;
  const byte = (await file.read(at, 1))[0]!;
  await file.write([Buffer.from([byte ^ 0xff])], at);
  const reopened = await f.open({ recoveryPoint: 0n, tailCacheBytes: 0 });
  assert.deepEqual(reopened.segmentBaseOffsets, bases.slice(0, 2));
  assert.equal(reopened.logEndOffset, first[0]!.info.lastOffset + 1n);
  for (const b of await readAll(reopened)) validateRecordBatch(b);
  assert.equal((await f.fs.readdir(f.dir)).filter((n) => n.endsWith('.log')).length, 2);
});

test('missing or damaged indexes are rebuilt, even after a clean shutdown', async () => {
  const f = memoryLog({ segmentBytes: 500, indexIntervalBytes: 40 });
  const log = await f.open();
  const sent = await fill(log, 25);
  await log.close();
  const bases = log.segmentBaseOffsets.map((b) => b.toString().padStart(20, '0'));
  await f.fs.unlink(`${f.dir}/${bases[0]}.index`);
  const damaged = await f.fs.open(`${f.dir}/${bases[1]}.index`, 'write');
  await damaged.write([Buffer.from([0x7f, 0, 0, 0, 0x7f, 0, 0, 0])], 0);
  const misaligned = await f.fs.open(`${f.dir}/${bases[2]}.timeindex`, 'write');
  await misaligned.write([Buffer.alloc(3)], await misaligned.size());
  const reopened = await f.open({ hadCleanShutdown: true, tailCacheBytes: 0 });
  assert.deepEqual(await readAll(reopened), sent);
  await checkEveryOffset(reopened);
  assert.ok(((await f.fs.stat(`${f.dir}/${bases[0]}.index`))?.size ?? 0) > 0);
});

test('the active segment is rebuilt after an unclean stop even when the recovery point is at its end', async () => {
  const f = memoryLog({ indexIntervalBytes: 30 });
  const log = await f.open();
  const sent = await fill(log, 12);
  await log.flush();
  f.fs.crash('lose');
  const reopened = await f.open({ recoveryPoint: log.logEndOffset, tailCacheBytes: 0 });
  assert.deepEqual(await readAll(reopened), sent);
  await checkEveryOffset(reopened);
});
