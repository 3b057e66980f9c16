import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { Admin, Cluster, KafkaResponseError, UnknownTopicError } from '../../src/client/index.js';
import { ApiKey, ErrorCode } from '../../src/protocol/index.js';
import { createTopic, kafkajsClient, produce } from './helpers.js';

let broker: TestBroker;
let admin: Admin;
const BASE_MS = 1_700_000_000_000;

before(async () => {
  broker = await startBroker({ inMemory: true });
  const kafka = kafkajsClient(broker.bootstrap);
  await createTopic(kafka, 'clicks', 2);
  await produce(kafka, 'clicks', [0, 1], 5, BASE_MS);
  admin = new Admin({ bootstrapServers: broker.bootstrap });
});

after(async () => {
  await admin.close();
  await broker.stop();
});

test('Metadata names the broker and the topic with its partitions and leaders', async () => {
  const md = await admin.cluster.metadata(['clicks']);
  assert.deepEqual(md.brokers.map((b) => b.nodeId), [1]);
  const topic = md.topics.get('clicks')!;
  assert.equal(topic.errorCode, 0);
  assert.deepEqual(topic.partitions.map((p) => [p.partition, p.leaderId]), [[0, 1], [1, 1]]);
  const all = await admin.cluster.metadata();
  assert.ok(all.topics.has('clicks'));
});

test('connections negotiate the broker\'s versions', async () => {
  const conn = await admin.cluster.connectionTo(1);
  assert.ok(conn.versionFor(ApiKey.Metadata) >= 9);
  assert.ok(conn.versionFor(ApiKey.ListOffsets) >= 1);
  assert.equal(await admin.cluster.connectionTo(1), conn, 'one connection per node');
});

test('listOffsets: earliest, latest and by timestamp', async () => {
  const r = await admin.listOffsets([
    { topic: 'clicks', partition: 0, spec: 'earliest' },
    { topic: 'clicks', partition: 1, spec: 'latest' },
    { topic: 'clicks', partition: 0, spec: { timestampMs: BASE_MS + 2500 } },
    { topic: 'clicks', partition: 1, spec: { timestampMs: BASE_MS + 60_000 } },
  ]);
  const find = (p: number, ts: bigint | null) => r.find((x) => x.partition === p && (ts === null || x.timestamp === ts));
  assert.equal(find(0, -1n)?.offset, 0n);
  assert.equal(find(1, -1n)?.offset, 5n);
  assert.equal(find(0, BigInt(BASE_MS + 3000))?.offset, 3n);
  assert.equal(r.find((x) => x.partition === 1 && x.offset === null)?.partition, 1, 'no record that late');
});

test('listOffsets on a topic or partition that does not exist fails with UnknownTopicError at once', async () => {
  const started = Date.now();
  await assert.rejects(admin.listOffsets([{ topic: 'nope', partition: 0, spec: 'latest' }]), (e: unknown) => e instanceof UnknownTopicError && e.code === 'SAMSA_ERR_UNKNOWN_TOPIC');
  await assert.rejects(admin.listOffsets([{ topic: 'clicks', partition: 7, spec: 'latest' }]), UnknownTopicError);
  assert.ok(Date.now() - started < 1000, 'not retried');
});

test('a dead bootstrap server is skipped for the next one', async () => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const deadPort = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const cluster = new Cluster({ bootstrapServers: `127.0.0.1:${deadPort},${broker.bootstrap}` });
  try {
    const md = await cluster.metadata([]);
    assert.equal(md.brokers.length, 1);
  } finally {
    await cluster.close();
  }
});

test('retry gives up on non-retriable errors and retries retriable ones', async () => {
  const cluster = new Cluster({ bootstrapServers: broker.bootstrap, retryBackoffMs: 1 });
  let calls = 0;
  const value = await cluster.retry(async () => {
    calls++;
    if (calls < 3) throw new KafkaResponseError(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'test');
    return 'ok';
  });
  assert.equal(value, 'ok');
  assert.equal(calls, 3);
  calls = 0;
  await assert.rejects(cluster.retry(async () => { calls++; throw new KafkaResponseError(ErrorCode.INVALID_GROUP_ID, 'test'); }), { errorName: 'INVALID_GROUP_ID' });
  assert.equal(calls, 1);
  await cluster.close();
  await assert.rejects(cluster.metadata(), { code: 'SAMSA_ERR_CLIENT_CLOSED' });
});
