import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TOPIC_CONFIG_DEFS } from './defs-topic.js';
import {
  BROKER_CONFIG_DEFS,
  BROKER_DEFS,
  brokerConfigSynonyms,
  isDynamicBrokerConfig,
  isPerBrokerConfig,
  lookupBrokerConfig,
  TOPIC_DEFS,
} from './registry.js';
import { formatValue } from './values.js';

const KAFKA_TOPIC_CONFIGS = [
  'cleanup.policy', 'compression.gzip.level', 'compression.lz4.level', 'compression.type', 'compression.zstd.level',
  'delete.retention.ms', 'file.delete.delay.ms', 'flush.messages', 'flush.ms', 'follower.replication.throttled.replicas',
  'index.interval.bytes', 'leader.replication.throttled.replicas', 'local.retention.bytes', 'local.retention.ms',
  'max.compaction.lag.ms', 'max.message.bytes', 'message.timestamp.after.max.ms', 'message.timestamp.before.max.ms',
  'message.timestamp.type', 'min.cleanable.dirty.ratio', 'min.compaction.lag.ms', 'min.insync.replicas', 'preallocate',
  'remote.log.copy.disable', 'remote.log.delete.on.disable', 'remote.storage.enable', 'retention.bytes', 'retention.ms',
  'segment.bytes', 'segment.index.bytes', 'segment.jitter.ms', 'segment.ms', 'unclean.leader.election.enable',
];

test('every Kafka 4.x topic config is defined, and nothing else', () => {
  assert.deepEqual([...TOPIC_DEFS.keys()].sort(), KAFKA_TOPIC_CONFIGS);
  for (const removed of ['message.format.version', 'message.timestamp.difference.max.ms', 'message.downconversion.enable']) {
    assert.equal(TOPIC_DEFS.has(removed), false, removed);
  }
});

test('topic defaults agree with their first broker synonym\'s default', () => {
  const HOURS = 3_600_000n;
  const expected: Record<string, unknown> = { 'segment.ms': 168n * HOURS, 'retention.ms': 168n * HOURS, 'flush.ms': 9223372036854775807n };
  for (const topic of TOPIC_CONFIG_DEFS) {
    const first = topic.brokerSynonyms[0];
    if (first === undefined) continue;
    const broker = BROKER_DEFS.get(first.name);
    assert.ok(broker, first.name);
    const brokerDefault = broker.defaultValue === null ? expected[topic.name] : broker.defaultValue;
    if (brokerDefault === undefined) continue;
    assert.equal(formatValue(topic.defaultValue, topic.type), formatValue(brokerDefault as bigint, broker.type), topic.name);
  }
});

test('the documented synonyms, in Kafka\'s precedence', () => {
  const names = (topic: string): string[] => TOPIC_DEFS.get(topic)?.brokerSynonyms.map((s) => `${s.name}:${s.unit}`) ?? [];
  assert.deepEqual(names('retention.ms'), ['log.retention.ms:same', 'log.retention.minutes:minutes', 'log.retention.hours:hours']);
  assert.deepEqual(names('segment.ms'), ['log.roll.ms:same', 'log.roll.hours:hours']);
  assert.deepEqual(names('flush.ms'), ['log.flush.interval.ms:same', 'log.flush.scheduler.interval.ms:same']);
  assert.deepEqual(names('max.message.bytes'), ['message.max.bytes:same']);
  assert.deepEqual(names('cleanup.policy'), ['log.cleanup.policy:same']);
  assert.deepEqual(names('segment.bytes'), ['log.segment.bytes:same']);
  assert.deepEqual(names('file.delete.delay.ms'), ['log.segment.delete.delay.ms:same']);
  assert.deepEqual(names('min.cleanable.dirty.ratio'), ['log.cleaner.min.cleanable.ratio:same']);
  assert.deepEqual(names('remote.storage.enable'), []);
});

test('update modes follow Kafka\'s dynamic broker config rules', () => {
  const mode = (name: string): string | undefined => BROKER_DEFS.get(name)?.mode;
  for (const name of ['log.retention.ms', 'log.segment.bytes', 'message.max.bytes', 'log.cleaner.threads', 'num.io.threads', 'max.connections', 'compression.type']) {
    assert.equal(mode(name), 'cluster-wide', name);
  }
  for (const name of ['listeners', 'advertised.listeners', 'ssl.keystore.location', 'sasl.enabled.mechanisms']) {
    assert.equal(mode(name), 'per-broker', name);
  }
  for (const name of ['log.retention.hours', 'log.retention.minutes', 'log.roll.hours', 'log.dirs', 'node.id', 'process.roles', 'num.partitions', 'log.cleaner.enable']) {
    assert.equal(mode(name), 'read-only', name);
  }
  // Every topic config's first broker synonym can change at runtime (DynamicLogConfig).
  for (const topic of TOPIC_CONFIG_DEFS) {
    const first = topic.brokerSynonyms[0];
    if (first !== undefined) assert.equal(isDynamicBrokerConfig(first.name), true, first.name);
  }
});

test('defaults and types of broker configs a single node sets', () => {
  const def = (name: string): string => `${BROKER_DEFS.get(name)?.type}=${formatValue(BROKER_DEFS.get(name)?.defaultValue ?? null, BROKER_DEFS.get(name)?.type)}`;
  assert.equal(def('message.max.bytes'), 'int=1048588');
  assert.equal(def('offsets.topic.replication.factor'), 'short=3');
  assert.equal(def('log.retention.hours'), 'int=168');
  assert.equal(def('log.retention.ms'), 'long=null');
  assert.equal(def('num.recovery.threads.per.data.dir'), 'int=2');
  assert.equal(def('log.message.timestamp.after.max.ms'), 'long=3600000');
  assert.equal(def('listeners'), 'string=PLAINTEXT://:9092');
  assert.equal(def('log.dir'), 'string=/tmp/kafka-logs');
  assert.equal(def('process.roles'), 'list=');
  assert.equal(def('log.cleaner.min.cleanable.ratio'), 'double=0.5');
  assert.equal(def('ssl.keystore.password'), 'password=null');
  assert.equal(BROKER_CONFIG_DEFS.length, BROKER_DEFS.size);
});

test('listener-prefixed names resolve to their base config', () => {
  assert.equal(lookupBrokerConfig('listener.name.internal.ssl.keystore.location')?.def.name, 'ssl.keystore.location');
  assert.equal(lookupBrokerConfig('listener.name.sasl_ssl.plain.sasl.jaas.config')?.def.name, 'sasl.jaas.config');
  assert.equal(lookupBrokerConfig('listener.name.internal.no.such.config'), null);
  assert.deepEqual(brokerConfigSynonyms('listener.name.internal.max.connections'), ['listener.name.internal.max.connections', 'max.connections']);
  assert.equal(isPerBrokerConfig('listener.name.internal.ssl.keystore.location'), true);
  assert.equal(isPerBrokerConfig('listener.name.internal.max.connections'), false);
  assert.deepEqual(brokerConfigSynonyms('log.retention.hours'), ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours']);
  assert.deepEqual(brokerConfigSynonyms('log.flush.scheduler.interval.ms'), ['log.flush.scheduler.interval.ms']);
});
