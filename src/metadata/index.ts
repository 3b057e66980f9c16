/**
 * Cluster metadata, KRaft-style: the metadata records, the image they build, the controller that
 * decides which records a request produces, and the manager that commits them through the
 * metadata log (src/raft) and tells the rest of the node.
 */
export {
  METADATA_RECORD_CODECS,
  METADATA_RECORD_WRITE_VERSIONS,
  type MetadataRecord,
  type MetadataRecordOf,
  type MetadataRecordType,
  metadataRecord,
  metadataRecordSerde,
} from './records.js';
export {
  type BrokerEndpoint,
  type BrokerRegistration,
  type ConfigMap,
  ConfigResourceType,
  emptyMetadataImage,
  METADATA_VERSION_FEATURE,
  type MetadataImage,
  NO_LEADER,
  type PartitionRegistration,
  resourceConfigs,
  type SupportedFeatureRange,
  type TopicImage,
  usableBrokerIds,
} from './image.js';
export { type MetadataChanges, MetadataImageBuilder } from './image-builder.js';
export {
  type ApiError,
  type ConfigPolicy,
  type ControllerContext,
  type ControllerOptions,
  type ControllerResult,
  type DescribeTopicConfigs,
  describeExplicitTopicConfigs,
  MAX_RECORDS_PER_USER_OP,
  permissiveConfigPolicy,
} from './controller-context.js';
export { Controller } from './controller.js';
export { AlterConfigOp } from './alter-configs.js';
export { BOOTSTRAP_METADATA_VERSION, bootstrapRecords } from './broker-registration.js';
export { PRODUCER_ID_BLOCK_SIZE } from './producer-ids.js';
export { collidingTopic, MAX_TOPIC_NAME_LENGTH, topicNameError } from './topic-names.js';
export { placeReplicas } from './replica-placement.js';
export { fullUpdate, type MetadataPublisher, type MetadataUpdate } from './publisher.js';
export { MetadataManager, MetadataManagerError, type MetadataManagerErrorCode, type MetadataManagerOptions } from './manager.js';
