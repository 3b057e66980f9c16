import type {
  AllocateProducerIdsRequest,
  AllocateProducerIdsResponse,
  AlterConfigsRequest,
  AlterConfigsResponse,
  BrokerRegistrationRequest,
  BrokerRegistrationResponse,
  CreatePartitionsRequest,
  CreatePartitionsResponse,
  CreateTopicsRequest,
  CreateTopicsResponse,
  DeleteTopicsRequest,
  DeleteTopicsResponse,
  IncrementalAlterConfigsRequest,
  IncrementalAlterConfigsResponse,
} from '../protocol/index.js';
import { alterConfigs, incrementalAlterConfigs } from './alter-configs.js';
import { registerBroker, unfenceBroker } from './broker-registration.js';
import { type ApiError, type ControllerContext, type ControllerOptions, type ControllerResult, controllerContext } from './controller-context.js';
import { createPartitions } from './create-partitions.js';
import { createTopics } from './create-topics.js';
import { deleteTopics } from './delete-topics.js';
import type { MetadataImage } from './image.js';
import { allocateProducerIds } from './producer-ids.js';

/**
 * The single-node controller: a deterministic state machine over the metadata image. Each
 * operation reads the current image and a request and returns the records to commit and the
 * response (Kafka's `ControllerResult`), with Kafka's per-item error codes. It changes nothing
 * itself; MetadataManager commits the records and applies them. The same image, request and
 * Random state always give the same records and response.
 */
export class Controller {
  readonly context: ControllerContext;

  constructor(options: ControllerOptions) {
    this.context = controllerContext(options);
  }

  /** CreateTopics: TopicRecord, ConfigRecords and PartitionRecords per created topic. */
  createTopics(image: MetadataImage, request: CreateTopicsRequest): ControllerResult<CreateTopicsResponse> {
    return createTopics(this.context, image, request);
  }

  /** DeleteTopics by name or id: a RemoveTopicRecord per topic. */
  deleteTopics(image: MetadataImage, request: DeleteTopicsRequest): ControllerResult<DeleteTopicsResponse> {
    return deleteTopics(image, request);
  }

  /** CreatePartitions: a PartitionRecord per added partition. */
  createPartitions(image: MetadataImage, request: CreatePartitionsRequest): ControllerResult<CreatePartitionsResponse> {
    return createPartitions(this.context, image, request);
  }

  /** IncrementalAlterConfigs (SET, DELETE, APPEND, SUBTRACT) on TOPIC and BROKER resources. */
  incrementalAlterConfigs(image: MetadataImage, request: IncrementalAlterConfigsRequest): ControllerResult<IncrementalAlterConfigsResponse> {
    return incrementalAlterConfigs(this.context, image, request);
  }

  /** The legacy AlterConfigs: replaces a resource's configs. */
  alterConfigs(image: MetadataImage, request: AlterConfigsRequest): ControllerResult<AlterConfigsResponse> {
    return alterConfigs(this.context, image, request);
  }

  /** AllocateProducerIds: the next block of 1000 ids, via a ProducerIdsRecord. */
  allocateProducerIds(image: MetadataImage, request: AllocateProducerIdsRequest): ControllerResult<AllocateProducerIdsResponse> {
    return allocateProducerIds(image, request);
  }

  /** BrokerRegistration: a fenced RegisterBrokerRecord; `brokerEpoch` is the offset it will get. */
  registerBroker(image: MetadataImage, request: BrokerRegistrationRequest, brokerEpoch: bigint): ControllerResult<BrokerRegistrationResponse> {
    return registerBroker(image, request, brokerEpoch);
  }

  /** Unfences a registered broker once it has caught up. */
  unfenceBroker(image: MetadataImage, brokerId: number, brokerEpoch: bigint): ControllerResult<ApiError> {
    return unfenceBroker(image, brokerId, brokerEpoch);
  }
}
