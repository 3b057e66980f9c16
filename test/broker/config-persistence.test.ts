/**
 * Config changes made with IncrementalAlterConfigs and AlterConfigs are ConfigRecords in the
 * metadata log: after a restart the topic overrides, the cluster-wide defaults and this broker's
 * own dynamic configs are described as before, the running config has its dynamic layers back,
 * and logs loaded from disk at start-up get the dynamic broker defaults too.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AlterConfigsResponse, ApiKey, type CreateTopicsResponse, type DescribeConfigsResponse, ErrorCode, type IncrementalAlterConfigsResponse,
} from '../../src/protocol/index.js';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import type { BrokerLogger } from '../../src/broker/logger.js';
import { RawClient } from './raw-client.js';

const TOPIC = 2;
const BROKER = 4;
const SET = 0;
const STATIC = { 'log.segment.bytes': '4194304' };
let dataDir: string;
const warnings: string[] = [];
const logger: BrokerLogger = { info: () => {}, warn: (m) => warnings.push(m), error: () => {} };

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'samsa-config-persist-'));
});
after(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function withBroker<T>(body: (broker: TestBroker, client: RawClient) => Promise<T>): Promise<T> {
  const broker = await startBroker({ dataDir, config: STATIC, logger });
  const client = await RawClient.connect('127.0.0.1', broker.port);
  try {
    return await body(broker, client);
  } finally {
    client.close();
    await broker.stop();
  }
}

async function incremental(client: RawClient, type: number, name: string, configs: Record<string, string>): Promise<void> {
  const response = await client.request<IncrementalAlterConfigsResponse>(ApiKey.IncrementalAlterConfigs, 1, {
    validateOnly: false,
    resources: [{ resourceType: type, resourceName: name, configs: Object.entries(configs).map(([n, value]) => ({ name: n, configOperation: SET, value })) }],
  });
  assert.deepEqual(response.responses.map((r) => [r.errorCode, r.errorMessage]), [[ErrorCode.NONE, null]]);
}

async function describe(client: RawClient, type: number, name: string, keys: string[]): Promise<Record<string, [string | null, number]>> {
  const response = await client.request<DescribeConfigsResponse>(ApiKey.DescribeConfigs, 4, {
    resources: [{ resourceType: type, resourceName: name, configurationKeys: keys }], includeSynonyms: false, includeDocumentation: false,
  });
  assert.equal(response.results[0]?.errorCode, ErrorCode.NONE);
  return Object.fromEntries((response.results[0]?.configs ?? []).map((c) => [c.name, [c.value, c.configSource]]));
}

function logConfigs(broker: TestBroker): [number | undefined, number | undefined, number | undefined][] {
  return [0, 1].map((p) => {
    const c = broker.broker.services.replicas.lookup('kept', p).log?.config;
    return [c?.retentionMs, c?.retentionBytes, c?.segmentBytes];
  });
}

const EXPECTED_TOPIC = {
  'retention.ms': ['123000', 1],
  'retention.bytes': ['1000000000', 3],
  'segment.bytes': ['8388608', 2],
  'cleanup.policy': ['delete', 5],
};

test('topic overrides, cluster defaults and per-broker configs survive a restart and reach the reloaded logs', async () => {
  await withBroker(async (broker, client) => {
    const created = await client.request<CreateTopicsResponse>(ApiKey.CreateTopics, 7, {
      timeoutMs: 5000, validateOnly: false, topics: [{ name: 'kept', numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] }],
    });
    assert.equal(created.topics[0]?.errorCode, ErrorCode.NONE);
    await incremental(client, TOPIC, 'kept', { 'retention.ms': '123000' });
    await incremental(client, BROKER, '', { 'log.retention.bytes': '1000000000' });
    await incremental(client, BROKER, '1', { 'log.segment.bytes': '8388608' });
    assert.deepEqual(await describe(client, TOPIC, 'kept', Object.keys(EXPECTED_TOPIC)), EXPECTED_TOPIC);
    assert.deepEqual(logConfigs(broker), [[123000, 1000000000, 8388608], [123000, 1000000000, 8388608]]);
  });
  await withBroker(async (broker, client) => {
    assert.deepEqual(await describe(client, TOPIC, 'kept', Object.keys(EXPECTED_TOPIC)), EXPECTED_TOPIC);
    assert.deepEqual(await describe(client, BROKER, '', []), { 'log.retention.bytes': ['1000000000', 3] });
    assert.deepEqual(await describe(client, BROKER, '1', ['log.segment.bytes']), { 'log.segment.bytes': ['8388608', 2] });
    const { config } = broker.broker.services;
    assert.deepEqual([...config.layer('dynamic-default')], [['log.retention.bytes', '1000000000']]);
    assert.deepEqual([...config.layer('dynamic-broker')], [['log.segment.bytes', '8388608']]);
    assert.deepEqual(logConfigs(broker), [[123000, 1000000000, 8388608], [123000, 1000000000, 8388608]]);
    const replaced = await client.request<AlterConfigsResponse>(ApiKey.AlterConfigs, 2, {
      validateOnly: false, resources: [{ resourceType: BROKER, resourceName: '1', configs: [] }],
    });
    assert.equal(replaced.responses[0]?.errorCode, ErrorCode.NONE);
  });
  await withBroker(async (broker, client) => {
    assert.deepEqual(await describe(client, BROKER, '1', ['log.segment.bytes']), { 'log.segment.bytes': ['4194304', 4] });
    assert.equal(broker.broker.services.config.layer('dynamic-broker').size, 0);
    assert.deepEqual(logConfigs(broker), [[123000, 1000000000, 4194304], [123000, 1000000000, 4194304]]);
  });
});

test('a stored broker config this node cannot parse is skipped with a warning; the rest applies', async () => {
  await withBroker(async (broker) => {
    // Written past the handlers' validation, as an older or foreign writer might have.
    const response = await broker.broker.services.metadata.incrementalAlterConfigs({
      validateOnly: false,
      resources: [{
        resourceType: BROKER, resourceName: '',
        configs: [{ name: 'log.retention.ms', configOperation: SET, value: 'later' }, { name: 'log.flush.interval.ms', configOperation: SET, value: '5000' }],
      }],
    });
    assert.equal(response.responses[0]?.errorCode, ErrorCode.NONE);
    const { config } = broker.broker.services;
    assert.deepEqual([config.getOptionalLong('log.retention.ms'), config.getOptionalLong('log.flush.interval.ms')], [null, 5000n]);
    assert.ok(warnings.some((w) => w.startsWith('dynamic broker config log.retention.ms ignored')), warnings.join('\n'));
  });
  warnings.length = 0;
  await withBroker(async (broker) => {
    assert.equal(broker.broker.services.config.getOptionalLong('log.flush.interval.ms'), 5000n);
    assert.equal(broker.broker.services.replicas.lookup('kept', 0).log?.config.flushMs, 5000);
    assert.ok(warnings.some((w) => w.startsWith('dynamic broker config log.retention.ms ignored')));
  });
});
