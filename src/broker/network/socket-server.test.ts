import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiKey, ApiVersionsRequest, ErrorCode, MetadataRequest } from '../../protocol/index.js';
import type { ApiVersionsResponse } from '../../protocol/index.js';
import { DecodeError } from '../../common/errors.js';
import { SocketServer } from './socket-server.js';
import { NO_RESPONSE, CLOSE_CONNECTION, type NetworkRequest } from './request-handler.js';
import { TestClient, waitFor } from './testing/test-client.js';
import { TestHandler, defaultResponse, delayMs } from './testing/test-handler.js';
import { startTestServer } from './testing/test-server.js';
import { CapturingLogger } from './testing/capturing-logger.js';

/** ApiVersions v2: an empty body, so tests can pipeline many cheaply. */
function sendPing(client: TestClient, correlationId: number): void {
  client.sendRequest(ApiKey.ApiVersions, 2, correlationId, ApiVersionsRequest.defaults());
}

test('listens on several listeners with ephemeral ports and says which listener a request came in on', async () => {
  const handler = new TestHandler();
  const server = new SocketServer({
    config: {
      listeners: [
        { name: 'PLAINTEXT', host: '127.0.0.1', port: 0 },
        { name: 'INTERNAL', host: '127.0.0.1', port: 0 },
      ],
    },
    handler,
    logger: new CapturingLogger(),
  });
  const bound = await server.start();
  try {
    assert.deepEqual(bound.map((b) => b.name), ['PLAINTEXT', 'INTERNAL']);
    assert.ok(bound.every((b) => b.port > 0));
    assert.notEqual(server.boundPort('PLAINTEXT'), server.boundPort('INTERNAL'));
    for (const b of bound) {
      const client = await TestClient.connect(b.port);
      sendPing(client, 1);
      assert.equal(await client.nextCorrelationId(), 1);
      assert.equal(handler.lastRequest?.connection.listenerName, b.name);
      assert.equal(handler.lastRequest?.connection.remoteAddress, '127.0.0.1');
      client.destroy();
    }
  } finally {
    await server.close();
  }
});

test('pipelined requests are answered in order although the handler finishes them out of order', async () => {
  const handler = new TestHandler(async (req) => {
    await delayMs(5 * (4 - (req.header.correlationId % 5)));
    return defaultResponse(req);
  });
  const t = await startTestServer({ handler, config: { maxInFlightRequestsPerConnection: 8 } });
  try {
    const client = await TestClient.connect(t.port);
    for (let i = 0; i < 50; i++) sendPing(client, i);
    for (let i = 0; i < 50; i++) assert.equal(await client.nextCorrelationId(), i);
    assert.ok(handler.peakInFlight > 1, 'the handler really did overlap requests');
    assert.ok(handler.peakInFlight <= 8);
    client.destroy();
  } finally {
    await t.server.close();
  }
});

test('by default one request per connection is in flight at a time, as Kafka mutes the channel', async () => {
  const handler = new TestHandler(async (req) => {
    await delayMs(1);
    return defaultResponse(req);
  });
  const t = await startTestServer({ handler });
  try {
    const client = await TestClient.connect(t.port);
    for (let i = 0; i < 30; i++) sendPing(client, i);
    for (let i = 0; i < 30; i++) assert.equal(await client.nextCorrelationId(), i);
    assert.equal(handler.peakInFlight, 1);
    assert.equal(t.server.counters.connectionRequestsInFlightPeak, 1);
    client.destroy();
  } finally {
    await t.server.close();
  }
});

test('noResponse (acks=0) sends nothing and later responses keep their order', async () => {
  const handler = new TestHandler(async (req) => {
    await delayMs(req.header.correlationId % 3);
    return req.header.correlationId % 2 === 1 ? NO_RESPONSE : defaultResponse(req);
  });
  const t = await startTestServer({ handler, config: { maxInFlightRequestsPerConnection: 4 } });
  try {
    const client = await TestClient.connect(t.port);
    for (let i = 0; i < 20; i++) sendPing(client, i);
    for (let i = 0; i < 20; i += 2) assert.equal(await client.nextCorrelationId(), i);
    await waitFor(() => t.server.counters.requestsReceived === 20, 5_000, 'all requests');
    assert.equal(t.server.counters.responsesSent, 10);
    assert.equal(client.framesBuffered, 0);
    client.destroy();
  } finally {
    await t.server.close();
  }
});

test('ApiVersions v3 tells the connection the client software; an unknown ApiVersions version gets v0 UNSUPPORTED_VERSION', async () => {
  const t = await startTestServer();
  try {
    const client = await TestClient.connect(t.port);
    const hello = { ...ApiVersionsRequest.defaults(), clientSoftwareName: 'samsa-test', clientSoftwareVersion: '0.1.0' };
    client.sendRequest(ApiKey.ApiVersions, 3, 1, hello, 'app-1');
    assert.equal((await client.nextResponse(ApiKey.ApiVersions, 3)).correlationId, 1);
    client.sendRequest(ApiKey.Metadata, 4, 2, MetadataRequest.defaults(), 'app-2');
    assert.equal(await client.nextCorrelationId(), 2);
    const info = t.handler.lastRequest!.connection;
    assert.equal(info.clientSoftwareName, 'samsa-test');
    assert.equal(info.clientSoftwareVersion, '0.1.0');
    assert.equal(info.clientId, 'app-2');

    // A future ApiVersions version: the header is v2 (flexible) and the body is not read.
    const future = Buffer.from([0, 18, 0x7f, 0x00, 0, 0, 0, 3, 0, 0, 0, 0xde, 0xad]);
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(future.length, 0);
    client.send([prefix, future]);
    const reply = await client.nextResponse<ApiVersionsResponse>(ApiKey.ApiVersions, 0);
    assert.equal(reply.correlationId, 3);
    assert.equal(reply.body.errorCode, ErrorCode.UNSUPPORTED_VERSION);
    assert.deepEqual(reply.body.apiKeys.map((k) => [k.apiKey, k.minVersion]), [[ApiKey.ApiVersions, 0]]);
    client.destroy();
  } finally {
    await t.server.close();
  }
});

test('an unknown API key or an unsupported version of another API closes the connection', async () => {
  const t = await startTestServer();
  try {
    const unknown = await TestClient.connect(t.port);
    unknown.send(Buffer.from([0, 0, 0, 10, 0x7d, 0x00, 0, 0, 0, 0, 0, 1, 0, 0]));
    await unknown.waitClosed();
    const tooNew = await TestClient.connect(t.port);
    sendPing(tooNew, 1);
    tooNew.send(Buffer.from([0, 0, 0, 11, 0, ApiKey.Metadata, 0x7f, 0, 0, 0, 0, 2, 0, 0, 0]));
    assert.equal(await tooNew.nextCorrelationId(), 1, 'the earlier request is still answered');
    await tooNew.waitClosed();
    await waitFor(() => t.server.counters.connectionsOpen === 0, 5_000, 'both closed');
    const closed = t.server.counters.connectionsClosed;
    assert.equal(closed.unknownApiKey, 1);
    assert.equal(closed.unsupportedVersion, 1);
  } finally {
    await t.server.close();
  }
});

test('a handler that throws is logged, its connection closed after earlier responses, and the server lives on', async () => {
  const handler = new TestHandler(async (req: NetworkRequest) => {
    if (req.header.correlationId === 3) throw new Error('handler bug');
    if (req.header.correlationId === 13) throw new DecodeError('bad body');
    if (req.header.correlationId === 23) return CLOSE_CONNECTION;
    return defaultResponse(req);
  });
  const t = await startTestServer({ handler, config: { maxInFlightRequestsPerConnection: 4 } });
  try {
    for (const bad of [3, 13, 23]) {
      const client = await TestClient.connect(t.port);
      for (let i = bad - 3; i <= bad + 2; i++) sendPing(client, i);
      for (let i = bad - 3; i < bad; i++) assert.equal(await client.nextCorrelationId(), i);
      await client.waitClosed();
      assert.equal(client.framesBuffered, 0, 'nothing after the failed request');
    }
    const closed = t.server.counters.connectionsClosed;
    assert.deepEqual([closed.handlerError, closed.invalidRequest, closed.handlerClose], [1, 1, 1]);
    assert.equal(t.logger.errors().length, 1);
    assert.match(t.logger.errors()[0]!.message, /handler failed/);
    const healthy = await TestClient.connect(t.port);
    sendPing(healthy, 100);
    assert.equal(await healthy.nextCorrelationId(), 100);
    healthy.destroy();
  } finally {
    await t.server.close();
  }
});

test('a handler that throws synchronously or resolves garbage does not crash the server', async () => {
  const handler: TestHandler = new TestHandler();
  const t = await startTestServer({ handler });
  try {
    handler.handle = (req) => {
      if (req.header.correlationId === 1) throw new Error('sync throw');
      return Promise.resolve(undefined as never);
    };
    for (const id of [1, 2]) {
      const client = await TestClient.connect(t.port);
      sendPing(client, id);
      await client.waitClosed();
    }
    await waitFor(() => t.server.counters.connectionsClosed.handlerError === 2, 5_000, 'two handler errors');
  } finally {
    await t.server.close();
  }
});

test('after a close response nothing more from that connection reaches the handler', async () => {
  const handler = new TestHandler(async (req) => {
    await delayMs(10);
    return req.header.correlationId === 1 ? CLOSE_CONNECTION : defaultResponse(req);
  });
  // One server-wide permit: request 2 waits for it, and gets it back when request 1 closes.
  const t = await startTestServer({ handler, config: { queuedMaxRequests: 1, maxInFlightRequestsPerConnection: 2 } });
  try {
    const client = await TestClient.connect(t.port);
    sendPing(client, 1);
    sendPing(client, 2);
    await client.waitClosed();
    await delayMs(50);
    assert.equal(handler.calls, 1);
    assert.equal(client.framesBuffered, 0);
  } finally {
    await t.server.close();
  }
});
