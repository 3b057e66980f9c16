/**
 * DescribeConfigs, AlterConfigs and IncrementalAlterConfigs driven by real clients against a
 * testkit broker: KafkaJS's admin (describeConfigs v2, alterConfigs v1), confluent-kafka's
 * AdminClient (librdkafka; its incremental_alter_configs needs confluent-kafka 2.2, so an older
 * one, like Debian's 1.7, uses alter_configs with the same resulting configs) and
 * @platformatic/kafka's incrementalAlterConfigs. Exact values and sources are checked.
 * A missing client skips its test, or fails it when SAMSA_TEST_REQUIRE_INTEROP=1.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { missing } from './missing-client.js';
import { loadKafkajs, loadPlatformatic } from '../interop/clients.js';
import { pythonHas, runPython } from './python-clients.js';

const TOPIC = 2;
const BROKER = 4;
let broker: TestBroker;

/** confluent-kafka: describe a topic, change it (incrementally when the client can), a bad value, the broker. */
const CONFLUENT_CONFIGS_SCRIPT = `
import json, sys
from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient, NewTopic, ConfigResource
bootstrap, topic = sys.argv[1], sys.argv[2]
admin = AdminClient({'bootstrap.servers': bootstrap})
for f in admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1, config={'retention.ms': '3600000'})]).values():
    f.result(10)
KEYS = ['retention.ms', 'cleanup.policy']
def describe(restype, name, keys):
    res = ConfigResource(restype, name)
    entries = admin.describe_configs([res])[res].result(10)
    return {k: [entries[k].value, int(getattr(entries[k].source, 'value', entries[k].source)), entries[k].is_default,
                entries[k].is_read_only, entries[k].is_sensitive] for k in keys}
before = describe('topic', topic, KEYS)
if hasattr(admin, 'incremental_alter_configs'):
    from confluent_kafka.admin import AlterConfigOpType, ConfigEntry
    api = 'incremental_alter_configs'
    res = ConfigResource('topic', topic, incremental_configs=[
        ConfigEntry('retention.ms', '7777', incremental_operation=AlterConfigOpType.SET),
        ConfigEntry('cleanup.policy', 'compact', incremental_operation=AlterConfigOpType.APPEND)])
    for f in admin.incremental_alter_configs([res]).values():
        f.result(10)
else:
    api = 'alter_configs'
    res = ConfigResource('topic', topic, set_config={'retention.ms': '7777', 'cleanup.policy': 'delete,compact'})
    for f in admin.alter_configs([res]).values():
        f.result(10)
after = describe('topic', topic, KEYS)
invalid = None
try:
    bad = ConfigResource('topic', topic, set_config={'retention.ms': '-2', 'cleanup.policy': 'delete,compact'})
    for f in admin.alter_configs([bad], validate_only=True).values():
        f.result(10)
except KafkaException as e:
    invalid = [e.args[0].code(), e.args[0].str()]
broker = describe('broker', '1', ['log.retention.hours', 'log.segment.bytes'])
print(json.dumps({"api": api, "before": before, "after": after, "invalid": invalid, "broker": broker}))
`;


before(async () => {
  broker = await startBroker({ config: { 'log.segment.bytes': '2097152' } });
});
after(async () => {
  await broker?.stop();
});

test('KafkaJS: describeConfigs and alterConfigs on a topic, describeConfigs on the broker', async (t) => {
  if (!(await loadKafkajs())) return missing(t, 'kafkajs');
  const { Kafka, logLevel } = (await import('kafkajs')).default;
  const admin = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic: 'kafkajs-configs', configEntries: [{ name: 'retention.ms', value: '3600000' }] }] });
    const describe = async (type: number, name: string, configNames: string[]) => {
      const { resources } = await admin.describeConfigs({ resources: [{ type, name, configNames }], includeSynonyms: false });
      assert.equal(resources[0]?.errorCode, 0);
      return Object.fromEntries((resources[0]?.configEntries ?? []).map((e) => [e.configName, [e.configValue, e.configSource, e.isDefault, e.readOnly]]));
    };
    const names = ['retention.ms', 'cleanup.policy', 'segment.bytes'];
    assert.deepEqual(await describe(TOPIC, 'kafkajs-configs', names), {
      'retention.ms': ['3600000', 1, false, false],
      'cleanup.policy': ['delete', 5, true, false],
      'segment.bytes': ['2097152', 4, false, false],
    });
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: TOPIC, name: 'kafkajs-configs', configEntries: [{ name: 'segment.bytes', value: '1048576' }] }] });
    assert.deepEqual(await describe(TOPIC, 'kafkajs-configs', names), {
      'retention.ms': ['604800000', 5, true, false],
      'cleanup.policy': ['delete', 5, true, false],
      'segment.bytes': ['1048576', 1, false, false],
    });
    assert.equal(broker.broker.services.replicas.lookup('kafkajs-configs', 0).log?.config.segmentBytes, 1048576);
    await assert.rejects(
      admin.alterConfigs({ validateOnly: false, resources: [{ type: TOPIC, name: 'kafkajs-configs', configEntries: [{ name: 'segment.bytes', value: '10' }] }] }),
      (e: { type?: string }) => e.type === 'INVALID_CONFIG',
    );
    assert.deepEqual(await describe(BROKER, '1', ['log.segment.bytes', 'log.dirs']), {
      'log.segment.bytes': ['2097152', 4, false, false],
      'log.dirs': [broker.dataDir, 4, false, true],
    });
  } finally {
    await admin.disconnect();
  }
});

test('confluent-kafka: describe_configs and (incremental_)alter_configs on a topic, an invalid value, the broker', async (t) => {
  if (!pythonHas('confluent_kafka')) return missing(t, 'python3-confluent-kafka');
  const out = await runPython(CONFLUENT_CONFIGS_SCRIPT, [broker.bootstrap, 'confluent-configs']) as {
    api: string; before: Record<string, unknown[]>; after: Record<string, unknown[]>; invalid: [number, string]; broker: Record<string, unknown[]>;
  };
  t.diagnostic(`altered with ${out.api}`);
  assert.deepEqual(out.before, {
    'retention.ms': ['3600000', 1, false, false, false],
    'cleanup.policy': ['delete', 5, true, false, false],
  });
  assert.deepEqual(out.after, {
    'retention.ms': ['7777', 1, false, false, false],
    'cleanup.policy': ['delete,compact', 1, false, false, false],
  });
  assert.deepEqual(out.invalid, [40, 'Invalid value -2 for configuration retention.ms: Value must be at least -1']);
  assert.deepEqual(out.broker, {
    'log.retention.hours': ['168', 5, true, true, false],
    'log.segment.bytes': ['2097152', 4, false, false, false],
  });
  const log = broker.broker.services.replicas.lookup('confluent-configs', 0).log;
  assert.deepEqual([log?.config.retentionMs, log?.config.cleanupPolicy], [7777, ['delete', 'compact']]);
});

test('@platformatic/kafka: incrementalAlterConfigs SET, APPEND and DELETE, read back with describeConfigs', async (t) => {
  if (!(await loadPlatformatic())) return missing(t, '@platformatic/kafka');
  const name = '@platformatic/kafka';
  const { Admin } = (await import(name)) as { Admin: new (o: object) => PlatformaticAdmin };
  const admin = new Admin({ clientId: 'samsa-config-test', bootstrapBrokers: [broker.bootstrap], retries: 0 });
  try {
    await admin.createTopics({ topics: ['platformatic-configs'], partitions: 1, replicas: 1 });
    const resource = { resourceType: TOPIC, resourceName: 'platformatic-configs' };
    await admin.incrementalAlterConfigs({
      resources: [{ ...resource, configs: [{ name: 'retention.ms', configOperation: 0, value: '60000' }, { name: 'cleanup.policy', configOperation: 2, value: 'compact' }] }],
    });
    const describe = async () => {
      const [result] = await admin.describeConfigs({ resources: [{ ...resource, configurationKeys: ['retention.ms', 'cleanup.policy'] }] });
      return Object.fromEntries((result?.configs ?? []).map((c) => [c.name, [c.value, c.configSource]]));
    };
    assert.deepEqual(await describe(), { 'retention.ms': ['60000', 1], 'cleanup.policy': ['delete,compact', 1] });
    await admin.incrementalAlterConfigs({ resources: [{ ...resource, configs: [{ name: 'retention.ms', configOperation: 1 }] }] });
    assert.deepEqual(await describe(), { 'retention.ms': ['604800000', 5], 'cleanup.policy': ['delete,compact', 1] });
    await assert.rejects(admin.incrementalAlterConfigs({
      resources: [{ resourceType: BROKER, resourceName: '1', configs: [{ name: 'log.dirs', configOperation: 0, value: '/x' }] }],
    }));
    assert.equal(broker.broker.services.replicas.lookup('platformatic-configs', 0).log?.config.retentionMs, 604800000);
  } finally {
    await admin.close();
  }
});

interface PlatformaticAdmin {
  createTopics(o: { topics: string[]; partitions: number; replicas: number }): Promise<unknown>;
  incrementalAlterConfigs(o: { resources: { resourceType: number; resourceName: string; configs: { name: string; configOperation: number; value?: string }[] }[] }): Promise<void>;
  describeConfigs(o: { resources: { resourceType: number; resourceName: string; configurationKeys: string[] }[] }): Promise<{ configs: { name: string; value: string | null; configSource: number }[] }[]>;
  close(): Promise<void>;
}
