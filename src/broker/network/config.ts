/**
 * The socket server's settings: Kafka's broker config names in camelCase, with Kafka's defaults.
 * `resolveSocketServerConfig` fills the defaults and rejects values that cannot work.
 */

export interface ListenerConfig {
  /** Kafka's listener name, e.g. "PLAINTEXT"; handed to handlers with every request. */
  readonly name: string;
  /** Address to bind; "0.0.0.0" or "::" for every interface. */
  readonly host: string;
  /** 0 asks the OS for an ephemeral port; `SocketServer.boundPort` reports the one it gave. */
  readonly port: number;
}

export interface SocketServerConfig {
  readonly listeners: readonly ListenerConfig[];
  /** socket.request.max.bytes: a size prefix above this closes the connection. */
  readonly socketRequestMaxBytes?: number;
  /**
   * queued.max.requests: requests read from sockets and not yet answered, across the server.
   * At the limit, connections stop reading until a response goes out.
   */
  readonly queuedMaxRequests?: number;
  /**
   * Requests one connection may have with handlers at once. Kafka mutes a connection while one
   * request is in flight, so the default is 1; more lets handlers overlap, and responses still
   * go out in request order.
   */
  readonly maxInFlightRequestsPerConnection?: number;
  /** connections.max.idle.ms: a connection with no bytes in or out for this long is closed. */
  readonly connectionsMaxIdleMs?: number;
  /** max.connections: connections accepted beyond this are closed at once. */
  readonly maxConnections?: number;
  /** max.connections.per.ip: likewise per remote address. */
  readonly maxConnectionsPerIp?: number;
  /** max.connections.per.ip.overrides: per address (IP literals), e.g. { '127.0.0.1': 100 }. */
  readonly maxConnectionsPerIpOverrides?: Readonly<Record<string, number>>;
  /** How long `close()` waits for in-flight requests before cutting connections. */
  readonly shutdownTimeoutMs?: number;
  /** How long a closing connection may take to flush its last responses before it is cut. */
  readonly closeFlushTimeoutMs?: number;
  /** Period of the one shared timer that reaps idle and stuck-closing connections. */
  readonly connectionCheckIntervalMs?: number;
}

export interface ResolvedSocketServerConfig {
  readonly listeners: readonly ListenerConfig[];
  readonly socketRequestMaxBytes: number;
  readonly queuedMaxRequests: number;
  readonly maxInFlightRequestsPerConnection: number;
  readonly connectionsMaxIdleMs: number;
  readonly maxConnections: number;
  readonly maxConnectionsPerIp: number;
  readonly maxConnectionsPerIpOverrides: ReadonlyMap<string, number>;
  readonly shutdownTimeoutMs: number;
  readonly closeFlushTimeoutMs: number;
  readonly connectionCheckIntervalMs: number;
}

/** Kafka's defaults (Int.MaxValue for the connection limits). */
export const SOCKET_SERVER_DEFAULTS = {
  socketRequestMaxBytes: 104_857_600,
  queuedMaxRequests: 500,
  maxInFlightRequestsPerConnection: 1,
  connectionsMaxIdleMs: 600_000,
  maxConnections: 2_147_483_647,
  maxConnectionsPerIp: 2_147_483_647,
  shutdownTimeoutMs: 30_000,
  closeFlushTimeoutMs: 5_000,
} as const;

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function nonNegativeInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  return value;
}

/** Coarse enough to cost nothing, fine enough that a small idle timeout in a test is honoured. */
function defaultCheckIntervalMs(idleMs: number, flushMs: number): number {
  return Math.max(10, Math.min(1_000, Math.floor(Math.min(idleMs, flushMs) / 4)));
}

export function resolveSocketServerConfig(config: SocketServerConfig): ResolvedSocketServerConfig {
  if (config.listeners.length === 0) throw new RangeError('a socket server needs at least one listener');
  const names = new Set<string>();
  for (const l of config.listeners) {
    if (names.has(l.name)) throw new RangeError(`listener ${l.name} is configured twice`);
    names.add(l.name);
    if (!Number.isInteger(l.port) || l.port < 0 || l.port > 65_535) throw new RangeError(`listener ${l.name}: bad port ${l.port}`);
  }
  const d = SOCKET_SERVER_DEFAULTS;
  const overrides = new Map<string, number>();
  for (const [ip, max] of Object.entries(config.maxConnectionsPerIpOverrides ?? {})) {
    overrides.set(ip, nonNegativeInt(`maxConnectionsPerIpOverrides[${ip}]`, max));
  }
  const connectionsMaxIdleMs = positiveInt('connectionsMaxIdleMs', config.connectionsMaxIdleMs ?? d.connectionsMaxIdleMs);
  const closeFlushTimeoutMs = positiveInt('closeFlushTimeoutMs', config.closeFlushTimeoutMs ?? d.closeFlushTimeoutMs);
  return {
    listeners: config.listeners,
    socketRequestMaxBytes: positiveInt('socketRequestMaxBytes', config.socketRequestMaxBytes ?? d.socketRequestMaxBytes),
    queuedMaxRequests: positiveInt('queuedMaxRequests', config.queuedMaxRequests ?? d.queuedMaxRequests),
    maxInFlightRequestsPerConnection: positiveInt(
      'maxInFlightRequestsPerConnection',
      config.maxInFlightRequestsPerConnection ?? d.maxInFlightRequestsPerConnection,
    ),
    connectionsMaxIdleMs,
    maxConnections: nonNegativeInt('maxConnections', config.maxConnections ?? d.maxConnections),
    maxConnectionsPerIp: nonNegativeInt('maxConnectionsPerIp', config.maxConnectionsPerIp ?? d.maxConnectionsPerIp),
    maxConnectionsPerIpOverrides: overrides,
    shutdownTimeoutMs: nonNegativeInt('shutdownTimeoutMs', config.shutdownTimeoutMs ?? d.shutdownTimeoutMs),
    closeFlushTimeoutMs,
    connectionCheckIntervalMs: positiveInt(
      'connectionCheckIntervalMs',
      config.connectionCheckIntervalMs ?? defaultCheckIntervalMs(connectionsMaxIdleMs, closeFlushTimeoutMs),
    ),
  };
}
