/**
 * KafkaJS's idempotent producer against a real broker: it gets a producer id (InitProducerId),
 * writes batches with contiguous sequences, and everything reads back once, in order.
 * DescribeProducers then shows the producer's last sequence.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/protocol/index.js';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { missing } from './missing-client.js';
import { RawClient, createTopic } from './raw-client.js';
import { batchesOf, describeProducers, fetchPartition, valuesOf } from './txn-data-requests.js';

const TOPIC = 'idem-kafkajs';
const SENDS = 5;
const PER_SEND = 20;

let broker: TestBroker;
let client: RawClient;
before(async () => {
  broker = await startBroker();
  client = await RawClient.connect('127.0.0.1', broker.port);
  await createTopic(client, TOPIC, 1);
});
after(async () => {
  client?.close();
  await broker?.stop();
});

test('KafkaJS idempotent producer: sequences in order, read back exactly once', { timeout: 60_000 }, async (t) => {
  const kafkajs = (await import('kafkajs').catch(() => null))?.default;
  if (!kafkajs) return missing(t, 'kafkajs');
  const kafka = new kafkajs.Kafka({ clientId: 'kjs-idem', brokers: [broker.bootstrap], logLevel: kafkajs.logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let s = 0; s < SENDS; s++) {
      const messages = Array.from({ length: PER_SEND }, (_, i) => ({ partition: 0, value: `m${s * PER_SEND + i}` }));
      const [meta] = await producer.send({ topic: TOPIC, acks: -1, messages });
      assert.equal(meta?.errorCode, 0);
      assert.equal(meta?.baseOffset, String(s * PER_SEND));
    }
  } finally {
    await producer.disconnect();
  }
  const read = await fetchPartition(client, TOPIC, 0, 0n);
  const total = SENDS * PER_SEND;
  assert.deepEqual(valuesOf(read), Array.from({ length: total }, (_, i) => `m${i}`));
  const batches = batchesOf(read);
  const producerId = batches[0]!.producerId;
  assert.ok(producerId >= 0n, 'the batches carry a producer id');
  let sequence = 0;
  for (const b of batches) {
    assert.equal(b.producerId, producerId);
    assert.equal(b.baseSequence, sequence, 'sequences are contiguous from 0');
    sequence += b.recordsCount;
  }
  const described = await describeProducers(client, TOPIC, [0]);
  const partition = described.topics[0]!.partitions[0]!;
  assert.equal(partition.errorCode, ErrorCode.NONE);
  assert.deepEqual(partition.activeProducers.map((p) => [p.producerId, p.lastSequence, p.currentTxnStartOffset]), [[producerId, total - 1, -1n]]);
});
