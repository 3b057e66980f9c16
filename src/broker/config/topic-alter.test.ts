import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../protocol/index.js';
import { BrokerConfig } from './broker-config.js';
import { applyTopicOps } from './incremental.js';
import { alterTopic, incrementalAlterTopic, validateNewTopicConfigs } from './topic-alter.js';
import { AlterConfigOp } from './types.js';

const broker = BrokerConfig.fromMap({});
const { SET, DELETE, APPEND, SUBTRACT } = AlterConfigOp;

function configs(entries: Record<string, string | null>): { name: string; value: string | null }[] {
  return Object.entries(entries).map(([name, value]) => ({ name, value }));
}

test('CreateTopics configs: valid ones pass through', () => {
  const result = validateNewTopicConfigs(broker, configs({ 'retention.ms': '-1', 'cleanup.policy': 'compact' }));
  assert.equal(result.error, null);
  assert.deepEqual(Object.fromEntries(result.configs ?? []), { 'retention.ms': '-1', 'cleanup.policy': 'compact' });
});

test('CreateTopics configs: unknown names, bad values, nulls all answer INVALID_CONFIG', () => {
  assert.deepEqual(validateNewTopicConfigs(broker, configs({ 'retention.msx': '1' })).error, {
    errorCode: ErrorCode.INVALID_CONFIG,
    errorMessage: 'Unknown topic config name: retention.msx (did you mean retention.ms?)',
  });
  assert.deepEqual(validateNewTopicConfigs(broker, configs({ 'segment.bytes': '100' })).error, {
    errorCode: ErrorCode.INVALID_CONFIG,
    errorMessage: 'Invalid value 100 for configuration segment.bytes: Value must be at least 1048576',
  });
  assert.deepEqual(validateNewTopicConfigs(broker, configs({ 'retention.ms': null })).error, {
    errorCode: ErrorCode.INVALID_CONFIG,
    errorMessage: 'Null value not supported for topic configs: retention.ms',
  });
  assert.equal(validateNewTopicConfigs(broker, configs({ 'message.format.version': '3.0' })).error?.errorCode, ErrorCode.INVALID_CONFIG);
});

test('the first invalid value in Kafka\'s definition order is the one reported', () => {
  const error = validateNewTopicConfigs(broker, configs({ 'retention.ms': 'x', 'segment.bytes': '1' })).error;
  assert.match(error?.errorMessage ?? '', /segment\.bytes/);
});

test('cross-config rules: compaction lags and tiered storage', () => {
  assert.deepEqual(validateNewTopicConfigs(broker, configs({ 'min.compaction.lag.ms': '10', 'max.compaction.lag.ms': '5' })).error, {
    errorCode: ErrorCode.INVALID_CONFIG,
    errorMessage: 'conflict topic config setting min.compaction.lag.ms (10) > max.compaction.lag.ms (5)',
  });
  const lagBroker = BrokerConfig.fromMap({ 'log.cleaner.max.compaction.lag.ms': '5', 'log.cleaner.min.compaction.lag.ms': '1' });
  assert.match(validateNewTopicConfigs(lagBroker, configs({ 'min.compaction.lag.ms': '6' })).error?.errorMessage ?? '', /conflict/);
  assert.match(validateNewTopicConfigs(broker, configs({ 'remote.storage.enable': 'true' })).error?.errorMessage ?? '',
    /Tiered Storage functionality is disabled/);
});

test('incremental SET and DELETE', () => {
  const existing = new Map([['retention.ms', '1000'], ['segment.ms', '5000']]);
  const result = incrementalAlterTopic(broker, 't', existing, [
    { name: 'retention.ms', op: SET, value: '2000' },
    { name: 'segment.ms', op: DELETE, value: null },
    { name: 'no.such.config', op: DELETE, value: null },
  ]);
  assert.equal(result.error, null);
  assert.deepEqual(Object.fromEntries(result.configs ?? []), { 'retention.ms': '2000' });
  assert.deepEqual([...existing.keys()], ['retention.ms', 'segment.ms'], 'the input is not modified');
});

test('APPEND and SUBTRACT work on lists, starting from the default when unset', () => {
  const appended = applyTopicOps(new Map(), [{ name: 'cleanup.policy', op: APPEND, value: 'compact' }]);
  assert.ok(appended.ok);
  assert.equal(appended.configs.get('cleanup.policy'), 'delete,compact');
  const again = applyTopicOps(appended.configs, [{ name: 'cleanup.policy', op: APPEND, value: 'delete,compact' }]);
  assert.ok(again.ok);
  assert.equal(again.configs.get('cleanup.policy'), 'delete,compact');
  const subtracted = applyTopicOps(again.configs, [{ name: 'cleanup.policy', op: SUBTRACT, value: 'delete' }]);
  assert.ok(subtracted.ok);
  assert.equal(subtracted.configs.get('cleanup.policy'), 'compact');
  const replicas = applyTopicOps(new Map(), [{ name: 'leader.replication.throttled.replicas', op: APPEND, value: '0:1,1:1' }]);
  assert.ok(replicas.ok);
  assert.equal(replicas.configs.get('leader.replication.throttled.replicas'), '0:1,1:1');
});

test('APPEND or SUBTRACT on a non-list config is INVALID_CONFIG', () => {
  const result = incrementalAlterTopic(broker, 't', new Map(), [{ name: 'retention.ms', op: APPEND, value: '1' }]);
  assert.deepEqual(result.error, { errorCode: ErrorCode.INVALID_CONFIG, errorMessage: "Can't APPEND to key retention.ms because its type is not LIST." });
  const unknown = incrementalAlterTopic(broker, 't', new Map(), [{ name: 'nope', op: SUBTRACT, value: '1' }]);
  assert.equal(unknown.error?.errorMessage, "Can't SUBTRACT to key nope because its type is not LIST.");
});

test('an incremental result that breaks a rule is refused as a whole', () => {
  const result = incrementalAlterTopic(broker, 't', new Map([['cleanup.policy', 'delete']]), [
    { name: 'cleanup.policy', op: APPEND, value: 'shred' },
  ]);
  assert.equal(result.error?.errorCode, ErrorCode.INVALID_CONFIG);
  assert.equal(result.error?.errorMessage, 'Invalid value shred for configuration cleanup.policy: String must be one of: compact, delete');
});

test('request shape: duplicate names, null values, unknown operations, the empty topic name', () => {
  const dup = incrementalAlterTopic(broker, 't', new Map(), [
    { name: 'retention.ms', op: SET, value: '1' },
    { name: 'retention.ms', op: DELETE, value: null },
  ]);
  assert.deepEqual(dup.error, { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Error due to duplicate config keys' });
  const nulls = incrementalAlterTopic(broker, 't', new Map(), [{ name: 'retention.ms', op: SET, value: null }]);
  assert.deepEqual(nulls.error, { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Null value not supported for : retention.ms' });
  const badOp = incrementalAlterTopic(broker, 't', new Map(), [{ name: 'retention.ms', op: 9, value: '1' }]);
  assert.deepEqual(badOp.error, { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Unknown operations type 9' });
  const noName = incrementalAlterTopic(broker, '', new Map(), [{ name: 'retention.ms', op: SET, value: '1' }]);
  assert.deepEqual(noName.error, { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Default topic resources are not allowed.' });
});

test('legacy AlterConfigs replaces every override', () => {
  const result = alterTopic(broker, 't', configs({ 'segment.ms': '60000' }));
  assert.equal(result.error, null);
  assert.deepEqual(Object.fromEntries(result.configs ?? []), { 'segment.ms': '60000' });
  assert.equal(alterTopic(broker, 't', configs({ 'segment.ms': null })).error?.errorCode, ErrorCode.INVALID_REQUEST);
});
