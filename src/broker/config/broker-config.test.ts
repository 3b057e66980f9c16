import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SamsaError } from '../../common/errors.js';
import { BrokerConfig } from './broker-config.js';
import { logDirs, logRetentionMs } from './derived.js';
import { ConfigError } from './errors.js';
import { brokerSettings } from './view.js';

const SINGLE_NODE = {
  'process.roles': 'broker,controller',
  'node.id': '1',
  'controller.quorum.voters': '1@localhost:9093',
  listeners: 'PLAINTEXT://:9092,CONTROLLER://:9093',
  'advertised.listeners': 'PLAINTEXT://localhost:9092',
  'controller.listener.names': 'CONTROLLER',
  'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
  'log.dirs': '/tmp/samsa-a, /tmp/samsa-b',
};

function problemsOf(fn: () => unknown): Record<string, string> {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    assert.ok(e instanceof SamsaError);
    assert.equal(e.code, 'SAMSA_ERR_CONFIG');
    return Object.fromEntries(e.problems.map((p) => [p.key, p.suggestion === undefined ? p.reason : `${p.reason} -> ${p.suggestion}`]));
  }
  assert.fail('expected a ConfigError');
}

test('a single-node KRaft config loads, with typed getters and a typed view', () => {
  const config = BrokerConfig.fromMap(SINGLE_NODE);
  assert.equal(config.nodeId, 1);
  assert.equal(config.getInt('broker.id'), 1);
  assert.deepEqual(config.getList('process.roles'), ['broker', 'controller']);
  assert.equal(config.getLong('log.retention.check.interval.ms'), 300000n);
  assert.equal(config.getLongAsNumber('log.flush.scheduler.interval.ms'), Number.MAX_SAFE_INTEGER);
  assert.equal(config.getOptionalLong('log.retention.ms'), null);
  assert.equal(config.getDouble('log.cleaner.min.cleanable.ratio'), 0.5);
  assert.deepEqual(logDirs(config), ['/tmp/samsa-a', '/tmp/samsa-b']);
  const settings = brokerSettings(config);
  assert.deepEqual(settings.listeners.map((l) => `${l.listenerName}:${l.port}`), ['PLAINTEXT:9092', 'CONTROLLER:9093']);
  assert.equal(settings.advertisedListeners[0]?.host, 'localhost');
  assert.equal(settings.logRetentionMs, 7 * 24 * 3_600_000);
  assert.equal(settings.offsetsRetentionMs, 7 * 24 * 60 * 60_000);
  assert.equal(settings.numPartitions, 1);
});

test('every bad key is reported at once, with reasons and suggestions', () => {
  const problems = problemsOf(() => BrokerConfig.fromMap({
    'log.retention.hour': '24',
    'num.partitions': '0',
    'auto.create.topics.enable': 'yes',
    'retention.ms': '1000',
    'compression.type': 'brotli',
  }));
  assert.deepEqual(problems, {
    'log.retention.hour': 'unknown broker config -> log.retention.hours',
    'num.partitions': "invalid value '0': Value must be at least 1",
    'auto.create.topics.enable': "invalid value 'yes': Expected value to be either true or false",
    'retention.ms': 'unknown broker config -> log.retention.ms',
    'compression.type': "invalid value 'brotli': String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer",
  });
});

test('the error message names every problem', () => {
  try {
    BrokerConfig.fromMap({ 'num.partition': '3', 'log.segment.bytes': '10' });
    assert.fail('expected a ConfigError');
  } catch (e) {
    assert.match((e as Error).message, /2 problems/);
    assert.match((e as Error).message, /num\.partition: unknown broker config \(did you mean num\.partitions\?\)/);
    assert.match((e as Error).message, /log\.segment\.bytes: invalid value '10': Value must be at least 1048576/);
  }
});

test('allowUnknown keeps unknown names instead of failing', () => {
  const config = BrokerConfig.fromMap({ 'my.plugin.setting': 'x' }, { allowUnknown: true });
  assert.equal(config.layer('static').get('my.plugin.setting'), 'x');
});

test('node.id and broker.id stand in for each other and must agree', () => {
  assert.equal(BrokerConfig.fromMap({ 'broker.id': '4' }).nodeId, 4);
  assert.equal(BrokerConfig.fromMap({ 'node.id': '4' }).getInt('broker.id'), 4);
  assert.equal(BrokerConfig.fromMap({ 'node.id': '4', 'broker.id': '04' }).nodeId, 4);
  assert.deepEqual(problemsOf(() => BrokerConfig.fromMap({ 'node.id': '1', 'broker.id': '2' })), {
    'node.id': 'You must set `node.id` to the same value as `broker.id`.',
  });
});

test('log.retention.ms beats .minutes beats .hours; negatives mean unlimited', () => {
  const ms = (raw: Record<string, string>): bigint => logRetentionMs(BrokerConfig.fromMap(raw));
  assert.equal(ms({}), 168n * 3_600_000n);
  assert.equal(ms({ 'log.retention.hours': '24' }), 24n * 3_600_000n);
  assert.equal(ms({ 'log.retention.hours': '24', 'log.retention.minutes': '30' }), 30n * 60_000n);
  assert.equal(ms({ 'log.retention.hours': '24', 'log.retention.minutes': '30', 'log.retention.ms': '1234' }), 1234n);
  assert.equal(ms({ 'log.retention.ms': '-1' }), -1n);
  assert.equal(ms({ 'log.retention.hours': '-1' }), -1n);
  assert.deepEqual(problemsOf(() => BrokerConfig.fromMap({ 'log.retention.ms': '0' })), {
    'log.retention.ms': 'log.retention.ms must be unlimited (-1) or, greater than or equal to 1',
  });
});

test('cross-config checks: log dirs, listeners, and the KRaft role rules', () => {
  assert.deepEqual(problemsOf(() => BrokerConfig.fromMap({ 'log.dir': '' })), {
    'log.dirs': 'At least one log directory must be defined via log.dirs or log.dir.',
  });
  assert.deepEqual(problemsOf(() => BrokerConfig.fromMap({ listeners: 'PLAINTEXT:9092' })), {
    listeners: 'Unable to parse PLAINTEXT:9092 to a broker endpoint',
  });
  assert.deepEqual(problemsOf(() => BrokerConfig.fromMap({ ...SINGLE_NODE, 'advertised.listeners': 'PLAINTEXT://0.0.0.0:9092' })), {
    'advertised.listeners': 'advertised.listeners cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP address.',
  });
  const missingId = problemsOf(() => BrokerConfig.fromMap({ ...SINGLE_NODE, 'node.id': '-1' }));
  assert.match(missingId['node.id'] ?? '', /Missing configuration `node.id`/);
  const notVoter = problemsOf(() => BrokerConfig.fromMap({ ...SINGLE_NODE, 'controller.quorum.voters': '2@localhost:9093' }));
  assert.match(notVoter['controller.quorum.voters'] ?? '', /node id 1 must be included in the set of voters/);
  const noControllerListener = problemsOf(() => BrokerConfig.fromMap({ ...SINGLE_NODE, 'controller.listener.names': 'OTHER' }));
  assert.match(noControllerListener['controller.listener.names'] ?? '', /must only contain values appearing in the 'listeners'/);
});

test('the cross checks can be skipped', () => {
  const config = BrokerConfig.fromMap({ listeners: 'garbage' }, { crossChecks: false });
  assert.equal(config.getString('listeners'), 'garbage');
});

test('loading from a file, SAMSA_ variables and overrides', () => {
  const config = BrokerConfig.fromSources({
    propertiesText: 'num.partitions=2\nlog.dirs=/data/file\n',
    env: { SAMSA_NUM_PARTITIONS: '4', SAMSA_DEFAULT_REPLICATION_FACTOR: '1' },
    overrides: ['num.partitions=8'],
  });
  assert.equal(config.getInt('num.partitions'), 8);
  assert.equal(config.getString('log.dirs'), '/data/file');
  assert.equal(config.sourceOf('num.partitions'), 'static');
  assert.equal(config.sourceOf('num.io.threads'), 'default');
  const bad = problemsOf(() => BrokerConfig.fromSources({ env: { SAMSA_NUM_PARTITONS: '3' } }));
  assert.deepEqual(bad, { 'num.partitons': 'unknown broker config -> num.partitions' });
});

test('dynamic layers take precedence: per-broker over cluster default over static', () => {
  const config = BrokerConfig.fromMap({ 'log.retention.ms': '1000' });
  config.setDynamicLayer('dynamic-default', new Map([['log.retention.ms', '2000']]));
  assert.equal(config.getLong('log.retention.ms'), 2000n);
  assert.equal(config.sourceOf('log.retention.ms'), 'dynamic-default');
  config.setDynamicLayer('dynamic-broker', new Map([['log.retention.ms', '3000']]));
  assert.equal(config.getLong('log.retention.ms'), 3000n);
  config.setDynamicLayer('dynamic-broker', new Map());
  assert.equal(config.getLong('log.retention.ms'), 2000n);
  assert.throws(() => config.setDynamicLayer('dynamic-default', new Map([['log.retention.ms', 'x']])), ConfigError);
});

test('typed getters refuse a config of another type or an unknown name', () => {
  const config = BrokerConfig.fromMap({});
  assert.throws(() => config.getInt('log.retention.ms'), /not of type/);
  assert.throws(() => config.get('no.such.config'), /unknown broker config/);
  assert.throws(() => config.getLong('log.retention.ms'), /has no value/);
});
