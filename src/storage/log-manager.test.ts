import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../common/clock.js';
import { readSmallFile } from '../common/fs.js';
import { MemoryFileSystem } from '../common/fs-memory.js';
import { SeededRandom } from '../common/random.js';
import { type LogConfig, logConfig } from './config.js';
import { LogManager, type LogManagerOptions } from './log-manager.js';
import { MetaPropertiesError } from './meta-properties.js';
import { failingFileSystem } from './testing/failing-fs.js';
import { makeBatch, makeProducerBatch, readAll } from './testing/fixtures.js';

function setup(configs: Record<string, Partial<LogConfig>> = {}) {
  const clock = new ManualClock();
  const fs = new MemoryFileSystem({ clock, random: new SeededRandom(3) });
  const warnings: string[] = [];
  const options = (extra: Partial<LogManagerOptions> = {}): LogManagerOptions => ({
    fs,
    clock,
    random: new SeededRandom(9),
    logDirs: ['/d1', '/d2'],
    nodeId: 1,
    clusterId: 'cluster-A',
    configFor: (topic) => logConfig(configs[topic] ?? {}),
    tickMs: 0,
    onWarning: (w) => warnings.push(w),
    ...extra,
  });
  return { clock, fs, warnings, options };
}

const text = async (fs: MemoryFileSystem, path: string): Promise<string | undefined> => (await readSmallFile(fs, path))?.toString();

test('log manager: creates partitions across dirs, checkpoints, shuts down cleanly and reloads', async () => {
  const { fs, clock, warnings, options } = setup();
  const manager = await LogManager.start(options());
  assert.match((await text(fs, '/d1/meta.properties'))!, /node\.id=1/);
  assert.match((await text(fs, '/d2/meta.properties'))!, /cluster\.id=cluster-A/);
  const logs = [];
  for (let p = 0; p < 4; p++) logs.push(await manager.getOrCreateLog({ topic: 'orders', partition: p }));
  assert.deepEqual(logs.map((l) => l.dir), ['/d1/orders-0', '/d2/orders-1', '/d1/orders-2', '/d2/orders-3']);
  assert.equal(await manager.getOrCreateLog({ topic: 'orders', partition: 0 }), logs[0]);
  for (const [i, log] of logs.entries()) for (let j = 0; j <= i; j++) await log.append(makeBatch({ count: 2 }), { leaderEpoch: 0 });
  clock.advance(30_000);
  await manager.tick();
  assert.equal(await text(fs, '/d1/recovery-point-offset-checkpoint'), '0\n2\norders 0 0\norders 2 0\n');
  await manager.shutdown();
  assert.equal(await text(fs, '/d1/.kafka_cleanshutdown'), '');
  assert.equal(await text(fs, '/d2/recovery-point-offset-checkpoint'), '0\n2\norders 1 4\norders 3 8\n');
  assert.equal(await text(fs, '/d2/log-start-offset-checkpoint'), '0\n0\n');

  const again = await LogManager.start(options());
  assert.deepEqual(warnings, []);
  assert.equal(await fs.stat('/d1/.kafka_cleanshutdown'), null);
  assert.deepEqual(
    again.allLogs().map((l) => [l.topicPartition.partition, l.logEndOffset]).sort((a, b) => Number(a[0]) - Number(b[0])),
    [[0, 2n], [1, 4n], [2, 6n], [3, 8n]],
  );
  await again.shutdown();
});

test('log manager: retention and delayed file deletion run on the shared timer with a manual clock', async () => {
  const size = makeBatch({ count: 1 }).length;
  const { fs, clock, options } = setup({ events: { segmentBytes: size, retentionMs: 3_600_000, fileDeleteDelayMs: 60_000 } });
  const manager = await LogManager.start(options({ retentionCheckIntervalMs: 300_000 }));
  const log = await manager.getOrCreateLog({ topic: 'events', partition: 0 });
  for (let i = 0; i < 4; i++) await log.append(makeBatch({ timestamp: BigInt(clock.nowMs()) }), { leaderEpoch: 0 });
  log.updateHighWatermark(log.logEndOffset);
  clock.advance(30_000);
  await manager.tick();
  assert.deepEqual(log.segmentBaseOffsets, [0n, 1n, 2n, 3n]);
  clock.advance(3_600_000);
  await manager.tick();
  // Every segment expired, the active one too: the log rolled first, as Kafka does.
  assert.deepEqual(log.segmentBaseOffsets, [4n]);
  assert.equal(log.logStartOffset, 4n);
  assert.equal((await fs.readdir(log.dir)).filter((n) => n.endsWith('.deleted')).length, 12);
  clock.advance(60_000);
  await manager.tick();
  assert.equal((await fs.readdir(log.dir)).filter((n) => n.endsWith('.deleted')).length, 0);
  await manager.shutdown();
});

test('log manager: after a crash the recovery point checkpoint drives recovery; flushed data survives', async () => {
  const { fs, clock, warnings, options } = setup({ t: { flushMessages: 1, segmentBytes: 400 } });
  const manager = await LogManager.start(options());
  const log = await manager.getOrCreateLog({ topic: 't', partition: 0 });
  const sent = [];
  for (let i = 0; i < 12; i++) {
    const batch = makeBatch({ count: 2, seed: i });
    await log.append(batch, { leaderEpoch: 0 });
    sent.push(Buffer.from(batch));
  }
  clock.advance(90_000);
  await manager.tick();
  const checkpoint = (await text(fs, '/d1/recovery-point-offset-checkpoint'))!;
  assert.match(checkpoint, /^0\n1\nt 0 \d+\n$/);
  assert.ok(BigInt(checkpoint.split(' ')[2]!) > 0n);
  fs.crash('lose');
  const restarted = await LogManager.start(options());
  assert.deepEqual(warnings, []);
  const reloaded = restarted.getLog({ topic: 't', partition: 0 })!;
  assert.deepEqual(await readAll(reloaded), sent);
  await restarted.shutdown();
});

test('log manager: the flush.ms scheduler flushes logs whose last flush is older than flush.ms', async () => {
  const { fs, clock, options } = setup({ t: { flushMs: 5_000 } });
  const manager = await LogManager.start(options({ flushSchedulerIntervalMs: 1_000, initialTaskDelayMs: 0 }));
  const log = await manager.getOrCreateLog({ topic: 't', partition: 0 });
  await log.append(makeBatch({ count: 3 }), { leaderEpoch: 0 });
  await manager.tick();
  clock.advance(5_000);
  await manager.tick();
  fs.crash('lose');
  const restarted = await LogManager.start(options());
  assert.equal(restarted.getLog({ topic: 't', partition: 0 })?.logEndOffset, 3n);
  await restarted.shutdown();
});

test('log manager: deleteLog renames then removes the directory; topic config changes reach live logs', async () => {
  const { fs, options } = setup();
  const manager = await LogManager.start(options());
  const a = await manager.getOrCreateLog({ topic: 'a', partition: 0 });
  await a.append(makeBatch(), { leaderEpoch: 0 });
  manager.updateTopicConfig('a', logConfig({ retentionMs: 1 }));
  assert.equal(a.config.retentionMs, 1);
  await manager.deleteLog({ topic: 'a', partition: 0 });
  assert.deepEqual(await fs.readdir('/d1'), ['log-start-offset-checkpoint', 'meta.properties', 'recovery-point-offset-checkpoint']);
  assert.equal(manager.getLog({ topic: 'a', partition: 0 }), undefined);
  assert.equal(await text(fs, '/d1/recovery-point-offset-checkpoint'), '0\n0\n');
  await assert.rejects(manager.getOrCreateLog({ topic: 'bad/topic', partition: 0 }), RangeError);
  await manager.shutdown();
});

test('log manager: a dir whose meta.properties names another node is refused; leftover delete dirs are removed', async () => {
  const { fs, options } = setup();
  const manager = await LogManager.start(options());
  await manager.shutdown();
  await fs.mkdirp('/d1/x-0.0123456789abcdef0123456789abcdef-delete');
  const again = await LogManager.start(options());
  assert.deepEqual((await fs.readdir('/d1')).filter((n) => n.includes('delete')), []);
  await again.shutdown();
  await assert.rejects(LogManager.start(options({ nodeId: 2 })), MetaPropertiesError);
});

test('log manager: an I/O error takes its log dir offline and only that one', async () => {
  const { fs, options } = setup();
  const failing = failingFileSystem(fs, (path) => path.startsWith('/d2/'));
  const failures: string[] = [];
  const manager = await LogManager.start(options({ fs: failing.fs, onLogDirFailure: (dir) => failures.push(dir) }));
  const one = await manager.getOrCreateLog({ topic: 't', partition: 0 });
  const two = await manager.getOrCreateLog({ topic: 't', partition: 1 });
  assert.equal(two.dir, '/d2/t-1');
  failing.failing = true;
  await assert.rejects(two.append(makeBatch(), { leaderEpoch: 0 }), { errorCode: 56 });
  assert.deepEqual(failures, ['/d2']);
  assert.deepEqual(manager.offlineLogDirs, ['/d2']);
  assert.equal(manager.getLog({ topic: 't', partition: 1 }), undefined);
  await one.append(makeBatch(), { leaderEpoch: 0 });
  assert.equal((await manager.getOrCreateLog({ topic: 't', partition: 2 })).dir, '/d1/t-2');
  await manager.shutdown();
  assert.notEqual(await fs.stat('/d1/.kafka_cleanshutdown'), null);
  assert.equal(await fs.stat('/d2/.kafka_cleanshutdown'), null);
});

test('log manager: idle producers expire every producer.id.expiration.check.interval.ms; checkpoints prune old snapshots', async () => {
  const { fs, clock, options } = setup({ t: { segmentBytes: 200 } });
  const manager = await LogManager.start(options({ logDirs: ['/d1'], producerIdExpirationMs: 60_000, producerIdExpirationCheckIntervalMs: 10_000, initialTaskDelayMs: 0 }));
  const log = await manager.getOrCreateLog({ topic: 't', partition: 0 });
  const t0 = BigInt(clock.nowMs());
  for (let seq = 0; seq < 12; seq++) await log.append(makeProducerBatch({ producerId: 8n, baseSequence: seq, timestamp: t0 }), { leaderEpoch: 0 });
  await log.append(makeProducerBatch({ producerId: 9n, timestamp: t0 + 50_000n }), { leaderEpoch: 0 });
  await log.flush();
  const snapshots = async (): Promise<string[]> => (await fs.readdir(log.dir)).filter((n) => n.endsWith('.snapshot'));
  const rolled = await snapshots();
  assert.ok(rolled.length >= 4, rolled.join(','));
  clock.advance(59_999);
  await manager.tick();
  assert.deepEqual(log.producerStates().map((p) => p.producerId), [8n, 9n]);
  clock.advance(10_001);
  await manager.tick();
  assert.deepEqual(log.producerStates().map((p) => p.producerId), [9n], 'producer 8 idle for 60 s');
  // The checkpoint task ran: only the snapshots of the last two segments are left.
  const bases = log.segmentBaseOffsets.slice(-2).map((b) => `${b.toString().padStart(20, '0')}.snapshot`);
  assert.deepEqual(await snapshots(), bases);
  await manager.shutdown();
});
