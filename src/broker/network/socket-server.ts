/**
 * The broker's socket server: listeners, accept with connection quotas, one shared timer for idle
 * and stuck connections, and graceful shutdown. Per-connection work lives in Connection.
 */
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { BufferRecycler } from '../../common/buffer-recycler.js';
import { type Clock, systemClock } from '../../common/clock.js';
import { type ResolvedSocketServerConfig, type SocketServerConfig, resolveSocketServerConfig } from './config.js';
import { Connection } from './connection.js';
import type { ConnectionHost } from './connection-host.js';
import { ConnectionQuotas, normalizeIp } from './connection-quotas.js';
import { type NetworkLogger, stderrLogger } from './logger.js';
import { type CloseReason, type NetworkCounters, NetworkMetrics } from './metrics.js';
import type { RequestHandler } from './request-handler.js';
import { RequestLimiter } from './request-limiter.js';

export interface BoundListener {
  readonly name: string;
  readonly host: string;
  /** The port actually bound (the ephemeral one when the config said 0). */
  readonly port: number;
}

export interface SocketServerOptions {
  readonly config: SocketServerConfig;
  readonly handler: RequestHandler;
  readonly clock?: Clock;
  readonly logger?: NetworkLogger;
  /** Makes each listening socket; the default pauses accepted sockets until they are set up. */
  readonly createNetServer?: () => net.Server;
}

type State = 'new' | 'starting' | 'running' | 'closing' | 'closed';

function listen(server: net.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Request frame buffers kept for reuse (frames of 64 KiB to 16 MiB that arrived in pieces). */
const FRAME_POOL_BYTES = 32 * 1024 * 1024;

export class SocketServer {
  private readonly config: ResolvedSocketServerConfig;
  private readonly host: ConnectionHost;
  private readonly logger: NetworkLogger;
  private readonly clock: Clock;
  private readonly metrics = new NetworkMetrics();
  private readonly quotas: ConnectionQuotas;
  private readonly createNetServer: () => net.Server;
  private readonly servers: { server: net.Server; bound: BoundListener }[] = [];
  private readonly connections = new Map<string, Connection>();
  private nextConnectionIndex = 0;
  private state: State = 'new';
  private startPromise: Promise<BoundListener[]> | undefined;
  private closePromise: Promise<void> | undefined;
  private checkTimer: NodeJS.Timeout | undefined;
  private shutdownTimer: NodeJS.Timeout | undefined;
  private onAllClosed: (() => void) | undefined;
  private serversOpen = 0;

  constructor(options: SocketServerOptions) {
    this.config = resolveSocketServerConfig(options.config);
    this.logger = options.logger ?? stderrLogger;
    this.clock = options.clock ?? systemClock;
    this.quotas = new ConnectionQuotas(this.config.maxConnections, this.config.maxConnectionsPerIp, this.config.maxConnectionsPerIpOverrides);
    this.createNetServer = options.createNetServer ?? (() => net.createServer({ pauseOnConnect: true }));
    this.host = {
      config: this.config,
      handler: options.handler,
      limiter: new RequestLimiter(this.config.queuedMaxRequests),
      metrics: this.metrics,
      logger: this.logger,
      clock: this.clock,
      frameBuffers: new BufferRecycler(FRAME_POOL_BYTES),
      connectionClosed: (id, reason) => this.connectionClosed(id, reason),
    };
  }

  /** Binds every listener; resolves with the bound addresses once all accept connections. */
  start(): Promise<BoundListener[]> {
    if (this.state !== 'new') throw new Error(`socket server cannot start: it is ${this.state}`);
    this.state = 'starting';
    this.startPromise = this.bindAll();
    return this.startPromise;
  }

  private async bindAll(): Promise<BoundListener[]> {
    for (const listener of this.config.listeners) {
      const server = this.createNetServer();
      server.on('connection', (socket: net.Socket) => this.accept(listener.name, socket));
      server.on('error', (err) => this.logger.error('listener failed', { listener: listener.name, error: err }));
      try {
        const port = await listen(server, listener.host, listener.port);
        this.servers.push({ server, bound: { name: listener.name, host: listener.host, port } });
      } catch (err) {
        this.closePromise ??= this.shutdown();
        await this.closePromise;
        throw err;
      }
    }
    this.checkTimer = setInterval(() => this.checkConnections(), this.config.connectionCheckIntervalMs);
    this.checkTimer.unref();
    if (this.state === 'starting') this.state = 'running';
    return this.listeners;
  }

  get listeners(): BoundListener[] {
    return this.servers.map((s) => s.bound);
  }

  boundPort(listenerName: string): number {
    const found = this.servers.find((s) => s.bound.name === listenerName);
    if (found === undefined) throw new Error(`no bound listener named ${listenerName}`);
    return found.bound.port;
  }

  /** A copy of the counters. */
  get counters(): NetworkCounters {
    return this.metrics.snapshot();
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  private accept(listenerName: string, socket: net.Socket): void {
    const address = socket.remoteAddress;
    const accepting = this.state === 'running' || this.state === 'starting';
    if (!accepting || address === undefined) {
      socket.on('error', () => {});
      socket.destroy();
      return;
    }
    const ip = normalizeIp(address);
    const quota = this.quotas.tryAcquire(ip);
    if (!quota.ok) {
      socket.on('error', () => {});
      socket.destroy();
      this.metrics.connectionClosed(quota.reason, false);
      this.logger.info('rejected connection', { listener: listenerName, remoteAddress: ip, reason: quota.reason, limit: quota.limit });
      return;
    }
    const id = `${normalizeIp(socket.localAddress ?? '')}:${socket.localPort ?? 0}-${ip}:${socket.remotePort ?? 0}-${this.nextConnectionIndex}`;
    this.nextConnectionIndex = this.nextConnectionIndex === 2_147_483_647 ? 0 : this.nextConnectionIndex + 1;
    this.metrics.connectionOpened();
    this.connections.set(id, new Connection(socket, id, ip, listenerName, this.host));
  }

  private connectionClosed(id: string, reason: CloseReason): void {
    const connection = this.connections.get(id);
    if (connection === undefined) return;
    this.connections.delete(id);
    this.quotas.release(connection.remoteIp);
    this.metrics.connectionClosed(reason, true);
    this.logger.debug('connection closed', { connection: id, reason });
    this.maybeFinishClose();
  }

  /** The one coarse timer: idle connections, and closing ones that never finished flushing. */
  private checkConnections(): void {
    try {
      const now = this.clock.monotonicMs();
      for (const connection of this.connections.values()) {
        if (connection.closingSinceMs !== undefined) {
          if (now - connection.closingSinceMs >= this.config.closeFlushTimeoutMs) connection.destroy('clientDisconnect');
        } else if (now - connection.lastActivityMs >= this.config.connectionsMaxIdleMs) {
          this.logger.debug('closing idle connection', { connection: connection.info.id });
          connection.destroy('idle');
        }
      }
    } catch (err) {
      this.logger.error('connection check failed', { error: err });
    }
  }

  /**
   * Stops accepting, lets requests in flight finish (up to shutdownTimeoutMs), then closes every
   * connection. Resolves when all listeners and connections are closed.
   */
  async close(): Promise<void> {
    if (this.closePromise === undefined) {
      if (this.state === 'starting') await this.startPromise?.catch(() => undefined);
      this.closePromise ??= this.shutdown();
    }
    return this.closePromise;
  }

  private async shutdown(): Promise<void> {
    this.state = 'closing';
    const allClosed = new Promise<void>((resolve) => {
      this.onAllClosed = resolve;
    });
    this.serversOpen = this.servers.length;
    for (const { server } of this.servers) {
      server.close(() => {
        this.serversOpen--;
        this.maybeFinishClose();
      });
    }
    for (const connection of this.connections.values()) connection.beginShutdown();
    this.shutdownTimer = setTimeout(() => {
      for (const connection of this.connections.values()) connection.destroy('shutdown');
    }, this.config.shutdownTimeoutMs);
    this.maybeFinishClose();
    await allClosed;
    clearTimeout(this.shutdownTimer);
    clearInterval(this.checkTimer);
    this.state = 'closed';
  }

  private maybeFinishClose(): void {
    if (this.state !== 'closing' || this.connections.size > 0 || this.serversOpen > 0) return;
    this.onAllClosed?.();
  }
}
