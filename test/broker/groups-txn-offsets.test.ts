/**
 * Transactional offset commits through a real broker: TxnOffsetCommit (v0-4) writes the offsets
 * into `__consumer_offsets` as a transactional batch of the producer; OffsetFetch does not show
 * them (with requireStable it answers UNSTABLE_OFFSET_COMMIT) until the transaction's commit
 * marker reaches that partition; an abort marker drops them; after a restart the partition's
 * log gives back the same: committed, aborted and still-open transactions.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import {
  ApiKey, ErrorCode, FindCoordinatorRequest, type FindCoordinatorResponse, NO_SEQUENCE, OffsetFetchRequest, type OffsetFetchResponse,
  TxnOffsetCommitRequest, type TxnOffsetCommitResponse, readRecordBatchHeader, splitRecordBatches,
} from '../../src/protocol/index.js';
import { RawClient, createTopic } from './raw-client.js';

const TIMEOUT = { timeout: 45_000 };
const GROUP = 'txn-group';

let dataDir: string;
let broker: TestBroker | undefined;
let client: RawClient;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'samsa-groups-txn-'));
  await start();
  await createTopic(client, 'orders', 2);
  const found = await client.request<FindCoordinatorResponse>(ApiKey.FindCoordinator, 3, { ...FindCoordinatorRequest.defaults(), key: GROUP, keyType: 0 });
  assert.equal(found.errorCode, ErrorCode.NONE);
});
after(async () => {
  client?.close();
  await broker?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function start(): Promise<void> {
  broker = await startBroker({ dataDir, config: { 'offsets.topic.num.partitions': '5' } });
  client = await RawClient.connect('127.0.0.1', broker.port);
  await broker.broker.services.groupCoordinator.whenLoaded();
}

const coordinator = () => broker!.broker.services.groupCoordinator;

function txnCommit(fields: Partial<TxnOffsetCommitRequest>, offsets: [string, number, bigint][], version = 3): Promise<TxnOffsetCommitResponse> {
  const topics = [...new Set(offsets.map(([t]) => t))].map((name) => ({
    name,
    partitions: offsets.filter(([t]) => t === name).map(([, partitionIndex, committedOffset]) => ({
      partitionIndex, committedOffset, committedLeaderEpoch: -1, committedMetadata: 'txn',
    })),
  }));
  return client.request<TxnOffsetCommitResponse>(ApiKey.TxnOffsetCommit, version, {
    ...TxnOffsetCommitRequest.defaults(), transactionalId: 'tx', groupId: GROUP, producerId: 5000n, producerEpoch: 0, topics, ...fields,
  });
}

const codes = (r: TxnOffsetCommitResponse): string[] => r.topics.flatMap((t) => t.partitions.map((p) => `${t.name}-${p.partitionIndex}:${p.errorCode}`)).sort();

/** [offset, errorCode] of orders-0 and orders-1 for the group (OffsetFetch v7). */
async function fetched(requireStable: boolean, groupId = GROUP): Promise<[bigint, number][]> {
  const r = await client.request<OffsetFetchResponse>(ApiKey.OffsetFetch, 7, {
    ...OffsetFetchRequest.defaults(), groupId, requireStable, topics: [{ name: 'orders', partitionIndexes: [0, 1] }],
  });
  assert.equal(r.errorCode, ErrorCode.NONE);
  return r.topics[0]!.partitions.map((p) => [p.committedOffset, p.errorCode]);
}

async function marker(producerId: bigint, committed: boolean, groupId = GROUP): Promise<number> {
  return coordinator().writeTxnMarker(coordinator().partitionFor(groupId), { producerId, producerEpoch: 0, coordinatorEpoch: 0, committed });
}

const UNSTABLE = ErrorCode.UNSTABLE_OFFSET_COMMIT;

test('TxnOffsetCommit offsets stay pending until the commit marker; requireStable fetches get UNSTABLE_OFFSET_COMMIT meanwhile', TIMEOUT, async () => {
  const r = await txnCommit({}, [['orders', 0, 10n], ['orders', 1, 11n], ['nope', 0, 1n]]);
  assert.deepEqual(codes(r), [`nope-0:${ErrorCode.UNKNOWN_TOPIC_OR_PARTITION}`, 'orders-0:0', 'orders-1:0']);
  assert.deepEqual(await fetched(false), [[-1n, 0], [-1n, 0]]);
  assert.deepEqual(await fetched(true), [[-1n, UNSTABLE], [-1n, UNSTABLE]]);

  // The offsets went into the group's __consumer_offsets partition as a transactional batch of the producer.
  const log = broker!.broker.services.replicas.lookup('__consumer_offsets', coordinator().partitionFor(GROUP)).log!;
  const read = await log.read(0n, 1 << 20, { minOneBatch: true, maxOffset: log.highWatermark });
  assert.ok(read.kind !== 'offsetOutOfRange');
  const headers = splitRecordBatches(read.records).batches.map(readRecordBatchHeader);
  const last = headers[headers.length - 1]!;
  assert.deepEqual([last.isTransactional, last.isControl, last.producerId, last.producerEpoch, last.baseSequence, last.recordsCount], [true, false, 5000n, 0, NO_SEQUENCE, 2]);

  assert.equal(await marker(5000n, true), ErrorCode.NONE);
  assert.deepEqual(await fetched(true), [[10n, 0], [11n, 0]]);
});

test('every version; bad input gets Kafka\'s error codes', TIMEOUT, async () => {
  for (let version = 0; version <= 4; version++) {
    const r = await txnCommit({ groupId: `versions-${version}`, producerId: BigInt(5100 + version) }, [['orders', 0, BigInt(version)]], version);
    assert.deepEqual(codes(r), ['orders-0:0'], `v${version}`);
    assert.equal(await marker(BigInt(5100 + version), true, `versions-${version}`), ErrorCode.NONE);
    assert.deepEqual((await fetched(false, `versions-${version}`))[0], [BigInt(version), 0], `v${version}`);
  }
  assert.deepEqual(codes(await txnCommit({ groupId: '' }, [['orders', 0, 1n], ['nope', 0, 1n]])), [
    `nope-0:${ErrorCode.UNKNOWN_TOPIC_OR_PARTITION}`, `orders-0:${ErrorCode.INVALID_GROUP_ID}`,
  ]);
  assert.deepEqual(codes(await txnCommit({ groupId: 'unknown', generationId: 4, memberId: 'm' }, [['orders', 0, 1n]])), [`orders-0:${ErrorCode.ILLEGAL_GENERATION}`]);
  assert.deepEqual(codes(await txnCommit({ groupId: 'no-producer', producerId: -1n }, [['orders', 0, 1n]])), [`orders-0:${ErrorCode.INVALID_PRODUCER_ID_MAPPING}`]);
  assert.deepEqual(codes(await txnCommit({ groupId: 'only-unknown' }, [['nope', 3, 1n]], 0)), [`nope-3:${ErrorCode.UNKNOWN_TOPIC_OR_PARTITION}`]);
  assert.equal(await coordinator().writeTxnMarker(999, { producerId: 1n, producerEpoch: 0, coordinatorEpoch: 0, committed: true }), ErrorCode.NOT_COORDINATOR);
});

test('after a restart: committed transactions stay, aborted ones are gone, an open one is still pending and can be ended', TIMEOUT, async () => {
  const group = 'restart-group';
  assert.deepEqual(codes(await txnCommit({ groupId: group, producerId: 6000n }, [['orders', 0, 100n]])), ['orders-0:0']);
  assert.equal(await marker(6000n, true, group), ErrorCode.NONE);
  assert.deepEqual(codes(await txnCommit({ groupId: group, producerId: 7000n }, [['orders', 0, 200n], ['orders', 1, 201n]])), ['orders-0:0', 'orders-1:0']);
  assert.equal(await marker(7000n, false, group), ErrorCode.NONE);
  assert.deepEqual(codes(await txnCommit({ groupId: group, producerId: 8000n }, [['orders', 1, 300n]])), ['orders-1:0']);

  client.close();
  await broker!.stop();
  await start();

  assert.deepEqual(await fetched(true, group), [[100n, 0], [-1n, UNSTABLE]]);
  assert.deepEqual(await fetched(false, group), [[100n, 0], [-1n, 0]]);
  assert.equal(await marker(8000n, true, group), ErrorCode.NONE);
  assert.deepEqual(await fetched(true, group), [[100n, 0], [300n, 0]]);
  assert.deepEqual(await fetched(true), [[10n, 0], [11n, 0]], 'the first test\'s committed offsets');
});
