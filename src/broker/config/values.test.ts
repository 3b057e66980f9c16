import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkValue } from './parse-map.js';
import { BROKER_DEFS, TOPIC_DEFS } from './registry.js';
import { editDistance, suggestBrokerConfig, suggestTopicConfig } from './suggest.js';
import { formatValue, javaDoubleToString, parseValue } from './values.js';

function value(type: Parameters<typeof parseValue>[0], raw: string): unknown {
  const parsed = parseValue(type, raw);
  return parsed.ok ? parsed.value : `ERR ${parsed.reason}`;
}

test('numbers parse like Java: trimmed, signed, range-checked, no decimals or hex', () => {
  assert.equal(value('int', ' 42 '), 42);
  assert.equal(value('int', '+7'), 7);
  assert.equal(value('int', '-2147483648'), -2147483648);
  assert.equal(value('int', '2147483648'), 'ERR Not a number of type INT');
  assert.equal(value('int', '1.5'), 'ERR Not a number of type INT');
  assert.equal(value('int', '0x10'), 'ERR Not a number of type INT');
  assert.equal(value('int', ''), 'ERR Not a number of type INT');
  assert.equal(value('short', '32768'), 'ERR Not a number of type SHORT');
  assert.equal(value('long', '9223372036854775807'), 9223372036854775807n);
  assert.equal(value('long', '9223372036854775808'), 'ERR Not a number of type LONG');
  assert.equal(value('long', '-1'), -1n);
  assert.equal(value('double', '0.25'), 0.25);
  assert.equal(value('double', '1e3'), 1000);
  assert.equal(value('double', '.5d'), 0.5);
  assert.equal(value('double', 'abc'), 'ERR Not a number of type DOUBLE');
});

test('booleans are true/false in any case and nothing else', () => {
  assert.equal(value('boolean', 'TRUE'), true);
  assert.equal(value('boolean', ' false '), false);
  assert.equal(value('boolean', 'yes'), 'ERR Expected value to be either true or false');
  assert.equal(value('boolean', '1'), 'ERR Expected value to be either true or false');
});

test('lists split on commas with surrounding whitespace; empty text is an empty list', () => {
  assert.deepEqual(value('list', ' compact , delete '), ['compact', 'delete']);
  assert.deepEqual(value('list', ''), []);
  assert.deepEqual(value('list', 'a,,b'), ['a', '', 'b']);
});

test('values format as Kafka prints them', () => {
  assert.equal(javaDoubleToString(0.5), '0.5');
  assert.equal(javaDoubleToString(1), '1.0');
  assert.equal(javaDoubleToString(Number.MAX_VALUE), '1.7976931348623157E308');
  assert.equal(javaDoubleToString(1e7), '1.0E7');
  assert.equal(javaDoubleToString(0.0001), '1.0E-4');
  assert.equal(formatValue(['compact', 'delete'], 'list'), 'compact,delete');
  assert.equal(formatValue(9223372036854775807n, 'long'), '9223372036854775807');
  assert.equal(formatValue(null, 'string'), null);
});

function check(name: string, raw: string, topic = false): string | null {
  const def = topic ? TOPIC_DEFS.get(name) : BROKER_DEFS.get(name);
  assert.ok(def, name);
  const checked = checkValue(name, def, raw);
  return checked.ok ? null : checked.message;
}

test('validators refuse with Kafka\'s ConfigException text', () => {
  assert.equal(check('num.partitions', '0'), 'Invalid value 0 for configuration num.partitions: Value must be at least 1');
  assert.equal(check('num.partitions', 'x'), 'Invalid value x for configuration num.partitions: Not a number of type INT');
  assert.equal(check('min.cleanable.dirty.ratio', '1.5', true), 'Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no more than 1');
  assert.equal(check('cleanup.policy', 'compact,remove', true), 'Invalid value remove for configuration cleanup.policy: String must be one of: compact, delete');
  assert.equal(check('compression.type', 'brotli', true),
    'Invalid value brotli for configuration compression.type: String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer');
  assert.equal(check('message.timestamp.type', 'createtime', true),
    'Invalid value createtime for configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime');
  assert.equal(check('retention.ms', '-2', true), 'Invalid value -2 for configuration retention.ms: Value must be at least -1');
  assert.equal(check('segment.bytes', '1048575', true), 'Invalid value 1048575 for configuration segment.bytes: Value must be at least 1048576');
});

test('the special validators: compression levels and throttled replicas', () => {
  assert.equal(check('compression.gzip.level', '-1', true), null);
  assert.equal(check('compression.gzip.level', '9', true), null);
  assert.equal(check('compression.gzip.level', '0', true),
    'Invalid value 0 for configuration compression.gzip.level: Value must be between 1 and 9 or equal to -1');
  assert.equal(check('compression.lz4.level', '18', true), 'Invalid value 18 for configuration compression.lz4.level: Value must be no more than 17');
  assert.equal(check('compression.zstd.level', '-131072', true), null);
  assert.equal(check('leader.replication.throttled.replicas', '*', true), null);
  assert.equal(check('leader.replication.throttled.replicas', '0:1, 1:2', true), null);
  assert.match(check('follower.replication.throttled.replicas', '0-1', true) ?? '', /must be the literal '\*' or a list of replicas/);
});

test('retention.ms = -1 means unlimited and is accepted; retention.bytes has no lower bound', () => {
  assert.equal(check('retention.ms', '-1', true), null);
  assert.equal(check('retention.bytes', '-5', true), null);
});

test('did you mean: typos, case and separators, and topic/broker name mix-ups', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(suggestBrokerConfig('log.retention.hour'), 'log.retention.hours');
  assert.equal(suggestBrokerConfig('LOG_RETENTION_HOURS'), 'log.retention.hours');
  assert.equal(suggestBrokerConfig('num.partition'), 'num.partitions');
  assert.equal(suggestBrokerConfig('retention.ms'), 'log.retention.ms');
  assert.equal(suggestBrokerConfig('max.message.bytes'), 'message.max.bytes');
  assert.equal(suggestTopicConfig('retention.msx'), 'retention.ms');
  assert.equal(suggestTopicConfig('log.retention.hours'), 'retention.ms');
  assert.equal(suggestTopicConfig('message.max.bytes'), 'max.message.bytes');
  assert.equal(suggestTopicConfig('completely.unrelated.name'), undefined);
});
