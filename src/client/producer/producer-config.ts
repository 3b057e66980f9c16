/**
 * ProducerOptions checked and filled with Kafka's defaults, including Kafka 3's rule for
 * idempotence: on by default, quietly off when acks or retries were set to something it cannot
 * work with, and an error when it was asked for explicitly alongside such settings.
 */
import { type CompressionCodec, compressionCodecFromName } from '../../protocol/index.js';
import { COMMON_OPTION_NAMES, type CommonClientOptions, clusterOptionsFrom } from '../client-options.js';
import type { ClusterOptions } from '../cluster.js';
import { ConfigError, boolOption, enumOption, intOption, normalizeOptions } from '../options.js';
import { PRODUCER_DEFAULTS, PRODUCER_OPTION_NAMES, type CompressionType, type ProducerOptions } from './types.js';

const NAMES: ReadonlySet<string> = new Set([...COMMON_OPTION_NAMES, ...PRODUCER_OPTION_NAMES]);

export interface ProducerConfig {
  cluster: ClusterOptions;
  acks: number;
  lingerMs: number;
  batchSize: number;
  bufferMemory: number;
  maxBlockMs: number;
  maxRequestSize: number;
  codec: CompressionCodec;
  compressionLevel: number | undefined;
  retries: number;
  deliveryTimeoutMs: number;
  requestTimeoutMs: number;
  retryBackoffMs: number;
  retryBackoffMaxMs: number;
  metadataMaxAgeMs: number;
  maxInFlightRequestsPerConnection: number;
  enableIdempotence: boolean;
  transactionalId: string | null;
  transactionTimeoutMs: number;
  partitionerIgnoreKeys: boolean;
  allowAutoCreateTopics: boolean;
}

export function producerConfig<K, V>(input: ProducerOptions<K, V> | Readonly<Record<string, unknown>>): { config: ProducerConfig; options: ProducerOptions<K, V> } {
  const o = normalizeOptions<ProducerOptions<K, V>>(input, NAMES, 'producer');
  if (o.bootstrapServers === undefined) throw new ConfigError('producer: bootstrapServers (bootstrap.servers) is required');
  const raw = o as unknown as Record<string, unknown>;
  const acks = parseAcks(o.acks);
  const compressionType = enumOption<CompressionType>(raw, 'compressionType', ['none', 'gzip', 'snappy', 'lz4', 'zstd'], PRODUCER_DEFAULTS.compressionType);
  const codec = compressionCodecFromName(compressionType)!;
  const level = compressionType === 'gzip' ? o.compressionGzipLevel : compressionType === 'lz4' ? o.compressionLz4Level
    : compressionType === 'zstd' ? o.compressionZstdLevel : undefined;
  const transactionalId = o.transactionalId ?? null;
  const idempotenceExplicit = o.enableIdempotence !== undefined;
  let enableIdempotence = boolOption(raw, 'enableIdempotence', PRODUCER_DEFAULTS.enableIdempotence);
  const retries = intOption(raw, 'retries', PRODUCER_DEFAULTS.retries, 0, 2_147_483_647);
  const maxInFlight = intOption(raw, 'maxInFlightRequestsPerConnection', PRODUCER_DEFAULTS.maxInFlightRequestsPerConnection, 1);
  const conflicts = [
    acks !== -1 ? `acks=${acks}` : null,
    retries === 0 ? 'retries=0' : null,
    maxInFlight > 5 ? `max.in.flight.requests.per.connection=${maxInFlight}` : null,
  ].filter((c): c is string => c !== null);
  if (enableIdempotence && conflicts.length > 0) {
    if (idempotenceExplicit || transactionalId !== null) {
      throw new ConfigError(`producer: idempotence needs acks=all, retries > 0 and at most 5 requests in flight; got ${conflicts.join(', ')}`);
    }
    enableIdempotence = false;
  }
  if (transactionalId !== null && !enableIdempotence) throw new ConfigError('producer: a transactionalId needs enableIdempotence');
  const cluster = clusterOptionsFrom(o as CommonClientOptions & Record<string, unknown>);
  const lingerMs = intOption(raw, 'lingerMs', PRODUCER_DEFAULTS.lingerMs, 0);
  const requestTimeoutMs = cluster.requestTimeoutMs!;
  const deliveryTimeoutMs = intOption(raw, 'deliveryTimeoutMs', PRODUCER_DEFAULTS.deliveryTimeoutMs, 1);
  if (deliveryTimeoutMs < lingerMs + requestTimeoutMs) {
    throw new ConfigError(`producer: delivery.timeout.ms (${deliveryTimeoutMs}) must be at least linger.ms + request.timeout.ms (${lingerMs + requestTimeoutMs})`);
  }
  return {
    options: o,
    config: {
      cluster,
      acks,
      lingerMs,
      batchSize: intOption(raw, 'batchSize', PRODUCER_DEFAULTS.batchSize, 0),
      bufferMemory: intOption(raw, 'bufferMemory', PRODUCER_DEFAULTS.bufferMemory, 1),
      maxBlockMs: intOption(raw, 'maxBlockMs', PRODUCER_DEFAULTS.maxBlockMs, 0),
      maxRequestSize: intOption(raw, 'maxRequestSize', PRODUCER_DEFAULTS.maxRequestSize, 1),
      codec,
      compressionLevel: level,
      retries,
      deliveryTimeoutMs,
      requestTimeoutMs,
      retryBackoffMs: cluster.retryBackoffMs!,
      retryBackoffMaxMs: cluster.retryBackoffMaxMs!,
      metadataMaxAgeMs: intOption(raw, 'metadataMaxAgeMs', 300_000, 0),
      maxInFlightRequestsPerConnection: maxInFlight,
      enableIdempotence,
      transactionalId,
      transactionTimeoutMs: intOption(raw, 'transactionTimeoutMs', PRODUCER_DEFAULTS.transactionTimeoutMs, 1),
      partitionerIgnoreKeys: boolOption(raw, 'partitionerIgnoreKeys', PRODUCER_DEFAULTS.partitionerIgnoreKeys),
      allowAutoCreateTopics: boolOption(raw, 'allowAutoCreateTopics', PRODUCER_DEFAULTS.allowAutoCreateTopics),
    },
  };
}

function parseAcks(v: unknown): number {
  if (v === undefined) return PRODUCER_DEFAULTS.acks;
  if (v === 'all' || v === -1 || v === '-1') return -1;
  if (v === 0 || v === '0') return 0;
  if (v === 1 || v === '1') return 1;
  throw new ConfigError(`producer: acks must be 0, 1 or all, not ${JSON.stringify(v)}`);
}
