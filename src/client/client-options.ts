/**
 * The options every client (producer, consumer, admin) shares, with Kafka's names and defaults.
 */
import type { ClusterOptions } from './cluster.js';
import { intOption } from './options.js';

export interface CommonClientOptions {
  /** `bootstrap.servers`: "host:port,host:port" or an array. Required. */
  bootstrapServers: string | readonly string[];
  /** `client.id`, sent in every request header. */
  clientId?: string;
  /** `request.timeout.ms` (30000): how long one request may wait for its answer. */
  requestTimeoutMs?: number;
  /** `socket.connection.setup.timeout.ms` (10000). */
  socketConnectionSetupTimeoutMs?: number;
  /** `retry.backoff.ms` (100) and `retry.backoff.max.ms` (1000): the pause between tries grows from one to the other. */
  retryBackoffMs?: number;
  retryBackoffMaxMs?: number;
  /** `metadata.max.age.ms` (300000): metadata older than this is fetched again even without an error. */
  metadataMaxAgeMs?: number;
}

/** The camelCase names of CommonClientOptions, for normalizeOptions. */
export const COMMON_OPTION_NAMES: readonly string[] = [
  'bootstrapServers', 'clientId', 'requestTimeoutMs', 'socketConnectionSetupTimeoutMs', 'retryBackoffMs', 'retryBackoffMaxMs', 'metadataMaxAgeMs',
];

export const COMMON_DEFAULTS = {
  requestTimeoutMs: 30_000,
  socketConnectionSetupTimeoutMs: 10_000,
  retryBackoffMs: 100,
  retryBackoffMaxMs: 1_000,
  metadataMaxAgeMs: 300_000,
} as const;

/** ClusterOptions from normalized common options; `retries` bounds the Cluster's own retry loop. */
export function clusterOptionsFrom(o: CommonClientOptions & Record<string, unknown>, retries = 5): ClusterOptions {
  return {
    bootstrapServers: o.bootstrapServers,
    clientId: o.clientId ?? 'samsa-client',
    requestTimeoutMs: intOption(o, 'requestTimeoutMs', COMMON_DEFAULTS.requestTimeoutMs, 1),
    connectTimeoutMs: intOption(o, 'socketConnectionSetupTimeoutMs', COMMON_DEFAULTS.socketConnectionSetupTimeoutMs, 1),
    retryBackoffMs: intOption(o, 'retryBackoffMs', COMMON_DEFAULTS.retryBackoffMs, 0),
    retryBackoffMaxMs: intOption(o, 'retryBackoffMaxMs', COMMON_DEFAULTS.retryBackoffMaxMs, 0),
    retries,
  };
}
