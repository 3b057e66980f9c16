/**
 * The transaction coordinator of a real broker (testkit), over the wire: FindCoordinator for
 * transactional ids (creating `__transaction_state`), InitProducerId for idempotent and
 * transactional producers, whole transactions (AddPartitionsToTxn, transactional produce,
 * AddOffsetsToTxn + TxnOffsetCommit, EndTxn) whose markers land in every partition, zombie
 * fencing, the abort of a timed-out transaction, DescribeTransactions and ListTransactions.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiKey, ApiVersionsRequest, type ApiVersionsResponse, ControlRecordType, ErrorCode, FindCoordinatorRequest, type FindCoordinatorResponse, MetadataRequest, type MetadataResponse,
  OffsetFetchRequest, type OffsetFetchResponse, type TxnOffsetCommitResponse, ZERO_UUID, endTxnMarkerOfBatch,
} from '../../src/protocol/index.js';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { RawClient, createTopic } from './raw-client.js';
import { READ_COMMITTED, type PartitionFetchResponse, batchesOf, fetchPartition, produce, producerBatch, valuesOf } from './txn-data-requests.js';
import {
  type Producer, addOffsets, addPartitions, addPartitionsBatch, describeTransactions, endTxn, eventually, initProducerId, initTransactions,
  listTransactions, stateReached,
} from './transactions-requests.js';

const TXN_PARTITIONS = 4;

let broker: TestBroker;
let client: RawClient;

before(async () => {
  broker = await startBroker({
    config: {
      'transaction.state.log.num.partitions': String(TXN_PARTITIONS),
      'offsets.topic.num.partitions': '3',
      'group.initial.rebalance.delay.ms': '0',
      // Timed-out transactions are looked for every 50 ms (the test of the timeout uses a 300 ms one).
      'transaction.abort.timed.out.transaction.cleanup.interval.ms': '50',
    },
  });
  client = await RawClient.connect('127.0.0.1', broker.port);
  await createTopic(client, 'orders', 3);
});
after(async () => {
  client?.close();
  await broker?.stop();
});

const services = () => broker.broker.services;

/** A transactional batch of `values` from the producer, sequences from baseSequence. */
async function produceTxn(p: Producer, topic: string, partition: number, baseSequence: number, count: number, prefix: string): Promise<void> {
  const batch = producerBatch({ producerId: p.producerId, producerEpoch: p.producerEpoch, baseSequence, count, transactional: true, prefix });
  const r = await produce(client, topic, partition, batch, p.transactionalId);
  assert.equal(r.errorCode, ErrorCode.NONE, `transactional produce to ${topic}-${partition}`);
}

/** The transaction markers of a fetched partition: "commit|abort producerId/epoch". */
function markersOf(p: PartitionFetchResponse): string[] {
  return batchesOf(p).filter((b) => b.isControl).map((b) => {
    const marker = endTxnMarkerOfBatch(b);
    return `${marker?.type === ControlRecordType.Commit ? 'commit' : 'abort'} ${b.producerId}/${b.producerEpoch}`;
  });
}

/**
 * The values a read_committed consumer keeps (the Java consumer's way): records of a producer are
 * skipped from the first offset of one of its aborted transactions up to its abort marker.
 */
function consumedValues(p: PartitionFetchResponse): string[] {
  const pending = [...(p.abortedTransactions ?? [])].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1));
  const abortedNow = new Set<bigint>();
  const values: string[] = [];
  for (const batch of batchesOf(p)) {
    while (pending.length > 0 && pending[0]!.firstOffset <= batch.baseOffset + BigInt(batch.lastOffsetDelta)) abortedNow.add(pending.shift()!.producerId);
    if (batch.isControl) {
      if (endTxnMarkerOfBatch(batch)?.type === ControlRecordType.Abort) abortedNow.delete(batch.producerId);
      continue;
    }
    if (batch.isTransactional && abortedNow.has(batch.producerId)) continue;
    values.push(...batch.records.map((r) => r.value?.toString() ?? ''));
  }
  return values;
}

/** Waits until the partition's last stable offset has caught up with its high watermark (no transaction open there). */
function settled(topic: string, partition: number): Promise<PartitionFetchResponse> {
  return eventually(async () => {
    const r = await fetchPartition(client, topic, partition, 0n);
    return r.lastStableOffset === r.highWatermark ? r : undefined;
  }, `${topic}-${partition} to have no open transaction`);
}

test('ApiVersions advertises the transaction APIs (EndTxn and AddPartitionsToTxn without their transaction.version 2 versions)', async () => {
  const r = await client.request<ApiVersionsResponse>(ApiKey.ApiVersions, 3, { ...ApiVersionsRequest.defaults(), clientSoftwareName: 't', clientSoftwareVersion: '1' });
  const offered = new Map(r.apiKeys.map((k) => [k.apiKey, [k.minVersion, k.maxVersion]]));
  assert.deepEqual(
    [ApiKey.InitProducerId, ApiKey.AddPartitionsToTxn, ApiKey.AddOffsetsToTxn, ApiKey.EndTxn, ApiKey.WriteTxnMarkers, ApiKey.TxnOffsetCommit,
      ApiKey.DescribeProducers, ApiKey.DescribeTransactions, ApiKey.ListTransactions].map((key) => offered.get(key)),
    [[0, 5], [0, 4], [0, 4], [0, 4], [0, 1], [0, 4], [0, 0], [0, 0], [0, 1]],
  );
});

test('FindCoordinator for transactional ids (v0-3 one key, v4+ a batch): __transaction_state is created on first use, internal, compacted and uncompressed', async () => {
  assert.equal(services().metadata.image.topicsByName.has('__transaction_state'), false);
  const { host, port } = services().advertisedEndpoints()[0]!;
  for (let version = 0; version <= 3; version++) {
    const r = await client.request<FindCoordinatorResponse>(ApiKey.FindCoordinator, version, { ...FindCoordinatorRequest.defaults(), key: `txn-v${version}`, keyType: 1 });
    if (version === 0) {
      // v0 has no key type: it is a group lookup.
      assert.equal(r.errorCode, ErrorCode.NONE);
      continue;
    }
    assert.deepEqual([r.errorCode, r.nodeId, r.host, r.port], [ErrorCode.NONE, 1, host, port], `v${version}`);
  }
  for (let version = 4; version <= 6; version++) {
    const r = await client.request<FindCoordinatorResponse>(ApiKey.FindCoordinator, version, { ...FindCoordinatorRequest.defaults(), keyType: 1, coordinatorKeys: ['a', 'ÅÄÖ-txn'] });
    assert.deepEqual(r.coordinators.map((c) => [c.key, c.errorCode, c.nodeId, c.host, c.port]), [['a', 0, 1, host, port], ['ÅÄÖ-txn', 0, 1, host, port]], `v${version}`);
  }
  const md = await client.request<MetadataResponse>(ApiKey.Metadata, 12, { ...MetadataRequest.defaults(), topics: [{ topicId: ZERO_UUID, name: '__transaction_state' }] });
  assert.equal(md.topics[0]!.isInternal, true);
  assert.equal(md.topics[0]!.partitions.length, TXN_PARTITIONS);
  assert.deepEqual(Object.fromEntries(services().metadata.image.topicConfigs.get('__transaction_state') ?? []), {
    'cleanup.policy': 'compact', 'compression.type': 'uncompressed', 'min.insync.replicas': '2',
    'segment.bytes': String(100 * 1024 * 1024), 'unclean.leader.election.enable': 'false',
  });
  await services().transactionCoordinator.whenLoaded();
  assert.equal(services().transactionCoordinator.loadReports().size, TXN_PARTITIONS);
});

test('InitProducerId without a transactional id: a fresh producer id at epoch 0 at every version; a producer id without an epoch is INVALID_REQUEST', async () => {
  const ids = new Set<bigint>();
  for (let version = 0; version <= 5; version++) {
    const r = await initProducerId(client, null, { version });
    assert.deepEqual([r.errorCode, r.producerEpoch], [ErrorCode.NONE, 0], `v${version}`);
    ids.add(r.producerId);
  }
  // KIP-360 fields are ignored for idempotent producers: a new id again.
  const resumed = await initProducerId(client, null, { version: 4, producerId: 0n, producerEpoch: 0 });
  assert.equal(resumed.errorCode, ErrorCode.NONE);
  ids.add(resumed.producerId);
  assert.equal(ids.size, 7, 'seven distinct producer ids');
  for (const bad of [{ producerId: 5n }, { producerEpoch: 2 }]) {
    const r = await initProducerId(client, null, { version: 3, ...bad });
    assert.deepEqual([r.errorCode, r.producerId, r.producerEpoch], [ErrorCode.INVALID_REQUEST, -1n, -1]);
  }
});

test('InitProducerId with a transactional id: empty id INVALID_REQUEST, timeout out of range INVALID_TRANSACTION_TIMEOUT, then epoch 0 and a bump per call', async () => {
  assert.equal((await initProducerId(client, '')).errorCode, ErrorCode.INVALID_REQUEST);
  for (const timeoutMs of [0, -1, 15 * 60 * 1000 + 1]) {
    assert.equal((await initProducerId(client, 'init-1', { timeoutMs })).errorCode, ErrorCode.INVALID_TRANSACTION_TIMEOUT, `timeout ${timeoutMs}`);
  }
  const first = await initTransactions(client, 'init-1');
  assert.equal(first.producerEpoch, 0);
  const second = await initTransactions(client, 'init-1');
  assert.deepEqual([second.producerId, second.producerEpoch], [first.producerId, 1]);
  const [described] = await describeTransactions(client, ['init-1']);
  assert.deepEqual(
    [described!.errorCode, described!.transactionState, described!.producerId, described!.producerEpoch, described!.transactionTimeoutMs, described!.topics],
    [ErrorCode.NONE, 'Empty', first.producerId, 1, 60_000, []],
  );
});

test('a committed transaction: its partitions are listed while it is open, the markers land in each, and read_committed then sees the records', async () => {
  const p = await initTransactions(client, 'commit-1');
  assert.deepEqual(await addPartitions(client, p, { orders: [0, 1] }), { 'orders-0': ErrorCode.NONE, 'orders-1': ErrorCode.NONE });
  await produceTxn(p, 'orders', 0, 0, 2, 'c0');
  await produceTxn(p, 'orders', 1, 0, 1, 'c1');
  const [open] = await describeTransactions(client, ['commit-1']);
  assert.equal(open!.transactionState, 'Ongoing');
  assert.deepEqual(open!.topics.map((t) => [t.topic, [...t.partitions].sort()]), [['orders', [0, 1]]]);
  assert.ok(open!.transactionStartTimeMs > 0n);
  const listed = await listTransactions(client, { states: ['Ongoing'], producerIds: [p.producerId] });
  assert.deepEqual(listed.transactionStates.map((t) => [t.transactionalId, t.producerId, t.transactionState]), [['commit-1', p.producerId, 'Ongoing']]);
  const whileOpen = await fetchPartition(client, 'orders', 0, 0n, { isolationLevel: READ_COMMITTED });
  assert.deepEqual(valuesOf(whileOpen), [], 'nothing is visible before the commit');

  assert.equal(await endTxn(client, p, true), ErrorCode.NONE);
  const done = await stateReached(client, 'commit-1', 'CompleteCommit');
  assert.deepEqual(done.topics, [], 'a completed transaction holds no partitions');
  for (const [partition, values] of [[0, ['c0-0', 'c0-1']], [1, ['c1-0']]] as const) {
    const uncommitted = await settled('orders', partition);
    assert.deepEqual(markersOf(uncommitted), [`commit ${p.producerId}/${p.producerEpoch}`], `the commit marker in orders-${partition}`);
    const committed = await fetchPartition(client, 'orders', partition, 0n, { isolationLevel: READ_COMMITTED });
    assert.deepEqual(valuesOf(committed), values);
    assert.deepEqual(consumedValues(committed), values);
    assert.deepEqual(committed.abortedTransactions, []);
  }
  // A retried commit of the completed transaction succeeds; an abort of it is INVALID_TXN_STATE.
  assert.equal(await endTxn(client, p, true), ErrorCode.NONE);
  assert.equal(await endTxn(client, p, false), ErrorCode.INVALID_TXN_STATE);
});

test('an aborted transaction: the abort marker lands; read_committed lists it as aborted, so consumers drop its records', async () => {
  const p = await initTransactions(client, 'abort-1');
  assert.deepEqual(await addPartitions(client, p, { orders: [2] }), { 'orders-2': ErrorCode.NONE });
  await produceTxn(p, 'orders', 2, 0, 3, 'a');
  assert.equal(await endTxn(client, p, false), ErrorCode.NONE);
  await stateReached(client, 'abort-1', 'CompleteAbort');
  const uncommitted = await settled('orders', 2);
  assert.deepEqual(valuesOf(uncommitted), ['a-0', 'a-1', 'a-2']);
  assert.deepEqual(markersOf(uncommitted), [`abort ${p.producerId}/${p.producerEpoch}`]);
  const committed = await fetchPartition(client, 'orders', 2, 0n, { isolationLevel: READ_COMMITTED });
  assert.deepEqual(committed.abortedTransactions?.map((t) => [t.producerId, t.firstOffset]), [[p.producerId, 0n]]);
  assert.deepEqual(consumedValues(committed), []);
});

test('AddPartitionsToTxn: a partition the cluster lacks fails the whole transaction; unknown ids and producers get Kafka\'s codes; v4 batches across shards', async () => {
  const p = await initTransactions(client, 'add-1');
  assert.deepEqual(await addPartitions(client, p, { orders: [0, 7], nowhere: [0] }), {
    'orders-0': ErrorCode.OPERATION_NOT_ATTEMPTED, 'orders-7': ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'nowhere-0': ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  });
  assert.equal((await describeTransactions(client, ['add-1']))[0]!.transactionState, 'Empty', 'nothing was added');
  assert.deepEqual(await addPartitions(client, { ...p, transactionalId: 'never-initialized' }, { orders: [0] }), { 'orders-0': ErrorCode.INVALID_PRODUCER_ID_MAPPING });
  assert.deepEqual(await addPartitions(client, { ...p, producerId: p.producerId + 1000n }, { orders: [0] }), { 'orders-0': ErrorCode.INVALID_PRODUCER_ID_MAPPING });
  assert.deepEqual(await addPartitions(client, { ...p, transactionalId: '' }, { orders: [0] }), { 'orders-0': ErrorCode.INVALID_REQUEST });

  // Two transactional ids owned by different shards, in one v4 request.
  const coordinator = services().transactionCoordinator;
  const other = Array.from({ length: 50 }, (_, i) => `add-other-${i}`).find((id) => coordinator.partitionFor(id) !== coordinator.partitionFor('add-1'))!;
  const q = await initTransactions(client, other);
  const batch = await addPartitionsBatch(client, [{ producer: p, topics: { orders: [1] } }, { producer: q, topics: { orders: [2], nowhere: [1] } }]);
  assert.deepEqual(batch, {
    'add-1': { 'orders-1': ErrorCode.NONE },
    [other]: { 'orders-2': ErrorCode.OPERATION_NOT_ATTEMPTED, 'nowhere-1': ErrorCode.UNKNOWN_TOPIC_OR_PARTITION },
  });
  assert.deepEqual((await describeTransactions(client, ['add-1']))[0]!.topics.map((t) => [t.topic, t.partitions]), [['orders', [1]]]);
  const verified = await addPartitionsBatch(client, [{ producer: p, topics: { orders: [1] }, verifyOnly: true }]);
  assert.equal(verified['add-1']!['orders-1'], ErrorCode.NONE, 'VerifyOnly: the partition is in the transaction');
  assert.equal(await endTxn(client, p, false), ErrorCode.NONE);
  await stateReached(client, 'add-1', 'CompleteAbort');
});

test('zombie fencing: a second InitProducerId aborts the open transaction and bumps the epoch; the old producer is fenced', async () => {
  const zombie = await initTransactions(client, 'fence-1');
  assert.deepEqual(await addPartitions(client, zombie, { orders: [1] }), { 'orders-1': ErrorCode.NONE });
  await produceTxn(zombie, 'orders', 1, 0, 2, 'zombie');
  const first = await initProducerId(client, 'fence-1');
  assert.equal(first.errorCode, ErrorCode.CONCURRENT_TRANSACTIONS, 'the open transaction is aborted first');
  const fresh = await initTransactions(client, 'fence-1');
  assert.equal(fresh.producerId, zombie.producerId);
  assert.ok(fresh.producerEpoch > zombie.producerEpoch + 1, 'the abort took an epoch, the new producer the next');

  assert.equal(await endTxn(client, zombie, true, 2), ErrorCode.PRODUCER_FENCED);
  assert.equal(await endTxn(client, zombie, true, 1), ErrorCode.INVALID_PRODUCER_EPOCH);
  assert.deepEqual(await addPartitions(client, zombie, { orders: [1] }, 2), { 'orders-1': ErrorCode.PRODUCER_FENCED });
  assert.deepEqual(await addPartitions(client, zombie, { orders: [1] }, 1), { 'orders-1': ErrorCode.INVALID_PRODUCER_EPOCH });
  assert.equal(await addOffsets(client, zombie, 'g', 2), ErrorCode.PRODUCER_FENCED);
  const late = await produce(client, 'orders', 1, producerBatch({ ...zombie, baseSequence: 2, count: 1, transactional: true, prefix: 'zombie' }), 'fence-1');
  assert.equal(late.errorCode, ErrorCode.INVALID_PRODUCER_EPOCH, 'the partition fences the old epoch too');

  await settled('orders', 1);
  const committed = await fetchPartition(client, 'orders', 1, 0n, { isolationLevel: READ_COMMITTED });
  assert.ok(valuesOf(committed).includes('zombie-0'), 'read_committed returns aborted records, for the consumer to drop');
  assert.equal(consumedValues(committed).some((v) => v.startsWith('zombie')), false, 'the zombie\'s records were aborted');
  assert.ok(committed.abortedTransactions?.some((t) => t.producerId === zombie.producerId));
});

test('a transaction open longer than its timeout is aborted by the coordinator; its producer is fenced', async () => {
  const p = await initTransactions(client, 'timeout-1', 300);
  assert.deepEqual(await addPartitions(client, p, { orders: [0] }), { 'orders-0': ErrorCode.NONE });
  await produceTxn(p, 'orders', 0, 0, 1, 'late');
  const aborted = await stateReached(client, 'timeout-1', 'CompleteAbort');
  assert.ok(aborted.producerEpoch > p.producerEpoch, 'the coordinator bumped the epoch');
  assert.equal(await endTxn(client, p, true, 3), ErrorCode.PRODUCER_FENCED);
  await settled('orders', 0);
  const committed = await fetchPartition(client, 'orders', 0, 0n, { isolationLevel: READ_COMMITTED });
  assert.ok(committed.abortedTransactions?.some((t) => t.producerId === p.producerId));
  assert.equal(consumedValues(committed).includes('late-0'), false);
  assert.ok(consumedValues(committed).includes('c0-0'), 'the committed transaction before it stays');
});

test('offsets sent with a transaction: AddOffsetsToTxn, TxnOffsetCommit, then the commit marker makes them visible to OffsetFetch', async () => {
  const group = 'txn-group';
  const found = await client.request<FindCoordinatorResponse>(ApiKey.FindCoordinator, 3, { ...FindCoordinatorRequest.defaults(), key: group, keyType: 0 });
  assert.equal(found.errorCode, ErrorCode.NONE);
  const p = await initTransactions(client, 'offsets-1');
  assert.equal(await addOffsets(client, p, group), ErrorCode.NONE);
  const offsetsPartition = services().groupCoordinator.partitionFor(group);
  assert.deepEqual((await describeTransactions(client, ['offsets-1']))[0]!.topics.map((t) => [t.topic, t.partitions]), [['__consumer_offsets', [offsetsPartition]]]);
  const commit = await client.request<TxnOffsetCommitResponse>(ApiKey.TxnOffsetCommit, 3, {
    transactionalId: 'offsets-1', groupId: group, producerId: p.producerId, producerEpoch: p.producerEpoch, generationId: -1, memberId: '', groupInstanceId: null,
    topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 42n, committedLeaderEpoch: -1, committedMetadata: 'txn' }] }],
  });
  assert.equal(commit.topics[0]!.partitions[0]!.errorCode, ErrorCode.NONE);
  const fetchOffset = async () => {
    const r = await client.request<OffsetFetchResponse>(ApiKey.OffsetFetch, 7, {
      ...OffsetFetchRequest.defaults(), groupId: group, topics: [{ name: 'orders', partitionIndexes: [0] }], requireStable: false,
    });
    return r.topics[0]!.partitions[0]!.committedOffset;
  };
  assert.equal(await fetchOffset(), -1n, 'not visible before the commit');
  assert.equal(await endTxn(client, p, true), ErrorCode.NONE);
  await stateReached(client, 'offsets-1', 'CompleteCommit');
  assert.equal(await fetchOffset(), 42n);
});

test('DescribeTransactions answers in the order asked (unknown ids TRANSACTIONAL_ID_NOT_FOUND, empty INVALID_REQUEST); ListTransactions filters and echoes unknown states', async () => {
  await initTransactions(client, 'list-1');
  const described = await describeTransactions(client, ['list-1', 'no-such-id', '', 'init-1']);
  assert.deepEqual(described.map((d) => [d.transactionalId, d.errorCode]), [
    ['list-1', ErrorCode.NONE], ['no-such-id', ErrorCode.TRANSACTIONAL_ID_NOT_FOUND], ['', ErrorCode.INVALID_REQUEST], ['init-1', ErrorCode.NONE],
  ]);
  const all = await listTransactions(client);
  assert.equal(all.errorCode, ErrorCode.NONE);
  const names = all.transactionStates.map((t) => t.transactionalId);
  for (const id of ['init-1', 'commit-1', 'abort-1', 'list-1']) assert.ok(names.includes(id), id);
  const empty = await listTransactions(client, { states: ['Empty', 'Bogus', 'ongoing'] });
  assert.deepEqual(empty.unknownStateFilters.sort(), ['Bogus', 'ongoing']);
  assert.ok(empty.transactionStates.length > 0);
  assert.ok(empty.transactionStates.every((t) => t.transactionState === 'Empty'));
  const none = await listTransactions(client, { states: ['Bogus'] });
  assert.deepEqual([none.transactionStates, none.unknownStateFilters], [[], ['Bogus']]);
  const v0 = await listTransactions(client, { states: ['CompleteCommit'] }, 0);
  assert.ok(v0.transactionStates.some((t) => t.transactionalId === 'commit-1'));
  // v1: only transactions running longer than the duration (none is running for an hour).
  const old = await listTransactions(client, { durationMs: 3_600_000n });
  assert.deepEqual(old.transactionStates, []);
});
