/**
 * DescribeLogDirs and DescribeTopicPartitions against a testkit broker with two log dirs, over
 * the raw protocol: the dirs by absolute path with every partition's size, the topics filter,
 * file-system space at v4; topics with their partitions, unknown and illegal names, and paging
 * with responsePartitionLimit and the cursor as Kafka pages.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiKey, type DescribeLogDirsResponse, type DescribeTopicPartitionsResponse, encodeRecordBatchSync,
} from '../../src/protocol/index.js';
import { ALL_TOPIC_OPERATIONS } from '../../src/broker/internal-topics.js';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { RawClient, createTopic, producePartition } from './raw-client.js';

let root: string;
let dirs: string[];
let broker: TestBroker;
let client: RawClient;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'samsa-records-describe-'));
  dirs = [join(root, 'a'), join(root, 'b')];
  broker = await startBroker({ config: { 'log.dirs': dirs.join(',') } });
  client = await RawClient.connect('127.0.0.1', broker.port);
  for (const [name, numPartitions] of [['tp-a', 3], ['tp-b', 2], ['tp-c', 1]] as const) {
    await createTopic(client, name, numPartitions);
  }
  for (let i = 0; i < 3; i++) {
    const records = encodeRecordBatchSync({ records: [{ offsetDelta: 0, timestamp: BigInt(Date.now()), key: null, value: Buffer.from(`value ${i}`) }] });
    assert.equal((await producePartition(client, 'tp-a', i, records, -1)).errorCode, 0);
  }
});
after(async () => {
  client?.close();
  await broker?.stop();
  await rm(root, { recursive: true, force: true });
});

const logDirs = (version: number, topics: { topic: string; partitions: number[] }[] | null): Promise<DescribeLogDirsResponse> =>
  client.request<DescribeLogDirsResponse>(ApiKey.DescribeLogDirs, version, { topics });

test('DescribeLogDirs: every log dir by absolute path, each partition once with its size, at every version', async () => {
  const logs = broker.broker.services.replicas.logManager;
  for (const version of [0, 1, 2, 3, 4]) {
    const r = await logDirs(version, null);
    assert.equal(r.errorCode, 0);
    assert.deepEqual(r.results.map((d) => [d.logDir, d.errorCode]), [[dirs[0], 0], [dirs[1], 0]]);
    const seen = r.results.flatMap((d) => d.topics.flatMap((t) => t.partitions.map((p) => {
      const log = logs.getLog({ topic: t.name, partition: p.partitionIndex })!;
      assert.equal(join(d.logDir, `${t.name}-${p.partitionIndex}`), log.dir, 'reported in the dir that holds it');
      assert.deepEqual([p.partitionSize, p.offsetLag, p.isFutureKey], [BigInt(log.size), 0n, false]);
      return `${t.name}-${p.partitionIndex}`;
    })));
    assert.deepEqual(seen.sort(), ['tp-a-0', 'tp-a-1', 'tp-a-2', 'tp-b-0', 'tp-b-1', 'tp-c-0']);
    assert.ok(r.results.every((d) => d.topics.length > 0), 'partitions are spread over both dirs');
    for (const d of r.results) {
      if (version < 4) assert.deepEqual([d.totalBytes, d.usableBytes], [-1n, -1n]);
      else assert.ok(d.totalBytes > 0n && d.usableBytes >= 0n && d.usableBytes <= d.totalBytes, `${d.totalBytes} ${d.usableBytes}`);
    }
  }
  const sizes = (await logDirs(4, null)).results.flatMap((d) => d.topics).filter((t) => t.name === 'tp-a').flatMap((t) => t.partitions);
  assert.ok(sizes.every((p) => p.partitionSize > 0n), 'tp-a holds a batch in each partition');
});

test('DescribeLogDirs: the topics filter keeps only the partitions named that are here', async () => {
  const r = await logDirs(2, [{ topic: 'tp-a', partitions: [1, 7] }, { topic: 'missing', partitions: [0] }, { topic: 'tp-c', partitions: [] }]);
  const found = r.results.flatMap((d) => d.topics.map((t) => [t.name, t.partitions.map((p) => p.partitionIndex)]));
  assert.deepEqual(found, [['tp-a', [1]]]);
  assert.equal(r.results.length, 2, 'a dir with nothing asked for is still listed');
  assert.deepEqual((await logDirs(1, [])).results.map((d) => d.topics), [[], []]);
});

const describe = (topics: string[], responsePartitionLimit = 2000, cursor: [string, number] | null = null): Promise<DescribeTopicPartitionsResponse> =>
  client.request<DescribeTopicPartitionsResponse>(ApiKey.DescribeTopicPartitions, 0, {
    topics: topics.map((name) => ({ name })), responsePartitionLimit, cursor: cursor && { topicName: cursor[0], partitionIndex: cursor[1] },
  });

type Page = [string, number, number[]][];
const page = (r: DescribeTopicPartitionsResponse): [Page, [string, number] | null] => [
  r.topics.map((t) => [t.name ?? '', t.errorCode, t.partitions.map((p) => p.partitionIndex)]),
  r.nextCursor && [r.nextCursor.topicName, r.nextCursor.partitionIndex],
];

test('DescribeTopicPartitions: topics sorted by name with their partitions; unknown and illegal names', async () => {
  const r = await describe(['tp-c', 'tp-a', 'nope', 'bad name!', 'tp-a']);
  assert.deepEqual(page(r), [[['bad name!', 17, []], ['nope', 3, []], ['tp-a', 0, [0, 1, 2]], ['tp-c', 0, [0]]], null]);
  const image = broker.broker.services.metadata.image;
  const a = r.topics.find((t) => t.name === 'tp-a')!;
  assert.deepEqual([a.topicId, a.isInternal, a.topicAuthorizedOperations], [image.topicsByName.get('tp-a')!.topicId, false, ALL_TOPIC_OPERATIONS]);
  assert.equal(r.topics.find((t) => t.name === 'nope')?.topicId, 'AAAAAAAAAAAAAAAAAAAAAA');
  assert.deepEqual(a.partitions[1], {
    errorCode: 0, partitionIndex: 1, leaderId: 1, leaderEpoch: 0, replicaNodes: [1], isrNodes: [1],
    eligibleLeaderReplicas: [], lastKnownElr: [], offlineReplicas: [], _unknownTaggedFields: undefined,
  });
  assert.deepEqual(page(await describe([])), [[['tp-a', 0, [0, 1, 2]], ['tp-b', 0, [0, 1]], ['tp-c', 0, [0]]], null], 'an empty list is every topic');
});

test('DescribeTopicPartitions: paging with responsePartitionLimit and the cursor', async () => {
  const named = ['tp-c', 'tp-b', 'tp-a'];
  assert.deepEqual(page(await describe(named, 2)), [[['tp-a', 0, [0, 1]]], ['tp-a', 2]]);
  assert.deepEqual(page(await describe(named, 2, ['tp-a', 2])), [[['tp-a', 0, [2]], ['tp-b', 0, [0]]], ['tp-b', 1]]);
  assert.deepEqual(page(await describe(named, 2, ['tp-b', 1])), [[['tp-b', 0, [1]], ['tp-c', 0, [0]]], null]);
  // A limit used up exactly by a topic points the cursor at the next topic, partition 0.
  assert.deepEqual(page(await describe(named, 3)), [[['tp-a', 0, [0, 1, 2]]], ['tp-b', 0]]);
  assert.deepEqual(page(await describe(['tp-a', 'zzz'], 3)), [[['tp-a', 0, [0, 1, 2]]], ['zzz', 0]], 'even a topic that does not exist');
  assert.deepEqual(page(await describe(named, 0)), [[['tp-a', 0, [0]]], ['tp-a', 1]], 'the limit is at least 1');
  assert.deepEqual(page(await describe([], 4, ['tp-a', 1])), [[['tp-a', 0, [1, 2]], ['tp-b', 0, [0, 1]]], ['tp-c', 0]]);
  assert.deepEqual(page(await describe([], 10, ['tp-bb', 0])), [[['tp-c', 0, [0]]], null], 'with every topic, the cursor topic need not exist');
  assert.deepEqual(page(await describe(['tp-a'], 10, ['tp-a', 9])), [[['tp-a', 0, []]], null], 'a cursor past the last partition');
});

test('DescribeTopicPartitions: a cursor outside the topics named, or negative, is INVALID_REQUEST for each topic named', async () => {
  for (const cursor of [['tp-c', 0], ['tp-a', -1]] as [string, number][]) {
    const r = await describe(['tp-a', 'tp-b'], 10, cursor);
    assert.deepEqual(page(r), [[['tp-a', 42, []], ['tp-b', 42, []]], null]);
    assert.deepEqual(r.topics.map((t) => [t.topicId, t.isInternal, t.topicAuthorizedOperations]), [['AAAAAAAAAAAAAAAAAAAAAA', false, -2147483648], ['AAAAAAAAAAAAAAAAAAAAAA', false, -2147483648]]);
  }
  assert.deepEqual(page(await describe([], 10, ['tp-a', -1])), [[], null]);
});
