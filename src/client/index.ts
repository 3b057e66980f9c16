/**
 * samsa/client: a Kafka client for Node.js: Producer, Consumer and Admin, over connections with
 * pipelining and version negotiation. Works against Samsa and any Kafka-protocol cluster.
 */
export { Producer } from './producer/producer.js';
export type {
  CompressionType, ConsumerGroupMetadata, CustomPartitioner, ProducerHeaders, ProducerInterceptor, ProducerOptions, ProducerRecord,
  RecordMetadata, TransactionOffset,
} from './producer/types.js';
export { murmur2, partitionForKey, toPositive } from './producer/murmur2.js';
export { Consumer, NoOffsetForPartitionError } from './consumer/consumer.js';
export type {
  AssignorInput, AssignorMember, AutoOffsetReset, BuiltInAssignorName, ConsumerBatch, ConsumerOptions, ConsumerRecord, GroupProtocol,
  IsolationLevel, OffsetAndMetadata, PartitionAssignor, RebalanceListener,
} from './consumer/types.js';
export { builtInAssignor, cooperativeStickyAssignor, rangeAssignor, roundRobinAssignor } from './consumer/assignors/index.js';
export {
  type Deserializer, type Serializer, bufferDeserializer, bufferSerializer, jsonDeserializer, jsonSerializer, stringDeserializer, stringSerializer,
} from './serde.js';
export { ConfigError, camelCaseOptionName } from './options.js';
export type { CommonClientOptions } from './client-options.js';
export { MetadataCache } from './metadata-cache.js';
export { Connection, type ConnectionOptions } from './connection.js';
export { Cluster, type ClusterOptions, parseBootstrapServers } from './cluster.js';
export { CoordinatorType, findCoordinator } from './coordinator.js';
export type { BrokerNode, ClusterMetadata, PartitionMetadata, TopicMetadata } from './metadata.js';
export { NegotiatedVersions, clientVersions } from './versions.js';
export {
  ClientClosedError, ConnectionError, GroupNotInactiveError, KafkaResponseError, ProtocolViolationError, QueueFullError,
  ProducerTimeoutError, RecordTooLargeError, RequestTimeoutError, TransactionStateError, UnknownTopicError, UnsupportedVersionError, isRetriable,
} from './errors.js';
export type { ClusterDescription, LogDirDescription } from './admin/cluster-info.js';
export type { ConfigEntry, ConfigOperation, ConfigResource, ConfigResourceType, DescribedConfigs } from './admin/configs.js';
export type { DeletedRecords } from './admin/records.js';
export type { NewTopic, TopicDescription, TopicOperationOptions, TopicPartitionInfo } from './admin/topics.js';
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
