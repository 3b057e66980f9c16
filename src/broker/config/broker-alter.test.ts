import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../protocol/index.js';
import { alterBroker, incrementalAlterBroker } from './broker-alter.js';
import { BrokerConfig } from './broker-config.js';
import { applyBrokerOps } from './incremental.js';
import { AlterConfigOp } from './types.js';

const { SET, DELETE, APPEND, SUBTRACT } = AlterConfigOp;

function node(extra: Record<string, string> = {}): BrokerConfig {
  return BrokerConfig.fromMap({ 'node.id': '1', ...extra });
}

test('a per-broker SET changes the effective value and the source', () => {
  const config = node({ 'log.retention.ms': '1000' });
  const result = incrementalAlterBroker(config, '1', [{ name: 'log.retention.ms', op: SET, value: '5000' }]);
  assert.deepEqual(result, { errorCode: ErrorCode.NONE, errorMessage: null });
  assert.equal(config.getLong('log.retention.ms'), 5000n);
  assert.equal(config.sourceOf('log.retention.ms'), 'dynamic-broker');
  incrementalAlterBroker(config, '1', [{ name: 'log.retention.ms', op: DELETE, value: null }]);
  assert.equal(config.getLong('log.retention.ms'), 1000n);
});

test('the empty resource name sets the cluster-wide default', () => {
  const config = node();
  assert.equal(incrementalAlterBroker(config, '', [{ name: 'message.max.bytes', op: SET, value: '2000000' }]).errorCode, ErrorCode.NONE);
  assert.equal(config.layer('dynamic-default').get('message.max.bytes'), '2000000');
  assert.equal(config.getInt('message.max.bytes'), 2000000);
});

test('validateOnly checks without applying', () => {
  const config = node();
  assert.equal(incrementalAlterBroker(config, '1', [{ name: 'log.retention.ms', op: SET, value: '5' }], true).errorCode, ErrorCode.NONE);
  assert.equal(config.getOptionalLong('log.retention.ms'), null);
});

test('read-only configs are refused with INVALID_REQUEST and Kafka\'s message', () => {
  const config = node();
  assert.deepEqual(incrementalAlterBroker(config, '1', [
    { name: 'log.dirs', op: SET, value: '/x' },
    { name: 'log.retention.hours', op: SET, value: '1' },
  ]), { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Cannot update these configs dynamically: Set(log.dirs, log.retention.hours)' });
});

test('per-broker configs at the cluster level, bare security configs, bad values', () => {
  const config = node();
  assert.deepEqual(incrementalAlterBroker(config, '', [{ name: 'listeners', op: SET, value: 'PLAINTEXT://:9092' }]), {
    errorCode: ErrorCode.INVALID_REQUEST,
    errorMessage: 'Cannot update these configs at default cluster level, broker id must be specified: Set(listeners)',
  });
  assert.deepEqual(incrementalAlterBroker(config, '1', [{ name: 'ssl.keystore.location', op: SET, value: '/ks' }]), {
    errorCode: ErrorCode.INVALID_REQUEST,
    errorMessage: 'These security configs can be dynamically updated only per-listener using the listener prefix: Set(ssl.keystore.location)',
  });
  assert.equal(incrementalAlterBroker(config, '1', [{ name: 'listener.name.plaintext.ssl.keystore.location', op: SET, value: '/ks' }]).errorCode, ErrorCode.NONE);
  assert.deepEqual(incrementalAlterBroker(config, '1', [{ name: 'log.cleaner.min.cleanable.ratio', op: SET, value: '2' }]), {
    errorCode: ErrorCode.INVALID_REQUEST,
    errorMessage: 'Invalid value 2.0 for configuration log.cleaner.min.cleanable.ratio: Value must be no more than 1',
  });
});

test('cross-config rules of the resulting config apply to dynamic changes', () => {
  const config = node();
  assert.deepEqual(incrementalAlterBroker(config, '1', [{ name: 'log.retention.ms', op: SET, value: '0' }]), {
    errorCode: ErrorCode.INVALID_REQUEST,
    errorMessage: 'log.retention.ms must be unlimited (-1) or, greater than or equal to 1',
  });
  assert.match(incrementalAlterBroker(config, '1', [{ name: 'num.io.threads', op: SET, value: '100' }]).errorMessage ?? '',
    /Dynamic thread count update validation failed for num.io.threads=100, value should not be greater than double the current value 8/);
  assert.equal(incrementalAlterBroker(config, '1', [{ name: 'num.io.threads', op: SET, value: '16' }]).errorCode, ErrorCode.NONE);
});

test('unknown names are refused with a suggestion unless unknown configs are allowed', () => {
  assert.deepEqual(incrementalAlterBroker(node(), '1', [{ name: 'log.retention.msec', op: SET, value: '1' }]), {
    errorCode: ErrorCode.INVALID_CONFIG,
    errorMessage: 'Unknown broker config name: log.retention.msec (did you mean log.retention.ms?)',
  });
  const lenient = BrokerConfig.fromMap({ 'node.id': '1' }, { allowUnknown: true });
  assert.equal(incrementalAlterBroker(lenient, '1', [{ name: 'custom.thing', op: SET, value: '1' }]).errorCode, ErrorCode.NONE);
});

test('resource names: integers only, and only this node', () => {
  const config = node();
  assert.deepEqual(incrementalAlterBroker(config, 'abc', [{ name: 'log.retention.ms', op: SET, value: '1' }]), {
    errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Node id must be an integer, but it is: abc',
  });
  assert.deepEqual(incrementalAlterBroker(config, '2', [{ name: 'log.retention.ms', op: SET, value: '1' }]), {
    errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Unexpected broker id, expected 1, but received 2',
  });
});

test('APPEND and SUBTRACT on broker lists; refused on other types', () => {
  const appended = applyBrokerOps(new Map(), [{ name: 'log.cleanup.policy', op: APPEND, value: 'compact' }]);
  assert.ok(appended.ok);
  assert.equal(appended.configs.get('log.cleanup.policy'), 'delete,compact');
  const subtracted = applyBrokerOps(appended.configs, [{ name: 'log.cleanup.policy', op: SUBTRACT, value: 'compact' }]);
  assert.ok(subtracted.ok);
  assert.equal(subtracted.configs.get('log.cleanup.policy'), 'delete');
  const config = node();
  assert.deepEqual(incrementalAlterBroker(config, '', [{ name: 'log.retention.ms', op: APPEND, value: '1' }]), {
    errorCode: ErrorCode.INVALID_CONFIG, errorMessage: 'Config value append is not allowed for config key: log.retention.ms',
  });
  assert.equal(incrementalAlterBroker(config, '', [{ name: 'log.cleanup.policy', op: APPEND, value: 'compact' }]).errorCode, ErrorCode.NONE);
  assert.deepEqual(config.getList('log.cleanup.policy'), ['delete', 'compact']);
});

test('legacy AlterConfigs replaces the whole dynamic layer', () => {
  const config = node();
  incrementalAlterBroker(config, '1', [{ name: 'log.retention.ms', op: SET, value: '5' }]);
  assert.equal(alterBroker(config, '1', [{ name: 'log.segment.bytes', value: '2097152' }]).errorCode, ErrorCode.NONE);
  assert.deepEqual([...config.layer('dynamic-broker')], [['log.segment.bytes', '2097152']]);
  assert.equal(config.getOptionalLong('log.retention.ms'), null);
  assert.deepEqual(alterBroker(config, '1', [{ name: 'log.segment.bytes', value: null }]), {
    errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Null value not supported for : log.segment.bytes',
  });
});
