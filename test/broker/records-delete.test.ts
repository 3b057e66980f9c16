/**
 * DeleteRecords against a testkit broker over the raw protocol: Kafka's error codes per
 * partition, the new log start offset as lowWatermark, Fetch below it OFFSET_OUT_OF_RANGE,
 * ListOffsets earliest at it, segments below it gone, the checkpoint written before the answer,
 * and all of it again after a restart on the same data dir.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiKey, type DeleteRecordsResponse, FetchRequest, type FetchResponse, type ListOffsetsResponse, encodeRecordBatchSync,
} from '../../src/protocol/index.js';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { RawClient, createTopic as createTopicWith, producePartition } from './raw-client.js';

const ZERO_ID = 'AAAAAAAAAAAAAAAAAAAAAA';
let dataDir: string;
let broker: TestBroker;
let client: RawClient;

async function connect(): Promise<void> {
  client = await RawClient.connect('127.0.0.1', broker.port);
}

async function createTopic(name: string, partitions: number, configs: Record<string, string> = {}): Promise<void> {
  await createTopicWith(client, name, partitions, configs);
}

/** One batch per value, acks=all; returns the base offsets. */
async function produce(topic: string, partition: number, values: string[]): Promise<bigint[]> {
  const offsets = [];
  for (const v of values) {
    const records = encodeRecordBatchSync({ records: [{ offsetDelta: 0, timestamp: BigInt(Date.now()), key: Buffer.from(v), value: Buffer.from(v) }] });
    const p = await producePartition(client, topic, partition, records, -1);
    assert.equal(p.errorCode, 0);
    offsets.push(p.baseOffset);
  }
  return offsets;
}

async function deleteRecords(version: number, topics: [string, [number, bigint][]][]): Promise<[string, number, bigint, number][]> {
  const r = await client.request<DeleteRecordsResponse>(ApiKey.DeleteRecords, version, {
    topics: topics.map(([name, ps]) => ({ name, partitions: ps.map(([partitionIndex, offset]) => ({ partitionIndex, offset })) })), timeoutMs: 5000,
  });
  return r.topics.flatMap((t) => t.partitions.map((p) => [t.name, p.partitionIndex, p.lowWatermark, p.errorCode] as [string, number, bigint, number]));
}

async function listOffset(topic: string, partition: number, timestamp: bigint): Promise<bigint> {
  const r = await client.request<ListOffsetsResponse>(ApiKey.ListOffsets, 7, {
    replicaId: -1, isolationLevel: 0, timeoutMs: 5000,
    topics: [{ name: topic, partitions: [{ partitionIndex: partition, currentLeaderEpoch: -1, timestamp, maxNumOffsets: 1 }] }],
  });
  const p = r.topics[0]!.partitions[0]!;
  assert.equal(p.errorCode, 0);
  return p.offset;
}

async function fetchAt(topic: string, partition: number, fetchOffset: bigint): Promise<{ errorCode: number; logStartOffset: bigint; bytes: number }> {
  const part = { ...FetchRequest.defaults().topics[0], partition, currentLeaderEpoch: -1, fetchOffset, lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: 1 << 20, replicaDirectoryId: ZERO_ID };
  const r = await client.request<FetchResponse>(ApiKey.Fetch, 12, {
    ...FetchRequest.defaults(), maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, isolationLevel: 0, topics: [{ topic, topicId: ZERO_ID, partitions: [part] }],
  });
  const p = r.responses[0]!.partitions[0]!;
  return { errorCode: p.errorCode, logStartOffset: p.logStartOffset, bytes: p.records?.length ?? 0 };
}

const segmentFiles = async (topic: string, partition: number): Promise<string[]> =>
  (await readdir(join(dataDir, `${topic}-${partition}`))).filter((f) => f.endsWith('.log')).sort();

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'samsa-records-delete-'));
  broker = await startBroker({ dataDir });
  await connect();
});
after(async () => {
  client?.close();
  await broker?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

test('DeleteRecords: error codes and low watermarks per partition, at every version', async () => {
  await createTopic('dr-codes', 2);
  await createTopic('dr-compact', 1, { 'cleanup.policy': 'compact' });
  await produce('dr-codes', 0, ['a', 'b', 'c', 'd', 'e', 'f']);
  await produce('dr-compact', 0, ['x']);
  for (const version of [0, 1, 2]) {
    assert.deepEqual(await deleteRecords(version, [['dr-codes', [[0, 7n], [1, -2n]]], ['nope', [[0, 0n]]], ['dr-codes', [[9, 0n]]]]), [
      ['dr-codes', 0, -1n, 1], // past the high watermark (6): OFFSET_OUT_OF_RANGE
      ['dr-codes', 1, -1n, 1], // below -1: OFFSET_OUT_OF_RANGE
      ['dr-codes', 9, -1n, 3], // no such partition: UNKNOWN_TOPIC_OR_PARTITION (same topic, one entry)
      ['nope', 0, -1n, 3],
    ]);
  }
  assert.deepEqual(await deleteRecords(2, [['dr-compact', [[0, 0n]]]]), [['dr-compact', 0, -1n, 44]]); // POLICY_VIOLATION
  await createTopic('__consumer_offsets', 1);
  assert.deepEqual(await deleteRecords(2, [['__consumer_offsets', [[0, 0n]]]]), [['__consumer_offsets', 0, -1n, 17]]); // INVALID_TOPIC_EXCEPTION
  assert.deepEqual(await deleteRecords(1, [['dr-codes', [[0, 2n]]]]), [['dr-codes', 0, 2n, 0]]);
  assert.deepEqual(await deleteRecords(0, [['dr-codes', [[0, 1n]]]]), [['dr-codes', 0, 2n, 0]], 'never moves back');
  assert.deepEqual(await deleteRecords(2, [['dr-codes', [[0, 6n], [1, -1n]]]]), [['dr-codes', 0, 6n, 0], ['dr-codes', 1, 0n, 0]], 'the high watermark is allowed');
  assert.deepEqual(await deleteRecords(2, [['dr-codes', [[1, 0n], [1, 5n]]]]), [['dr-codes', 1, -1n, 1]], 'a partition named twice: the last offset, one answer');
  assert.equal(await listOffset('dr-codes', 0, -2n), 6n);
  assert.equal(await listOffset('dr-codes', 0, -1n), 6n);
});

test('DeleteRecords: Fetch below the new start is OFFSET_OUT_OF_RANGE; segments below it are deleted; -1 empties the log', async () => {
  await createTopic('dr-segments', 1, { 'segment.bytes': String(1024 * 1024), 'file.delete.delay.ms': '0' });
  const big = (i: number): string => `${i}:${'v'.repeat(400 * 1024)}`;
  await produce('dr-segments', 0, Array.from({ length: 8 }, (_, i) => big(i)));
  const before = await segmentFiles('dr-segments', 0);
  assert.ok(before.length >= 3, `several segments: ${before.join(' ')}`);

  assert.deepEqual(await deleteRecords(2, [['dr-segments', [[0, 5n]]]]), [['dr-segments', 0, 5n, 0]]);
  assert.equal(await listOffset('dr-segments', 0, -2n), 5n);
  const below = await fetchAt('dr-segments', 0, 4n);
  assert.deepEqual([below.errorCode, below.logStartOffset], [1, 5n]);
  const at = await fetchAt('dr-segments', 0, 5n);
  assert.deepEqual([at.errorCode, at.logStartOffset], [0, 5n]);
  assert.ok(at.bytes > 0);
  const after = await segmentFiles('dr-segments', 0);
  const bases = after.map((f) => BigInt(f.slice(0, -4)));
  assert.ok(bases[0]! <= 5n && (bases[1] === undefined || bases[1] > 5n), `only the segment holding offset 5 and later ones are left: ${after.join(' ')}`);
  assert.ok(after.length < before.length);

  assert.deepEqual(await deleteRecords(2, [['dr-segments', [[0, -1n]]]]), [['dr-segments', 0, 8n, 0]]);
  assert.equal(await listOffset('dr-segments', 0, -2n), 8n);
  assert.deepEqual((await fetchAt('dr-segments', 0, 7n)).errorCode, 1);
  assert.deepEqual(await produce('dr-segments', 0, ['after']), [8n], 'appends go on at the log end');
});

test('DeleteRecords: the log start offset is checkpointed before the answer and survives a restart', async () => {
  await createTopic('dr-restart', 2);
  await produce('dr-restart', 0, ['a', 'b', 'c', 'd']);
  await produce('dr-restart', 1, ['a', 'b']);
  assert.deepEqual(await deleteRecords(2, [['dr-restart', [[0, 3n], [1, 1n]]]]), [['dr-restart', 0, 3n, 0], ['dr-restart', 1, 1n, 0]]);
  // Already on disk, so a kill -9 now would keep it too.
  const checkpoint = await readFile(join(dataDir, 'log-start-offset-checkpoint'), 'utf8');
  assert.match(checkpoint, /^dr-restart 0 3$/m);
  assert.match(checkpoint, /^dr-restart 1 1$/m);

  client.close();
  await broker.stop();
  broker = await startBroker({ dataDir });
  await connect();
  assert.equal(await listOffset('dr-restart', 0, -2n), 3n);
  assert.equal(await listOffset('dr-restart', 1, -2n), 1n);
  assert.equal(await listOffset('dr-restart', 0, -1n), 4n);
  assert.equal((await fetchAt('dr-restart', 0, 2n)).errorCode, 1);
  assert.equal((await fetchAt('dr-restart', 0, 3n)).errorCode, 0);
  assert.deepEqual(await deleteRecords(2, [['dr-restart', [[0, 5n]]]]), [['dr-restart', 0, -1n, 1]], 'the high watermark is restored on load');
  assert.deepEqual(await deleteRecords(2, [['dr-restart', [[0, -1n]]]]), [['dr-restart', 0, 4n, 0]]);
  assert.equal(await listOffset('dr-segments', 0, -2n), 8n, 'the earlier test\'s deletion too');
});
