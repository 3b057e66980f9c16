import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileSystem } from '../common/fs-node.js';
import { CompressionCodec } from '../protocol/compression/codec.js';
import { logConfig } from './config.js';
import { LogManager, type LogManagerOptions } from './log-manager.js';
import { makeBatch, readAll } from './testing/fixtures.js';

let root = '';
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'samsa-storage-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

const options = (dirs: string[]): LogManagerOptions => ({
  fs: nodeFileSystem,
  logDirs: dirs,
  nodeId: 0,
  clusterId: 'real-disk-test',
  configFor: () => logConfig({ segmentBytes: 4096, segmentIndexBytes: 1024, indexIntervalBytes: 512, flushMessages: 5 }),
  tickMs: 0,
});

test('on the real file system: Kafka layout, appends across segments, clean restart, delete', async () => {
  const dirs = [join(root, 'a'), join(root, 'b')];
  const manager = await LogManager.start(options(dirs));
  const log = await manager.getOrCreateLog({ topic: 'clicks', partition: 7 });
  const sent: Buffer[] = [];
  const pending = [];
  for (let i = 0; i < 60; i++) {
    const batch = makeBatch({ count: 1 + (i % 5), valueSize: 40, seed: i, compression: i % 7 === 0 ? CompressionCodec.Gzip : undefined });
    pending.push(log.append(batch, { leaderEpoch: 3 }));
    sent.push(batch);
    if (i % 10 === 9) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  assert.deepEqual(await readAll(log), sent);
  const files = await readdir(log.dir);
  assert.ok(files.includes('00000000000000000000.log') && files.includes('00000000000000000000.index') && files.includes('00000000000000000000.timeindex'));
  assert.ok(files.filter((n) => n.endsWith('.log')).length >= 3, files.join(' '));
  assert.equal((await stat(join(log.dir, files.filter((n) => n.endsWith('.index')).at(-1)!))).size, 1024);
  await manager.shutdown();

  assert.match(await readFile(join(dirs[0]!, 'meta.properties'), 'utf8'), /^#\n#.*\ncluster\.id=real-disk-test\ndirectory\.id=[\w-]{22}\nnode\.id=0\nversion=1\n$/);
  assert.equal(await readFile(join(dirs[0]!, 'recovery-point-offset-checkpoint'), 'utf8'), `0\n1\nclicks 7 ${log.logEndOffset}\n`);
  await stat(join(dirs[0]!, '.kafka_cleanshutdown'));

  const again = await LogManager.start(options(dirs));
  const reloaded = again.getLog({ topic: 'clicks', partition: 7 })!;
  assert.equal(reloaded.logEndOffset, log.logEndOffset);
  assert.deepEqual(await readAll(reloaded), sent);
  const more = makeBatch({ count: 2 });
  assert.equal((await reloaded.append(more, { leaderEpoch: 4, flush: true })).baseOffset, log.logEndOffset);
  await again.deleteLog({ topic: 'clicks', partition: 7 });
  assert.deepEqual((await readdir(dirs[0]!)).sort(), ['log-start-offset-checkpoint', 'meta.properties', 'recovery-point-offset-checkpoint']);
  await again.shutdown();
});
