import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type AlterConfigsResponse, ApiKey, type CreateTopicsResponse, type DescribeConfigsResponse, ErrorCode,
} from '../../protocol/index.js';
import { startBroker, type TestBroker } from '../../testkit/index.js';
import { RawClient } from '../../../test/broker/raw-client.js';
import { ConfigSource } from '../config/index.js';

const TOPIC = 2;
const BROKER = 4;
let broker: TestBroker;
let client: RawClient;

before(async () => {
  broker = await startBroker({ config: { 'log.segment.bytes': '4194304' } });
  client = await RawClient.connect('127.0.0.1', broker.port);
  const created = await client.request<CreateTopicsResponse>(ApiKey.CreateTopics, 7, {
    timeoutMs: 5000, validateOnly: false,
    topics: ['legacy', 'other'].map((name) => ({ name, numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] })),
  });
  assert.deepEqual(created.topics.map((t) => t.errorCode), [0, 0]);
});
after(async () => {
  client?.close();
  await broker?.stop();
});

interface Resource { type: number; name: string; configs: Record<string, string | null> }

async function alter(resources: Resource[], validateOnly = false, version = 2): Promise<[number, string | null][]> {
  const response = await client.request<AlterConfigsResponse>(ApiKey.AlterConfigs, version, {
    validateOnly,
    resources: resources.map((r) => ({
      resourceType: r.type, resourceName: r.name, configs: Object.entries(r.configs).map(([name, value]) => ({ name, value })),
    })),
  });
  assert.deepEqual(response.responses.map((r) => [r.resourceType, r.resourceName]), resources.map((r) => [r.type, r.name]));
  return response.responses.map((r) => [r.errorCode, r.errorMessage]);
}

async function described(type: number, name: string, key: string): Promise<[string | null, number] | undefined> {
  const response = await client.request<DescribeConfigsResponse>(ApiKey.DescribeConfigs, 4, {
    resources: [{ resourceType: type, resourceName: name, configurationKeys: [key] }], includeSynonyms: false, includeDocumentation: false,
  });
  const c = response.results[0]?.configs[0];
  return c && [c.value, c.configSource];
}

const logConfig = (topic: string, partition = 0) => broker.broker.services.replicas.lookup(topic, partition).log?.config;
const OK: [number, null] = [ErrorCode.NONE, null];

test('the given configs replace all of a topic\'s overrides, and reach its live logs', async () => {
  assert.deepEqual(await alter([{ type: TOPIC, name: 'legacy', configs: { 'retention.ms': '5000', 'segment.bytes': '2000000' } }]), [OK]);
  assert.deepEqual(await described(TOPIC, 'legacy', 'segment.bytes'), ['2000000', ConfigSource.DYNAMIC_TOPIC_CONFIG]);
  assert.deepEqual([logConfig('legacy', 1)?.retentionMs, logConfig('legacy', 1)?.segmentBytes], [5000, 2000000]);
  assert.deepEqual(await alter([{ type: TOPIC, name: 'legacy', configs: { 'retention.ms': '6000' } }]), [OK]);
  assert.deepEqual(await described(TOPIC, 'legacy', 'retention.ms'), ['6000', ConfigSource.DYNAMIC_TOPIC_CONFIG]);
  assert.deepEqual(await described(TOPIC, 'legacy', 'segment.bytes'), ['4194304', ConfigSource.STATIC_BROKER_CONFIG]);
  assert.deepEqual([logConfig('legacy')?.retentionMs, logConfig('legacy')?.segmentBytes], [6000, 4194304]);
  assert.deepEqual(broker.broker.services.metadata.image.topicConfigs.get('legacy'), new Map([['retention.ms', '6000']]));
});

test('bad topic configs are INVALID_CONFIG with Kafka\'s message; a missing topic is checked after them', async () => {
  const results = await alter([
    { type: TOPIC, name: 'other', configs: { 'retention.msec': '1' } },
    { type: TOPIC, name: 'legacy', configs: { 'retention.ms': 'soon' } },
    { type: TOPIC, name: 'missing', configs: { 'segment.bytes': '10' } },
    { type: TOPIC, name: 'missing2', configs: { 'retention.ms': '1' } },
    { type: TOPIC, name: '', configs: {} },
  ]);
  assert.deepEqual(results, [
    [ErrorCode.INVALID_CONFIG, 'Unknown topic config name: retention.msec (did you mean retention.ms?)'],
    [ErrorCode.INVALID_CONFIG, 'Invalid value soon for configuration retention.ms: Not a number of type LONG'],
    [ErrorCode.INVALID_CONFIG, 'Invalid value 10 for configuration segment.bytes: Value must be at least 1048576'],
    [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'The topic \'missing2\' does not exist.'],
    [ErrorCode.INVALID_REQUEST, 'Default topic resources are not allowed.'],
  ]);
  assert.deepEqual(await described(TOPIC, 'legacy', 'retention.ms'), ['6000', ConfigSource.DYNAMIC_TOPIC_CONFIG]);
});

test('request-level checks: a resource twice, a key twice, a null value, an unknown resource type', async () => {
  const twice = await alter([
    { type: TOPIC, name: 'other', configs: { 'retention.ms': '1' } },
    { type: TOPIC, name: 'other', configs: { 'retention.ms': '2' } },
    { type: TOPIC, name: 'legacy', configs: { 'retention.ms': null } },
    { type: 8, name: '1', configs: {} },
  ]);
  assert.deepEqual(twice, [
    [ErrorCode.INVALID_REQUEST, 'Each resource must appear at most once.'],
    [ErrorCode.INVALID_REQUEST, 'Each resource must appear at most once.'],
    [ErrorCode.INVALID_REQUEST, 'Null value not supported for : retention.ms'],
    [ErrorCode.INVALID_REQUEST, 'Unknown resource type 8'],
  ]);
  const response = await client.request<AlterConfigsResponse>(ApiKey.AlterConfigs, 1, {
    validateOnly: false,
    resources: [{ resourceType: TOPIC, resourceName: 'other', configs: [{ name: 'retention.ms', value: '1' }, { name: 'retention.ms', value: '2' }] }],
  });
  assert.deepEqual(response.responses.map((r) => [r.errorCode, r.errorMessage]), [[ErrorCode.INVALID_REQUEST, 'Error due to duplicate config keys']]);
  assert.equal(broker.broker.services.metadata.image.topicConfigs.get('other'), undefined);
});

test('validateOnly checks everything and changes nothing', async () => {
  const offset = broker.broker.services.metadata.image.offset;
  assert.deepEqual(await alter([
    { type: TOPIC, name: 'other', configs: { 'retention.ms': '42' } },
    { type: BROKER, name: '', configs: { 'log.retention.ms': '42' } },
    { type: TOPIC, name: 'legacy', configs: { 'retention.ms': 'x' } },
  ], true, 0), [OK, OK, [ErrorCode.INVALID_CONFIG, 'Invalid value x for configuration retention.ms: Not a number of type LONG']]);
  assert.deepEqual(await alter([{ type: TOPIC, name: 'other', configs: { 'retention.ms': '42' } }], true), [OK]);
  assert.equal(broker.broker.services.metadata.image.offset, offset);
  assert.deepEqual(await described(TOPIC, 'other', 'retention.ms'), ['604800000', ConfigSource.DEFAULT_CONFIG]);
  assert.equal(broker.broker.services.config.getOptionalLong('log.retention.ms'), null);
});

test('broker resources: read-only configs and other ids are INVALID_REQUEST', async () => {
  assert.deepEqual(await alter([
    { type: BROKER, name: '1', configs: { 'log.dirs': '/elsewhere', 'log.retention.hours': '1' } },
    { type: BROKER, name: '2', configs: { 'log.retention.ms': '1' } },
    { type: BROKER, name: 'x', configs: {} },
    { type: BROKER, name: '', configs: { 'log.retention.ms': 'soon' } },
  ]), [
    [ErrorCode.INVALID_REQUEST, 'Cannot update these configs dynamically: Set(log.dirs, log.retention.hours)'],
    [ErrorCode.INVALID_REQUEST, 'Unexpected broker id, expected 1, but received 2'],
    [ErrorCode.INVALID_REQUEST, 'Node id must be an integer, but it is: x'],
    [ErrorCode.INVALID_REQUEST, 'Invalid value soon for configuration log.retention.ms: Not a number of type LONG'],
  ]);
});

test('a cluster-wide default replaces the default layer, runs the broker and refreshes every topic\'s logs', async () => {
  assert.deepEqual(await alter([{ type: BROKER, name: '', configs: { 'log.retention.ms': '7200000', 'log.segment.bytes': '3145728' } }]), [OK]);
  const { config } = broker.broker.services;
  assert.deepEqual([config.getOptionalLong('log.retention.ms'), config.sourceOf('log.segment.bytes')], [7200000n, 'dynamic-default']);
  assert.deepEqual(await described(BROKER, '', 'log.retention.ms'), ['7200000', ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG]);
  assert.deepEqual(await described(TOPIC, 'other', 'retention.ms'), ['7200000', ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG]);
  assert.deepEqual([logConfig('other', 1)?.retentionMs, logConfig('other', 1)?.segmentBytes], [7200000, 3145728]);
  assert.deepEqual([logConfig('legacy')?.retentionMs, logConfig('legacy')?.segmentBytes], [6000, 3145728], 'the topic override still wins');
  assert.deepEqual(await alter([{ type: BROKER, name: '', configs: { 'log.retention.ms': '3600000' } }]), [OK]);
  assert.deepEqual([config.getOptionalLong('log.retention.ms'), config.sourceOf('log.segment.bytes')], [3600000n, 'static']);
  assert.deepEqual([logConfig('other')?.retentionMs, logConfig('other')?.segmentBytes], [3600000, 4194304]);
  assert.deepEqual(await alter([{ type: BROKER, name: '', configs: {} }]), [OK]);
  assert.equal(config.getOptionalLong('log.retention.ms'), null);
  assert.equal(logConfig('other')?.retentionMs, 604800000);
});
