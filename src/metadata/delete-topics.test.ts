import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, ZERO_UUID } from '../protocol/index.js';
import { applyRecords, createTopicsRequest, imageWithBrokers, newController, topic } from './testing/fixtures.js';

const controller = newController();
const base = imageWithBrokers([1]);
const image = applyRecords(
  base,
  controller.createTopics(base, createTopicsRequest([topic('a', { configs: [{ name: 'retention.ms', value: '1' }] }), topic('b'), topic('c')])).records,
);
const idOf = (name: string) => image.topicsByName.get(name)!.topicId;

test('topics are deleted by name (v0-5 and v6+) and by id, one RemoveTopicRecord each', () => {
  const { records, result } = controller.deleteTopics(image, {
    topicNames: ['a'],
    topics: [{ name: null, topicId: idOf('b') }],
    timeoutMs: 1000,
  });
  assert.deepEqual(records, [
    { type: 'RemoveTopicRecord', version: 0, data: { topicId: idOf('a') } },
    { type: 'RemoveTopicRecord', version: 0, data: { topicId: idOf('b') } },
  ]);
  assert.deepEqual(result.responses, [
    { name: 'a', topicId: idOf('a'), errorCode: 0, errorMessage: null },
    { name: 'b', topicId: idOf('b'), errorCode: 0, errorMessage: null },
  ]);
  const after = applyRecords(image, records);
  assert.deepEqual([...after.topicsByName.keys()], ['c']);
  assert.equal(after.topicConfigs.has('a'), false, 'configs go with the topic');
});

test('unknown names are UNKNOWN_TOPIC_OR_PARTITION, unknown ids UNKNOWN_TOPIC_ID', () => {
  const { records, result } = controller.deleteTopics(image, {
    topicNames: [],
    topics: [
      { name: 'nope', topicId: ZERO_UUID },
      { name: null, topicId: 'AAAAAAAAAAAAAAAAAAAAAw' },
    ],
    timeoutMs: 1000,
  });
  assert.deepEqual(records, []);
  assert.deepEqual(result.responses.map((r) => r.errorCode), [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.UNKNOWN_TOPIC_ID]);
  assert.equal(result.responses[1]!.name, null);
});

test('both or neither of name and id, or a repeat, is INVALID_REQUEST', () => {
  const { records, result } = controller.deleteTopics(image, {
    topicNames: [],
    topics: [
      { name: 'a', topicId: idOf('a') },
      { name: null, topicId: ZERO_UUID },
      { name: 'b', topicId: ZERO_UUID },
      { name: 'b', topicId: ZERO_UUID },
      { name: null, topicId: idOf('c') },
      { name: null, topicId: idOf('c') },
    ],
    timeoutMs: 1000,
  });
  assert.deepEqual(records, []);
  assert.deepEqual(result.responses.map((r) => [r.name, r.errorCode, r.errorMessage]), [
    ['a', 42, 'You may not specify both topic name and topic id.'],
    [null, 42, 'Neither topic name nor id were specified.'],
    ['b', 42, 'Duplicate topic name.'],
    [null, 42, 'Duplicate topic id.'],
  ]);
});

test('a topic named by name and by id is removed once', () => {
  const { records } = controller.deleteTopics(image, { topicNames: [], topics: [{ name: 'a', topicId: ZERO_UUID }, { name: null, topicId: idOf('a') }], timeoutMs: 1 });
  assert.equal(records.length, 1);
  assert.deepEqual(records, [{ type: 'RemoveTopicRecord', version: 0, data: { topicId: idOf('a') } }]);
});
