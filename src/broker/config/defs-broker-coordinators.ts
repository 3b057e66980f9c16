/**
 * Broker configs of the group coordinator (GroupCoordinatorConfig: classic and consumer groups,
 * the __consumer_offsets topic) and of transactions (TransactionLogConfig,
 * TransactionStateManagerConfig, producer-id expiration).
 */
import { brokerDef } from './define.js';
import { type BrokerConfigDef, INT_MAX } from './types.js';
import { atLeast, custom, listOf, oneOf } from './validators.js';

const CW = { mode: 'cluster-wide' } as const;

/**
 * The server-side assignors the coordinator implements, by short name or by the class name Kafka
 * documents for each (operators copying a Kafka config may use either).
 */
export const CONSUMER_GROUP_ASSIGNOR_NAMES: Readonly<Record<string, string>> = {
  'uniform': 'uniform',
  'range': 'range',
  'org.apache.kafka.coordinator.group.assignor.UniformAssignor': 'uniform',
  'org.apache.kafka.coordinator.group.assignor.RangeAssignor': 'range',
};

/** group.consumer.assignors: a non-empty list of assignors this broker knows. */
const knownAssignors = custom('[uniform, range]', (value) => {
  const items = Array.isArray(value) ? (value as readonly string[]) : [];
  if (items.length === 0) return 'At least one assignor is required';
  const unknown = items.find((item) => CONSUMER_GROUP_ASSIGNOR_NAMES[item] === undefined);
  return unknown === undefined ? null : `Unknown assignor ${unknown}`;
});
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
  // The runtime: threads (one event loop here) and how long writes linger to be batched.
  brokerDef('group.coordinator.threads', 'int', 1, { validator: atLeast(1) }),
  brokerDef('group.coordinator.append.linger.ms', 'int', 10, { validator: atLeast(0) }),
  // Consumer groups (KIP-848).
  brokerDef('group.consumer.session.timeout.ms', 'int', 45000, { validator: atLeast(1) }),
  brokerDef('group.consumer.min.session.timeout.ms', 'int', 45000, { validator: atLeast(1) }),
  brokerDef('group.consumer.max.session.timeout.ms', 'int', 60000, { validator: atLeast(1) }),
  brokerDef('group.consumer.heartbeat.interval.ms', 'int', 5000, { validator: atLeast(1) }),
  brokerDef('group.consumer.min.heartbeat.interval.ms', 'int', 5000, { validator: atLeast(1) }),
  brokerDef('group.consumer.max.heartbeat.interval.ms', 'int', 15000, { validator: atLeast(1) }),
  brokerDef('group.consumer.max.size', 'int', INT_MAX, { validator: atLeast(1) }),
  // Server-side assignors; the first is used when a member names none.
  brokerDef('group.consumer.assignors', 'list', 'uniform,range', { validator: knownAssignors }),
  // Whether a non-empty group may switch between the classic and the consumer protocol.
  brokerDef('group.consumer.migration.policy', 'string', 'bidirectional', {
    validator: oneOf('disabled', 'upgrade', 'downgrade', 'bidirectional'),
  }),
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
  brokerDef('producer.id.expiration.check.interval.ms', 'int', 600000, { validator: atLeast(1) }),
  brokerDef('transactional.id.expiration.ms', 'int', 7 * 24 * 60 * 60 * 1000, { validator: atLeast(1) }),
  brokerDef('transaction.max.timeout.ms', 'int', 15 * 60 * 1000, { validator: atLeast(1) }),
  brokerDef('transaction.abort.timed.out.transaction.cleanup.interval.ms', 'int', 10000, { validator: atLeast(1) }),
  brokerDef('transaction.remove.expired.transaction.cleanup.interval.ms', 'int', 3600000, { validator: atLeast(1) }),
];
