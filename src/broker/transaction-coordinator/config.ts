/**
 * The transaction coordinator's settings, read from the broker config: what the shards get
 * (TransactionCoordinatorConfig, Kafka's names in camelCase) and how `__transaction_state` is
 * created and loaded (Kafka's TransactionLog configs: compacted, uncompressed, no unclean leader
 * election, transaction.state.log.min.isr and .segment.bytes).
 */
import type { TransactionCoordinatorConfig } from '../../coordinator/transaction/shard-api.js';
import type { BrokerConfigReader } from '../config/index.js';
import type { InternalTopicSpec } from '../coordinator-runtime/service-api.js';
import { TRANSACTION_STATE_TOPIC } from '../internal-topics.js';

export interface TransactionRuntimeConfig {
  readonly shard: TransactionCoordinatorConfig;
  /** transaction.state.log.num.partitions: used when the topic is created (and until it exists). */
  readonly numPartitions: number;
  /** transaction.state.log.replication.factor (capped by the live brokers at creation). */
  readonly replicationFactor: number;
  /** transaction.state.log.min.isr: the created topic's min.insync.replicas. */
  readonly minIsr: number;
  /** transaction.state.log.segment.bytes: the created topic's segment.bytes. */
  readonly segmentBytes: number;
  /** transaction.state.log.load.buffer.size: bytes read per step while loading a partition. */
  readonly loadBufferSize: number;
}

export function transactionRuntimeConfig(c: BrokerConfigReader): TransactionRuntimeConfig {
  return {
    shard: {
      transactionMaxTimeoutMs: c.getInt('transaction.max.timeout.ms'),
      transactionalIdExpirationMs: c.getInt('transactional.id.expiration.ms'),
      abortTimedOutTransactionCleanupIntervalMs: c.getInt('transaction.abort.timed.out.transaction.cleanup.interval.ms'),
      removeExpiredTransactionalIdCleanupIntervalMs: c.getInt('transaction.remove.expired.transaction.cleanup.interval.ms'),
    },
    numPartitions: c.getInt('transaction.state.log.num.partitions'),
    replicationFactor: c.getInt('transaction.state.log.replication.factor'),
    minIsr: c.getInt('transaction.state.log.min.isr'),
    segmentBytes: c.getInt('transaction.state.log.segment.bytes'),
    loadBufferSize: c.getInt('transaction.state.log.load.buffer.size'),
  };
}

/** `__transaction_state` as Kafka creates it (TransactionStateManager's topic configs). */
export function transactionStateTopicSpec(config: TransactionRuntimeConfig): InternalTopicSpec {
  return {
    name: TRANSACTION_STATE_TOPIC,
    numPartitions: config.numPartitions,
    replicationFactor: config.replicationFactor,
    configs: [
      { name: 'unclean.leader.election.enable', value: 'false' },
      { name: 'compression.type', value: 'uncompressed' },
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'min.insync.replicas', value: String(config.minIsr) },
      { name: 'segment.bytes', value: String(config.segmentBytes) },
    ],
  };
}
