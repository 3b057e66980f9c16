import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, systemClock } from '../../common/clock.js';
import { MemoryFileSystem } from '../../common/fs-memory.js';
import { SeededRandom } from '../../common/random.js';
import { Controller, MetadataManager } from '../../metadata/index.js';
import { type MetadataRecord, metadataRecordSerde } from '../../metadata/records.js';
import { CompressionCodec, ErrorCode, decodeRecordBatchSync } from '../../protocol/index.js';
import { LocalMetadataLog } from '../../raft/index.js';
import { silentLogger } from '../logger.js';
import { partitionForKey } from './partition-for.js';
import { CoordinatorService } from './service.js';
import { type KvRecord, KvShard, kvSerde } from './testing/kv-shard.js';
import { MemoryCoordinatorLog } from './testing/memory-log.js';

const CLUSTER_ID = 'MkU3OEVBNTcwNTJENDM2Qg';
const TOPIC = '__test_state';

async function metadataNode(): Promise<{ metadata: MetadataManager; close: () => Promise<void> }> {
  const log = await LocalMetadataLog.open<MetadataRecord>({ fs: new MemoryFileSystem(), logDir: '/meta', nodeId: 1, serde: metadataRecordSerde, clock: new ManualClock() });
  const metadata = await MetadataManager.open({ log, clusterId: CLUSTER_ID, controller: new Controller({ random: new SeededRandom(1) }) });
  const { brokerEpoch } = await metadata.registerBroker({
    brokerId: 1, clusterId: CLUSTER_ID, incarnationId: 'AAAAAAAAAAAAAAAAAAAAAQ', listeners: [{ name: 'PLAINTEXT', host: 'localhost', port: 9092, securityProtocol: 0 }],
    features: [], rack: null, isMigratingZkBroker: false, logDirs: [], previousBrokerEpoch: -1n,
  });
  assert.equal((await metadata.unfenceBroker(1, brokerEpoch)).code, ErrorCode.NONE);
  return { metadata, close: async () => { await metadata.close(); await log.close(); } };
}

function service(metadata: MetadataManager, log: MemoryCoordinatorLog, deletedTopics: string[][] = []) {
  return new CoordinatorService<KvShard, KvRecord>({
    name: 'test coordinator',
    topic: { name: TOPIC, numPartitions: 3, replicationFactor: 3, configs: [{ name: 'cleanup.policy', value: 'compact' }] },
    nodeId: 1, clock: systemClock, logger: silentLogger, metadata, log, serde: kvSerde,
    newShard: (context) => new KvShard(context),
    compression: CompressionCodec.None, loadBufferSize: 1 << 20,
    advertisedEndpoints: () => [{ listenerName: 'PLAINTEXT', host: 'broker-1.example', port: 9093 }],
    onTopicsDeleted: (_shard, names) => {
      deletedTopics.push([...names]);
      return names.map((name) => ({ key: `deleted:${name}`, value: '1' }));
    },
  });
}

test('the topic is created on first use; requests go to the shard of their key\'s partition', async () => {
  const node = await metadataNode();
  const log = new MemoryCoordinatorLog();
  log.leaderEpoch = 4;
  const svc = service(node.metadata, log);
  const failed = (code: number) => `error ${code}`;
  assert.equal(await svc.write('k', (s) => s.put([['k', '1']]), failed), `error ${ErrorCode.COORDINATOR_NOT_AVAILABLE}`, 'not started');
  await svc.start();
  assert.equal(svc.partitionCount, 3, 'the configured count until the topic exists');
  const found = await svc.findCoordinator('k', 'PLAINTEXT');
  assert.deepEqual(found, { errorCode: ErrorCode.NONE, nodeId: 1, host: 'broker-1.example', port: 9093 });
  const topic = node.metadata.image.topicsByName.get(TOPIC)!;
  assert.equal(topic.partitions.size, 3);
  assert.equal(topic.partitions.get(0)!.replicas.length, 1, 'the replication factor is capped by the live brokers');
  assert.deepEqual((await svc.findCoordinator('k', 'OTHER')).errorCode, ErrorCode.COORDINATOR_NOT_AVAILABLE, 'no endpoint on that listener');

  const keys = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
  for (const key of keys) assert.equal(await svc.write(key, (s) => s.put([[key, key.toUpperCase()]]), failed), 'put 1');
  for (const key of keys) {
    const p = partitionForKey(key, 3);
    assert.equal(svc.partitionFor(key), p);
    assert.equal(await svc.read(key, (s) => s.get(key), () => 'failed'), key.toUpperCase());
    assert.ok(log.batches(p).some((b) => decodeRecordBatchSync(b, { maxUncompressedBytes: 1 << 20 }).records[0]!.key!.toString() === key));
  }
  const byPartition = svc.byPartition(keys, (k) => k);
  assert.deepEqual([...byPartition.values()].flat().sort(), [...keys].sort());
  for (const [p, list] of byPartition) assert.ok(list.every((k) => partitionForKey(k, 3) === p));
  const all = await svc.readAll((s) => [...s.committed.keys()]);
  assert.deepEqual([all.errorCode, all.results.sort()], [ErrorCode.NONE, [...keys].sort()]);
  assert.deepEqual([...svc.loadReports().values()].map((r) => r.leaderEpoch), [4, 4, 4]);
  await svc.stop();
  assert.equal(await svc.read('alpha', (s) => s.get('alpha'), () => 'stopped'), 'stopped');
  assert.deepEqual(await svc.readAll((s) => [...s.committed.keys()]), { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, results: [] });
  await node.close();
});

test('a request before the topic exists gets NOT_COORDINATOR and starts its creation', async () => {
  const node = await metadataNode();
  const svc = service(node.metadata, new MemoryCoordinatorLog());
  await svc.start();
  assert.equal(await svc.write('k', (s) => s.put([['k', '1']]), (code) => code), ErrorCode.NOT_COORDINATOR);
  assert.equal(await svc.ensureTopic(), ErrorCode.NONE);
  assert.ok(node.metadata.image.topicsByName.has(TOPIC));
  await svc.whenLoaded();
  assert.equal(await svc.write('k', (s) => s.put([['k', '1']]), (code) => `${code}`), 'put 1');
  await svc.stop();
  await node.close();
});

test('transaction markers go to the partition\'s shard; partitions not served here are NOT_COORDINATOR', async () => {
  const node = await metadataNode();
  const log = new MemoryCoordinatorLog();
  const svc = service(node.metadata, log);
  await svc.start();
  assert.equal(await svc.ensureTopic(), ErrorCode.NONE);
  const key = 'txn-key';
  const p = svc.partitionFor(key);
  assert.equal(await svc.write(key, (s) => s.putTransactional(8n, 1, [[key, 'v']]), (code) => `${code}`), 'pending 1');
  assert.equal(await svc.read(key, (s) => s.get(key), () => 'failed'), undefined);
  assert.equal(await svc.writeTxnMarker(p, { producerId: 8n, producerEpoch: 1, coordinatorEpoch: 0, committed: true }), ErrorCode.NONE);
  assert.equal(await svc.read(key, (s) => s.get(key), () => 'failed'), 'v');
  assert.equal(await svc.writeTxnMarker(7, { producerId: 8n, producerEpoch: 1, coordinatorEpoch: 0, committed: true }), ErrorCode.NOT_COORDINATOR);
  await svc.stop();
  assert.equal(await svc.writeTxnMarker(p, { producerId: 8n, producerEpoch: 1, coordinatorEpoch: 0, committed: true }), ErrorCode.COORDINATOR_NOT_AVAILABLE);
  await node.close();
});

test('deleted topics are handed to every shard, whose records are written', async () => {
  const node = await metadataNode();
  const log = new MemoryCoordinatorLog();
  const deleted: string[][] = [];
  const svc = service(node.metadata, log, deleted);
  await svc.start();
  assert.equal(await svc.ensureTopic(), ErrorCode.NONE);
  await node.metadata.createTopics({ topics: [{ name: 'data', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 1, validateOnly: false });
  await node.metadata.deleteTopics({ topicNames: ['data'], topics: [], timeoutMs: 1 });
  // The cleanups run on the shards' queues: a read on each waits for them.
  await svc.readAll(() => []);
  assert.deepEqual(deleted, [['data'], ['data'], ['data']]);
  for (const p of [0, 1, 2]) assert.equal(log.batches(p).length, 1);
  await svc.stop();
  await node.close();
});
