/**
 * Retention on a running broker: old segments go by size and by time, the log start offset
 * moves forward, and a consumer below it gets OFFSET_OUT_OF_RANGE.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiKey, ErrorCode, ListOffsetsRequest, type ListOffsetsResponse, encodeRecordBatchSync,
} from '../../src/protocol/index.js';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { RawClient, createTopic, producePartition } from './raw-client.js';

let broker: TestBroker;
let client: RawClient;
before(async () => {
  broker = await startBroker({ config: { 'log.initial.task.delay.ms': '0', 'log.retention.check.interval.ms': '100' } });
  client = await RawClient.connect('127.0.0.1', broker.port);
});
after(async () => {
  client?.close();
  await broker?.stop();
});

async function produceMiB(topic: string, mib: number): Promise<void> {
  const value = Buffer.alloc(100 * 1024, 1);
  for (let i = 0; i < mib * 10; i++) {
    const records = encodeRecordBatchSync({ records: [{ offsetDelta: 0, timestamp: BigInt(Date.now()), key: null, value }] });
    assert.equal((await producePartition(client, topic, 0, records)).errorCode, 0);
  }
}

async function earliest(topic: string): Promise<bigint> {
  const r = await client.request<ListOffsetsResponse>(ApiKey.ListOffsets, 7, {
    ...ListOffsetsRequest.defaults(), replicaId: -1,
    topics: [{ name: topic, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -2n, maxNumOffsets: 1, _unknownTaggedFields: undefined }], _unknownTaggedFields: undefined }],
  });
  const p = r.topics[0]!.partitions[0]!;
  assert.equal(p.errorCode, ErrorCode.NONE);
  return p.offset;
}

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('retention.bytes deletes the oldest segments, never the active one', async () => {
  await createTopic(client, 'retention-bytes', 1, { 'segment.bytes': String(1 << 20), 'retention.bytes': String(1 << 20) });
  await produceMiB('retention-bytes', 3.5);
  await eventually('old segments to go', async () => (await earliest('retention-bytes')) > 0n);
  const start = await earliest('retention-bytes');
  assert.ok(start >= 20n && start < 35n, `log start offset ${start}`);
  const segments = broker.broker.services.replicas.lookup('retention-bytes', 0).log!.segmentBaseOffsets;
  assert.ok(segments.length >= 1 && segments.length <= 3, `segments ${segments.join(',')}`);
});

test('retention.ms deletes segments whose newest record is older than the limit', async () => {
  await createTopic(client, 'retention-time', 1, { 'segment.bytes': String(1 << 20), 'retention.ms': '1500' });
  await produceMiB('retention-time', 2.5);
  assert.equal(await earliest('retention-time'), 0n);
  await eventually('expired segments to go', async () => (await earliest('retention-time')) >= 20n);
});
