/**
 * samsa/client: a Kafka protocol client. This first slice has connections, cluster metadata
 * and the admin operations on consumer groups, offsets and transactions; the producer and
 * consumer follow.
 */
export { Connection, type ConnectionOptions } from './connection.js';
export { Cluster, type ClusterOptions, parseBootstrapServers } from './cluster.js';
export { CoordinatorType, findCoordinator } from './coordinator.js';
export type { BrokerNode, ClusterMetadata, PartitionMetadata, TopicMetadata } from './metadata.js';
export { NegotiatedVersions, clientVersions } from './versions.js';
export {
  ClientClosedError, ConnectionError, GroupNotInactiveError, KafkaResponseError, ProtocolViolationError, QueueFullError,
  RequestTimeoutError, UnknownTopicError, UnsupportedVersionError, isRetriable,
} from './errors.js';
export { Admin } from './admin/admin.js';
export { decodeConsumerAssignment } from './admin/assignment.js';
export type { GroupLag, PartitionLag } from './admin/group-lag.js';
export type { CommittedOffset, OffsetToCommit, PartitionResult } from './admin/group-offsets.js';
export type { DeleteGroupResult, GroupDescription, GroupMember, ListedGroup } from './admin/groups.js';
export type { ListOffsetsOptions, ListedOffset, OffsetRequest, OffsetSpec } from './admin/list-offsets.js';
export type { PlannedOffset, ResetOffsetsOptions, ResetSpec } from './admin/reset-offsets.js';
export type { DescribeProducersOptions, PartitionProducerState, ProducerState } from './admin/describe-producers.js';
export { TRANSACTION_STATES } from './admin/transactions.js';
export type { ListTransactionsOptions, TransactionDescription, TransactionListing } from './admin/transactions.js';
export type { TopicPartition, TopicSelection } from './admin/types.js';
