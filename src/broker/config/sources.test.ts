import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  clusterIdFromEnv,
  configFromEnv,
  configNameToEnvName,
  envNameToConfigName,
  isValidClusterId,
} from './env.js';
import { collectStaticConfig, parseOverrides } from './sources.js';

test('env names map the way Kafka\'s Docker image maps KAFKA_*', () => {
  assert.equal(envNameToConfigName('SAMSA_LOG_DIRS'), 'log.dirs');
  assert.equal(envNameToConfigName('SAMSA_NODE_ID'), 'node.id');
  assert.equal(envNameToConfigName('SAMSA_LISTENER_SECURITY_PROTOCOL_MAP'), 'listener.security.protocol.map');
  assert.equal(envNameToConfigName('SAMSA_ABC___DEF'), 'abc-def');
  assert.equal(envNameToConfigName('SAMSA_LISTENER_NAME_INTERNAL_SSL__X'), 'listener.name.internal.ssl_x');
  assert.equal(envNameToConfigName('KAFKA_LOG_DIRS'), null);
  assert.equal(envNameToConfigName('SAMSA_'), null);
  assert.equal(envNameToConfigName('SAMSA_CLUSTER_ID'), null);
});

test('configNameToEnvName inverts the mapping', () => {
  for (const name of ['log.dirs', 'abc-def', 'listener.name.internal.ssl_x', 'log.retention.hours']) {
    assert.equal(envNameToConfigName(configNameToEnvName(name)), name);
  }
  assert.equal(configNameToEnvName('log.retention.ms'), 'SAMSA_LOG_RETENTION_MS');
});

test('configFromEnv reads only SAMSA_ config variables, sorted, keeping empty values', () => {
  const env = { PATH: '/bin', SAMSA_NUM_PARTITIONS: '3', SAMSA_LOG_DIRS: '/data', SAMSA_BROKER_RACK: '', SAMSA_CLUSTER_ID: 'x', SAMSA_HOME: '/h' };
  assert.deepEqual([...configFromEnv(env)], [['broker.rack', ''], ['log.dirs', '/data'], ['num.partitions', '3']]);
});

test('cluster id from the environment, validated as a Kafka Uuid', () => {
  assert.equal(clusterIdFromEnv({ SAMSA_CLUSTER_ID: ' MkU3OEVBNTcwNTJENDM2Qk ' }), 'MkU3OEVBNTcwNTJENDM2Qk');
  assert.equal(clusterIdFromEnv({}), undefined);
  assert.equal(isValidClusterId('MkU3OEVBNTcwNTJENDM2Qk'), true);
  assert.equal(isValidClusterId('q1Sh-9_ISia_zwGINzRvyQ'), true);
  assert.equal(isValidClusterId('too-short'), false);
  assert.equal(isValidClusterId('MkU3OEVBNTcwNTJENDM2Q+'), false);
});

test('overrides split at the first =, allow empty values, and report malformed entries', () => {
  const { values, problems } = parseOverrides(['a=1', 'b=x=y', 'c=', 'noequals', '=v']);
  assert.deepEqual([...values], [['a', '1'], ['b', 'x=y'], ['c', '']]);
  assert.deepEqual(problems.map((p) => p.key), ['noequals', '=v']);
});

test('precedence: file < environment < command line', () => {
  const collected = collectStaticConfig({
    propertiesText: 'num.partitions=1\nlog.dirs=/file\nbroker.rack=r1',
    env: { SAMSA_NUM_PARTITIONS: '2', SAMSA_LOG_DIRS: '/env' },
    overrides: ['num.partitions=3'],
  });
  assert.equal(collected.values.get('num.partitions'), '3');
  assert.equal(collected.values.get('log.dirs'), '/env');
  assert.equal(collected.values.get('broker.rack'), 'r1');
  assert.deepEqual(Object.fromEntries(collected.origins), { 'num.partitions': 'override', 'log.dirs': 'env', 'broker.rack': 'file' });
});

test('overrides may be a plain map', () => {
  const collected = collectStaticConfig({ overrides: { 'num.partitions': '7' } });
  assert.equal(collected.values.get('num.partitions'), '7');
});
