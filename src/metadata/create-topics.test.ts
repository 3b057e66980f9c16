import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, ZERO_UUID } from '../protocol/index.js';
import type { ConfigPolicy } from './controller-context.js';
import { ConfigResourceType } from './image.js';
import { applyRecords, createTopicsRequest, imageWithBrokers, newController, topic } from './testing/fixtures.js';

const threeBrokers = imageWithBrokers([1, 2, 3]);

function errorOf(result: { topics: { name: string; errorCode: number }[] }, name: string): number {
  return result.topics.find((t) => t.name === name)!.errorCode;
}

test('a topic becomes a TopicRecord, its ConfigRecords and one PartitionRecord per partition', () => {
  const controller = newController(7, { numPartitions: 3, defaultReplicationFactor: 2 });
  const { records, result } = controller.createTopics(threeBrokers, createTopicsRequest([topic('orders', { configs: [{ name: 'cleanup.policy', value: 'compact' }] })]));
  assert.deepEqual(records.map((r) => r.type), ['TopicRecord', 'ConfigRecord', 'PartitionRecord', 'PartitionRecord', 'PartitionRecord']);
  const created = result.topics[0]!;
  assert.equal(created.errorCode, ErrorCode.NONE);
  assert.equal(created.errorMessage, null);
  assert.equal(created.numPartitions, 3);
  assert.equal(created.replicationFactor, 2);
  assert.notEqual(created.topicId, ZERO_UUID);
  assert.deepEqual(created.configs, [{ name: 'cleanup.policy', value: 'compact', readOnly: false, configSource: 1, isSensitive: false }]);
  const image = applyRecords(threeBrokers, records);
  const orders = image.topicsByName.get('orders')!;
  assert.equal(image.topicsById.get(created.topicId), orders);
  assert.deepEqual(image.topicConfigs.get('orders'), new Map([['cleanup.policy', 'compact']]));
  assert.equal(orders.partitions.size, 3);
  const leaders = new Set<number>();
  for (const p of orders.partitions.values()) {
    assert.equal(p.replicas.length, 2);
    assert.deepEqual(p.isr, p.replicas);
    assert.equal(p.leader, p.replicas[0]);
    assert.equal(p.leaderEpoch, 0);
    assert.equal(p.partitionEpoch, 0);
    leaders.add(p.leader);
  }
  assert.equal(leaders.size, 3, 'leaders spread over the brokers');
});

test('the same seed gives the same records; another seed other topic ids', () => {
  const request = createTopicsRequest([topic('a', { numPartitions: 6, replicationFactor: 2 }), topic('b')]);
  const first = newController(1).createTopics(threeBrokers, request);
  const again = newController(1).createTopics(threeBrokers, request);
  const other = newController(2).createTopics(threeBrokers, request);
  assert.deepEqual(again, first);
  assert.notEqual(other.result.topics[0]!.topicId, first.result.topics[0]!.topicId);
});

test('illegal names are INVALID_TOPIC_EXCEPTION', () => {
  const names = ['', '.', '..', 'x'.repeat(250), 'with space', 'sl/ash', 'ümlaut', 'star*'];
  const { records, result } = newController().createTopics(threeBrokers, createTopicsRequest(names.map((n) => topic(n))));
  assert.deepEqual(records, []);
  for (const name of names) assert.equal(errorOf(result, name), ErrorCode.INVALID_TOPIC_EXCEPTION, JSON.stringify(name));
  const legal = newController().createTopics(threeBrokers, createTopicsRequest([topic('x'.repeat(249)), topic('A-z_0.9')]));
  assert.deepEqual(legal.result.topics.map((t) => t.errorCode), [0, 0]);
});

test("names that differ only in '.' and '_' collide", () => {
  const controller = newController();
  const image = applyRecords(threeBrokers, controller.createTopics(threeBrokers, createTopicsRequest([topic('metrics.cpu')])).records);
  const { result } = controller.createTopics(image, createTopicsRequest([topic('metrics_cpu')]));
  assert.equal(result.topics[0]!.errorCode, ErrorCode.INVALID_TOPIC_EXCEPTION);
  assert.equal(result.topics[0]!.errorMessage, "Topic 'metrics_cpu' collides with existing topic: metrics.cpu");
  const sameRequest = controller.createTopics(threeBrokers, createTopicsRequest([topic('a.b'), topic('a_b')]));
  assert.deepEqual(sameRequest.result.topics.map((t) => t.errorCode), [ErrorCode.NONE, ErrorCode.INVALID_TOPIC_EXCEPTION]);
});

test('an existing topic is TOPIC_ALREADY_EXISTS, a repeated one INVALID_REQUEST', () => {
  const controller = newController();
  const image = applyRecords(threeBrokers, controller.createTopics(threeBrokers, createTopicsRequest([topic('t.1')])).records);
  const { records, result } = controller.createTopics(image, createTopicsRequest([topic('t.1'), topic('dup'), topic('dup'), topic('fresh')]));
  assert.deepEqual(result.topics.map((t) => [t.name, t.errorCode]), [
    ['t.1', ErrorCode.TOPIC_ALREADY_EXISTS],
    ['dup', ErrorCode.INVALID_REQUEST],
    ['fresh', ErrorCode.NONE],
  ]);
  assert.equal(result.topics[0]!.errorMessage, "Topic 't.1' already exists.");
  assert.equal(records.filter((r) => r.type === 'TopicRecord').length, 1);
});

test('partition counts and replication factors', () => {
  const controller = newController(1, { numPartitions: 4, defaultReplicationFactor: 3 });
  const { result } = controller.createTopics(
    threeBrokers,
    createTopicsRequest([
      topic('zero-partitions', { numPartitions: 0 }),
      topic('negative-partitions', { numPartitions: -2 }),
      topic('zero-rf', { replicationFactor: 0 }),
      topic('negative-rf', { replicationFactor: -3 }),
      topic('rf-too-large', { replicationFactor: 4 }),
      topic('defaults'),
    ]),
  );
  assert.deepEqual(result.topics.map((t) => t.errorCode), [37, 37, 38, 38, 38, 0]);
  assert.match(result.topics[4]!.errorMessage!, /Unable to replicate the partition 4 time\(s\): .* only 3 broker\(s\) are registered/);
  assert.deepEqual([result.topics[5]!.numPartitions, result.topics[5]!.replicationFactor], [4, 3]);
  const defaultTooLarge = newController(1, { defaultReplicationFactor: 2 }).createTopics(imageWithBrokers([1]), createTopicsRequest([topic('t')]));
  assert.equal(defaultTooLarge.result.topics[0]!.errorCode, ErrorCode.INVALID_REPLICATION_FACTOR);
  const fenced = newController().createTopics(imageWithBrokers([1, 2], [1, 2]), createTopicsRequest([topic('t')]));
  assert.equal(fenced.result.topics[0]!.errorCode, ErrorCode.INVALID_REPLICATION_FACTOR);
});

test('manual assignments are checked', () => {
  const image = imageWithBrokers([1, 2, 3], [3]);
  const assign = (name: string, lists: number[][], fields = {}) =>
    topic(name, { assignments: lists.map((brokerIds, partitionIndex) => ({ partitionIndex, brokerIds })), ...fields });
  const { records, result } = newController().createTopics(
    image,
    createTopicsRequest([
      assign('with-count', [[1]], { numPartitions: 1 }),
      assign('with-rf', [[1]], { replicationFactor: 1 }),
      assign('empty', [[]]),
      assign('twice', [[1, 1]]),
      assign('unregistered', [[1, 9]]),
      assign('uneven', [[1, 2], [2]]),
      assign('all-fenced', [[3]]),
      topic('gap', { assignments: [{ partitionIndex: 0, brokerIds: [1] }, { partitionIndex: 2, brokerIds: [2] }] }),
      topic('repeat', { assignments: [{ partitionIndex: 0, brokerIds: [1] }, { partitionIndex: 0, brokerIds: [2] }] }),
      assign('good', [[2, 3], [1, 2]]),
    ]),
  );
  assert.deepEqual(result.topics.map((t) => [t.name, t.errorCode]), [
    ['with-count', 42],
    ['with-rf', 42],
    ['empty', 39],
    ['twice', 39],
    ['unregistered', 39],
    ['uneven', 39],
    ['all-fenced', 39],
    ['gap', 39],
    ['repeat', 39],
    ['good', 0],
  ]);
  const partitions = records.filter((r) => r.type === 'PartitionRecord').map((r) => r.data);
  assert.deepEqual(partitions.map((p) => [p.replicas, p.isr, p.leader]), [
    [[2, 3], [2], 2],
    [[1, 2], [1, 2], 1],
  ]);
});

test('configs are checked by the injected policy: INVALID_CONFIG', () => {
  const seen: [number, string, Map<string, string>][] = [];
  const policy: ConfigPolicy = {
    validate: (type, name, configs) => {
      seen.push([type, name, new Map(configs)]);
      return configs.has('bogus') ? 'Unknown topic config name: bogus' : null;
    },
    isList: () => false,
  };
  const { result } = newController(1, { configPolicy: policy }).createTopics(
    threeBrokers,
    createTopicsRequest([
      topic('bad', { configs: [{ name: 'bogus', value: '1' }] }),
      topic('null', { configs: [{ name: 'retention.ms', value: null }] }),
      topic('good', { configs: [{ name: 'retention.ms', value: '1000' }] }),
    ]),
  );
  assert.deepEqual(result.topics.map((t) => t.errorCode), [40, 40, 0]);
  assert.equal(result.topics[0]!.errorMessage, 'Unknown topic config name: bogus');
  assert.deepEqual(seen.map(([type, name]) => [type, name]), [
    [ConfigResourceType.TOPIC, 'bad'],
    [ConfigResourceType.TOPIC, 'good'],
  ]);
});

test('validateOnly answers as a real request would and writes nothing', () => {
  const request = createTopicsRequest([topic('ok', { numPartitions: 2 }), topic('bad', { numPartitions: 0 })], true);
  const { records, result } = newController().createTopics(threeBrokers, request);
  assert.deepEqual(records, []);
  assert.deepEqual(result.topics.map((t) => [t.errorCode, t.numPartitions, t.topicId]), [
    [0, 2, ZERO_UUID],
    [37, -1, ZERO_UUID],
  ]);
});
