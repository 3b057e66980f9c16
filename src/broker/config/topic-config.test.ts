import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BrokerConfig } from './broker-config.js';
import { resolveTopicConfig, topicDefaultsFromBroker, topicLogConfig } from './topic-config.js';

const HOUR = 3_600_000n;

function topicValue(broker: Record<string, string>, name: string, overrides: Record<string, string> = {}): unknown {
  return resolveTopicConfig(BrokerConfig.fromMap(broker), overrides).values.get(name);
}

test('retention.ms comes from log.retention.ms, else .minutes, else .hours', () => {
  assert.equal(topicValue({}, 'retention.ms'), 168n * HOUR);
  assert.equal(topicValue({ 'log.retention.hours': '1' }, 'retention.ms'), HOUR);
  assert.equal(topicValue({ 'log.retention.hours': '1', 'log.retention.minutes': '5' }, 'retention.ms'), 5n * 60_000n);
  assert.equal(topicValue({ 'log.retention.hours': '1', 'log.retention.minutes': '5', 'log.retention.ms': '42' }, 'retention.ms'), 42n);
  assert.equal(topicValue({ 'log.retention.minutes': '-1' }, 'retention.ms'), -1n);
});

test('a topic override beats every broker synonym', () => {
  assert.equal(topicValue({ 'log.retention.ms': '42' }, 'retention.ms', { 'retention.ms': '7' }), 7n);
  assert.equal(topicValue({ 'log.retention.ms': '42' }, 'retention.ms', { 'retention.ms': '-1' }), -1n);
});

test('segment.ms from log.roll.ms or log.roll.hours; flush.ms from the flush interval or the scheduler interval', () => {
  assert.equal(topicValue({ 'log.roll.hours': '2' }, 'segment.ms'), 2n * HOUR);
  assert.equal(topicValue({ 'log.roll.hours': '2', 'log.roll.ms': '10' }, 'segment.ms'), 10n);
  assert.equal(topicValue({ 'log.roll.jitter.hours': '1' }, 'segment.jitter.ms'), HOUR);
  assert.equal(topicValue({ 'log.flush.scheduler.interval.ms': '500' }, 'flush.ms'), 500n);
  assert.equal(topicValue({ 'log.flush.scheduler.interval.ms': '500', 'log.flush.interval.ms': '50' }, 'flush.ms'), 50n);
});

test('renamed synonyms: max.message.bytes, cleanup.policy, file.delete.delay.ms, min.cleanable.dirty.ratio', () => {
  const broker = {
    'message.max.bytes': '2000000',
    'log.cleanup.policy': 'compact,delete',
    'log.segment.delete.delay.ms': '5',
    'log.cleaner.min.cleanable.ratio': '0.1',
  };
  const values = topicDefaultsFromBroker(BrokerConfig.fromMap(broker));
  assert.equal(values.get('max.message.bytes'), 2000000);
  assert.deepEqual(values.get('cleanup.policy'), ['compact', 'delete']);
  assert.equal(values.get('file.delete.delay.ms'), 5n);
  assert.equal(values.get('min.cleanable.dirty.ratio'), 0.1);
});

test('dynamic broker values flow into topic defaults', () => {
  const broker = BrokerConfig.fromMap({ 'log.retention.hours': '1' });
  broker.setDynamicLayer('dynamic-default', new Map([['log.retention.ms', '99']]));
  assert.equal(resolveTopicConfig(broker, {}).values.get('retention.ms'), 99n);
});

test('bad stored overrides are reported and fall back to the broker value', () => {
  const resolved = resolveTopicConfig(BrokerConfig.fromMap({}), { 'retention.ms': 'soon', 'retention.msx': '1' });
  assert.equal(resolved.values.get('retention.ms'), 168n * HOUR);
  assert.deepEqual(resolved.problems.map((p) => p.key), ['retention.ms', 'retention.msx']);
  assert.equal(resolved.problems[1]?.suggestion, 'retention.ms');
  assert.deepEqual([...resolved.overridden], []);
});

test('the typed topic view', () => {
  const resolved = resolveTopicConfig(BrokerConfig.fromMap({}), {
    'cleanup.policy': 'compact',
    'retention.ms': '-1',
    'local.retention.ms': '-2',
    'message.timestamp.type': 'LogAppendTime',
  });
  const view = topicLogConfig(resolved.values);
  assert.equal(view.compact, true);
  assert.equal(view.delete, false);
  assert.equal(view.retentionMs, -1);
  assert.equal(view.localRetentionMs, -1);
  assert.equal(view.segmentBytes, 1024 * 1024 * 1024);
  assert.equal(view.flushMessages, Number.MAX_SAFE_INTEGER);
  assert.equal(view.maxMessageBytes, 1048588);
  assert.equal(view.messageTimestampType, 'LogAppendTime');
  assert.equal(view.messageTimestampAfterMaxMs, 3_600_000);
  assert.equal(view.compressionType, 'producer');
});
