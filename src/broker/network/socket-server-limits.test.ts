import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiKey, ApiVersionsRequest } from '../../protocol/index.js';
import { TestClient, sizePrefixed, waitFor } from './testing/test-client.js';
import { TestHandler, defaultResponse, delayMs } from './testing/test-handler.js';
import { startTestServer } from './testing/test-server.js';

function sendPing(client: TestClient, correlationId: number, clientId = 'test-client'): void {
  client.sendRequest(ApiKey.ApiVersions, 2, correlationId, ApiVersionsRequest.defaults(), clientId);
}

function sizePrefix(size: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(size, 0);
  return b;
}

test('a size prefix above socket.request.max.bytes closes the connection before the frame is read; others are still served', async () => {
  const t = await startTestServer({ config: { socketRequestMaxBytes: 1_000 } });
  try {
    const bad = await TestClient.connect(t.port);
    const good = await TestClient.connect(t.port);
    bad.send(Buffer.concat([sizePrefix(1_001), Buffer.alloc(500)]));
    await bad.waitClosed();
    sendPing(good, 7);
    assert.equal(await good.nextCorrelationId(), 7);
    const c = t.server.counters;
    assert.equal(c.connectionsClosed.frameTooLarge, 1);
    assert.equal(t.handler.calls, 1);
    assert.ok(c.connectionBufferedBytesPeak < 1_000, `held ${c.connectionBufferedBytesPeak} bytes of the refused frame`);
    good.destroy();
  } finally {
    await t.server.close();
  }
});

test('a huge size prefix (2 GiB - 1) closes at the default limit without allocating', async () => {
  const t = await startTestServer();
  try {
    const client = await TestClient.connect(t.port);
    client.send(sizePrefix(0x7fffffff));
    await client.waitClosed();
    assert.equal(t.server.counters.connectionsClosed.frameTooLarge, 1);
  } finally {
    await t.server.close();
  }
});

test('a negative size prefix closes the connection', async () => {
  const t = await startTestServer();
  try {
    const client = await TestClient.connect(t.port);
    client.send(sizePrefix(-5));
    await client.waitClosed();
    assert.equal(t.server.counters.connectionsClosed.negativeSize, 1);
  } finally {
    await t.server.close();
  }
});

test('a frame whose header does not decode closes the connection', async () => {
  const t = await startTestServer();
  try {
    const short = await TestClient.connect(t.port);
    short.send(sizePrefixed(Buffer.from([0, 18, 0])));
    await short.waitClosed();
    const empty = await TestClient.connect(t.port);
    empty.send(sizePrefix(0));
    await empty.waitClosed();
    const badString = await TestClient.connect(t.port);
    badString.send(sizePrefixed(Buffer.from([0, 18, 0, 2, 0, 0, 0, 1, 0x7f, 0x7f, 0x41])));
    await badString.waitClosed();
    await waitFor(() => t.server.counters.connectionsClosed.invalidHeader === 3, 5_000, 'three invalid headers');
    assert.equal(t.handler.calls, 0);
  } finally {
    await t.server.close();
  }
});

test('a client that sends half a frame and disconnects is cleaned up', async () => {
  const t = await startTestServer();
  try {
    const client = await TestClient.connect(t.port);
    client.send(Buffer.concat([sizePrefix(100), Buffer.alloc(40)]));
    await waitFor(() => t.server.counters.bytesIn === 44, 5_000, 'the partial frame to arrive');
    client.destroy();
    await waitFor(() => t.server.counters.connectionsOpen === 0, 5_000, 'the server to drop the connection');
    assert.equal(t.server.counters.connectionsClosed.clientDisconnect, 1);
    assert.equal(t.handler.calls, 0);
    const next = await TestClient.connect(t.port);
    sendPing(next, 1);
    assert.equal(await next.nextCorrelationId(), 1);
    next.destroy();
  } finally {
    await t.server.close();
  }
});

test('10,000 pipelined requests to a slow handler: bounded frames and bytes held, all answered in order', async (tc) => {
  const handler = new TestHandler(async (req) => {
    await new Promise((r) => setImmediate(r));
    return defaultResponse(req);
  });
  const t = await startTestServer({ handler, config: { maxInFlightRequestsPerConnection: 4 } });
  try {
    const client = await TestClient.connect(t.port);
    const padding = 'x'.repeat(500); // ~520-byte requests: 5 MB in all, well past socket buffers
    const count = 10_000;
    for (let i = 0; i < count; i++) sendPing(client, i, padding);
    for (let i = 0; i < count; i++) {
      if ((await client.nextCorrelationId()) !== i) assert.fail(`response ${i} out of order`);
    }
    const c = t.server.counters;
    assert.equal(c.requestsReceived, count);
    assert.equal(c.responsesSent, count);
    assert.ok(c.connectionRequestsInFlightPeak <= 4, `peak in flight ${c.connectionRequestsInFlightPeak}`);
    assert.ok(handler.peakInFlight <= 4);
    // One partial frame plus one read-ahead chunk, not the 5 MB the client sent.
    assert.ok(c.connectionBufferedBytesPeak <= 256 * 1024, `peak buffered ${c.connectionBufferedBytesPeak} bytes`);
    assert.equal(c.requestsInFlight, 0);
    tc.diagnostic(`peak buffered ${c.connectionBufferedBytesPeak} bytes, peak in flight ${c.connectionRequestsInFlightPeak}`);
    client.destroy();
  } finally {
    await t.server.close();
  }
});

test('queued.max.requests bounds requests in flight across connections', async () => {
  const handler = new TestHandler(async (req) => {
    await delayMs(1);
    return defaultResponse(req);
  });
  const t = await startTestServer({ handler, config: { queuedMaxRequests: 3, maxInFlightRequestsPerConnection: 4 } });
  try {
    const clients = await Promise.all([1, 2, 3, 4].map(() => TestClient.connect(t.port)));
    for (const client of clients) for (let i = 0; i < 50; i++) sendPing(client, i);
    for (const client of clients) for (let i = 0; i < 50; i++) assert.equal(await client.nextCorrelationId(), i);
    assert.ok(t.server.counters.requestsInFlightPeak <= 3, `peak ${t.server.counters.requestsInFlightPeak}`);
    assert.ok(handler.peakInFlight <= 3);
    for (const client of clients) client.destroy();
  } finally {
    await t.server.close();
  }
});

test('a client that does not read its responses stops the server reading its requests', async (tc) => {
  const big = Buffer.alloc(2 * 1024 * 1024, 1);
  const handler = new TestHandler((req) => {
    const header = Buffer.alloc(8);
    header.writeInt32BE(4 + big.length, 0);
    header.writeInt32BE(req.header.correlationId, 4);
    return { kind: 'send', chunks: [header, big] };
  });
  const t = await startTestServer({ handler, config: { maxInFlightRequestsPerConnection: 4 } });
  try {
    const client = await TestClient.connect(t.port);
    client.socket.pause();
    const count = 40; // 80 MB of responses: far more than loopback socket buffers hold
    for (let i = 0; i < count; i++) sendPing(client, i);
    let last = -1;
    await waitFor(() => {
      const now = handler.calls;
      const stable = now === last && now > 0;
      last = now;
      return stable;
    }, 10_000, 'the server to stop taking requests');
    await delayMs(200);
    assert.ok(handler.calls < count, `handled ${handler.calls} of ${count} while the client read nothing`);
    tc.diagnostic(`handled ${handler.calls} of ${count} while the client read nothing`);
    client.socket.resume();
    for (let i = 0; i < count; i++) assert.equal(await client.nextCorrelationId(10_000), i);
    assert.equal(handler.calls, count);
    client.destroy();
  } finally {
    await t.server.close();
  }
});

test('an idle connection is closed after connections.max.idle.ms by the shared timer', async () => {
  const t = await startTestServer({ config: { connectionsMaxIdleMs: 200 } });
  try {
    const client = await TestClient.connect(t.port);
    sendPing(client, 1);
    assert.equal(await client.nextCorrelationId(), 1);
    await client.waitClosed(10_000);
    await waitFor(() => t.server.counters.connectionsClosed.idle === 1, 5_000, 'the idle close to be counted');
  } finally {
    await t.server.close();
  }
});

test('max.connections.per.ip and max.connections close new sockets beyond the limit', async () => {
  const t = await startTestServer({ config: { maxConnectionsPerIp: 2 } });
  try {
    const a = await TestClient.connect(t.port);
    const b = await TestClient.connect(t.port);
    await waitFor(() => t.server.connectionCount === 2, 5_000, 'two connections');
    const c = await TestClient.connect(t.port);
    await c.waitClosed();
    assert.equal(t.server.counters.connectionsClosed.maxConnectionsPerIp, 1);
    sendPing(a, 1);
    assert.equal(await a.nextCorrelationId(), 1);
    b.destroy();
    await waitFor(() => t.server.connectionCount === 1, 5_000, 'b to go');
    const d = await TestClient.connect(t.port);
    sendPing(d, 2);
    assert.equal(await d.nextCorrelationId(), 2);
    a.destroy();
    d.destroy();
  } finally {
    await t.server.close();
  }
  const g = await startTestServer({ config: { maxConnections: 1, maxConnectionsPerIpOverrides: { '127.0.0.1': 5 } } });
  try {
    const a = await TestClient.connect(g.port);
    await waitFor(() => g.server.connectionCount === 1, 5_000, 'one connection');
    const b = await TestClient.connect(g.port);
    await b.waitClosed();
    assert.equal(g.server.counters.connectionsClosed.maxConnections, 1);
    a.destroy();
  } finally {
    await g.server.close();
  }
});
