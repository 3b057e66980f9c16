import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type CreatePartitionsRequestCreatePartitionsTopic, ErrorCode } from '../protocol/index.js';
import { applyRecords, createTopicsRequest, imageWithBrokers, newController, topic } from './testing/fixtures.js';

const controller = newController(3);
const brokers = imageWithBrokers([1, 2, 3]);
const image = applyRecords(brokers, controller.createTopics(brokers, createTopicsRequest([topic('t', { numPartitions: 2, replicationFactor: 2 })])).records);

function request(topics: CreatePartitionsRequestCreatePartitionsTopic[], validateOnly = false) {
  return { topics, timeoutMs: 1000, validateOnly };
}

test('partitions are added with the replication factor of the existing ones', () => {
  const { records, result } = controller.createPartitions(image, request([{ name: 't', count: 5, assignments: null }]));
  assert.deepEqual(result.results, [{ name: 't', errorCode: 0, errorMessage: null }]);
  assert.deepEqual(records.map((r) => (r.type === 'PartitionRecord' ? [r.data.partitionId, r.data.replicas.length] : r.type)), [
    [2, 2],
    [3, 2],
    [4, 2],
  ]);
  const after = applyRecords(image, records).topicsByName.get('t')!;
  assert.deepEqual([...after.partitions.keys()], [0, 1, 2, 3, 4]);
  assert.equal(after.partitions.get(0), image.topicsByName.get('t')!.partitions.get(0), 'existing partitions are shared');
});

test('the count must grow: INVALID_PARTITIONS', () => {
  const { records, result } = controller.createPartitions(image, request([{ name: 't', count: 2, assignments: null }]));
  assert.deepEqual(records, []);
  assert.deepEqual(result.results, [{ name: 't', errorCode: ErrorCode.INVALID_PARTITIONS, errorMessage: 'Topic already has 2 partition(s).' }]);
  const shrink = controller.createPartitions(image, request([{ name: 't', count: 1, assignments: null }]));
  assert.deepEqual(shrink.result.results, [
    { name: 't', errorCode: ErrorCode.INVALID_PARTITIONS, errorMessage: 'The topic t currently has 2 partition(s); 1 would not be an increase.' },
  ]);
});

test('unknown topics, repeats and bad assignments', () => {
  const { records, result } = controller.createPartitions(
    image,
    request([
      { name: 'nope', count: 3, assignments: null },
      { name: 't', count: 4, assignments: [{ brokerIds: [1, 2] }] },
      { name: 't', count: 4, assignments: null },
    ]),
  );
  assert.deepEqual(records, []);
  assert.deepEqual(result.results.map((r) => r.errorCode), [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.INVALID_REQUEST]);
  const cases: [number[][], number][] = [
    [[[1, 2]], ErrorCode.INVALID_REPLICA_ASSIGNMENT], // one assignment for two new partitions
    [[[1, 2], [3]], ErrorCode.INVALID_REPLICA_ASSIGNMENT], // replication factor 1, not 2
    [[[1, 2], [3, 3]], ErrorCode.INVALID_REPLICA_ASSIGNMENT],
    [[[1, 2], [3, 9]], ErrorCode.INVALID_REPLICA_ASSIGNMENT],
    [[[1, 2], [3, 1]], ErrorCode.NONE],
  ];
  for (const [lists, code] of cases) {
    const outcome = controller.createPartitions(image, request([{ name: 't', count: 4, assignments: lists.map((brokerIds) => ({ brokerIds })) }]));
    assert.equal(outcome.result.results[0]!.errorCode, code, JSON.stringify(lists));
    assert.equal(outcome.records.length, code === ErrorCode.NONE ? 2 : 0);
    // The new partitions get the requested replicas, in order.
    assert.deepEqual(outcome.records.map((r) => (r.type === 'PartitionRecord' ? [r.data.partitionId, r.data.replicas] : r.type)), code === ErrorCode.NONE ? [[2, [1, 2]], [3, [3, 1]]] : []);
  }
});

test('more replicas than usable brokers is INVALID_REPLICATION_FACTOR; validateOnly writes nothing', () => {
  const fenced = applyRecords(image, [{ type: 'FenceBrokerRecord', version: 0, data: { id: 3, epoch: 3n } }, { type: 'FenceBrokerRecord', version: 0, data: { id: 2, epoch: 2n } }]);
  const { result } = controller.createPartitions(fenced, request([{ name: 't', count: 3, assignments: null }]));
  assert.equal(result.results[0]!.errorCode, ErrorCode.INVALID_REPLICATION_FACTOR);
  const dryRun = controller.createPartitions(image, request([{ name: 't', count: 3, assignments: null }], true));
  assert.deepEqual(dryRun.records, []);
  assert.equal(dryRun.result.results[0]!.errorCode, ErrorCode.NONE);
});
