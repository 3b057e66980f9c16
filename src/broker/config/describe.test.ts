import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../protocol/index.js';
import { BrokerConfig } from './broker-config.js';
import {
  type DescribeConfigsEntry,
  describeBroker,
  describeBrokerResource,
  describeClusterDefault,
  describeTopic,
  describeTopicResource,
} from './describe.js';
import { ConfigSource, ConfigTypeId } from './types.js';

function one(entries: readonly DescribeConfigsEntry[], name: string): DescribeConfigsEntry {
  const found = entries.find((e) => e.name === name);
  assert.ok(found, `no entry ${name}`);
  return found;
}

function synonyms(entry: DescribeConfigsEntry): string[] {
  return entry.synonyms.map((s) => `${s.source}:${s.name}=${s.value}`);
}

const withSynonyms = { includeSynonyms: true };

test('a topic config left at its default: source DEFAULT_CONFIG, the broker synonym listed', () => {
  const entry = one(describeTopic(BrokerConfig.fromMap({}), {}, withSynonyms), 'segment.bytes');
  assert.equal(entry.value, '1073741824');
  assert.equal(entry.source, ConfigSource.DEFAULT_CONFIG);
  assert.equal(entry.isDefault, true);
  assert.equal(entry.readOnly, false);
  assert.equal(entry.isSensitive, false);
  assert.equal(entry.configType, ConfigTypeId.INT);
  assert.deepEqual(synonyms(entry), ['5:log.segment.bytes=1073741824']);
});

test('a topic override comes first, then the broker synonyms by layer', () => {
  const broker = BrokerConfig.fromMap({ 'log.retention.ms': '5000' });
  const entry = one(describeTopic(broker, { 'retention.ms': ' 1000 ' }, withSynonyms), 'retention.ms');
  assert.equal(entry.value, '1000');
  assert.equal(entry.source, ConfigSource.DYNAMIC_TOPIC_CONFIG);
  assert.equal(entry.configType, ConfigTypeId.LONG);
  assert.deepEqual(synonyms(entry), ['1:retention.ms=1000', '4:log.retention.ms=5000', '5:log.retention.hours=168']);
});

test('like Kafka, retention.ms lists no synonyms when log.retention.ms is unset anywhere', () => {
  const entry = one(describeTopic(BrokerConfig.fromMap({ 'log.retention.hours': '24' }), {}, withSynonyms), 'retention.ms');
  assert.equal(entry.value, String(24 * 3_600_000));
  assert.equal(entry.source, ConfigSource.DEFAULT_CONFIG);
  assert.deepEqual(entry.synonyms, []);
});

test('topic configs without a broker synonym, and list values', () => {
  const entries = describeTopic(BrokerConfig.fromMap({}), { 'cleanup.policy': 'compact, delete' }, withSynonyms);
  assert.deepEqual(synonyms(one(entries, 'remote.storage.enable')), []);
  assert.equal(one(entries, 'leader.replication.throttled.replicas').value, '');
  const policy = one(entries, 'cleanup.policy');
  assert.equal(policy.value, 'compact,delete');
  assert.equal(policy.configType, ConfigTypeId.LIST);
  assert.deepEqual(synonyms(policy), ['1:cleanup.policy=compact,delete', '5:log.cleanup.policy=delete']);
  assert.equal(entries.length, 33);
});

test('broker entries: read-only flag, static source, synonyms of hours/ms', () => {
  const entries = describeBroker(BrokerConfig.fromMap({ 'log.retention.hours': '24' }), withSynonyms);
  const hours = one(entries, 'log.retention.hours');
  assert.equal(hours.value, '24');
  assert.equal(hours.readOnly, true);
  assert.equal(hours.source, ConfigSource.STATIC_BROKER_CONFIG);
  assert.deepEqual(synonyms(hours), ['4:log.retention.hours=24', '5:log.retention.hours=168']);
  const ms = one(entries, 'log.retention.ms');
  assert.equal(ms.value, null);
  assert.equal(ms.readOnly, false);
  assert.equal(ms.source, ConfigSource.DEFAULT_CONFIG);
  assert.equal(one(entries, 'log.cleaner.io.max.bytes.per.second').value, '1.7976931348623157E308');
});

test('dynamic layers appear in precedence order: per-broker, cluster default, static, default', () => {
  const broker = BrokerConfig.fromMap({ 'node.id': '3', 'log.retention.ms': '1000' });
  broker.setDynamicLayer('dynamic-default', new Map([['log.retention.ms', '2000']]));
  broker.setDynamicLayer('dynamic-broker', new Map([['log.retention.ms', '3000']]));
  const entry = one(describeBroker(broker, withSynonyms), 'log.retention.ms');
  assert.equal(entry.value, '3000');
  assert.equal(entry.source, ConfigSource.DYNAMIC_BROKER_CONFIG);
  assert.deepEqual(synonyms(entry), [
    '2:log.retention.ms=3000', '3:log.retention.ms=2000', '4:log.retention.ms=1000', '5:log.retention.hours=168',
  ]);
  const topic = one(describeTopic(broker, {}, withSynonyms), 'retention.ms');
  assert.equal(topic.value, '3000');
  assert.equal(topic.source, ConfigSource.DYNAMIC_BROKER_CONFIG);
});

test('the cluster-default resource lists only dynamic defaults, with only their synonym', () => {
  const broker = BrokerConfig.fromMap({ 'log.retention.ms': '1000' });
  broker.setDynamicLayer('dynamic-default', new Map([['log.retention.ms', '2000'], ['num.io.threads', '9']]));
  const entries = describeClusterDefault(broker, withSynonyms);
  assert.deepEqual(entries.map((e) => `${e.name}=${e.value}`), ['log.retention.ms=2000', 'num.io.threads=9']);
  assert.deepEqual(synonyms(one(entries, 'log.retention.ms')), ['3:log.retention.ms=2000']);
  assert.equal(one(entries, 'log.retention.ms').source, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
});

test('sensitive values are never reported, in the entry or its synonyms', () => {
  const broker = BrokerConfig.fromMap({ 'ssl.keystore.password': 'secret', 'listener.name.internal.ssl.key.password': 'also' });
  const entries = describeBroker(broker, withSynonyms);
  const password = one(entries, 'ssl.keystore.password');
  assert.equal(password.value, null);
  assert.equal(password.isSensitive, true);
  assert.equal(password.configType, ConfigTypeId.PASSWORD);
  assert.equal(password.source, ConfigSource.STATIC_BROKER_CONFIG);
  assert.deepEqual(synonyms(password), ['4:ssl.keystore.password=null']);
  const prefixed = one(entries, 'listener.name.internal.ssl.key.password');
  assert.equal(prefixed.value, null);
  assert.equal(prefixed.isSensitive, true);
  assert.equal(prefixed.readOnly, true);
  assert.equal(JSON.stringify(entries).includes('secret'), false);
});

test('unknown names kept with allowUnknown describe as sensitive with type UNKNOWN', () => {
  const entry = one(describeBroker(BrokerConfig.fromMap({ 'custom.thing': 'v' }, { allowUnknown: true })), 'custom.thing');
  assert.equal(entry.value, null);
  assert.equal(entry.isSensitive, true);
  assert.equal(entry.configType, ConfigTypeId.UNKNOWN);
  assert.equal(entry.source, ConfigSource.STATIC_BROKER_CONFIG);
});

test('keys filter the entries; synonyms only when asked', () => {
  const entries = describeBroker(BrokerConfig.fromMap({}), { keys: ['num.partitions', 'no.such'] });
  assert.deepEqual(entries.map((e) => e.name), ['num.partitions']);
  assert.deepEqual(entries[0]?.synonyms, []);
  assert.equal(entries[0]?.configType, ConfigTypeId.INT);
});

test('resource-level errors', () => {
  const broker = BrokerConfig.fromMap({ 'node.id': '1' });
  assert.equal(describeBrokerResource(broker, '1').errorCode, ErrorCode.NONE);
  assert.equal(describeBrokerResource(broker, '').errorCode, ErrorCode.NONE);
  assert.deepEqual(describeBrokerResource(broker, 'x'), {
    errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Broker id must be an integer, but it is: x', configs: [],
  });
  assert.equal(describeBrokerResource(broker, '2').errorMessage, 'Unexpected broker id, expected 1 or empty string, but received 2');
  assert.equal(describeTopicResource(broker, undefined).errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  assert.equal(describeTopicResource(broker, {}).configs.length, 33);
});
