/**
 * The group coordinator's settings, read from the broker config: what the shards get
 * (GroupCoordinatorConfig, Kafka's names in camelCase) and what the runtime itself uses (the
 * `__consumer_offsets` topic, loading, compression, the enabled rebalance protocols).
 */
import type { GroupCoordinatorConfig } from '../../coordinator/group/shard-api.js';
import { CompressionCodec, isCompressionCodec } from '../../protocol/index.js';
import type { BrokerConfigReader } from '../config/index.js';
import { CONSUMER_GROUP_ASSIGNOR_NAMES } from '../config/defs-broker-coordinators.js';
import type { InternalTopicSpec } from '../coordinator-runtime/service-api.js';
import { CONSUMER_OFFSETS_TOPIC } from '../internal-topics.js';

export interface GroupRuntimeConfig {
  readonly shard: GroupCoordinatorConfig;
  /** offsets.topic.num.partitions: used when the topic is created (and until it exists). */
  readonly offsetsTopicNumPartitions: number;
  /** offsets.topic.replication.factor (capped by the live brokers at creation). */
  readonly offsetsTopicReplicationFactor: number;
  /** offsets.topic.segment.bytes: the created topic's segment.bytes. */
  readonly offsetsTopicSegmentBytes: number;
  /** offsets.topic.compression.codec: the codec of the batches the coordinator writes. */
  readonly offsetsTopicCompression: CompressionCodec;
  /** offsets.load.buffer.size: bytes read per step while loading a partition. */
  readonly offsetsLoadBufferSize: number;
  /** group.coordinator.rebalance.protocols. */
  readonly rebalanceProtocols: readonly string[];
}

export function groupRuntimeConfig(c: BrokerConfigReader): GroupRuntimeConfig {
  const codec = c.getInt('offsets.topic.compression.codec');
  return {
    shard: {
      groupMinSessionTimeoutMs: c.getInt('group.min.session.timeout.ms'),
      groupMaxSessionTimeoutMs: c.getInt('group.max.session.timeout.ms'),
      groupInitialRebalanceDelayMs: c.getInt('group.initial.rebalance.delay.ms'),
      groupMaxSize: c.getInt('group.max.size'),
      offsetsRetentionMs: c.getInt('offsets.retention.minutes') * 60_000,
      offsetsRetentionCheckIntervalMs: Number(c.getLong('offsets.retention.check.interval.ms')),
      offsetMetadataMaxBytes: c.getInt('offset.metadata.max.bytes'),
      consumerGroupSessionTimeoutMs: c.getInt('group.consumer.session.timeout.ms'),
      consumerGroupHeartbeatIntervalMs: c.getInt('group.consumer.heartbeat.interval.ms'),
      consumerGroupMaxSize: c.getInt('group.consumer.max.size'),
      consumerGroupAssignors: c.getList('group.consumer.assignors').map((name) => CONSUMER_GROUP_ASSIGNOR_NAMES[name] ?? name),
    },
    offsetsTopicNumPartitions: c.getInt('offsets.topic.num.partitions'),
    offsetsTopicReplicationFactor: c.getInt('offsets.topic.replication.factor'),
    offsetsTopicSegmentBytes: c.getInt('offsets.topic.segment.bytes'),
    offsetsTopicCompression: isCompressionCodec(codec) ? codec : CompressionCodec.None,
    offsetsLoadBufferSize: c.getInt('offsets.load.buffer.size'),
    rebalanceProtocols: c.getList('group.coordinator.rebalance.protocols'),
  };
}

/**
 * `__consumer_offsets` as Kafka creates it on first use: offsets.topic.num.partitions partitions,
 * offsets.topic.replication.factor (capped by the live brokers), compacted, the producer's
 * compression kept, offsets.topic.segment.bytes segments.
 */
export function offsetsTopicSpec(config: GroupRuntimeConfig): InternalTopicSpec {
  return {
    name: CONSUMER_OFFSETS_TOPIC,
    numPartitions: config.offsetsTopicNumPartitions,
    replicationFactor: config.offsetsTopicReplicationFactor,
    configs: [
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'compression.type', value: 'producer' },
      { name: 'segment.bytes', value: String(config.offsetsTopicSegmentBytes) },
    ],
  };
}
