import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiKey, type CreateTopicsResponse, type DescribeConfigsResponse, type DescribeConfigsResponseDescribeConfigsResourceResult,
  ErrorCode, type IncrementalAlterConfigsResponse,
} from '../../protocol/index.js';
import { startBroker, type TestBroker } from '../../testkit/index.js';
import { RawClient } from '../../../test/broker/raw-client.js';
import { ConfigSource } from '../config/index.js';

const TOPIC = 2;
const BROKER = 4;
const [SET, DELETE, APPEND, SUBTRACT] = [0, 1, 2, 3];
let broker: TestBroker;
let client: RawClient;

before(async () => {
  broker = await startBroker({ config: { 'log.segment.bytes': '4194304' } });
  client = await RawClient.connect('127.0.0.1', broker.port);
  const created = await client.request<CreateTopicsResponse>(ApiKey.CreateTopics, 7, {
    timeoutMs: 5000, validateOnly: false,
    topics: ['inc', 'other'].map((name) => ({ name, numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] })),
  });
  assert.deepEqual(created.topics.map((t) => t.errorCode), [0, 0]);
});
after(async () => {
  client?.close();
  await broker?.stop();
});

type Op = [name: string, op: number, value: string | null];
interface Resource { type: number; name: string; ops: Op[] }

async function alter(resources: Resource[], validateOnly = false, version = 1): Promise<[number, string | null][]> {
  const response = await client.request<IncrementalAlterConfigsResponse>(ApiKey.IncrementalAlterConfigs, version, {
    validateOnly,
    resources: resources.map((r) => ({
      resourceType: r.type, resourceName: r.name, configs: r.ops.map(([name, configOperation, value]) => ({ name, configOperation, value })),
    })),
  });
  assert.deepEqual(response.responses.map((r) => [r.resourceType, r.resourceName]), resources.map((r) => [r.type, r.name]));
  return response.responses.map((r) => [r.errorCode, r.errorMessage]);
}

async function described(type: number, name: string, key: string): Promise<DescribeConfigsResponseDescribeConfigsResourceResult | undefined> {
  const response = await client.request<DescribeConfigsResponse>(ApiKey.DescribeConfigs, 4, {
    resources: [{ resourceType: type, resourceName: name, configurationKeys: [key] }], includeSynonyms: true, includeDocumentation: false,
  });
  return response.results[0]?.configs[0];
}

const valueOf = async (type: number, name: string, key: string) => {
  const c = await described(type, name, key);
  return c && [c.value, c.configSource];
};
const logConfig = (topic: string, partition = 0) => broker.broker.services.replicas.lookup(topic, partition).log?.config;
const OK: [number, null] = [ErrorCode.NONE, null];

test('SET and DELETE on a topic: retention.ms and segment.bytes reach the live logs', async () => {
  assert.deepEqual(await alter([{ type: TOPIC, name: 'inc', ops: [['retention.ms', SET, '90000'], ['segment.bytes', SET, '2097152']] }]), [OK]);
  assert.deepEqual(await valueOf(TOPIC, 'inc', 'retention.ms'), ['90000', ConfigSource.DYNAMIC_TOPIC_CONFIG]);
  assert.deepEqual([logConfig('inc')?.retentionMs, logConfig('inc', 1)?.segmentBytes], [90000, 2097152]);
  // Deleting a key that is not set (even an unknown one) is no change, as in Kafka's controller.
  assert.deepEqual(await alter([{ type: TOPIC, name: 'inc', ops: [['segment.bytes', DELETE, null], ['not.set', DELETE, null]] }]), [OK]);
  assert.deepEqual(await valueOf(TOPIC, 'inc', 'segment.bytes'), ['4194304', ConfigSource.STATIC_BROKER_CONFIG]);
  assert.deepEqual([logConfig('inc')?.retentionMs, logConfig('inc', 1)?.segmentBytes], [90000, 4194304]);
  assert.deepEqual(broker.broker.services.metadata.image.topicConfigs.get('inc'), new Map([['retention.ms', '90000']]));
});

test('APPEND and SUBTRACT on a list start from the default; on a non-list they are INVALID_CONFIG', async () => {
  assert.deepEqual(await alter([{ type: TOPIC, name: 'other', ops: [['cleanup.policy', APPEND, 'compact']] }]), [OK]);
  assert.deepEqual(await valueOf(TOPIC, 'other', 'cleanup.policy'), ['delete,compact', ConfigSource.DYNAMIC_TOPIC_CONFIG]);
  assert.deepEqual(logConfig('other')?.cleanupPolicy, ['delete', 'compact']);
  assert.deepEqual(await alter([{ type: TOPIC, name: 'other', ops: [['cleanup.policy', SUBTRACT, 'delete']] }]), [OK]);
  assert.deepEqual(await valueOf(TOPIC, 'other', 'cleanup.policy'), ['compact', ConfigSource.DYNAMIC_TOPIC_CONFIG]);
  assert.deepEqual(await alter([
    { type: TOPIC, name: 'other', ops: [['retention.ms', APPEND, '1']] },
    { type: BROKER, name: '1', ops: [['log.retention.ms', SUBTRACT, '1']] },
    { type: BROKER, name: '', ops: [['no.such.config', APPEND, 'x']] },
  ]), [
    [ErrorCode.INVALID_CONFIG, 'Can\'t APPEND to key retention.ms because its type is not LIST.'],
    [ErrorCode.INVALID_CONFIG, 'Config value subtract is not allowed for config key: log.retention.ms'],
    [ErrorCode.INVALID_CONFIG, 'Unknown config name: no.such.config'],
  ]);
});

test('request checks: unknown operation, null value, duplicates; unknown topic after validation', async () => {
  assert.deepEqual(await alter([
    { type: TOPIC, name: 'inc', ops: [['retention.ms', 7, '1']] },
    { type: TOPIC, name: 'other', ops: [['retention.ms', SET, null]] },
    { type: BROKER, name: '1', ops: [['log.retention.ms', SET, '1'], ['log.retention.ms', DELETE, null]] },
    { type: TOPIC, name: 'missing', ops: [['retention.ms', SET, 'x']] },
    { type: TOPIC, name: 'missing', ops: [['retention.ms', SET, '1']] },
    { type: TOPIC, name: 'nope', ops: [['retention.ms', SET, '1']] },
    { type: 8, name: '1', ops: [['root', SET, 'DEBUG']] },
  ]), [
    [ErrorCode.INVALID_REQUEST, 'Unknown operations type 7'],
    [ErrorCode.INVALID_REQUEST, 'Null value not supported for : retention.ms'],
    [ErrorCode.INVALID_REQUEST, 'Error due to duplicate config keys'],
    [ErrorCode.INVALID_REQUEST, 'Each resource must appear at most once.'],
    [ErrorCode.INVALID_REQUEST, 'Each resource must appear at most once.'],
    [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'The topic \'nope\' does not exist.'],
    [ErrorCode.INVALID_REQUEST, 'Unknown resource type BROKER_LOGGER'],
  ]);
  assert.deepEqual(await alter([{ type: TOPIC, name: 'nope', ops: [['retention.ms', SET, 'x']] }]), [
    [ErrorCode.INVALID_CONFIG, 'Invalid value x for configuration retention.ms: Not a number of type LONG'],
  ]);
});

test('a read-only broker config is INVALID_REQUEST; validateOnly changes nothing', async () => {
  const offset = broker.broker.services.metadata.image.offset;
  assert.deepEqual(await alter([
    { type: BROKER, name: '1', ops: [['log.retention.hours', SET, '1']] },
    { type: BROKER, name: '', ops: [['log.retention.bytes', SET, '1000']] },
    { type: TOPIC, name: 'inc', ops: [['retention.ms', DELETE, null]] },
  ], true, 0), [
    [ErrorCode.INVALID_REQUEST, 'Cannot update these configs dynamically: Set(log.retention.hours)'],
    OK,
    OK,
  ]);
  assert.deepEqual(await alter([{ type: BROKER, name: '', ops: [['broker.id', SET, '7']] }], true), [
    [ErrorCode.INVALID_REQUEST, 'Cannot update these configs dynamically: Set(broker.id)'],
  ]);
  assert.equal(broker.broker.services.metadata.image.offset, offset);
  assert.deepEqual(await valueOf(TOPIC, 'inc', 'retention.ms'), ['90000', ConfigSource.DYNAMIC_TOPIC_CONFIG]);
  assert.equal(broker.broker.services.config.getLong('log.retention.bytes'), -1n);
});

test('a per-broker SET: describe shows it first among the synonyms, the running config and every topic\'s logs follow', async () => {
  assert.deepEqual(await alter([{ type: BROKER, name: '', ops: [['log.segment.bytes', SET, '3145728']] }]), [OK]);
  assert.deepEqual(await alter([{ type: BROKER, name: '1', ops: [['log.segment.bytes', SET, '5242880'], ['log.retention.bytes', SET, '123456789']] }]), [OK]);
  const entry = await described(BROKER, '1', 'log.segment.bytes');
  assert.deepEqual([entry?.value, entry?.configSource, entry?.readOnly], ['5242880', ConfigSource.DYNAMIC_BROKER_CONFIG, false]);
  assert.deepEqual(entry?.synonyms.map((s) => `${s.source}:${s.value}`), ['2:5242880', '3:3145728', '4:4194304', '5:1073741824']);
  const topic = await described(TOPIC, 'other', 'segment.bytes');
  assert.deepEqual([topic?.value, topic?.configSource], ['5242880', ConfigSource.DYNAMIC_BROKER_CONFIG]);
  assert.equal(broker.broker.services.config.getInt('log.segment.bytes'), 5242880);
  for (const t of ['inc', 'other']) {
    assert.deepEqual([logConfig(t, 1)?.segmentBytes, logConfig(t, 1)?.retentionBytes], [5242880, 123456789]);
  }
  assert.deepEqual(await alter([{ type: BROKER, name: '1', ops: [['log.segment.bytes', DELETE, null]] }]), [OK]);
  assert.equal(logConfig('other')?.segmentBytes, 3145728);
  assert.deepEqual(await valueOf(BROKER, '', 'log.segment.bytes'), ['3145728', ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG]);
});
