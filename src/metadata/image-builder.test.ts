import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AssertionError } from '../common/errors.js';
import { MetadataImageBuilder } from './image-builder.js';
import { metadataRecord } from './records.js';
import { applyRecords, imageWithBrokers, registerBrokerRecord } from './testing/fixtures.js';

const A = 'AAAAAAAAAAAAAAAAAAAAAQ';
const B = 'AAAAAAAAAAAAAAAAAAAAAg';
const C = 'AAAAAAAAAAAAAAAAAAAAAw';
const D = 'AAAAAAAAAAAAAAAAAAAABA';

function partition(topicId: string, partitionId: number, replicas: number[]) {
  return metadataRecord('PartitionRecord', {
    partitionId,
    topicId,
    replicas,
    isr: replicas,
    removingReplicas: [],
    addingReplicas: [],
    leader: replicas[0]!,
    leaderRecoveryState: 0,
    leaderEpoch: 0,
    partitionEpoch: 0,
    directories: [],
    eligibleLeaderReplicas: null,
    lastKnownElr: null,
  });
}

const base = applyRecords(imageWithBrokers([1, 2]), [
  metadataRecord('TopicRecord', { name: 'a', topicId: A }),
  partition(A, 0, [1, 2]),
  metadataRecord('TopicRecord', { name: 'b', topicId: B }),
  partition(B, 0, [2, 1]),
]);

test('PartitionChangeRecord: a set leader bumps leaderEpoch, every change bumps partitionEpoch', () => {
  const change = (fields: { isr?: number[] | null; leader?: number }) =>
    metadataRecord('PartitionChangeRecord', {
      partitionId: 0,
      topicId: A,
      isr: fields.isr ?? null,
      leader: fields.leader ?? -2,
      replicas: null,
      removingReplicas: null,
      addingReplicas: null,
      leaderRecoveryState: -1,
      directories: null,
      eligibleLeaderReplicas: null,
      lastKnownElr: null,
    });
  const shrunk = applyRecords(base, [change({ isr: [1] })]).topicsByName.get('a')!.partitions.get(0)!;
  assert.deepEqual([shrunk.isr, shrunk.leader, shrunk.leaderEpoch, shrunk.partitionEpoch], [[1], 1, 0, 1]);
  const moved = applyRecords(base, [change({ leader: 2 }), change({ isr: [2] })]).topicsByName.get('a')!.partitions.get(0)!;
  assert.deepEqual([moved.isr, moved.leader, moved.leaderEpoch, moved.partitionEpoch], [[2], 2, 1, 2]);
});

test('untouched topics and maps are shared with the previous image', () => {
  const { image, changes } = (() => {
    const builder = new MetadataImageBuilder(base);
    builder.apply(partition(A, 1, [2, 1]));
    return builder.build(base.offset + 1n);
  })();
  assert.equal(image.topicsByName.get('b'), base.topicsByName.get('b'));
  assert.equal(image.brokers, base.brokers);
  assert.equal(image.features, base.features);
  assert.notEqual(image.topicsByName.get('a'), base.topicsByName.get('a'));
  assert.equal(image.topicsById.get(A), image.topicsByName.get('a'));
  assert.deepEqual(changes.changedPartitions, new Map([[A, new Set([1])]]));
  assert.equal(base.topicsByName.get('a')!.partitions.size, 1, 'the previous image did not change');
});

test('changes name created and deleted topics; create-then-delete in one batch is neither', () => {
  const builder = new MetadataImageBuilder(base);
  builder.apply(metadataRecord('RemoveTopicRecord', { topicId: B }));
  builder.apply(metadataRecord('TopicRecord', { name: 'c', topicId: C }));
  builder.apply(metadataRecord('TopicRecord', { name: 'd', topicId: D }));
  builder.apply(metadataRecord('RemoveTopicRecord', { topicId: D }));
  const { image, changes } = builder.build(base.offset + 4n);
  assert.deepEqual([...image.topicsByName.keys()].sort(), ['a', 'c']);
  assert.deepEqual([...changes.createdTopicIds], [C]);
  assert.deepEqual([...changes.deletedTopics.keys()], [B]);
});

test('brokers, fencing, features and producer ids', () => {
  const image = applyRecords(base, [
    registerBrokerRecord(3, 10n, true),
    metadataRecord('UnfenceBrokerRecord', { id: 3, epoch: 10n }),
    metadataRecord('BrokerRegistrationChangeRecord', { brokerId: 1, brokerEpoch: 1n, fenced: 1, inControlledShutdown: 0, logDirs: [] }),
    metadataRecord('UnregisterBrokerRecord', { brokerId: 2, brokerEpoch: 2n }),
    metadataRecord('FeatureLevelRecord', { name: 'metadata.version', featureLevel: 0 }),
    metadataRecord('ProducerIdsRecord', { brokerId: 3, brokerEpoch: 10n, nextProducerId: 1000n }),
  ]);
  assert.deepEqual([...image.brokers.values()].map((b) => [b.brokerId, b.fenced]), [[1, true], [3, false]]);
  assert.equal(image.features.size, 0);
  assert.equal(image.nextProducerId, 1000n);
});

test('records that contradict the image are assertion errors', () => {
  const bad = [
    metadataRecord('TopicRecord', { name: 'a', topicId: C }),
    metadataRecord('TopicRecord', { name: 'z', topicId: A }),
    partition(C, 0, [1]),
    metadataRecord('RemoveTopicRecord', { topicId: C }),
    metadataRecord('UnfenceBrokerRecord', { id: 1, epoch: 99n }),
    metadataRecord('ProducerIdsRecord', { brokerId: 1, brokerEpoch: 1n, nextProducerId: 0n }),
  ];
  for (const record of bad) assert.throws(() => applyRecords(base, [record]), AssertionError, record.type);
});
