/**
 * Broker configs of the group coordinator (GroupCoordinatorConfig: classic and consumer groups,
 * the __consumer_offsets topic) and of transactions (TransactionLogConfig,
 * TransactionStateManagerConfig, producer-id expiration).
 */
import { brokerDef } from './define.js';
import { type BrokerConfigDef, INT_MAX } from './types.js';
import { atLeast, listOf } from './validators.js';

const CW = { mode: 'cluster-wide' } as const;
const MB = 1024 * 1024;

export const BROKER_COORDINATOR_DEFS: readonly BrokerConfigDef[] = [
  // Classic groups.
  brokerDef('group.min.session.timeout.ms', 'int', 6000),
  brokerDef('group.max.session.timeout.ms', 'int', 1800000),
  brokerDef('group.initial.rebalance.delay.ms', 'int', 3000),
  brokerDef('group.max.size', 'int', INT_MAX, { validator: atLeast(1) }),
  brokerDef('group.coordinator.rebalance.protocols', 'list', 'classic,consumer', {
    validator: listOf('classic', 'consumer', 'share', 'streams'),
  }),
  // Consumer groups (KIP-848).
  brokerDef('group.consumer.session.timeout.ms', 'int', 45000, { validator: atLeast(1) }),
  brokerDef('group.consumer.min.session.timeout.ms', 'int', 45000, { validator: atLeast(1) }),
  brokerDef('group.consumer.max.session.timeout.ms', 'int', 60000, { validator: atLeast(1) }),
  brokerDef('group.consumer.heartbeat.interval.ms', 'int', 5000, { validator: atLeast(1) }),
  brokerDef('group.consumer.min.heartbeat.interval.ms', 'int', 5000, { validator: atLeast(1) }),
  brokerDef('group.consumer.max.heartbeat.interval.ms', 'int', 15000, { validator: atLeast(1) }),
  brokerDef('group.consumer.max.size', 'int', INT_MAX, { validator: atLeast(1) }),
  // Offsets.
  brokerDef('offset.metadata.max.bytes', 'int', 4096),
  brokerDef('offsets.load.buffer.size', 'int', 5 * MB, { validator: atLeast(1) }),
  brokerDef('offsets.topic.replication.factor', 'short', 3, { validator: atLeast(1) }),
  brokerDef('offsets.topic.num.partitions', 'int', 50, { validator: atLeast(1) }),
  brokerDef('offsets.topic.segment.bytes', 'int', 100 * MB, { validator: atLeast(1) }),
  brokerDef('offsets.topic.compression.codec', 'int', 0),
  brokerDef('offsets.retention.minutes', 'int', 7 * 24 * 60, { validator: atLeast(1) }),
  brokerDef('offsets.retention.check.interval.ms', 'long', 600000, { validator: atLeast(1) }),
  brokerDef('offsets.commit.timeout.ms', 'int', 5000, { validator: atLeast(1) }),
  // Transactions.
  brokerDef('transaction.state.log.min.isr', 'int', 2, { validator: atLeast(1) }),
  brokerDef('transaction.state.log.load.buffer.size', 'int', 5 * MB, { validator: atLeast(1) }),
  brokerDef('transaction.state.log.replication.factor', 'short', 3, { validator: atLeast(1) }),
  brokerDef('transaction.state.log.num.partitions', 'int', 50, { validator: atLeast(1) }),
  brokerDef('transaction.state.log.segment.bytes', 'int', 100 * MB, { validator: atLeast(1) }),
  brokerDef('transaction.partition.verification.enable', 'boolean', true, CW),
  brokerDef('producer.id.expiration.ms', 'int', 86400000, { validator: atLeast(1), ...CW }),
  brokerDef('transactional.id.expiration.ms', 'int', 7 * 24 * 60 * 60 * 1000, { validator: atLeast(1) }),
  brokerDef('transaction.max.timeout.ms', 'int', 15 * 60 * 1000, { validator: atLeast(1) }),
  brokerDef('transaction.abort.timed.out.transaction.cleanup.interval.ms', 'int', 10000, { validator: atLeast(1) }),
  brokerDef('transaction.remove.expired.transaction.cleanup.interval.ms', 'int', 3600000, { validator: atLeast(1) }),
];
