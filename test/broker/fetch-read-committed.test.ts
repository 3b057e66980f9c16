/**
 * read_committed over a real socket: Fetch stops at the last stable offset while a transaction
 * is open and carries the aborted transactions once it is aborted; read_uncommitted sees
 * everything; ListOffsets answers by isolation level; a read_committed long poll wakes when the
 * marker is written. Markers go through the replica manager (WriteTxnMarkers has its own test).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, encodeRecordBatchSync } from '../../src/protocol/index.js';
import type { TxnMarker } from '../../src/storage/index.js';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { RawClient, createTopic } from './raw-client.js';
import {
  READ_COMMITTED, READ_UNCOMMITTED, type PartitionFetchResponse, batchesOf, fetchPartition, listOffset, produce, producerBatch, valuesOf,
} from './txn-data-requests.js';

const LATEST = -1n;
const MAX_TIMESTAMP = -3n;
const TXN_ID = 'tx-rc';

let broker: TestBroker;
let client: RawClient;
let pollClient: RawClient;
before(async () => {
  broker = await startBroker();
  client = await RawClient.connect('127.0.0.1', broker.port);
  pollClient = await RawClient.connect('127.0.0.1', broker.port);
  await createTopic(client, 'rc', 2);
});
after(async () => {
  client?.close();
  pollClient?.close();
  await broker?.stop();
});

function plainBatch(values: string[], timestamp: bigint): Buffer {
  return encodeRecordBatchSync({ records: values.map((v, i) => ({ offsetDelta: i, timestamp, key: null, value: Buffer.from(v) })) });
}

async function appendMarker(partition: number, marker: TxnMarker): Promise<void> {
  const r = await broker.broker.services.replicas.appendTxnMarker('rc', partition, marker);
  assert.equal(r.errorCode, ErrorCode.NONE);
}

const aborted = (p: PartitionFetchResponse) => p.abortedTransactions?.map((t) => ({ producerId: t.producerId, firstOffset: t.firstOffset })) ?? null;

test('read_committed stops at the open transaction, sees the aborted list after the abort, then a commit', async () => {
  const producerId = 2000n;
  assert.equal((await produce(client, 'rc', 0, plainBatch(['p-0', 'p-1'], 1000n))).baseOffset, 0n);
  const txn = await produce(client, 'rc', 0, producerBatch({ producerId, producerEpoch: 0, baseSequence: 0, count: 2, transactional: true, timestamp: 2000n, prefix: 'T' }), TXN_ID);
  assert.equal(txn.errorCode, ErrorCode.NONE);
  assert.equal(txn.baseOffset, 2n);
  assert.equal((await produce(client, 'rc', 0, plainBatch(['after'], 3000n))).baseOffset, 4n);

  const committed = await fetchPartition(client, 'rc', 0, 0n, { isolationLevel: READ_COMMITTED });
  assert.equal(committed.errorCode, ErrorCode.NONE);
  assert.deepEqual(valuesOf(committed), ['p-0', 'p-1'], 'nothing at or past the last stable offset');
  assert.equal(committed.highWatermark, 5n);
  assert.equal(committed.lastStableOffset, 2n);
  assert.deepEqual(aborted(committed), []);
  const atLso = await fetchPartition(client, 'rc', 0, 2n, { isolationLevel: READ_COMMITTED });
  assert.deepEqual(valuesOf(atLso), []);

  const uncommitted = await fetchPartition(client, 'rc', 0, 0n, { isolationLevel: READ_UNCOMMITTED });
  assert.deepEqual(valuesOf(uncommitted), ['p-0', 'p-1', 'T-0', 'T-1', 'after']);
  assert.equal(uncommitted.lastStableOffset, 2n, 'the last stable offset is reported to every reader');
  assert.equal(uncommitted.abortedTransactions, null);

  await appendMarker(0, { producerId, producerEpoch: 0, coordinatorEpoch: 0, committed: false });
  const afterAbort = await fetchPartition(client, 'rc', 0, 0n, { isolationLevel: READ_COMMITTED, version: 4 });
  assert.equal(afterAbort.lastStableOffset, 6n);
  assert.equal(afterAbort.highWatermark, 6n);
  assert.deepEqual(valuesOf(afterAbort), ['p-0', 'p-1', 'T-0', 'T-1', 'after'], 'the consumer drops aborted records itself');
  // The marker starts a new segment (segment.ms, counted from the 1970 timestamps above), and one
  // fetch reads from one segment, as in Kafka: the consumer finds it with its next fetch.
  const fromMarker = await fetchPartition(client, 'rc', 0, 5n, { isolationLevel: READ_COMMITTED, version: 4 });
  const control = batchesOf(fromMarker).filter((b) => b.isControl);
  assert.deepEqual(control.map((b) => [b.baseOffset, b.producerId]), [[5n, producerId]]);
  assert.deepEqual(aborted(afterAbort), [{ producerId, firstOffset: 2n }]);
  assert.deepEqual(aborted(await fetchPartition(client, 'rc', 0, 3n, { isolationLevel: READ_COMMITTED })), [{ producerId, firstOffset: 2n }]);
  assert.deepEqual(aborted(await fetchPartition(client, 'rc', 0, 6n, { isolationLevel: READ_COMMITTED })), [], 'past the marker: nothing to drop');

  const next = await produce(client, 'rc', 0, producerBatch({ producerId, producerEpoch: 0, baseSequence: 2, count: 1, transactional: true, prefix: 'C' }), TXN_ID);
  assert.equal(next.baseOffset, 6n);
  await appendMarker(0, { producerId, producerEpoch: 0, coordinatorEpoch: 0, committed: true });
  const afterCommit = await fetchPartition(client, 'rc', 0, 6n, { isolationLevel: READ_COMMITTED });
  assert.deepEqual(valuesOf(afterCommit), ['C-2']);
  assert.deepEqual(aborted(afterCommit), []);
  assert.equal(afterCommit.lastStableOffset, 8n);
});

test('ListOffsets: latest and timestamp lookups stop at the last stable offset for read_committed', async () => {
  await createTopic(client, 'rc-offsets', 1);
  await produce(client, 'rc-offsets', 0, plainBatch(['a', 'b'], 1000n));
  await produce(client, 'rc-offsets', 0, producerBatch({ producerId: 2001n, producerEpoch: 0, baseSequence: 0, count: 1, transactional: true, timestamp: 2000n }), TXN_ID);
  await produce(client, 'rc-offsets', 0, plainBatch(['c'], 3000n));
  const ask = (timestamp: bigint, isolation: number) => listOffset(client, 'rc-offsets', 0, timestamp, isolation);

  assert.equal((await ask(LATEST, READ_UNCOMMITTED)).offset, 4n);
  assert.equal((await ask(LATEST, READ_COMMITTED)).offset, 2n);
  assert.equal((await ask(500n, READ_COMMITTED)).offset, 0n, 'below the last stable offset: found');
  assert.equal((await ask(2500n, READ_UNCOMMITTED)).offset, 3n);
  assert.deepEqual(await ask(2500n, READ_COMMITTED), { errorCode: ErrorCode.NONE, offset: -1n, timestamp: -1n });
  assert.equal((await ask(MAX_TIMESTAMP, READ_UNCOMMITTED)).offset, 3n);
  assert.equal((await ask(MAX_TIMESTAMP, READ_COMMITTED)).offset, -1n);

  const r = await broker.broker.services.replicas.appendTxnMarker('rc-offsets', 0, { producerId: 2001n, producerEpoch: 0, coordinatorEpoch: 0, committed: true });
  assert.equal(r.errorCode, ErrorCode.NONE);
  assert.equal((await ask(LATEST, READ_COMMITTED)).offset, 5n);
  assert.equal((await ask(2500n, READ_COMMITTED)).offset, 3n);
});

test('a read_committed long poll waits past uncommitted data and wakes on the marker', { timeout: 30_000 }, async () => {
  const producerId = 2002n;
  assert.equal((await produce(client, 'rc', 1, producerBatch({ producerId, producerEpoch: 0, baseSequence: 0, count: 1, transactional: true, prefix: 'L' }), TXN_ID)).baseOffset, 0n);
  let answered = false;
  // Longer than the test's timeout: only the marker can answer it in time.
  const poll = fetchPartition(pollClient, 'rc', 1, 0n, { isolationLevel: READ_COMMITTED, minBytes: 1, maxWaitMs: 120_000 }).finally(() => { answered = true; });
  assert.equal((await produce(client, 'rc', 1, plainBatch(['late'], 1000n))).baseOffset, 1n);
  assert.equal((await fetchPartition(client, 'rc', 1, 0n, { isolationLevel: READ_COMMITTED })).lastStableOffset, 0n);
  assert.equal(answered, false, 'data above the last stable offset does not answer a read_committed poll');
  await appendMarker(1, { producerId, producerEpoch: 0, coordinatorEpoch: 0, committed: true });
  const woken = await poll;
  assert.equal(woken.lastStableOffset, 3n);
  assert.deepEqual(valuesOf(woken), ['L-0', 'late']);
});
