/**
 * A bare Kafka-protocol client over a real socket, for the network layer's tests: sends raw
 * bytes or encoded requests, collects response frames, and reports when the server closes.
 */
import * as net from 'node:net';
import { decodeResponseFrame, encodeRequestFrame } from '../../../protocol/index.js';
import { FrameReader } from '../frame-reader.js';

/** Rejects after `timeoutMs` so a broken test fails instead of hanging. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `condition` until it holds; rejects after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function sizePrefixed(payload: Buffer): Buffer {
  const size = Buffer.allocUnsafe(4);
  size.writeInt32BE(payload.length, 0);
  return Buffer.concat([size, payload]);
}

export class TestClient {
  readonly socket: net.Socket;
  /** Resolves when the socket has closed, whoever closed it. */
  readonly closed: Promise<void>;
  isClosed = false;
  private readonly reader = new FrameReader(1 << 30);
  private readonly frames: Buffer[] = [];
  private waiter: (() => void) | undefined;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.reader.push(chunk);
      for (let f = this.reader.next(); f !== undefined; f = this.reader.next()) this.frames.push(f);
      this.wake();
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.isClosed = true;
        this.wake();
        resolve();
      });
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<TestClient> {
    return withTimeout(
      new Promise((resolve, reject) => {
        const socket = net.connect({ port, host }, () => {
          socket.off('error', reject);
          resolve(new TestClient(socket));
        });
        socket.once('error', reject);
      }),
      5_000,
      `connect to ${host}:${port}`,
    );
  }

  get framesBuffered(): number {
    return this.frames.length;
  }

  send(data: Buffer | readonly Buffer[]): void {
    if (Buffer.isBuffer(data)) this.socket.write(data);
    else this.socket.write(Buffer.concat(data));
  }

  sendRequest(apiKey: number, apiVersion: number, correlationId: number, body: unknown, clientId: string | null = 'test-client'): void {
    this.send(encodeRequestFrame({ apiKey, apiVersion, correlationId, clientId }, body));
  }

  /** The next response frame (without its size prefix). */
  async nextFrame(timeoutMs = 5_000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0) {
      if (this.isClosed) throw new Error('connection closed before a response arrived');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no response within ${timeoutMs} ms`);
      await withTimeout(new Promise<void>((r) => (this.waiter = r)), left, 'a response frame').catch(() => undefined);
    }
    return this.frames.shift()!;
  }

  async nextResponse<T>(apiKey: number, apiVersion: number, timeoutMs = 5_000): Promise<{ correlationId: number; body: T }> {
    return decodeResponseFrame<T>(apiKey, apiVersion, await this.nextFrame(timeoutMs));
  }

  /** The correlation id of the next response, whatever its API. */
  async nextCorrelationId(timeoutMs = 5_000): Promise<number> {
    return (await this.nextFrame(timeoutMs)).readInt32BE(0);
  }

  waitClosed(timeoutMs = 5_000): Promise<void> {
    return withTimeout(this.closed, timeoutMs, 'the server to close the connection');
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}
