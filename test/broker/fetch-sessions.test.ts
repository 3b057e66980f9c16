/**
 * Incremental fetch sessions (KIP-227) over a real socket: open, incremental answers with only
 * what changed, epoch checks, close.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiKey, ErrorCode, FetchRequest, type FetchResponse,
  ZERO_UUID, encodeRecordBatchSync,
} from '../../src/protocol/index.js';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { RawClient, createTopic, producePartition } from './raw-client.js';

let broker: TestBroker;
let client: RawClient;
before(async () => {
  broker = await startBroker();
  client = await RawClient.connect('127.0.0.1', broker.port);
  await createTopic(client, 'sessions', 3);
});
after(async () => {
  client?.close();
  await broker?.stop();
});

function part(partition: number, fetchOffset: bigint) {
  return { partition, currentLeaderEpoch: -1, fetchOffset, lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: 1 << 20, replicaDirectoryId: ZERO_UUID, _unknownTaggedFields: undefined };
}

function fetch(sessionId: number, sessionEpoch: number, partitions: ReturnType<typeof part>[], forgotten: number[] = []): Promise<FetchResponse> {
  return client.request<FetchResponse>(ApiKey.Fetch, 12, {
    ...FetchRequest.defaults(), maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, sessionId, sessionEpoch,
    topics: partitions.length === 0 ? [] : [{ topic: 'sessions', topicId: ZERO_UUID, partitions, _unknownTaggedFields: undefined }],
    forgottenTopicsData: forgotten.length === 0 ? [] : [{ topic: 'sessions', topicId: ZERO_UUID, partitions: forgotten, _unknownTaggedFields: undefined }],
  });
}

async function produce(partition: number): Promise<void> {
  const records = encodeRecordBatchSync({ records: [{ offsetDelta: 0, timestamp: 1n, key: null, value: Buffer.from('x') }] });
  assert.equal((await producePartition(client, 'sessions', partition, records)).errorCode, 0);
}

const partitionsIn = (r: FetchResponse): number[] => r.responses.flatMap((t) => t.partitions.map((p) => p.partitionIndex)).sort();

test('a full fetch with epoch 0 opens a session; incremental fetches carry only what changed', async () => {
  const opened = await fetch(0, 0, [part(0, 0n), part(1, 0n), part(2, 0n)]);
  assert.equal(opened.errorCode, ErrorCode.NONE);
  assert.notEqual(opened.sessionId, 0);
  assert.deepEqual(partitionsIn(opened), [0, 1, 2]);
  const id = opened.sessionId;
  const quiet = await fetch(id, 1, []);
  assert.equal(quiet.errorCode, ErrorCode.NONE);
  assert.deepEqual(partitionsIn(quiet), [], 'nothing changed');
  await produce(1);
  const changed = await fetch(id, 2, []);
  assert.deepEqual(partitionsIn(changed), [1]);
  assert.ok((changed.responses[0]!.partitions[0]!.records?.length ?? 0) > 0);
  const moved = await fetch(id, 3, [part(1, 1n)]);
  assert.deepEqual(partitionsIn(moved), [], 'the client caught up; nothing new');
  const forgotten = await fetch(id, 4, [], [0, 2]);
  assert.equal(forgotten.errorCode, ErrorCode.NONE);
  await produce(0);
  assert.deepEqual(partitionsIn(await fetch(id, 5, [])), [], 'partition 0 was forgotten');
});

test('epoch and id checks, and closing a session', async () => {
  const opened = await fetch(0, 0, [part(0, 0n)]);
  const id = opened.sessionId;
  assert.equal((await fetch(id, 7, [])).errorCode, ErrorCode.INVALID_FETCH_SESSION_EPOCH);
  assert.equal((await fetch(123456, 1, [])).errorCode, ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
  const closed = await fetch(id, -1, [part(0, 0n)]);
  assert.equal(closed.errorCode, ErrorCode.NONE);
  assert.equal(closed.sessionId, 0);
  assert.equal((await fetch(id, 1, [])).errorCode, ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
  const sessionless = await fetch(0, -1, [part(0, 0n)]);
  assert.equal(sessionless.sessionId, 0);
  assert.deepEqual(partitionsIn(sessionless), [0]);
});
