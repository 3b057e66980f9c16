/**
 * A topic's effective configuration: its own overrides over the broker's values for the
 * synonyms (Kafka's KafkaConfig.extractLogConfigMap), over the built-in defaults. Plus a typed
 * view with unit-bearing names for the log layer.
 */
import type { ConfigProblem } from './errors.js';
import { valueFromSynonyms } from './derived.js';
import { TOPIC_CONFIG_DEFS } from './defs-topic.js';
import { parseTopicConfigMap } from './parse-map.js';
import type { BrokerConfigReader, ConfigValue } from './types.js';
import { toSafeNumber } from './values.js';

/** The topic-level values the broker supplies when a topic has no override. */
export function topicDefaultsFromBroker(reader: BrokerConfigReader): Map<string, ConfigValue> {
  return new Map(TOPIC_CONFIG_DEFS.map((def) => [def.name, valueFromSynonyms(reader, def)]));
}

export interface ResolvedTopicConfig {
  /** Every topic config's effective value. */
  readonly values: ReadonlyMap<string, ConfigValue>;
  /** The names the topic overrides (valid ones only). */
  readonly overridden: ReadonlySet<string>;
  /** Stored overrides that are unknown or invalid; those fall back to the broker's value. */
  readonly problems: readonly ConfigProblem[];
}

/** Resolves a topic's effective config from its stored overrides. */
export function resolveTopicConfig(
  reader: BrokerConfigReader,
  overrides: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): ResolvedTopicConfig {
  const raw = overrides instanceof Map ? overrides : new Map(Object.entries(overrides));
  const parsed = parseTopicConfigMap(raw);
  const values = topicDefaultsFromBroker(reader);
  for (const [name, value] of parsed.values) values.set(name, value);
  return { values, overridden: new Set(parsed.values.keys()), problems: parsed.problems };
}

/** A topic's log settings, typed. Longs are numbers saturating at 2^53-1 (i.e. no limit). */
export interface TopicLogConfig {
  readonly segmentBytes: number;
  readonly segmentMs: number;
  readonly segmentJitterMs: number;
  readonly segmentIndexBytes: number;
  readonly flushMessages: number;
  readonly flushMs: number;
  /** -1: no size limit. */
  readonly retentionBytes: number;
  /** -1: no time limit. */
  readonly retentionMs: number;
  readonly maxMessageBytes: number;
  readonly indexIntervalBytes: number;
  readonly deleteRetentionMs: number;
  readonly minCompactionLagMs: number;
  readonly maxCompactionLagMs: number;
  readonly fileDeleteDelayMs: number;
  readonly minCleanableDirtyRatio: number;
  readonly compact: boolean;
  readonly delete: boolean;
  readonly uncleanLeaderElectionEnable: boolean;
  readonly minInsyncReplicas: number;
  /** uncompressed, zstd, lz4, snappy, gzip or producer (keep the producer's codec). */
  readonly compressionType: string;
  readonly compressionGzipLevel: number;
  readonly compressionLz4Level: number;
  readonly compressionZstdLevel: number;
  readonly preallocate: boolean;
  readonly messageTimestampType: 'CreateTime' | 'LogAppendTime';
  readonly messageTimestampBeforeMaxMs: number;
  readonly messageTimestampAfterMaxMs: number;
  readonly remoteStorageEnable: boolean;
  /** local.retention.ms with -2 resolved to retentionMs. */
  readonly localRetentionMs: number;
  /** local.retention.bytes with -2 resolved to retentionBytes. */
  readonly localRetentionBytes: number;
}

/** The typed view of resolved topic values. */
export function topicLogConfig(values: ReadonlyMap<string, ConfigValue>): TopicLogConfig {
  const num = (name: string): number => {
    const v = values.get(name);
    return typeof v === 'bigint' ? toSafeNumber(v) : (v as number);
  };
  const bool = (name: string): boolean => values.get(name) === true;
  const policy = ((values.get('cleanup.policy') as readonly string[] | null) ?? []).map((p) => p.toLowerCase());
  const retentionMs = num('retention.ms');
  const retentionBytes = num('retention.bytes');
  const localMs = num('local.retention.ms');
  const localBytes = num('local.retention.bytes');
  return {
    segmentBytes: num('segment.bytes'),
    segmentMs: num('segment.ms'),
    segmentJitterMs: num('segment.jitter.ms'),
    segmentIndexBytes: num('segment.index.bytes'),
    flushMessages: num('flush.messages'),
    flushMs: num('flush.ms'),
    retentionBytes,
    retentionMs,
    maxMessageBytes: num('max.message.bytes'),
    indexIntervalBytes: num('index.interval.bytes'),
    deleteRetentionMs: num('delete.retention.ms'),
    minCompactionLagMs: num('min.compaction.lag.ms'),
    maxCompactionLagMs: num('max.compaction.lag.ms'),
    fileDeleteDelayMs: num('file.delete.delay.ms'),
    minCleanableDirtyRatio: num('min.cleanable.dirty.ratio'),
    compact: policy.includes('compact'),
    delete: policy.includes('delete'),
    uncleanLeaderElectionEnable: bool('unclean.leader.election.enable'),
    minInsyncReplicas: num('min.insync.replicas'),
    compressionType: values.get('compression.type') as string,
    compressionGzipLevel: num('compression.gzip.level'),
    compressionLz4Level: num('compression.lz4.level'),
    compressionZstdLevel: num('compression.zstd.level'),
    preallocate: bool('preallocate'),
    messageTimestampType: values.get('message.timestamp.type') as 'CreateTime' | 'LogAppendTime',
    messageTimestampBeforeMaxMs: num('message.timestamp.before.max.ms'),
    messageTimestampAfterMaxMs: num('message.timestamp.after.max.ms'),
    remoteStorageEnable: bool('remote.storage.enable'),
    localRetentionMs: localMs === -2 ? retentionMs : localMs,
    localRetentionBytes: localBytes === -2 ? retentionBytes : localBytes,
  };
}
