import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiKey, type CreateTopicsResponse, type DescribeConfigsResponse, type DescribeConfigsResponseDescribeConfigsResourceResult,
  type DescribeConfigsResponseDescribeConfigsResult, ErrorCode,
} from '../../protocol/index.js';
import { startBroker, type TestBroker } from '../../testkit/index.js';
import { RawClient } from '../../../test/broker/raw-client.js';
import { ConfigSource, ConfigTypeId } from '../config/index.js';

const TOPIC = 2;
const BROKER = 4;
let broker: TestBroker;
let client: RawClient;

before(async () => {
  broker = await startBroker({ config: { 'log.retention.hours': '24', 'log.segment.bytes': '2097152', 'ssl.key.password': 'hush' } });
  client = await RawClient.connect('127.0.0.1', broker.port);
  const created = await client.request<CreateTopicsResponse>(ApiKey.CreateTopics, 7, {
    timeoutMs: 5000, validateOnly: false,
    topics: [
      { name: 'plain', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
      { name: 'overridden', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [{ name: 'retention.ms', value: '1000' }] },
    ],
  });
  assert.deepEqual(created.topics.map((t) => t.errorCode), [0, 0]);
});
after(async () => {
  client?.close();
  await broker?.stop();
});

interface Resource { type: number; name: string; keys?: string[] | null }

async function describe(version: number, resources: Resource[], includeSynonyms = false, includeDocumentation = false): Promise<DescribeConfigsResult[]> {
  const response = await client.request<DescribeConfigsResponse>(ApiKey.DescribeConfigs, version, {
    resources: resources.map((r) => ({ resourceType: r.type, resourceName: r.name, configurationKeys: r.keys ?? null })),
    includeSynonyms, includeDocumentation,
  });
  return response.results;
}
type DescribeConfigsResult = DescribeConfigsResponseDescribeConfigsResult;

function entry(result: DescribeConfigsResult | undefined, name: string): DescribeConfigsResponseDescribeConfigsResourceResult {
  const found = result?.configs.find((c) => c.name === name);
  assert.ok(found, `no config ${name}`);
  return found;
}

const synonyms = (e: DescribeConfigsResponseDescribeConfigsResourceResult): string[] => e.synonyms.map((s) => `${s.source}:${s.name}=${s.value}`);

test('retention.ms on a topic with an override and on one without (static log.retention.hours=24)', async () => {
  const [overridden, plain] = await describe(4, [{ type: TOPIC, name: 'overridden' }, { type: TOPIC, name: 'plain' }], true);
  assert.equal(overridden?.errorCode, ErrorCode.NONE);
  assert.equal(overridden?.errorMessage, null);
  const own = entry(overridden, 'retention.ms');
  assert.deepEqual([own.value, own.configSource, own.readOnly, own.isSensitive, own.configType], ['1000', ConfigSource.DYNAMIC_TOPIC_CONFIG, false, false, ConfigTypeId.LONG]);
  // Kafka lists log.retention.ms's synonyms only from log.retention.ms on, so none here.
  assert.deepEqual(synonyms(own), ['1:retention.ms=1000']);
  const inherited = entry(plain, 'retention.ms');
  assert.deepEqual([inherited.value, inherited.configSource], ['86400000', ConfigSource.DEFAULT_CONFIG]);
  assert.deepEqual(synonyms(inherited), []);
  const segment = entry(plain, 'segment.bytes');
  assert.deepEqual([segment.value, segment.configSource, segment.configType], ['2097152', ConfigSource.STATIC_BROKER_CONFIG, ConfigTypeId.INT]);
  assert.deepEqual(synonyms(segment), ['4:log.segment.bytes=2097152', '5:log.segment.bytes=1073741824']);
});

test('the broker: log.retention.hours with its synonyms, read-only flags, a sensitive config', async () => {
  const [result] = await describe(4, [{ type: BROKER, name: '1' }], true);
  assert.equal(result?.errorCode, ErrorCode.NONE);
  const hours = entry(result, 'log.retention.hours');
  assert.deepEqual([hours.value, hours.configSource, hours.readOnly], ['24', ConfigSource.STATIC_BROKER_CONFIG, true]);
  assert.deepEqual(synonyms(hours), ['4:log.retention.hours=24', '5:log.retention.hours=168']);
  const ms = entry(result, 'log.retention.ms');
  assert.deepEqual([ms.value, ms.configSource, ms.readOnly, ms.synonyms.length], [null, ConfigSource.DEFAULT_CONFIG, false, 0]);
  assert.equal(entry(result, 'log.dirs').readOnly, true);
  const secret = entry(result, 'ssl.key.password');
  assert.deepEqual([secret.value, secret.isSensitive, secret.configSource, secret.configType], [null, true, ConfigSource.STATIC_BROKER_CONFIG, ConfigTypeId.PASSWORD]);
  assert.deepEqual(synonyms(secret), ['4:ssl.key.password=null']);
});

test('synonyms only when asked, and never at v0', async () => {
  const [without] = await describe(4, [{ type: TOPIC, name: 'plain', keys: ['segment.bytes'] }], false);
  assert.deepEqual(entry(without, 'segment.bytes').synonyms, []);
  const [v0] = await describe(0, [{ type: TOPIC, name: 'plain', keys: ['segment.bytes'] }], true);
  assert.deepEqual(entry(v0, 'segment.bytes').synonyms, []);
});

test('configurationKeys: null or empty means all; names that do not exist are left out', async () => {
  const [some, all, empty] = await describe(2, [
    { type: TOPIC, name: 'plain', keys: ['retention.ms', 'no.such.config', 'cleanup.policy'] },
    { type: TOPIC, name: 'plain', keys: null },
    { type: BROKER, name: '1', keys: [] },
  ]);
  assert.deepEqual(some?.configs.map((c) => c.name).sort(), ['cleanup.policy', 'retention.ms']);
  assert.ok((all?.configs.length ?? 0) > 30);
  assert.ok((empty?.configs.length ?? 0) > 100);
});

test('v0 answers IsDefault (true only for built-in defaults); v3+ config types; documentation is null', async () => {
  const [v0] = await describe(0, [{ type: TOPIC, name: 'overridden', keys: ['retention.ms', 'segment.bytes', 'retention.bytes'] }]);
  const flags = Object.fromEntries((v0?.configs ?? []).map((c) => [c.name, c.isDefault]));
  assert.deepEqual(flags, { 'retention.ms': false, 'segment.bytes': false, 'retention.bytes': true });
  const [v3] = await describe(3, [{ type: TOPIC, name: 'plain', keys: ['cleanup.policy', 'preallocate'] }], false, true);
  assert.deepEqual(entry(v3, 'cleanup.policy').configType, ConfigTypeId.LIST);
  assert.deepEqual(entry(v3, 'preallocate').configType, ConfigTypeId.BOOLEAN);
  assert.equal(entry(v3, 'cleanup.policy').documentation, null);
  const [v2] = await describe(2, [{ type: TOPIC, name: 'plain', keys: ['cleanup.policy'] }]);
  assert.equal(entry(v2, 'cleanup.policy').configType, 0, 'no config type before v3');
});

test('resource errors: unknown topic, illegal topic name, another broker id, a non-numeric id', async () => {
  const results = await describe(4, [
    { type: TOPIC, name: 'missing' },
    { type: TOPIC, name: 'bad name' },
    { type: BROKER, name: '2' },
    { type: BROKER, name: 'one' },
  ]);
  assert.deepEqual(results.map((r) => [r.errorCode, r.errorMessage, r.configs.length, r.resourceType, r.resourceName]), [
    [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, null, 0, TOPIC, 'missing'],
    [ErrorCode.INVALID_TOPIC_EXCEPTION, 'Topic name "bad name" is illegal, it contains a character other than ASCII alphanumerics, \'.\', \'_\' and \'-\'', 0, TOPIC, 'bad name'],
    [ErrorCode.INVALID_REQUEST, 'Unexpected broker id, expected 1 or empty string, but received 2', 0, BROKER, '2'],
    [ErrorCode.INVALID_REQUEST, 'Broker id must be an integer, but it is: one', 0, BROKER, 'one'],
  ]);
});

test('the cluster-wide default resource ("") lists only dynamic defaults: none yet', async () => {
  const [result] = await describe(4, [{ type: BROKER, name: '' }], true);
  assert.deepEqual([result?.errorCode, result?.configs], [ErrorCode.NONE, []]);
});

test('an unknown resource type fails every resource of the request, as Kafka does', async () => {
  const results = await describe(4, [{ type: TOPIC, name: 'plain' }, { type: 99, name: 'x' }]);
  assert.equal(results.length, 2);
  for (const r of results) {
    assert.equal(r.errorCode, ErrorCode.INVALID_REQUEST);
    assert.match(r.errorMessage ?? '', /^This most likely occurs because of a request being malformed/);
    assert.deepEqual(r.configs, []);
  }
});
