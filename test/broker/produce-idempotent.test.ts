/**
 * Idempotent produce over a real socket: a retried batch answers its first offsets and writes
 * nothing, a sequence gap and an older producer epoch get Kafka's error codes, transactional
 * records need a transactional id, and DescribeProducers reports the producer's state.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/protocol/index.js';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { RawClient, createTopic } from './raw-client.js';
import { describeProducers, fetchPartition, listOffset, produce, producerBatch, valuesOf } from './txn-data-requests.js';

const LATEST = -1n;

let broker: TestBroker;
let client: RawClient;
before(async () => {
  broker = await startBroker();
  client = await RawClient.connect('127.0.0.1', broker.port);
  await createTopic(client, 'idem', 2);
});
after(async () => {
  client?.close();
  await broker?.stop();
});

test('a retried idempotent batch answers its first offset and is not written again', async () => {
  const producerId = 1000n;
  const first = producerBatch({ producerId, producerEpoch: 0, baseSequence: 0, count: 3, prefix: 'a' });
  const a = await produce(client, 'idem', 0, first);
  assert.equal(a.errorCode, ErrorCode.NONE);
  assert.equal(a.baseOffset, 0n);
  const b = await produce(client, 'idem', 0, producerBatch({ producerId, producerEpoch: 0, baseSequence: 3, count: 2, prefix: 'a' }));
  assert.equal(b.errorCode, ErrorCode.NONE);
  assert.equal(b.baseOffset, 3n);

  for (const [batch, baseOffset] of [[first, 0n], [producerBatch({ producerId, producerEpoch: 0, baseSequence: 3, count: 2, prefix: 'a' }), 3n]] as const) {
    const retried = await produce(client, 'idem', 0, batch);
    assert.equal(retried.errorCode, ErrorCode.NONE, 'a duplicate is a success');
    assert.equal(retried.baseOffset, baseOffset, 'with the offset of the first write');
    assert.equal(retried.logAppendTimeMs, -1n);
    assert.equal(retried.logStartOffset, 0n);
  }
  assert.equal((await listOffset(client, 'idem', 0, LATEST)).offset, 5n, 'nothing was appended');
  const read = await fetchPartition(client, 'idem', 0, 0n);
  assert.equal(read.highWatermark, 5n);
  assert.deepEqual(valuesOf(read), ['a-0', 'a-1', 'a-2', 'a-3', 'a-4']);
});

test('a gap in sequences answers OUT_OF_ORDER_SEQUENCE_NUMBER and writes nothing', async () => {
  const producerId = 1001n;
  assert.equal((await produce(client, 'idem', 1, producerBatch({ producerId, producerEpoch: 0, baseSequence: 0, count: 2 }))).errorCode, ErrorCode.NONE);
  const before = (await listOffset(client, 'idem', 1, LATEST)).offset;
  const gap = await produce(client, 'idem', 1, producerBatch({ producerId, producerEpoch: 0, baseSequence: 5, count: 1 }));
  assert.equal(gap.errorCode, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
  assert.equal(gap.baseOffset, -1n);
  assert.equal((await listOffset(client, 'idem', 1, LATEST)).offset, before);
  const next = await produce(client, 'idem', 1, producerBatch({ producerId, producerEpoch: 0, baseSequence: 2, count: 1 }));
  assert.equal(next.errorCode, ErrorCode.NONE, 'the next sequence still goes in');
  assert.equal(next.baseOffset, before);
});

test('a batch with an older producer epoch answers INVALID_PRODUCER_EPOCH', async () => {
  const producerId = 1002n;
  assert.equal((await produce(client, 'idem', 1, producerBatch({ producerId, producerEpoch: 3, baseSequence: 0, count: 1 }))).errorCode, ErrorCode.NONE);
  const before = (await listOffset(client, 'idem', 1, LATEST)).offset;
  const stale = await produce(client, 'idem', 1, producerBatch({ producerId, producerEpoch: 2, baseSequence: 1, count: 1 }));
  assert.equal(stale.errorCode, ErrorCode.INVALID_PRODUCER_EPOCH);
  assert.equal((await listOffset(client, 'idem', 1, LATEST)).offset, before);
  const bumped = await produce(client, 'idem', 1, producerBatch({ producerId, producerEpoch: 4, baseSequence: 0, count: 1 }));
  assert.equal(bumped.errorCode, ErrorCode.NONE, 'a newer epoch starts again at sequence 0');
});

test('transactional records without a transactional id are refused for the whole request', async () => {
  const batch = producerBatch({ producerId: 1003n, producerEpoch: 0, baseSequence: 0, count: 1, transactional: true });
  const before = (await listOffset(client, 'idem', 0, LATEST)).offset;
  const r = await produce(client, 'idem', 0, batch, null);
  assert.equal(r.errorCode, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
  assert.equal((await listOffset(client, 'idem', 0, LATEST)).offset, before);
});

test('DescribeProducers reports each producer of a partition; unknown partitions get an error', async () => {
  const producerId = 1004n;
  const timestamp = 1_700_000_000_000n;
  await createTopic(client, 'idem-describe', 1);
  assert.equal((await produce(client, 'idem-describe', 0, producerBatch({ producerId, producerEpoch: 2, baseSequence: 0, count: 4, timestamp }))).errorCode, ErrorCode.NONE);
  assert.equal((await produce(client, 'idem-describe', 0, producerBatch({ producerId: 1005n, producerEpoch: 0, baseSequence: 0, count: 1, timestamp, transactional: true }), 'tx-describe')).errorCode, ErrorCode.NONE);
  const r = await describeProducers(client, 'idem-describe', [0, 7]);
  assert.equal(r.topics.length, 1);
  const [known, unknown] = r.topics[0]!.partitions;
  assert.equal(known!.errorCode, ErrorCode.NONE);
  const producers = [...known!.activeProducers].sort((x, y) => Number(x.producerId - y.producerId));
  assert.deepEqual(producers.map((p) => ({ ...p, _unknownTaggedFields: undefined })), [
    { producerId, producerEpoch: 2, lastSequence: 3, lastTimestamp: timestamp, coordinatorEpoch: -1, currentTxnStartOffset: -1n, _unknownTaggedFields: undefined },
    { producerId: 1005n, producerEpoch: 0, lastSequence: 0, lastTimestamp: timestamp, coordinatorEpoch: -1, currentTxnStartOffset: 4n, _unknownTaggedFields: undefined },
  ]);
  assert.equal(unknown!.partitionIndex, 7);
  assert.equal(unknown!.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  const missing = await describeProducers(client, 'no-such-topic', [0]);
  assert.equal(missing.topics[0]!.partitions[0]!.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
});
