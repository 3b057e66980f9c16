/**
 * Broker log configs (Kafka's LogConfig.SERVER_CONFIG_DEF, CleanerConfig and the two local
 * retention defaults of tiered storage). The ones that are a topic config's first broker
 * synonym can be changed cluster-wide at runtime; the hours/minutes forms cannot.
 */
import { brokerDef } from './define.js';
import { COMPRESSION_TYPES, DEFAULT_MAX_MESSAGE_BYTES, TIMESTAMP_TYPES } from './defs-topic.js';
import { type BrokerConfigDef, LONG_MAX } from './types.js';
import { atLeast, between, gzipLevel, listOf, lz4Level, oneOf, zstdLevel } from './validators.js';

const MB = 1024 * 1024;
const CW = { mode: 'cluster-wide' } as const;

export const BROKER_LOG_DEFS: readonly BrokerConfigDef[] = [
  brokerDef('num.partitions', 'int', 1, { validator: atLeast(1) }),
  brokerDef('log.dir', 'string', '/tmp/kafka-logs'),
  brokerDef('log.dirs', 'string', null),
  brokerDef('log.segment.bytes', 'int', 1024 * MB, { validator: atLeast(MB), ...CW }),
  brokerDef('log.roll.ms', 'long', null, CW),
  brokerDef('log.roll.hours', 'int', 168, { validator: atLeast(1) }),
  brokerDef('log.roll.jitter.ms', 'long', null, CW),
  brokerDef('log.roll.jitter.hours', 'int', 0, { validator: atLeast(0) }),
  brokerDef('log.retention.ms', 'long', null, CW),
  brokerDef('log.retention.minutes', 'int', null),
  brokerDef('log.retention.hours', 'int', 168),
  brokerDef('log.retention.bytes', 'long', -1, CW),
  brokerDef('log.retention.check.interval.ms', 'long', 300000, { validator: atLeast(1) }),
  brokerDef('log.initial.task.delay.ms', 'long', 30000, { validator: atLeast(0) }),
  brokerDef('log.cleanup.policy', 'list', 'delete', { validator: listOf('compact', 'delete'), ...CW }),
  brokerDef('log.index.size.max.bytes', 'int', 10 * MB, { validator: atLeast(4), ...CW }),
  brokerDef('log.index.interval.bytes', 'int', 4096, { validator: atLeast(0), ...CW }),
  brokerDef('log.flush.interval.messages', 'long', LONG_MAX, { validator: atLeast(1), ...CW }),
  brokerDef('log.segment.delete.delay.ms', 'long', 60000, { validator: atLeast(0), ...CW }),
  brokerDef('log.flush.scheduler.interval.ms', 'long', LONG_MAX),
  brokerDef('log.flush.interval.ms', 'long', null, CW),
  brokerDef('log.flush.offset.checkpoint.interval.ms', 'int', 60000, { validator: atLeast(0) }),
  brokerDef('log.flush.start.offset.checkpoint.interval.ms', 'int', 60000, { validator: atLeast(0) }),
  brokerDef('log.preallocate', 'boolean', false, CW),
  brokerDef('num.recovery.threads.per.data.dir', 'int', 2, { validator: atLeast(1), ...CW }),
  brokerDef('auto.create.topics.enable', 'boolean', true),
  brokerDef('min.insync.replicas', 'int', 1, { validator: atLeast(1), ...CW }),
  brokerDef('log.message.timestamp.type', 'string', 'CreateTime', { validator: oneOf(...TIMESTAMP_TYPES), ...CW }),
  brokerDef('log.message.timestamp.before.max.ms', 'long', LONG_MAX, { validator: atLeast(0), ...CW }),
  brokerDef('log.message.timestamp.after.max.ms', 'long', 3600000, { validator: atLeast(0), ...CW }),
  brokerDef('create.topic.policy.class.name', 'class', null),
  brokerDef('alter.config.policy.class.name', 'class', null),
  brokerDef('log.dir.failure.timeout.ms', 'long', 30000, { validator: atLeast(1) }),
  // The cleaner (CleanerConfig).
  brokerDef('log.cleaner.threads', 'int', 1, { validator: atLeast(0), ...CW }),
  brokerDef('log.cleaner.io.max.bytes.per.second', 'double', Number.MAX_VALUE, CW),
  brokerDef('log.cleaner.dedupe.buffer.size', 'long', 128 * MB, CW),
  brokerDef('log.cleaner.io.buffer.size', 'int', 512 * 1024, { validator: atLeast(0), ...CW }),
  brokerDef('log.cleaner.io.buffer.load.factor', 'double', 0.9, CW),
  brokerDef('log.cleaner.backoff.ms', 'long', 15000, { validator: atLeast(0), ...CW }),
  brokerDef('log.cleaner.min.cleanable.ratio', 'double', 0.5, { validator: between(0, 1), ...CW }),
  brokerDef('log.cleaner.enable', 'boolean', true),
  brokerDef('log.cleaner.delete.retention.ms', 'long', 86400000, { validator: atLeast(0), ...CW }),
  brokerDef('log.cleaner.min.compaction.lag.ms', 'long', 0, { validator: atLeast(0), ...CW }),
  brokerDef('log.cleaner.max.compaction.lag.ms', 'long', LONG_MAX, { validator: atLeast(1), ...CW }),
  // Tiered storage: Samsa has none, so the system switch exists only to refuse remote.storage.enable.
  brokerDef('remote.log.storage.system.enable', 'boolean', false),
  brokerDef('log.local.retention.ms', 'long', -2, { validator: atLeast(-2), ...CW }),
  brokerDef('log.local.retention.bytes', 'long', -2, { validator: atLeast(-2), ...CW }),
  // Message size and compression live in Kafka's ServerConfigs but are log defaults.
  brokerDef('message.max.bytes', 'int', DEFAULT_MAX_MESSAGE_BYTES, { validator: atLeast(0), ...CW }),
  brokerDef('compression.type', 'string', 'producer', { validator: oneOf(...COMPRESSION_TYPES), ...CW }),
  brokerDef('compression.gzip.level', 'int', -1, { validator: gzipLevel, ...CW }),
  brokerDef('compression.lz4.level', 'int', 9, { validator: lz4Level, ...CW }),
  brokerDef('compression.zstd.level', 'int', 3, { validator: zstdLevel, ...CW }),
  brokerDef('unclean.leader.election.enable', 'boolean', false, CW),
];
