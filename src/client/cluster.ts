/**
 * The client's view of a cluster: a bootstrap list, the brokers Metadata names, one connection
 * per broker (made on first use, dropped when it breaks), group coordinators by group id, and
 * retries with exponential backoff for errors Kafka calls retriable.
 *
 *   const cluster = new Cluster({ bootstrapServers: '127.0.0.1:9092' });
 *   const md = await cluster.metadata(['orders']);
 *   await cluster.close();
 */
import { ErrorCode } from '../protocol/index.js';
import { Connection, type ConnectionOptions } from './connection.js';
import { CoordinatorType, findCoordinator } from './coordinator.js';
import { ClientClosedError, ConnectionError, KafkaResponseError, isRetriable } from './errors.js';
import { type BrokerNode, type ClusterMetadata, requestMetadata } from './metadata.js';

export interface ClusterOptions {
  /** "host:port" or a comma-separated list of them, or an array. */
  bootstrapServers: string | readonly string[];
  clientId?: string;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** How many times a retriable failure is tried again. */
  retries?: number;
  retryBackoffMs?: number;
  retryBackoffMaxMs?: number;
}

interface Address {
  readonly host: string;
  readonly port: number;
}

export function parseBootstrapServers(servers: string | readonly string[]): Address[] {
  const list = typeof servers === 'string' ? servers.split(',') : servers;
  const out = list.map((s) => s.trim()).filter((s) => s.length > 0).map(parseAddress);
  if (out.length === 0) throw new ConnectionError('bootstrap', 'no bootstrap servers given');
  return out;
}

function parseAddress(s: string): Address {
  const colon = s.lastIndexOf(':');
  const host = colon > 0 ? s.slice(0, colon).replace(/^\[(.*)\]$/, '$1') : '';
  const port = colon > 0 ? Number(s.slice(colon + 1)) : NaN;
  if (!host || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new ConnectionError(s, 'not a host:port address');
  }
  return { host, port };
}

const COORDINATOR_MOVED: ReadonlySet<number> = new Set([ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_NOT_AVAILABLE]);

export class Cluster {
  private readonly bootstrap: Address[];
  private readonly brokers = new Map<number, BrokerNode>();
  private readonly connections = new Map<string, Promise<Connection>>();
  private readonly coordinators = new Map<string, number>();
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly backoffMaxMs: number;
  private closed = false;

  constructor(private readonly options: ClusterOptions) {
    this.bootstrap = parseBootstrapServers(options.bootstrapServers);
    this.retries = options.retries ?? 5;
    this.backoffMs = options.retryBackoffMs ?? 100;
    this.backoffMaxMs = options.retryBackoffMaxMs ?? 1000;
  }

  /** Metadata for `topics` (all when undefined); refreshes the broker list. Retries. */
  metadata(topics?: readonly string[]): Promise<ClusterMetadata> {
    return this.retry(() => this.metadataOnce(topics));
  }

  /** One Metadata request, without retries: for callers that retry a larger step themselves. */
  async metadataOnce(topics?: readonly string[], options: { allowAutoTopicCreation?: boolean } = {}): Promise<ClusterMetadata> {
    const md = await requestMetadata(await this.anyConnection(), topics, options);
    for (const b of md.brokers) this.brokers.set(b.nodeId, b);
    return md;
  }

  /** A connection to one broker by node id. */
  async connectionTo(nodeId: number): Promise<Connection> {
    let node = this.brokers.get(nodeId);
    if (!node) {
      await this.metadataOnce([]);
      node = this.brokers.get(nodeId);
    }
    if (!node) throw new ConnectionError(`node ${nodeId}`, 'no such broker in the cluster metadata');
    return this.connect(node);
  }

  /** An open connection to any broker: one already made, else the bootstrap servers in turn. */
  async anyConnection(): Promise<Connection> {
    for (const pending of this.connections.values()) {
      const conn = await pending.catch(() => null);
      if (conn?.isOpen) return conn;
    }
    let last: unknown;
    for (const address of [...this.bootstrap, ...this.brokers.values()]) {
      try {
        return await this.connect(address);
      } catch (e) {
        last = e;
      }
    }
    throw last;
  }

  /** The connection to the coordinator of a group, found with FindCoordinator and cached. */
  groupCoordinator(groupId: string): Promise<{ node: BrokerNode; connection: Connection }> {
    return this.coordinator(groupId, CoordinatorType.GROUP);
  }

  /** The connection to the coordinator of a group or transactional id, found with FindCoordinator and cached. */
  async coordinator(key: string, type: CoordinatorType): Promise<{ node: BrokerNode; connection: Connection }> {
    const cacheKey = `${type}:${key}`;
    let nodeId = this.coordinators.get(cacheKey);
    if (nodeId === undefined) {
      const node = await findCoordinator(await this.anyConnection(), key, type);
      this.brokers.set(node.nodeId, { ...node, rack: this.brokers.get(node.nodeId)?.rack ?? null });
      this.coordinators.set(cacheKey, node.nodeId);
      nodeId = node.nodeId;
    }
    const node = this.brokers.get(nodeId)!;
    return { node, connection: await this.connect(node) };
  }

  /**
   * Runs `fn` against the group's coordinator, retrying retriable failures; when the coordinator
   * moved or is gone, the cached one is forgotten so the next try looks it up again.
   */
  withGroupCoordinator<T>(groupId: string, fn: (connection: Connection, node: BrokerNode) => Promise<T>): Promise<T> {
    return this.withCoordinator(groupId, CoordinatorType.GROUP, fn);
  }

  /** withGroupCoordinator for either kind of coordinator. */
  withCoordinator<T>(key: string, type: CoordinatorType, fn: (connection: Connection, node: BrokerNode) => Promise<T>): Promise<T> {
    return this.retry(async () => {
      try {
        const { node, connection } = await this.coordinator(key, type);
        return await fn(connection, node);
      } catch (e) {
        if ((e instanceof KafkaResponseError && COORDINATOR_MOVED.has(e.errorCode)) || e instanceof ConnectionError) {
          this.coordinators.delete(`${type}:${key}`);
        }
        throw e;
      }
    });
  }

  /** Forgets the cached coordinator of `key`, so the next call looks it up again. */
  forgetCoordinator(key: string, type: CoordinatorType): void {
    this.coordinators.delete(`${type}:${key}`);
  }

  /** Runs `fn`, trying again after a growing, jittered pause while it fails with a retriable error. */
  async retry<T>(fn: (attempt: number) => Promise<T>): Promise<T> {
    let backoff = this.backoffMs;
    for (let attempt = 0; ; attempt++) {
      if (this.closed) throw new ClientClosedError();
      try {
        return await fn(attempt);
      } catch (e) {
        if (!isRetriable(e) || attempt >= this.retries || this.closed) throw e;
        await new Promise((resolve) => setTimeout(resolve, backoff * (0.8 + Math.random() * 0.4)));
        backoff = Math.min(backoff * 2, this.backoffMaxMs);
      }
    }
  }

  /** Closes every connection, letting requests on the wire finish. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => null))?.close()));
  }

  private connect(address: Address): Promise<Connection> {
    if (this.closed) return Promise.reject(new ClientClosedError());
    const key = `${address.host}:${address.port}`;
    const existing = this.connections.get(key);
    if (existing) {
      return existing.then((c) => (c.isOpen ? c : this.reconnect(key, address, existing)), () => this.reconnect(key, address, existing));
    }
    return this.reconnect(key, address, undefined);
  }

  private reconnect(key: string, address: Address, stale: Promise<Connection> | undefined): Promise<Connection> {
    const current = this.connections.get(key);
    if (current && current !== stale) return current;
    const options: ConnectionOptions = {
      host: address.host,
      port: address.port,
      clientId: this.options.clientId,
      connectTimeoutMs: this.options.connectTimeoutMs,
      requestTimeoutMs: this.options.requestTimeoutMs,
    };
    const pending = Connection.connect(options);
    this.connections.set(key, pending);
    pending.then(
      (c) => {
        if (this.closed) void c.close();
        c.onClose(() => { if (this.connections.get(key) === pending) this.connections.delete(key); });
      },
      () => { if (this.connections.get(key) === pending) this.connections.delete(key); },
    );
    return pending;
  }
}
