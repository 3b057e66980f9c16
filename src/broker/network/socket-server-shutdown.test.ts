import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { ApiKey, ApiVersionsRequest } from '../../protocol/index.js';
import { SocketServer } from './socket-server.js';
import { TestClient, waitFor, withTimeout } from './testing/test-client.js';
import { TestHandler, defaultResponse, delayMs } from './testing/test-handler.js';
import { startTestServer } from './testing/test-server.js';
import { CapturingLogger } from './testing/capturing-logger.js';

function sendPing(client: TestClient, correlationId: number): void {
  client.sendRequest(ApiKey.ApiVersions, 2, correlationId, ApiVersionsRequest.defaults());
}

function connectRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

test('graceful close: requests in flight are answered, then connections close and close() resolves', async () => {
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  const handler = new TestHandler(async (req) => {
    await gate;
    return defaultResponse(req);
  });
  const t = await startTestServer({ handler, config: { maxInFlightRequestsPerConnection: 2 } });
  const busy = await TestClient.connect(t.port);
  const quiet = await TestClient.connect(t.port);
  sendPing(busy, 1);
  sendPing(busy, 2);
  await waitFor(() => handler.inFlight === 2, 5_000, 'both requests with the handler');
  let closed = false;
  const closing = t.server.close().then(() => (closed = true));
  await quiet.waitClosed();
  assert.ok(await connectRefused(t.port), 'no new connections once closing');
  sendPing(busy, 3); // arrives after close() began: not read
  await delayMs(50);
  assert.equal(closed, false, 'close() waits for the requests in flight');
  release();
  assert.equal(await busy.nextCorrelationId(), 1);
  assert.equal(await busy.nextCorrelationId(), 2);
  await busy.waitClosed();
  await withTimeout(closing, 5_000, 'close() to resolve');
  assert.equal(handler.calls, 2);
  const c = t.server.counters;
  assert.equal(c.connectionsOpen, 0);
  assert.equal(c.connectionsClosed.shutdown, 2);
  assert.equal(c.requestsInFlight, 0);
});

test('close() gives up on a handler that never finishes after shutdownTimeoutMs', async () => {
  const handler = new TestHandler(() => new Promise(() => {}));
  const t = await startTestServer({ handler, config: { shutdownTimeoutMs: 100 } });
  const client = await TestClient.connect(t.port);
  sendPing(client, 1);
  await waitFor(() => handler.calls === 1, 5_000, 'the request to reach the handler');
  await withTimeout(t.server.close(), 5_000, 'close() to resolve');
  await client.waitClosed();
  assert.equal(t.server.counters.connectionsOpen, 0);
  assert.equal(t.server.counters.requestsInFlight, 0);
});

test('close() twice, close() before start(), and a listener that cannot bind', async () => {
  const t = await startTestServer();
  await Promise.all([t.server.close(), t.server.close()]);

  const never = new SocketServer({ config: { listeners: [{ name: 'L', host: '127.0.0.1', port: 0 }] }, handler: new TestHandler() });
  await withTimeout(never.close(), 5_000, 'close() of a server never started');

  const taken = net.createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
  const port = (taken.address() as net.AddressInfo).port;
  const clash = new SocketServer({
    config: {
      listeners: [
        { name: 'A', host: '127.0.0.1', port: 0 },
        { name: 'B', host: '127.0.0.1', port },
      ],
    },
    handler: new TestHandler(),
    logger: new CapturingLogger(),
  });
  await assert.rejects(clash.start(), /EADDRINUSE/);
  await withTimeout(clash.close(), 5_000, 'close() after a failed start');
  await new Promise<void>((r) => taken.close(() => r()));
});

test('the config is checked', () => {
  const handler = new TestHandler();
  assert.throws(() => new SocketServer({ config: { listeners: [] }, handler }), /at least one listener/);
  const listeners = [{ name: 'L', host: '127.0.0.1', port: 0 }];
  assert.throws(() => new SocketServer({ config: { listeners, queuedMaxRequests: 0 }, handler }), /queuedMaxRequests/);
  assert.throws(() => new SocketServer({ config: { listeners: [...listeners, ...listeners] }, handler }), /twice/);
});
