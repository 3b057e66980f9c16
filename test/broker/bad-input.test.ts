/**
 * Bad input over a real socket: the answer Kafka gives (an error code, or a closed connection),
 * and the broker keeps serving everyone else.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import {
  ApiKey, CreateTopicsRequest, type CreateTopicsResponse, ErrorCode, FetchRequest, type FetchResponse, MetadataRequest, type MetadataResponse, type ProduceResponse,
  encodeRecordBatchSync, encodeRequestFrame,
} from '../../src/protocol/index.js';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { RawClient, produceRequest } from './raw-client.js';

let broker: TestBroker;
before(async () => {
  broker = await startBroker({ config: { 'socket.request.max.bytes': '65536' } });
});
after(async () => {
  await broker?.stop();
});

/** Sends raw bytes; resolves true when the broker closes the connection within the wait. */
function closedAfter(bytes: Buffer, waitMs = 3000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(broker.port, '127.0.0.1', () => s.write(bytes));
    const timer = setTimeout(() => { s.destroy(); resolve(false); }, waitMs);
    s.on('data', () => undefined);
    s.on('error', () => undefined);
    s.on('close', () => { clearTimeout(timer); resolve(true); });
  });
}

async function stillServing(): Promise<void> {
  const c = await RawClient.connect('127.0.0.1', broker.port);
  const md = await c.request<MetadataResponse>(ApiKey.Metadata, 12, { ...MetadataRequest.defaults(), topics: null });
  assert.equal(md.brokers[0]?.nodeId, 1);
  c.close();
}

const produce = (topic: string, records: Buffer): unknown => produceRequest(topic, 0, records);

test('a frame larger than socket.request.max.bytes closes the connection', async () => {
  const header = Buffer.alloc(4);
  header.writeInt32BE(10 * 1024 * 1024);
  assert.equal(await closedAfter(header), true);
  await stillServing();
});

test('a negative size, garbage, an unknown API key, an unsupported version, a truncated body: closed', async () => {
  const negative = Buffer.from([0xff, 0xff, 0xff, 0xfe]);
  assert.equal(await closedAfter(negative), true);
  const garbage = Buffer.concat([Buffer.from([0, 0, 0, 8]), Buffer.from('garbage!')]);
  assert.equal(await closedAfter(garbage), true);
  const unknownKey = Buffer.from([0, 0, 0, 10, 0x7f, 0x00, 0, 0, 0, 0, 0, 1, 0xff, 0xff]);
  assert.equal(await closedAfter(unknownKey), true);
  const metadataV99 = Buffer.from([0, 0, 0, 10, 0, 3, 0, 99, 0, 0, 0, 1, 0xff, 0xff]);
  assert.equal(await closedAfter(metadataV99), true);
  const frame = Buffer.concat(encodeRequestFrame({ apiKey: ApiKey.Metadata, apiVersion: 12, correlationId: 1, clientId: 'x' }, { ...MetadataRequest.defaults(), topics: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'abc', _unknownTaggedFields: undefined }] }));
  const truncated = Buffer.concat([Buffer.from([0, 0, 0, frame.length - 7]), frame.subarray(4, frame.length - 3)]);
  assert.equal(await closedAfter(truncated), true);
  await stillServing();
});

test('a batch with a bad CRC is CORRUPT_MESSAGE; an unknown topic is UNKNOWN_TOPIC_OR_PARTITION; nothing is stored', async () => {
  const c = await RawClient.connect('127.0.0.1', broker.port);
  try {
    const good = encodeRecordBatchSync({ records: [{ offsetDelta: 0, timestamp: 1n, key: null, value: Buffer.from('hello') }] });
    const ok = await c.request<ProduceResponse>(ApiKey.Produce, 9, produce('bad-input', good));
    // Produce does not create topics: Kafka answers UNKNOWN_TOPIC_OR_PARTITION.
    assert.equal(ok.responses[0]!.partitionResponses[0]!.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    await c.request<MetadataResponse>(ApiKey.Metadata, 12, { ...MetadataRequest.defaults(), topics: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'bad-input', _unknownTaggedFields: undefined }], allowAutoTopicCreation: true });
    const corrupt = Buffer.from(good);
    corrupt[corrupt.length - 1]! ^= 0xff;
    const bad = await c.request<ProduceResponse>(ApiKey.Produce, 9, produce('bad-input', corrupt));
    assert.equal(bad.responses[0]!.partitionResponses[0]!.errorCode, ErrorCode.CORRUPT_MESSAGE);
    const fetch = await c.request<FetchResponse>(ApiKey.Fetch, 12, {
      ...FetchRequest.defaults(), maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20,
      topics: [{ topic: 'bad-input', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0n, lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: 1 << 20, replicaDirectoryId: 'AAAAAAAAAAAAAAAAAAAAAA', _unknownTaggedFields: undefined }], _unknownTaggedFields: undefined }],
    });
    const p = fetch.responses[0]!.partitions[0]!;
    assert.equal(p.errorCode, ErrorCode.NONE);
    assert.equal(p.highWatermark, 0n, 'the corrupt batch was not stored');
    const beyond = await c.request<FetchResponse>(ApiKey.Fetch, 12, {
      ...FetchRequest.defaults(), maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20,
      topics: [{ topic: 'bad-input', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 42n, lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: 1 << 20, replicaDirectoryId: 'AAAAAAAAAAAAAAAAAAAAAA', _unknownTaggedFields: undefined }], _unknownTaggedFields: undefined }],
    });
    assert.equal(beyond.responses[0]!.partitions[0]!.errorCode, ErrorCode.OFFSET_OUT_OF_RANGE);
  } finally {
    c.close();
  }
});

test('record timestamps out of message.timestamp.before/after.max.ms are INVALID_TIMESTAMP with recordErrors', async () => {
  const c = await RawClient.connect('127.0.0.1', broker.port);
  try {
    const created = await c.request<CreateTopicsResponse>(ApiKey.CreateTopics, 7, {
      ...CreateTopicsRequest.defaults(), timeoutMs: 5000,
      topics: [
        { name: 'ts-create', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [{ name: 'message.timestamp.before.max.ms', value: '60000', _unknownTaggedFields: undefined }], _unknownTaggedFields: undefined },
        { name: 'ts-append', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [{ name: 'message.timestamp.type', value: 'LogAppendTime', _unknownTaggedFields: undefined }], _unknownTaggedFields: undefined },
      ],
    });
    assert.deepEqual(created.topics.map((t) => t.errorCode), [0, 0]);
    const now = BigInt(Date.now());
    const batch = (timestamps: bigint[]) => encodeRecordBatchSync({ records: timestamps.map((timestamp, i) => ({ offsetDelta: i, timestamp, key: null, value: Buffer.from('v') })) });
    const future = await c.request<ProduceResponse>(ApiKey.Produce, 9, produce('ts-create', batch([now, now + 7_200_000n, now])));
    const p = future.responses[0]!.partitionResponses[0]!;
    assert.equal(p.errorCode, ErrorCode.INVALID_TIMESTAMP);
    assert.deepEqual(p.recordErrors.map((e) => e.batchIndex), [1]);
    const old = await c.request<ProduceResponse>(ApiKey.Produce, 9, produce('ts-create', batch([now - 3_600_000n, now])));
    assert.equal(old.responses[0]!.partitionResponses[0]!.errorCode, ErrorCode.INVALID_TIMESTAMP);
    const fine = await c.request<ProduceResponse>(ApiKey.Produce, 9, produce('ts-create', batch([now, now - 1000n])));
    assert.equal(fine.responses[0]!.partitionResponses[0]!.errorCode, ErrorCode.NONE);
    assert.equal(fine.responses[0]!.partitionResponses[0]!.baseOffset, 0n, 'the refused batches were not stored');
    const appendTime = await c.request<ProduceResponse>(ApiKey.Produce, 9, produce('ts-append', batch([now + 7_200_000n])));
    const a = appendTime.responses[0]!.partitionResponses[0]!;
    assert.equal(a.errorCode, ErrorCode.NONE, 'LogAppendTime topics take the broker time instead');
    assert.ok(a.logAppendTimeMs >= now);
  } finally {
    c.close();
  }
});
