import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSmallFile } from '../common/fs.js';
import { MemoryFileSystem } from '../common/fs-memory.js';
import { SeededRandom } from '../common/random.js';
import { CorruptCheckpointError, formatOffsetCheckpoint, OffsetCheckpointFile, parseOffsetCheckpoint } from './checkpoint-file.js';
import { ensureMetaProperties, formatMetaProperties, MetaPropertiesError, parseMetaProperties, parseProperties } from './meta-properties.js';

test('offset checkpoint: Kafka text format, version 0, count, "topic partition offset" lines', () => {
  const text = formatOffsetCheckpoint([
    { topicPartition: { topic: 'orders', partition: 0 }, offset: 42n },
    { topicPartition: { topic: 'my.topic_x-1', partition: 12 }, offset: 9007199254740993n },
  ]);
  assert.equal(text, '0\n2\norders 0 42\nmy.topic_x-1 12 9007199254740993\n');
  assert.deepEqual(parseOffsetCheckpoint(text), [
    { topicPartition: { topic: 'orders', partition: 0 }, offset: 42n },
    { topicPartition: { topic: 'my.topic_x-1', partition: 12 }, offset: 9007199254740993n },
  ]);
  assert.deepEqual(parseOffsetCheckpoint('0\n0\n'), []);
});

test('offset checkpoint: malformed files are rejected', () => {
  for (const bad of ['', '1\n0\n', '0\nx\n', '0\n2\na 0 1\n', '0\n1\na b 1\n', '0\n1\na 0\n', '0\n1\na 0 1 2\n']) {
    assert.throws(() => parseOffsetCheckpoint(bad), CorruptCheckpointError, JSON.stringify(bad));
  }
});

test('offset checkpoint file: missing reads empty, written atomically and read back by key', async () => {
  const fs = new MemoryFileSystem();
  await fs.mkdirp('/logs');
  const file = new OffsetCheckpointFile(fs, '/logs/recovery-point-offset-checkpoint');
  assert.equal((await file.read()).size, 0);
  await file.write([{ topicPartition: { topic: 't', partition: 3 }, offset: 7n }]);
  assert.deepEqual([...(await file.read())], [['t-3', 7n]]);
  assert.deepEqual(await fs.readdir('/logs'), ['recovery-point-offset-checkpoint']);
  fs.crash('lose');
  assert.deepEqual([...(await file.read())], [['t-3', 7n]]);
});

test('meta.properties: Java properties with version 1, node.id, cluster.id, directory.id', async () => {
  const text = formatMetaProperties({ version: 1, nodeId: 3, clusterId: 'MkU3OEVBNTcwNTJENDM2Qk', directoryId: 'Oc9Hu8nZQnKQ3sgm-ojLeg' }, 0);
  assert.match(text, /^#\n#Thu, 01 Jan 1970 00:00:00 GMT\n/);
  assert.match(text, /\nnode\.id=3\n/);
  assert.match(text, /\nversion=1\n/);
  assert.deepEqual(parseMetaProperties(text), { version: 1, nodeId: 3, clusterId: 'MkU3OEVBNTcwNTJENDM2Qk', directoryId: 'Oc9Hu8nZQnKQ3sgm-ojLeg' });
  assert.deepEqual([...parseProperties('a = b\n! c\nx:y\nesc\\=aped=v\\:1\n')], [['a', 'b'], ['x', 'y'], ['esc=aped', 'v:1']]);
  assert.throws(() => parseMetaProperties('version=0\nbroker.id=1\n'), MetaPropertiesError);
});

test('meta.properties: written once, then checked against node.id and cluster.id', async () => {
  const fs = new MemoryFileSystem();
  await fs.mkdirp('/logs');
  const random = new SeededRandom(5);
  const first = await ensureMetaProperties(fs, '/logs', { nodeId: 1, clusterId: 'c1' }, random, 0);
  assert.equal(first.directoryId.length, 22);
  const again = await ensureMetaProperties(fs, '/logs', { nodeId: 1, clusterId: 'c1' }, random, 0);
  assert.equal(again.directoryId, first.directoryId);
  assert.match((await readSmallFile(fs, '/logs/meta.properties'))!.toString(), /cluster\.id=c1/);
  await assert.rejects(ensureMetaProperties(fs, '/logs', { nodeId: 2, clusterId: 'c1' }, random, 0), MetaPropertiesError);
  await assert.rejects(ensureMetaProperties(fs, '/logs', { nodeId: 1, clusterId: 'c2' }, random, 0), MetaPropertiesError);
});
