/** ConsumerOptions checked and filled with Kafka's defaults. */
import { COMMON_OPTION_NAMES, type CommonClientOptions, clusterOptionsFrom } from '../client-options.js';
import type { ClusterOptions } from '../cluster.js';
import { ConfigError, boolOption, enumOption, intOption, normalizeOptions } from '../options.js';
import { builtInAssignor } from './assignors/index.js';
import {
  type AutoOffsetReset, type BuiltInAssignorName, CONSUMER_DEFAULTS, CONSUMER_OPTION_NAMES, type ConsumerOptions, type GroupProtocol,
  type IsolationLevel, type PartitionAssignor,
} from './types.js';

const NAMES: ReadonlySet<string> = new Set([...COMMON_OPTION_NAMES, ...CONSUMER_OPTION_NAMES]);

export interface ConsumerConfig {
  cluster: ClusterOptions;
  groupId: string | null;
  groupInstanceId: string | null;
  groupProtocol: GroupProtocol;
  groupRemoteAssignor: string | null;
  assignors: PartitionAssignor[];
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  maxPollIntervalMs: number;
  enableAutoCommit: boolean;
  autoCommitIntervalMs: number;
  autoOffsetReset: AutoOffsetReset;
  isolationLevel: IsolationLevel;
  fetchMinBytes: number;
  fetchMaxBytes: number;
  fetchMaxWaitMs: number;
  maxPartitionFetchBytes: number;
  maxPollRecords: number;
  maxBufferedBytes: number;
  checkCrcs: boolean;
  clientRack: string | null;
  excludeInternalTopics: boolean;
  allowAutoCreateTopics: boolean;
  metadataMaxAgeMs: number;
  retryBackoffMs: number;
  requestTimeoutMs: number;
}

export function consumerConfig<K, V>(input: ConsumerOptions<K, V> | Readonly<Record<string, unknown>>): { config: ConsumerConfig; options: ConsumerOptions<K, V> } {
  const o = normalizeOptions<ConsumerOptions<K, V>>(input, NAMES, 'consumer');
  if (o.bootstrapServers === undefined) throw new ConfigError('consumer: bootstrapServers (bootstrap.servers) is required');
  const raw = o as unknown as Record<string, unknown>;
  const cluster = clusterOptionsFrom(o as CommonClientOptions & Record<string, unknown>);
  const strategies = o.partitionAssignmentStrategy ?? CONSUMER_DEFAULTS.partitionAssignmentStrategy;
  const list = typeof strategies === 'string' ? (strategies as string).split(',').map((s) => s.trim()) : strategies;
  const assignors = list.map((s) => {
    if (typeof s !== 'string') return s;
    // Java class names are accepted too: ...RangeAssignor, ...RoundRobinAssignor, ...CooperativeStickyAssignor.
    const short = s.replace(/^org\.apache\.kafka\.clients\.consumer\./, '').toLowerCase();
    const name = ({ rangeassignor: 'range', roundrobinassignor: 'roundrobin', cooperativestickyassignor: 'cooperative-sticky' } as Record<string, string>)[short] ?? short;
    if (name !== 'range' && name !== 'roundrobin' && name !== 'cooperative-sticky') throw new ConfigError(`consumer: unknown assignor '${s}'`);
    return builtInAssignor(name as BuiltInAssignorName);
  });
  const fetchMaxBytes = intOption(raw, 'fetchMaxBytes', CONSUMER_DEFAULTS.fetchMaxBytes, 1);
  const sessionTimeoutMs = intOption(raw, 'sessionTimeoutMs', CONSUMER_DEFAULTS.sessionTimeoutMs, 1);
  const heartbeatIntervalMs = intOption(raw, 'heartbeatIntervalMs', CONSUMER_DEFAULTS.heartbeatIntervalMs, 1);
  if (heartbeatIntervalMs >= sessionTimeoutMs) throw new ConfigError('consumer: heartbeat.interval.ms must be lower than session.timeout.ms');
  return {
    options: o,
    config: {
      cluster,
      groupId: o.groupId ?? null,
      groupInstanceId: o.groupInstanceId ?? null,
      groupProtocol: enumOption<GroupProtocol>(raw, 'groupProtocol', ['classic', 'consumer'], CONSUMER_DEFAULTS.groupProtocol),
      groupRemoteAssignor: o.groupRemoteAssignor ?? null,
      assignors,
      sessionTimeoutMs,
      heartbeatIntervalMs,
      maxPollIntervalMs: intOption(raw, 'maxPollIntervalMs', CONSUMER_DEFAULTS.maxPollIntervalMs, 1),
      enableAutoCommit: boolOption(raw, 'enableAutoCommit', CONSUMER_DEFAULTS.enableAutoCommit),
      autoCommitIntervalMs: intOption(raw, 'autoCommitIntervalMs', CONSUMER_DEFAULTS.autoCommitIntervalMs, 0),
      autoOffsetReset: enumOption<AutoOffsetReset>(raw, 'autoOffsetReset', ['earliest', 'latest', 'none'], CONSUMER_DEFAULTS.autoOffsetReset),
      isolationLevel: enumOption<IsolationLevel>(raw, 'isolationLevel', ['read_uncommitted', 'read_committed'], CONSUMER_DEFAULTS.isolationLevel),
      fetchMinBytes: intOption(raw, 'fetchMinBytes', CONSUMER_DEFAULTS.fetchMinBytes, 0),
      fetchMaxBytes,
      fetchMaxWaitMs: intOption(raw, 'fetchMaxWaitMs', CONSUMER_DEFAULTS.fetchMaxWaitMs, 0),
      maxPartitionFetchBytes: intOption(raw, 'maxPartitionFetchBytes', CONSUMER_DEFAULTS.maxPartitionFetchBytes, 1),
      maxPollRecords: intOption(raw, 'maxPollRecords', CONSUMER_DEFAULTS.maxPollRecords, 1),
      maxBufferedBytes: intOption(raw, 'maxBufferedBytes', Math.min(2 * fetchMaxBytes, 104_857_600), 1),
      checkCrcs: boolOption(raw, 'checkCrcs', CONSUMER_DEFAULTS.checkCrcs),
      clientRack: o.clientRack ?? null,
      excludeInternalTopics: boolOption(raw, 'excludeInternalTopics', CONSUMER_DEFAULTS.excludeInternalTopics),
      allowAutoCreateTopics: boolOption(raw, 'allowAutoCreateTopics', CONSUMER_DEFAULTS.allowAutoCreateTopics),
      metadataMaxAgeMs: intOption(raw, 'metadataMaxAgeMs', 300_000, 0),
      retryBackoffMs: cluster.retryBackoffMs!,
      requestTimeoutMs: cluster.requestTimeoutMs!,
    },
  };
}
