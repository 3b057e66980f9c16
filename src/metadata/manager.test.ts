import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../common/clock.js';
import { readSmallFile } from '../common/fs.js';
import { MemoryFileSystem } from '../common/fs-memory.js';
import { SeededRandom } from '../common/random.js';
import { type BrokerRegistrationRequest, ErrorCode } from '../protocol/index.js';
import { LocalMetadataLog, type MetadataLog } from '../raft/index.js';
import { Controller } from './controller.js';
import { MetadataManager } from './manager.js';
import type { MetadataUpdate } from './publisher.js';
import { type MetadataRecord, metadataRecordSerde } from './records.js';
import { CLUSTER_ID, createTopicsRequest, topic } from './testing/fixtures.js';

async function start(fs: MemoryFileSystem, seed = 1): Promise<{ manager: MetadataManager; log: LocalMetadataLog<MetadataRecord> }> {
  const log = await LocalMetadataLog.open({ fs, logDir: '/meta', nodeId: 1, serde: metadataRecordSerde, clock: new ManualClock() });
  const manager = await MetadataManager.open({ log, clusterId: CLUSTER_ID, controller: new Controller({ random: new SeededRandom(seed), numPartitions: 2 }) });
  return { manager, log };
}

async function stop({ manager, log }: { manager: MetadataManager; log: MetadataLog<MetadataRecord> }): Promise<void> {
  await manager.close();
  await log.close();
}

const registration: BrokerRegistrationRequest = {
  brokerId: 1,
  clusterId: CLUSTER_ID,
  incarnationId: 'AAAAAAAAAAAAAAAAAAAAAQ',
  listeners: [{ name: 'PLAINTEXT', host: 'localhost', port: 9092, securityProtocol: 0 }],
  features: [],
  rack: null,
  isMigratingZkBroker: false,
  logDirs: [],
  previousBrokerEpoch: -1n,
};

async function register(manager: MetadataManager): Promise<bigint> {
  const { brokerEpoch } = await manager.registerBroker(registration);
  assert.equal((await manager.unfenceBroker(1, brokerEpoch)).code, ErrorCode.NONE);
  return brokerEpoch;
}

/** A little of everything the controller does. */
async function workload(manager: MetadataManager): Promise<void> {
  const epoch = await register(manager);
  await manager.createTopics(createTopicsRequest([topic('a', { configs: [{ name: 'retention.ms', value: '1' }] }), topic('b'), topic('c.d')]));
  await manager.createPartitions({ topics: [{ name: 'a', count: 5, assignments: null }], timeoutMs: 1, validateOnly: false });
  await manager.incrementalAlterConfigs({ resources: [{ resourceType: 4, resourceName: '', configs: [{ name: 'x', configOperation: 0, value: 'y' }] }], validateOnly: false });
  await manager.deleteTopics({ topicNames: ['b'], topics: [], timeoutMs: 1 });
  await manager.allocateProducerIds({ brokerId: 1, brokerEpoch: epoch });
}

test('an empty log is bootstrapped with metadata.version', async () => {
  const node = await start(new MemoryFileSystem());
  assert.equal(node.manager.image.features.get('metadata.version'), 14);
  assert.equal(node.manager.image.offset, 0n);
  await stop(node);
});

test('replaying the log after a restart builds the image live application built', async () => {
  const fs = new MemoryFileSystem();
  const live = await start(fs);
  await workload(live.manager);
  const image = live.manager.image;
  assert.deepEqual([...image.topicsByName.keys()], ['a', 'c.d']);
  await stop(live);
  fs.crash('lose');
  const restarted = await start(fs);
  assert.deepEqual(restarted.manager.image, image);
  await stop(restarted);
});

test('the broker epoch is the offset of the RegisterBrokerRecord', async () => {
  const node = await start(new MemoryFileSystem());
  const before = node.log.endOffset;
  assert.equal(await register(node.manager), before);
  await stop(node);
});

test('producer id blocks never overlap across restarts and crashes', async () => {
  const fs = new MemoryFileSystem({ random: new SeededRandom(5) });
  const handedOut: bigint[] = [];
  for (let life = 0; life < 4; life++) {
    const node = await start(fs);
    const epoch = await register(node.manager);
    for (let i = 0; i < 3; i++) handedOut.push((await node.manager.allocateProducerIds({ brokerId: 1, brokerEpoch: epoch })).producerIdStart);
    if (life % 2 === 0) await stop(node);
    fs.crash('torn');
  }
  assert.deepEqual(handedOut, [...handedOut].sort((x, y) => (x < y ? -1 : 1)));
  assert.equal(new Set(handedOut).size, handedOut.length);
  assert.deepEqual(handedOut.slice(0, 4), [0n, 1000n, 2000n, 3000n]);
});

test('operations are serialized: two creates of one name, one wins', async () => {
  const node = await start(new MemoryFileSystem());
  await register(node.manager);
  const [first, second] = await Promise.all([
    node.manager.createTopics(createTopicsRequest([topic('same')])),
    node.manager.createTopics(createTopicsRequest([topic('same')])),
  ]);
  assert.deepEqual([first.topics[0]!.errorCode, second.topics[0]!.errorCode], [ErrorCode.NONE, ErrorCode.TOPIC_ALREADY_EXISTS]);
  await stop(node);
});

test('publishers get the full image when installed, then every committed change', async () => {
  const node = await start(new MemoryFileSystem());
  await register(node.manager);
  await node.manager.createTopics(createTopicsRequest([topic('old')]));
  const updates: MetadataUpdate[] = [];
  await node.manager.addPublisher({ name: 'test', onMetadataUpdate: (u) => void updates.push(u) });
  const oldId = node.manager.image.topicsByName.get('old')!.topicId;
  assert.deepEqual([...updates[0]!.changes.createdTopicIds], [oldId]);
  const created = await node.manager.createTopics(createTopicsRequest([topic('new')]));
  await node.manager.deleteTopics({ topicNames: ['old'], topics: [], timeoutMs: 1 });
  assert.equal(updates.length, 3);
  assert.deepEqual([...updates[1]!.changes.createdTopicIds], [created.topics[0]!.topicId]);
  assert.deepEqual(updates[1]!.changes.changedPartitions.get(created.topics[0]!.topicId), new Set([0, 1]));
  assert.deepEqual([...updates[2]!.changes.deletedTopics.keys()], [oldId]);
  assert.equal(updates[2]!.previous, updates[1]!.image);
  await stop(node);
});

test('a publisher that throws is reported and does not fail the operation', async () => {
  const fs = new MemoryFileSystem();
  const log = await LocalMetadataLog.open({ fs, logDir: '/meta', nodeId: 1, serde: metadataRecordSerde, clock: new ManualClock() });
  const reported: string[] = [];
  const manager = await MetadataManager.open({
    log,
    clusterId: CLUSTER_ID,
    controller: new Controller({ random: new SeededRandom(1) }),
    onPublisherError: (_err, p) => reported.push(p.name),
  });
  await manager.addPublisher({ name: 'broken', onMetadataUpdate: () => Promise.reject(new Error('boom')) });
  await register(manager);
  assert.deepEqual(reported, ['broken', 'broken', 'broken']);
  await stop({ manager, log });
});

test('after a failed append every operation is refused', async () => {
  const fs = new MemoryFileSystem();
  const node = await start(fs);
  fs.crashAfterOperations(1);
  await assert.rejects(node.manager.registerBroker(registration));
  await assert.rejects(node.manager.createTopics(createTopicsRequest([topic('t')])));
  const restarted = await start(fs);
  assert.equal(restarted.manager.image.features.get('metadata.version'), 14);
  await stop(restarted);
});

test('the queue is bounded', async () => {
  const fs = new MemoryFileSystem();
  const log = await LocalMetadataLog.open({ fs, logDir: '/meta', nodeId: 1, serde: metadataRecordSerde, clock: new ManualClock() });
  const manager = await MetadataManager.open({ log, clusterId: CLUSTER_ID, controller: new Controller({ random: new SeededRandom(1) }), maxQueuedOperations: 2 });
  const ops = [manager.registerBroker(registration), manager.registerBroker(registration)];
  await assert.rejects(manager.registerBroker(registration), { code: 'SAMSA_ERR_METADATA_QUEUE_FULL' });
  await Promise.all(ops);
  await stop({ manager, log });
});

test('the same seed and clock write the same log, byte for byte', async () => {
  const segments: Buffer[] = [];
  for (let run = 0; run < 2; run++) {
    const fs = new MemoryFileSystem();
    const node = await start(fs, 99);
    await workload(node.manager);
    await stop(node);
    segments.push((await readSmallFile(fs, '/meta/__cluster_metadata-0/00000000000000000000.log'))!);
  }
  assert.deepEqual(segments[0], segments[1]);
});
