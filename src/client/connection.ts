/**
 * One TCP connection to one broker: size-prefixed frames, correlation ids, pipelined requests
 * (up to maxInFlightRequests on the wire, the rest in a bounded queue), a per-request timeout
 * checked by one coarse timer per connection, and ApiVersions negotiation on connect.
 *
 *   const conn = await Connection.connect({ host: '127.0.0.1', port: 9092 });
 *   const v = conn.versionFor(ApiKey.Metadata);
 *   const md = await conn.send<MetadataResponse>(ApiKey.Metadata, v, body);
 *   await conn.close();
 */
import type net from 'node:net';
import { DecodeError } from '../common/errors.js';
import { ApiKey, type ApiVersionsResponse, ErrorCode, apiInfo, decodeResponseFrame, encodeRequestFrame } from '../protocol/index.js';
import {
  ClientClosedError, ConnectionError, ProtocolViolationError, QueueFullError, RequestTimeoutError, UnsupportedVersionError, throwIfError,
} from './errors.js';
import { FrameReader } from './frame-reader.js';
import { openSocket } from './socket.js';
import { CLIENT_SOFTWARE_NAME, CLIENT_SOFTWARE_VERSION, NegotiatedVersions, clientVersions } from './versions.js';

export interface ConnectionOptions {
  host: string;
  port: number;
  /** The client.id sent in every request header. */
  clientId?: string;
  connectTimeoutMs?: number;
  /** How long a request may wait for its response, queueing included. */
  requestTimeoutMs?: number;
  maxInFlightRequests?: number;
  maxQueuedRequests?: number;
  maxResponseSize?: number;
}

interface Pending {
  readonly correlationId: number;
  readonly apiName: string;
  readonly timeoutMs: number;
  readonly deadline: number;
  /** The request frame while it waits in the queue; null once written. */
  chunks: Buffer[] | null;
  readonly decode: (frame: Buffer) => unknown;
  readonly resolve: (body: unknown) => void;
  readonly reject: (e: Error) => void;
}

const DEFAULTS = {
  clientId: 'samsa-client',
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxInFlightRequests: 64,
  maxQueuedRequests: 1024,
  maxResponseSize: 100 * 1024 * 1024,
};
/** How often the shared timer looks for expired requests; timeouts fire up to this late. */
const SWEEP_MS = 50;
/** Responses to timed-out requests still arrive; their ids are remembered (boundedly) and dropped. */
const MAX_ABANDONED = 1024;

export class Connection {
  readonly address: string;
  private readonly options: Required<Omit<ConnectionOptions, 'host' | 'port'>>;
  private readonly reader: FrameReader;
  private readonly pending = new Map<number, Pending>();
  private readonly queue: Pending[] = [];
  private readonly abandoned = new Set<number>();
  private inFlight = 0;
  private nextCorrelationId = 0;
  private sweeper: NodeJS.Timeout | null = null;
  private versions: NegotiatedVersions | null = null;
  private state: 'open' | 'closing' | 'closed' = 'open';
  private closeError: Error | null = null;
  private readonly closeListeners: Array<(e: Error | null) => void> = [];
  /** The graceful close under way, so a second close() waits for the same one. */
  private closing: Promise<void> | null = null;
  /** Wakes close() when the last waiting request settles. */
  private onIdle: (() => void) | null = null;

  private constructor(private readonly socket: net.Socket, options: ConnectionOptions) {
    this.address = `${options.host}:${options.port}`;
    const { host: _h, port: _p, ...rest } = options;
    this.options = { ...DEFAULTS, ...stripUndefined(rest) };
    this.reader = new FrameReader(this.options.maxResponseSize);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.fail(new ConnectionError(this.address, e.message, { cause: e })));
    socket.on('close', () => this.fail(new ConnectionError(this.address, 'connection closed by the broker')));
  }

  /** Opens a connection and negotiates API versions; fails if either step fails. */
  static async connect(options: ConnectionOptions): Promise<Connection> {
    const socket = await openSocket(options.host, options.port, options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs);
    const conn = new Connection(socket, options);
    try {
      await conn.negotiate();
    } catch (e) {
      conn.destroy();
      throw e;
    }
    return conn;
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** Called once when the connection ends, with the error that ended it (null for close()). */
  onClose(listener: (e: Error | null) => void): void {
    if (this.state === 'closed') listener(this.closeError);
    else this.closeListeners.push(listener);
  }

  /** The highest version of an API both sides support, at least `minVersion`. */
  versionFor(apiKey: number, minVersion = 0): number {
    return this.negotiated().highest(apiKey, minVersion);
  }

  supports(apiKey: number, minVersion = 0): boolean {
    return this.negotiated().supports(apiKey, minVersion);
  }

  /** Sends one request at `apiVersion` and resolves with the decoded response body. */
  send<T>(apiKey: number, apiVersion: number, body: unknown, options: { timeoutMs?: number } = {}): Promise<T> {
    const info = apiInfo(apiKey);
    if (!info) return Promise.reject(new UnsupportedVersionError(`unknown API key ${apiKey}`));
    const decode = (frame: Buffer): unknown => decodeResponseFrame(apiKey, apiVersion, frame).body;
    return this.enqueue(apiKey, apiVersion, info.name, body, decode, options.timeoutMs) as Promise<T>;
  }

  /**
   * Sends a request the broker does not answer (Produce with acks=0): the frame is written at
   * once, ahead of queued requests, and no correlation id is kept.
   */
  sendNoResponse(apiKey: number, apiVersion: number, body: unknown): void {
    if (this.state !== 'open') throw this.closeError ?? new ClientClosedError(`${this.address}: the connection is closed`);
    const correlationId = this.nextCorrelationId;
    this.nextCorrelationId = (this.nextCorrelationId + 1) & 0x7fffffff;
    const chunks = encodeRequestFrame({ apiKey, apiVersion, correlationId, clientId: this.options.clientId }, body);
    this.socket.cork();
    for (const c of chunks) this.socket.write(c);
    this.socket.uncork();
  }

  /**
   * Stops taking requests, fails the queued ones, waits for the answers already on the wire
   * (each bounded by its timeout), then closes the socket.
   */
  close(): Promise<void> {
    this.closing ??= this.closeGracefully();
    return this.closing;
  }

  /** Closes the socket at once; every waiting request fails with `error`. */
  destroy(error: Error = new ClientClosedError('the connection was destroyed')): void {
    this.fail(error, true);
    this.socket.destroy();
  }

  private async closeGracefully(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closing';
    for (const p of this.queue.splice(0)) this.settle(p, new ClientClosedError('the connection was closed before the request was sent'));
    while (this.pending.size > 0 && this.isClosing()) {
      await new Promise<void>((resolve) => { this.onIdle = resolve; });
    }
    if (!this.isClosing()) return;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
    });
  }

  /** Read through a method: TypeScript would otherwise keep the narrowing across awaits. */
  private isClosing(): boolean {
    return this.state === 'closing';
  }

  private negotiated(): NegotiatedVersions {
    if (!this.versions) throw new UnsupportedVersionError('API versions are not negotiated yet');
    return this.versions;
  }

  /** ApiVersions at our highest version; a broker that does not know it answers at v0 with its range, and we retry there. */
  private async negotiate(): Promise<void> {
    let version = clientVersions(ApiKey.ApiVersions)!.max;
    for (let attempt = 0; attempt < 3; attempt++) {
      const sentVersion = version;
      const decode = (frame: Buffer): unknown => {
        try {
          return decodeResponseFrame(ApiKey.ApiVersions, sentVersion, frame).body;
        } catch (e) {
          if (!(e instanceof DecodeError) || sentVersion === 0) throw e;
          return decodeResponseFrame(ApiKey.ApiVersions, 0, frame).body;
        }
      };
      const body = { clientSoftwareName: CLIENT_SOFTWARE_NAME, clientSoftwareVersion: CLIENT_SOFTWARE_VERSION };
      // The connection is not up until this answer comes, so the connect timeout bounds it.
      const timeoutMs = this.options.connectTimeoutMs;
      const r = await this.enqueue(ApiKey.ApiVersions, sentVersion, 'ApiVersions', body, decode, timeoutMs) as ApiVersionsResponse;
      if (r.errorCode === ErrorCode.UNSUPPORTED_VERSION) {
        const theirs = r.apiKeys.find((k) => k.apiKey === ApiKey.ApiVersions)?.maxVersion ?? 0;
        version = Math.min(theirs, sentVersion - 1);
        if (version < 0) break;
        continue;
      }
      throwIfError(r.errorCode, `ApiVersions v${sentVersion} to ${this.address}`);
      this.versions = new NegotiatedVersions(r.apiKeys);
      return;
    }
    throw new UnsupportedVersionError(`${this.address}: no ApiVersions version both sides support`);
  }

  private enqueue(
    apiKey: number, apiVersion: number, apiName: string, body: unknown, decode: (frame: Buffer) => unknown, timeoutMs: number | undefined,
  ): Promise<unknown> {
    if (this.state !== 'open') {
      return Promise.reject(this.closeError ?? new ClientClosedError(`${this.address}: the connection is closed`));
    }
    if (this.queue.length >= this.options.maxQueuedRequests) return Promise.reject(new QueueFullError(this.address, this.queue.length));
    const correlationId = this.nextCorrelationId;
    this.nextCorrelationId = (this.nextCorrelationId + 1) & 0x7fffffff;
    let chunks: Buffer[];
    try {
      chunks = encodeRequestFrame({ apiKey, apiVersion, correlationId, clientId: this.options.clientId }, body);
    } catch (e) {
      return Promise.reject(e);
    }
    const timeout = timeoutMs ?? this.options.requestTimeoutMs;
    return new Promise((resolve, reject) => {
      const p: Pending = { correlationId, apiName, timeoutMs: timeout, deadline: performance.now() + timeout, chunks, decode, resolve, reject };
      this.pending.set(correlationId, p);
      this.queue.push(p);
      this.pump();
      this.sweeper ??= setInterval(() => this.sweep(), SWEEP_MS).unref();
    });
  }

  /** Writes queued requests while there is room on the wire. */
  private pump(): void {
    if (this.queue.length === 0 || this.inFlight >= this.options.maxInFlightRequests) return;
    // One corked burst: the frames of every request that fits go out in one vectored write.
    this.socket.cork();
    while (this.queue.length > 0 && this.inFlight < this.options.maxInFlightRequests) {
      const p = this.queue.shift()!;
      const chunks = p.chunks!;
      p.chunks = null;
      this.inFlight++;
      for (const c of chunks) this.socket.write(c);
    }
    this.socket.uncork();
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.reader.push(chunk);
    } catch (e) {
      this.destroy(e as Error);
      return;
    }
    for (const frame of frames) {
      if (frame.length < 4) {
        this.destroy(new ProtocolViolationError(`${this.address}: a response frame of ${frame.length} bytes`));
        return;
      }
      const correlationId = frame.readInt32BE(0);
      this.inFlight--;
      if (this.abandoned.delete(correlationId)) continue;
      const p = this.pending.get(correlationId);
      if (!p || p.chunks !== null) {
        this.destroy(new ProtocolViolationError(`${this.address}: a response to unknown correlation id ${correlationId}`));
        return;
      }
      let body: unknown;
      try {
        body = p.decode(frame);
      } catch (e) {
        this.settle(p, e as Error);
        continue;
      }
      this.settle(p, null, body);
    }
    this.pump();
  }

  private settle(p: Pending, error: Error | null, body?: unknown): void {
    this.pending.delete(p.correlationId);
    if (error) p.reject(error);
    else p.resolve(body);
    if (this.pending.size === 0) {
      if (this.sweeper) clearInterval(this.sweeper);
      this.sweeper = null;
      const idle = this.onIdle;
      this.onIdle = null;
      idle?.();
    }
  }

  private sweep(): void {
    const now = performance.now();
    for (const p of this.pending.values()) {
      if (p.deadline > now) continue;
      if (p.chunks !== null) {
        this.queue.splice(this.queue.indexOf(p), 1);
      } else {
        this.abandoned.add(p.correlationId);
      }
      this.settle(p, new RequestTimeoutError(p.apiName, this.address, p.timeoutMs));
    }
    if (this.abandoned.size > MAX_ABANDONED) {
      this.destroy(new ConnectionError(this.address, `${this.abandoned.size} requests timed out without an answer`));
    }
  }

  private fail(error: Error, deliberate = false): void {
    if (this.state === 'closed') return;
    const wasClosing = this.state === 'closing';
    this.state = 'closed';
    this.closeError = deliberate || wasClosing ? null : error;
    this.queue.length = 0;
    for (const p of [...this.pending.values()]) this.settle(p, error);
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    const idle = this.onIdle;
    this.onIdle = null;
    idle?.();
    for (const l of this.closeListeners.splice(0)) l(this.closeError);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
