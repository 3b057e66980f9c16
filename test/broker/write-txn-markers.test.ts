/**
 * WriteTxnMarkers (27) over a real socket, v0 and v1: markers end transactions in the
 * partitions named (the last stable offset moves), per-partition errors as Kafka's (unknown
 * partitions, a fenced coordinator epoch, an older producer epoch), markers of one request land
 * in request order, and `__consumer_offsets` partitions go through the group coordinator.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, decodeEndTxnMarker } from '../../src/protocol/index.js';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { RawClient, createTopic } from './raw-client.js';
import {
  READ_COMMITTED, batchesOf, fetchPartition, listOffset, markerErrors, produce, producerBatch, writeTxnMarkers,
} from './txn-data-requests.js';

const LATEST = -1n;
const TXN_ID = 'tx-markers';

let broker: TestBroker;
let client: RawClient;
before(async () => {
  broker = await startBroker({ config: { 'offsets.topic.num.partitions': '3' } });
  client = await RawClient.connect('127.0.0.1', broker.port);
  await createTopic(client, 'wtm', 2);
});
after(async () => {
  client?.close();
  await broker?.stop();
});

const lso = async (partition: number): Promise<bigint> => (await listOffset(client, 'wtm', partition, LATEST, READ_COMMITTED)).offset;

async function openTxn(partition: number, producerId: bigint, producerEpoch: number, baseSequence: number): Promise<bigint> {
  const r = await produce(client, 'wtm', partition, producerBatch({ producerId, producerEpoch, baseSequence, count: 1, transactional: true }), TXN_ID);
  assert.equal(r.errorCode, ErrorCode.NONE);
  return r.baseOffset;
}

test('a commit marker ends the transaction in every partition named; unknown partitions are reported', async () => {
  const producerId = 3000n;
  await openTxn(0, producerId, 0, 0);
  await openTxn(1, producerId, 0, 0);
  assert.deepEqual([await lso(0), await lso(1)], [0n, 0n]);
  const r = await writeTxnMarkers(client, [{
    producerId, producerEpoch: 0, coordinatorEpoch: 5, committed: true,
    topics: [{ name: 'wtm', partitions: [0, 1, 9] }, { name: 'no-such-topic', partitions: [0] }],
  }]);
  assert.equal(r.markers[0]!.producerId, producerId);
  assert.deepEqual(markerErrors(r), [{
    'wtm-0': ErrorCode.NONE, 'wtm-1': ErrorCode.NONE, 'wtm-9': ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'no-such-topic-0': ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  }]);
  assert.deepEqual([await lso(0), await lso(1)], [2n, 2n]);
  const control = batchesOf(await fetchPartition(client, 'wtm', 0, 0n)).filter((b) => b.isControl);
  assert.equal(control.length, 1);
  assert.equal(control[0]!.producerId, producerId);
  assert.deepEqual(decodeEndTxnMarker(control[0]!.records[0]!), { type: 1, coordinatorEpoch: 5 });
});

test('a marker from an older coordinator epoch or an older producer epoch is refused (v0)', async () => {
  const producerId = 3001n;
  const first = await openTxn(0, producerId, 2, 0);
  const abort = { producerId, committed: false, topics: [{ name: 'wtm', partitions: [0] }] };
  const seeded = await writeTxnMarkers(client, [{ ...abort, producerEpoch: 2, coordinatorEpoch: 7 }], 0);
  assert.deepEqual(markerErrors(seeded), [{ 'wtm-0': ErrorCode.NONE }]);
  await openTxn(0, producerId, 2, 1);
  const stuck = await lso(0);
  const fenced = await writeTxnMarkers(client, [{ ...abort, producerEpoch: 2, coordinatorEpoch: 6 }], 0);
  assert.deepEqual(markerErrors(fenced), [{ 'wtm-0': ErrorCode.TRANSACTION_COORDINATOR_FENCED }]);
  const stale = await writeTxnMarkers(client, [{ ...abort, producerEpoch: 1, coordinatorEpoch: 7 }], 0);
  assert.deepEqual(markerErrors(stale), [{ 'wtm-0': ErrorCode.INVALID_PRODUCER_EPOCH }]);
  assert.equal(await lso(0), stuck, 'refused markers leave the transaction open');
  assert.ok(stuck > first);
  const ok = await writeTxnMarkers(client, [{ ...abort, producerEpoch: 2, coordinatorEpoch: 7 }], 0);
  assert.deepEqual(markerErrors(ok), [{ 'wtm-0': ErrorCode.NONE }]);
  assert.ok(await lso(0) > stuck);
});

test('markers of one request land in request order', async () => {
  await openTxn(1, 3002n, 0, 0);
  await openTxn(1, 3003n, 0, 0);
  const r = await writeTxnMarkers(client, [
    { producerId: 3003n, producerEpoch: 0, coordinatorEpoch: 1, committed: false, topics: [{ name: 'wtm', partitions: [1] }] },
    { producerId: 3002n, producerEpoch: 0, coordinatorEpoch: 1, committed: true, topics: [{ name: 'wtm', partitions: [1] }] },
  ]);
  assert.deepEqual(r.markers.map((m) => m.producerId), [3003n, 3002n]);
  assert.deepEqual(markerErrors(r), [{ 'wtm-1': ErrorCode.NONE }, { 'wtm-1': ErrorCode.NONE }]);
  const read = await fetchPartition(client, 'wtm', 1, 0n, { isolationLevel: READ_COMMITTED });
  const markers = batchesOf(read).filter((b) => b.isControl && (b.producerId === 3002n || b.producerId === 3003n));
  assert.deepEqual(markers.map((b) => b.producerId), [3003n, 3002n]);
  assert.deepEqual(read.abortedTransactions?.map((t) => t.producerId), [3003n]);
});

test('__consumer_offsets markers go through the group coordinator', async () => {
  const marker = { producerId: 3004n, producerEpoch: 0, coordinatorEpoch: 0, committed: true, topics: [{ name: '__consumer_offsets', partitions: [0] }] };
  assert.deepEqual(markerErrors(await writeTxnMarkers(client, [marker])), [{ '__consumer_offsets-0': ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }], 'before the topic exists');
  const groups = broker.broker.services.groupCoordinator;
  assert.equal(await groups.ensureOffsetsTopic(), ErrorCode.NONE);
  await groups.whenLoaded();
  assert.deepEqual(markerErrors(await writeTxnMarkers(client, [marker])), [{ '__consumer_offsets-0': ErrorCode.NONE }]);
  const control = batchesOf(await fetchPartition(client, '__consumer_offsets', 0, 0n)).filter((b) => b.isControl);
  assert.deepEqual(control.map((b) => b.producerId), [3004n]);
});
