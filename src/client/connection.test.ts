import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { ApiKey, ApiVersionsResponse, ErrorCode, MetadataResponse, type MetadataRequest } from '../protocol/index.js';
import { Connection } from './connection.js';
import { ClientClosedError, ConnectionError, RequestTimeoutError, UnsupportedVersionError } from './errors.js';
import { FakeBroker, type FakeRequest, answeringApiVersions, fullApiVersions } from './testing/fake-broker.js';

function metadataAnswer(clusterId: string): MetadataResponse {
  return { ...MetadataResponse.defaults(), clusterId };
}

const ALL_TOPICS: MetadataRequest = { topics: null, allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false };

test('connect negotiates the highest shared version of each API', async () => {
  const fake = await FakeBroker.start((req) => {
    const r = fullApiVersions();
    r.apiKeys = r.apiKeys.filter((k) => k.apiKey !== ApiKey.DeleteGroups).map((k) => (k.apiKey === ApiKey.Metadata ? { ...k, maxVersion: 9 } : k));
    req.respond(r);
  });
  const conn = await Connection.connect({ host: '127.0.0.1', port: fake.port });
  assert.equal(conn.versionFor(ApiKey.Metadata), 9);
  assert.equal(conn.versionFor(ApiKey.ListOffsets), 10);
  assert.equal(conn.supports(ApiKey.DeleteGroups), false);
  assert.throws(() => conn.versionFor(ApiKey.DeleteGroups), (e: unknown) => e instanceof UnsupportedVersionError && e.code === 'SAMSA_ERR_UNSUPPORTED_VERSION');
  assert.throws(() => conn.versionFor(ApiKey.Metadata, 10), UnsupportedVersionError);
  const sent = fake.requests[0]!;
  assert.equal(sent.apiVersion, 4);
  assert.equal((sent.body as { clientSoftwareName: string }).clientSoftwareName, 'samsa-client');
  await conn.close();
  await fake.stop();
});

test('a broker that does not know our ApiVersions version answers at v0, and we retry at its highest', async () => {
  const fake = await FakeBroker.start((req) => {
    if (req.apiVersion > 2) {
      req.respond({ ...ApiVersionsResponse.defaults(), errorCode: ErrorCode.UNSUPPORTED_VERSION, apiKeys: [{ apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 2 }] }, 0);
    } else {
      req.respond(fullApiVersions());
    }
  });
  const conn = await Connection.connect({ host: '127.0.0.1', port: fake.port });
  assert.deepEqual(fake.requests.map((r) => r.apiVersion), [4, 2]);
  assert.equal(conn.versionFor(ApiKey.Fetch) > 0, true);
  await conn.close();
  await fake.stop();
});

test('requests are pipelined and answered by correlation id, even out of order', async () => {
  const held: FakeRequest[] = [];
  const fake = await FakeBroker.start(answeringApiVersions((req) => {
    held.push(req);
    // Answer only once all three are on the wire, last first.
    if (held.length === 3) for (const r of [...held].reverse()) r.respond(metadataAnswer(`c${held.indexOf(r)}`));
  }));
  const conn = await Connection.connect({ host: '127.0.0.1', port: fake.port });
  const v = conn.versionFor(ApiKey.Metadata);
  const answers = await Promise.all([0, 1, 2].map(() => conn.send<MetadataResponse>(ApiKey.Metadata, v, ALL_TOPICS)));
  assert.deepEqual(answers.map((a) => a.clusterId), ['c0', 'c1', 'c2']);
  await conn.close();
  await fake.stop();
});

test('maxInFlightRequests holds further requests in the queue until answers come back', async () => {
  const fake = await FakeBroker.start(answeringApiVersions((req) => setTimeout(() => req.respond(metadataAnswer('x')), 20)));
  const conn = await Connection.connect({ host: '127.0.0.1', port: fake.port, maxInFlightRequests: 1, maxQueuedRequests: 2 });
  const v = conn.versionFor(ApiKey.Metadata);
  const first = conn.send(ApiKey.Metadata, v, ALL_TOPICS);
  const queued = [conn.send(ApiKey.Metadata, v, ALL_TOPICS), conn.send(ApiKey.Metadata, v, ALL_TOPICS)];
  await assert.rejects(conn.send(ApiKey.Metadata, v, ALL_TOPICS), { code: 'SAMSA_ERR_QUEUE_FULL' });
  await Promise.all([first, ...queued]);
  assert.equal(fake.requests.filter((r) => r.apiKey === ApiKey.Metadata).length, 3);
  await conn.close();
  await fake.stop();
});

test('a request without an answer times out; the connection stays usable and drops the late answer', async () => {
  let silent = true;
  const late: FakeRequest[] = [];
  const fake = await FakeBroker.start(answeringApiVersions((req) => {
    if (silent) late.push(req);
    else req.respond(metadataAnswer('on time'));
  }));
  const conn = await Connection.connect({ host: '127.0.0.1', port: fake.port });
  const v = conn.versionFor(ApiKey.Metadata);
  const started = performance.now();
  await assert.rejects(conn.send(ApiKey.Metadata, v, ALL_TOPICS, { timeoutMs: 100 }),
    (e: unknown) => e instanceof RequestTimeoutError && e.code === 'SAMSA_ERR_REQUEST_TIMEOUT' && /Metadata/.test(e.message));
  assert.ok(performance.now() - started >= 95);
  silent = false;
  late[0]!.respond(metadataAnswer('late'));
  const r = await conn.send<MetadataResponse>(ApiKey.Metadata, v, ALL_TOPICS);
  assert.equal(r.clusterId, 'on time');
  assert.equal(conn.isOpen, true);
  await conn.close();
  await fake.stop();
});

test('close() waits for answers on the wire, then refuses new requests', async () => {
  const fake = await FakeBroker.start(answeringApiVersions((req) => setTimeout(() => req.respond(metadataAnswer('done')), 30)));
  const conn = await Connection.connect({ host: '127.0.0.1', port: fake.port });
  const v = conn.versionFor(ApiKey.Metadata);
  const inFlight = conn.send<MetadataResponse>(ApiKey.Metadata, v, ALL_TOPICS);
  const closing = conn.close();
  await assert.rejects(conn.send(ApiKey.Metadata, v, ALL_TOPICS), ClientClosedError);
  assert.equal((await inFlight).clusterId, 'done');
  await closing;
  assert.equal(conn.isOpen, false);
  await fake.stop();
});

test('a broker that drops the connection fails waiting requests with ConnectionError and calls onClose', async () => {
  const fake = await FakeBroker.start(answeringApiVersions((req) => req.socket.destroy()));
  const conn = await Connection.connect({ host: '127.0.0.1', port: fake.port });
  const closed = new Promise<Error | null>((resolve) => conn.onClose(resolve));
  await assert.rejects(conn.send(ApiKey.Metadata, conn.versionFor(ApiKey.Metadata), ALL_TOPICS), (e: unknown) => e instanceof ConnectionError && e.code === 'SAMSA_ERR_CONNECTION');
  assert.ok((await closed) instanceof ConnectionError);
  assert.equal(conn.isOpen, false);
  await fake.stop();
});

test('connecting to a closed port fails with ConnectionError', async () => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await assert.rejects(Connection.connect({ host: '127.0.0.1', port }), (e: unknown) => e instanceof ConnectionError && /ECONNREFUSED/.test(e.message));
});

test('a response to an unknown correlation id breaks the connection', async () => {
  const fake = await FakeBroker.start(answeringApiVersions((req) => {
    req.socket.write(Buffer.from([0, 0, 0, 4, 0x7f, 0, 0, 0]));
  }));
  const conn = await Connection.connect({ host: '127.0.0.1', port: fake.port });
  await assert.rejects(conn.send(ApiKey.Metadata, conn.versionFor(ApiKey.Metadata), ALL_TOPICS), { code: 'SAMSA_ERR_PROTOCOL' });
  assert.equal(conn.isOpen, false);
  await fake.stop();
});
