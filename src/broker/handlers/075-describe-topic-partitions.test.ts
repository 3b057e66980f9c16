import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrokerRegistration, MetadataImage, PartitionRegistration, TopicImage } from '../../metadata/index.js';
import type { DescribeTopicPartitionsRequest, DescribeTopicPartitionsResponse } from '../../protocol/index.js';
import { describeTopicPartitions, MAX_REQUEST_PARTITION_SIZE_LIMIT } from './075-describe-topic-partitions.js';

const LISTENER = 'PLAINTEXT';

function broker(brokerId: number, fenced: boolean, listeners: string[]): BrokerRegistration {
  return {
    brokerId, incarnationId: 'AAAAAAAAAAAAAAAAAAAAAA', brokerEpoch: 10n, rack: null, fenced, inControlledShutdown: false, supportedFeatures: new Map(),
    endpoints: listeners.map((name, i) => ({ name, host: 'localhost', port: 9092 + i, securityProtocol: 0 })),
  };
}

function partition(partitionId: number, leader: number, replicas: number[], isr = replicas): PartitionRegistration {
  return { partitionId, leader, replicas, isr, removingReplicas: [], addingReplicas: [], leaderRecoveryState: 0, leaderEpoch: 3, partitionEpoch: 5 };
}

function topic(name: string, partitions: PartitionRegistration[]): TopicImage {
  return { name, topicId: `${name.padEnd(21, 'x').slice(0, 21)}A`, partitions: new Map(partitions.map((p) => [p.partitionId, p])) };
}

function image(topics: TopicImage[]): MetadataImage {
  return {
    clusterId: 'c', offset: 1n, features: new Map(), topicConfigs: new Map(), brokerConfigs: new Map(), nextProducerId: 0n,
    // 1 is up; 2 is fenced; 3 has no PLAINTEXT listener; 4 is not registered.
    brokers: new Map([broker(1, false, [LISTENER]), broker(2, true, [LISTENER]), broker(3, false, ['INTERNAL'])].map((b) => [b.brokerId, b])),
    topicsByName: new Map(topics.map((t) => [t.name, t])),
    topicsById: new Map(topics.map((t) => [t.topicId, t])),
  };
}

const request = (names: string[], responsePartitionLimit = 2000, cursor: [string, number] | null = null): DescribeTopicPartitionsRequest => ({
  topics: names.map((name) => ({ name })), responsePartitionLimit, cursor: cursor && { topicName: cursor[0], partitionIndex: cursor[1] },
});

const summary = (r: DescribeTopicPartitionsResponse): unknown => [
  r.topics.map((t) => `${t.name}:${t.errorCode}:${t.partitions.map((p) => p.partitionIndex).join(',')}`),
  r.nextCursor && `${r.nextCursor.topicName}/${r.nextCursor.partitionIndex}`,
];

test('leaders and offline replicas follow the registrations, on the listener of the request', () => {
  const img = image([topic('t', [partition(0, 1, [1, 2, 3, 4]), partition(1, 2, [2, 1]), partition(2, 3, [3, 1]), partition(3, -1, [4])])]);
  const [t] = describeTopicPartitions(img, request(['t']), LISTENER).topics;
  assert.deepEqual(t!.partitions.map((p) => [p.leaderId, p.offlineReplicas]), [
    [1, [2, 3, 4]],
    [2, [2]], // a fenced leader is still registered with the listener: Kafka reports it
    [-1, [3]],
    [-1, [4]],
  ]);
  assert.deepEqual(t!.partitions[0], {
    errorCode: 0, partitionIndex: 0, leaderId: 1, leaderEpoch: 3, replicaNodes: [1, 2, 3, 4], isrNodes: [1, 2, 3, 4],
    eligibleLeaderReplicas: [], lastKnownElr: [], offlineReplicas: [2, 3, 4], _unknownTaggedFields: undefined,
  });
  const internal = describeTopicPartitions(image([topic('__consumer_offsets', [partition(0, 1, [1])])]), request([]), 'INTERNAL').topics[0]!;
  assert.deepEqual([internal.isInternal, internal.partitions[0]!.leaderId, internal.partitions[0]!.offlineReplicas], [true, -1, [1]]);
});

test('paging over many topics visits every partition once, whatever the limit', () => {
  const topics = Array.from({ length: 7 }, (_, i) => topic(`topic-${i}`, Array.from({ length: (i * 3) % 5 + 1 }, (_, p) => partition(p, 1, [1]))));
  const img = image(topics);
  const all = topics.flatMap((t) => [...t.partitions.keys()].map((p) => `${t.name}/${p}`));
  for (const named of [[], topics.map((t) => t.name).reverse()]) {
    for (let limit = 1; limit <= 12; limit++) {
      const seen: string[] = [];
      let cursor: [string, number] | null = null;
      for (let pages = 0; pages < 100; pages++) {
        const r = describeTopicPartitions(img, request(named, limit, cursor), LISTENER);
        assert.ok(r.topics.reduce((n, t) => n + t.partitions.length, 0) <= limit);
        for (const t of r.topics) for (const p of t.partitions) seen.push(`${t.name}/${p.partitionIndex}`);
        if (!r.nextCursor) break;
        cursor = [r.nextCursor.topicName, r.nextCursor.partitionIndex];
      }
      assert.deepEqual(seen, all, `limit ${limit}, ${named.length === 0 ? 'every topic' : 'named'}`);
    }
  }
});

test('the limit is clamped to max.request.partition.size.limit', () => {
  const big = topic('big', Array.from({ length: MAX_REQUEST_PARTITION_SIZE_LIMIT + 5 }, (_, p) => partition(p, 1, [1])));
  const r = describeTopicPartitions(image([big]), request(['big'], 1 << 30), LISTENER);
  assert.equal(r.topics[0]!.partitions.length, MAX_REQUEST_PARTITION_SIZE_LIMIT);
  assert.deepEqual(r.nextCursor, { topicName: 'big', partitionIndex: MAX_REQUEST_PARTITION_SIZE_LIMIT, _unknownTaggedFields: undefined });
});

test('names: unknown ones take no room; duplicates are answered once; below the cursor they are skipped', () => {
  const img = image([topic('a', [partition(0, 1, [1]), partition(1, 1, [1])]), topic('c', [partition(0, 1, [1])])]);
  assert.deepEqual(summary(describeTopicPartitions(img, request(['c', 'b', 'a', 'c', '..'], 3), LISTENER)), [['..:17:', 'a:0:0,1', 'b:3:', 'c:0:0'], null]);
  assert.deepEqual(summary(describeTopicPartitions(img, request(['c', 'b', 'a'], 2), LISTENER)), [['a:0:0,1'], 'b/0']);
  assert.deepEqual(summary(describeTopicPartitions(img, request(['c', 'b', 'a'], 2, ['b', 0]), LISTENER)), [['b:3:', 'c:0:0'], null]);
  assert.deepEqual(summary(describeTopicPartitions(img, request([], 2, ['b', 0]), LISTENER)), [['c:0:0'], null]);
});
