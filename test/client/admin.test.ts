/**
 * The admin client's topic, config, records and cluster operations against a Samsa broker, with
 * Kafka's error codes for bad requests, cross-checked with KafkaJS's view.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { Admin, ConfigError, KafkaResponseError, Producer } from '../../src/client/index.js';

let broker: TestBroker;
let admin: Admin;

before(async () => {
  broker = await startBroker({ config: { 'num.partitions': '1' } });
  admin = new Admin({ 'bootstrap.servers': broker.bootstrap, 'request.timeout.ms': 10_000 });
});

after(async () => {
  await admin.close();
  await broker.stop();
});

async function kafkaError(p: Promise<unknown>): Promise<string> {
  const e = await p.then(() => null, (x: unknown) => x);
  assert.ok(e instanceof KafkaResponseError, `expected a KafkaResponseError, got ${String(e)}`);
  return e.errorName;
}

test('createTopics, listTopics, describeTopics, createPartitions, deleteTopics; KafkaJS sees the same', async () => {
  await admin.createTopics([{ name: 'adm-a', numPartitions: 3, configs: { 'cleanup.policy': 'compact' } }, { name: 'adm-b' }]);
  assert.deepEqual((await admin.listTopics()).filter((t) => t.startsWith('adm-')), ['adm-a', 'adm-b']);
  const [a, b] = await admin.describeTopics(['adm-a', 'adm-b']);
  assert.equal(a!.partitions.length, 3);
  assert.equal(b!.partitions.length, 1, 'num.partitions is the default');
  assert.ok(a!.partitions.every((p) => p.leader >= 0 && p.isr.length === 1));
  assert.equal(await kafkaError(admin.createTopics([{ name: 'adm-a' }])), 'TOPIC_ALREADY_EXISTS');
  assert.equal(await kafkaError(admin.createTopics([{ name: 'bad name!' }])), 'INVALID_TOPIC_EXCEPTION');
  await admin.createPartitions([{ topic: 'adm-b', count: 4 }]);
  assert.equal((await admin.describeTopics(['adm-b']))[0]!.partitions.length, 4);
  assert.equal(await kafkaError(admin.createPartitions([{ topic: 'adm-b', count: 2 }])), 'INVALID_PARTITIONS');
  const kafka = new kafkajs.Kafka({ clientId: 'adm-check', brokers: [broker.bootstrap], logLevel: kafkajs.logLevel.NOTHING });
  const theirs = kafka.admin();
  await theirs.connect();
  const md = await theirs.fetchTopicMetadata({ topics: ['adm-a', 'adm-b'] });
  assert.deepEqual(md.topics.map((t) => [t.name, t.partitions.length]).sort(), [['adm-a', 3], ['adm-b', 4]]);
  await theirs.disconnect();
  await admin.deleteTopics(['adm-b']);
  assert.ok(!(await admin.listTopics()).includes('adm-b'));
  assert.equal(await kafkaError(admin.deleteTopics(['adm-b'])), 'UNKNOWN_TOPIC_OR_PARTITION');
});

test('describeConfigs, incrementalAlterConfigs and alterConfigs on a topic and on the broker', async () => {
  await admin.createTopics([{ name: 'adm-cfg', configs: { 'retention.ms': '3600000' } }]);
  const [described] = await admin.describeConfigs([{ type: 'topic', name: 'adm-cfg' }], { includeSynonyms: true });
  const retention = described!.entries.find((e) => e.name === 'retention.ms')!;
  assert.equal(retention.value, '3600000');
  assert.equal(retention.source, 'DYNAMIC_TOPIC_CONFIG');
  const segment = described!.entries.find((e) => e.name === 'segment.bytes')!;
  assert.equal(segment.isDefault, true);
  await admin.incrementalAlterConfigs([{ type: 'topic', name: 'adm-cfg', ops: [{ name: 'retention.ms', op: 'delete' }, { name: 'max.message.bytes', op: 'set', value: '2000000' }] }]);
  const [after1] = await admin.describeConfigs([{ type: 'topic', name: 'adm-cfg', configNames: ['retention.ms', 'max.message.bytes'] }]);
  assert.equal(after1!.entries.find((e) => e.name === 'retention.ms')!.isDefault, true);
  assert.equal(after1!.entries.find((e) => e.name === 'max.message.bytes')!.value, '2000000');
  await admin.alterConfigs([{ type: 'topic', name: 'adm-cfg', configs: { 'cleanup.policy': 'compact' } }]);
  const [after2] = await admin.describeConfigs([{ type: 'topic', name: 'adm-cfg', configNames: ['cleanup.policy', 'max.message.bytes'] }]);
  assert.equal(after2!.entries.find((e) => e.name === 'cleanup.policy')!.value, 'compact');
  assert.equal(after2!.entries.find((e) => e.name === 'max.message.bytes')!.isDefault, true, 'AlterConfigs replaces every dynamic value');
  assert.equal(await kafkaError(admin.incrementalAlterConfigs([{ type: 'topic', name: 'adm-cfg', ops: [{ name: 'no.such.config', op: 'set', value: '1' }] }])), 'INVALID_CONFIG');
  const [brokerCfg] = await admin.describeConfigs([{ type: 'broker', name: String((await admin.describeCluster()).brokers[0]!.nodeId), configNames: ['num.partitions'] }]);
  assert.equal(brokerCfg!.entries[0]!.value, '1');
});

test('deleteRecords moves the log start offset; past the high watermark is OFFSET_OUT_OF_RANGE', async () => {
  await admin.createTopics([{ name: 'adm-del', numPartitions: 1 }]);
  const producer = new Producer({ bootstrapServers: broker.bootstrap });
  await producer.sendBatch(Array.from({ length: 20 }, (_, i) => ({ topic: 'adm-del', value: String(i) })));
  await producer.close();
  const [deleted] = await admin.deleteRecords([{ topic: 'adm-del', partition: 0, offset: 12n }]);
  assert.equal(deleted!.lowWatermark, 12n);
  const [earliest] = await admin.listOffsets([{ topic: 'adm-del', partition: 0, spec: 'earliest' }]);
  assert.equal(earliest!.offset, 12n);
  assert.equal(await kafkaError(admin.deleteRecords([{ topic: 'adm-del', partition: 0, offset: 99n }])), 'OFFSET_OUT_OF_RANGE');
  const [all] = await admin.deleteRecords([{ topic: 'adm-del', partition: 0, offset: -1n }]);
  assert.equal(all!.lowWatermark, 20n);
});

test('describeCluster and describeLogDirs', async () => {
  const cluster = await admin.describeCluster();
  assert.equal(cluster.brokers.length, 1);
  assert.equal(cluster.brokers[0]!.port, broker.port);
  assert.ok(cluster.clusterId);
  const dirs = await admin.describeLogDirs();
  assert.equal(dirs.length, 1);
  assert.equal(dirs[0]!.path, broker.dataDir);
  const topic = dirs[0]!.topics.find((t) => t.topic === 'adm-del');
  assert.ok(topic && topic.partitions[0]!.sizeBytes > 0n);
});

test('options: dotted and camelCase names; unknown names are refused', () => {
  assert.throws(() => new Admin({ bootstrapServers: broker.bootstrap, 'linger.ms': 5 }), ConfigError);
  assert.throws(() => new Admin({}), ConfigError);
});
