/** Starts a SocketServer on an ephemeral loopback port for a test, and stops it afterwards. */
import type { SocketServerConfig } from '../config.js';
import type { RequestHandler } from '../request-handler.js';
import { SocketServer } from '../socket-server.js';
import { CapturingLogger } from './capturing-logger.js';
import { TestHandler } from './test-handler.js';

export interface TestServer<H extends RequestHandler> {
  server: SocketServer;
  handler: H;
  logger: CapturingLogger;
  port: number;
}

export async function startTestServer<H extends RequestHandler = TestHandler>(
  options: { config?: Partial<SocketServerConfig>; handler?: H } = {},
): Promise<TestServer<H>> {
  const handler = options.handler ?? (new TestHandler() as unknown as H);
  const logger = new CapturingLogger();
  const server = new SocketServer({
    config: { listeners: [{ name: 'PLAINTEXT', host: '127.0.0.1', port: 0 }], ...options.config },
    handler,
    logger,
  });
  const [bound] = await server.start();
  return { server, handler, logger, port: bound!.port };
}
