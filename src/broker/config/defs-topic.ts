/**
 * Every topic-level config of Kafka 4.x, in the order Kafka defines them (LogConfig), with the
 * broker configs that supply their defaults (ServerTopicConfigSynonyms, in precedence order).
 * Dropped in Kafka 4.0 and so unknown here: message.format.version,
 * message.timestamp.difference.max.ms, message.downconversion.enable.
 */
import { topicDef } from './define.js';
import { type TopicConfigDef, LONG_MAX } from './types.js';
import { atLeast, between, gzipLevel, listOf, lz4Level, oneOf, throttledReplicas, zstdLevel } from './validators.js';

const MB = 1024 * 1024;
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Kafka's default max.message.bytes / message.max.bytes: 1 MiB plus the 12-byte log overhead. */
export const DEFAULT_MAX_MESSAGE_BYTES = MB + 12;

export const COMPRESSION_TYPES = ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'] as const;
export const TIMESTAMP_TYPES = ['CreateTime', 'LogAppendTime'] as const;

export const TOPIC_CONFIG_DEFS: readonly TopicConfigDef[] = [
  topicDef('segment.bytes', 'int', 1024 * MB, ['log.segment.bytes'], atLeast(MB)),
  topicDef('segment.ms', 'long', WEEK_MS, ['log.roll.ms', ['log.roll.hours', 'hours']], atLeast(1)),
  topicDef('segment.jitter.ms', 'long', 0, ['log.roll.jitter.ms', ['log.roll.jitter.hours', 'hours']], atLeast(0)),
  topicDef('segment.index.bytes', 'int', 10 * MB, ['log.index.size.max.bytes'], atLeast(4)),
  topicDef('flush.messages', 'long', LONG_MAX, ['log.flush.interval.messages'], atLeast(1)),
  topicDef('flush.ms', 'long', LONG_MAX, ['log.flush.interval.ms', 'log.flush.scheduler.interval.ms'], atLeast(0)),
  topicDef('retention.bytes', 'long', -1, ['log.retention.bytes']),
  topicDef(
    'retention.ms',
    'long',
    WEEK_MS,
    ['log.retention.ms', ['log.retention.minutes', 'minutes'], ['log.retention.hours', 'hours']],
    atLeast(-1),
  ),
  topicDef('max.message.bytes', 'int', DEFAULT_MAX_MESSAGE_BYTES, ['message.max.bytes'], atLeast(0)),
  topicDef('index.interval.bytes', 'int', 4096, ['log.index.interval.bytes'], atLeast(0)),
  topicDef('delete.retention.ms', 'long', DAY_MS, ['log.cleaner.delete.retention.ms'], atLeast(0)),
  topicDef('min.compaction.lag.ms', 'long', 0, ['log.cleaner.min.compaction.lag.ms'], atLeast(0)),
  topicDef('max.compaction.lag.ms', 'long', LONG_MAX, ['log.cleaner.max.compaction.lag.ms'], atLeast(1)),
  topicDef('file.delete.delay.ms', 'long', 60000, ['log.segment.delete.delay.ms'], atLeast(0)),
  topicDef('min.cleanable.dirty.ratio', 'double', 0.5, ['log.cleaner.min.cleanable.ratio'], between(0, 1)),
  topicDef('cleanup.policy', 'list', 'delete', ['log.cleanup.policy'], listOf('compact', 'delete')),
  topicDef('unclean.leader.election.enable', 'boolean', false, ['unclean.leader.election.enable']),
  topicDef('min.insync.replicas', 'int', 1, ['min.insync.replicas'], atLeast(1)),
  topicDef('compression.type', 'string', 'producer', ['compression.type'], oneOf(...COMPRESSION_TYPES)),
  topicDef('compression.gzip.level', 'int', -1, ['compression.gzip.level'], gzipLevel),
  topicDef('compression.lz4.level', 'int', 9, ['compression.lz4.level'], lz4Level),
  topicDef('compression.zstd.level', 'int', 3, ['compression.zstd.level'], zstdLevel),
  topicDef('preallocate', 'boolean', false, ['log.preallocate']),
  topicDef('message.timestamp.type', 'string', 'CreateTime', ['log.message.timestamp.type'], oneOf(...TIMESTAMP_TYPES)),
  topicDef('message.timestamp.before.max.ms', 'long', LONG_MAX, ['log.message.timestamp.before.max.ms'], atLeast(0)),
  topicDef('message.timestamp.after.max.ms', 'long', 3600000, ['log.message.timestamp.after.max.ms'], atLeast(0)),
  topicDef('leader.replication.throttled.replicas', 'list', '', [], throttledReplicas('leader.replication.throttled.replicas')),
  topicDef('follower.replication.throttled.replicas', 'list', '', [], throttledReplicas('follower.replication.throttled.replicas')),
  topicDef('remote.storage.enable', 'boolean', false, []),
  topicDef('local.retention.ms', 'long', -2, ['log.local.retention.ms'], atLeast(-2)),
  topicDef('local.retention.bytes', 'long', -2, ['log.local.retention.bytes'], atLeast(-2)),
  topicDef('remote.log.copy.disable', 'boolean', false, []),
  topicDef('remote.log.delete.on.disable', 'boolean', false, []),
];
