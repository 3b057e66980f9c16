import { SamsaError } from '../common/errors.js';
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
import type { MetadataLog } from '../raft/index.js';
import { bootstrapRecords } from './broker-registration.js';
import type { Controller } from './controller.js';
import type { ApiError, ControllerResult } from './controller-context.js';
import { MetadataImageBuilder } from './image-builder.js';
import { emptyMetadataImage, type MetadataImage } from './image.js';
import { fullUpdate, type MetadataPublisher, type MetadataUpdate } from './publisher.js';
import type { MetadataRecord } from './records.js';

/**
 * The glue between the controller, the metadata log and the node (Kafka's QuorumController
 * event queue and MetadataLoader, for one node). Opening replays the log into an image (writing
 * the bootstrap records into an empty log). Operations run one at a time, in arrival order: the
 * controller decides on the current image, the records are applied to a builder (so a bad record
 * fails before it is written), appended, and once durable the new image is installed, the
 * publishers are told, and the caller gets the result. If an append fails, the manager refuses
 * every later operation: the log must be reopened to learn what survived.
 */

export interface MetadataManagerOptions {
  log: MetadataLog<MetadataRecord>;
  /** From meta.properties. */
  clusterId: string;
  controller: Controller;
  /** metadata.version for an empty log. Default: BOOTSTRAP_METADATA_VERSION. */
  bootstrapMetadataVersion?: number;
  /** Operations waiting for their turn before new ones are refused. Default 1000. */
  maxQueuedOperations?: number;
  /** A publisher threw; the operation still succeeds (its records are committed). Default: console.error. */
  onPublisherError?: (error: unknown, publisher: MetadataPublisher) => void;
}

/** Library errors of the manager. */
export type MetadataManagerErrorCode = 'SAMSA_ERR_METADATA_QUEUE_FULL' | 'SAMSA_ERR_METADATA_CLOSED';

export class MetadataManagerError extends SamsaError {
  constructor(code: MetadataManagerErrorCode, message: string) {
    super(code, message);
  }
}

export class MetadataManager {
  readonly controller: Controller;
  private readonly log: MetadataLog<MetadataRecord>;
  private readonly options: MetadataManagerOptions;
  private readonly publishers: MetadataPublisher[] = [];
  private current: MetadataImage;
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private failure: unknown = null;

  private constructor(options: MetadataManagerOptions, image: MetadataImage) {
    this.options = options;
    this.log = options.log;
    this.controller = options.controller;
    this.current = image;
  }

  /** Replays the committed log into an image; an empty log gets the bootstrap records first. */
  static async open(options: MetadataManagerOptions): Promise<MetadataManager> {
    const builder = new MetadataImageBuilder(emptyMetadataImage(options.clusterId));
    let lastOffset = -1n;
    for await (const batch of options.log.read(0n)) {
      for (const record of batch.records) builder.apply(record);
      lastOffset = batch.lastOffset;
    }
    const manager = new MetadataManager(options, builder.build(lastOffset).image);
    if (options.log.endOffset === 0n) {
      await manager.run(() => ({ records: bootstrapRecords(options.bootstrapMetadataVersion), result: undefined }));
    }
    return manager;
  }

  /** The image of everything committed so far. */
  get image(): MetadataImage {
    return this.current;
  }

  /** Installs a publisher: it first gets the full current image (see fullUpdate), then every update. */
  addPublisher(publisher: MetadataPublisher): Promise<void> {
    return this.enqueue(async () => {
      await this.publishTo(publisher, fullUpdate(this.current));
      this.publishers.push(publisher);
    });
  }

  removePublisher(publisher: MetadataPublisher): void {
    const index = this.publishers.indexOf(publisher);
    if (index >= 0) this.publishers.splice(index, 1);
  }

  /**
   * Runs one controller operation in turn: decide on the current image, commit the records,
   * install the new image, publish, then resolve with the result.
   */
  run<R>(operation: (image: MetadataImage) => ControllerResult<R>): Promise<R> {
    return this.enqueue(() => this.execute(operation));
  }

  createTopics(request: CreateTopicsRequest): Promise<CreateTopicsResponse> {
    return this.run((image) => this.controller.createTopics(image, request));
  }

  deleteTopics(request: DeleteTopicsRequest): Promise<DeleteTopicsResponse> {
    return this.run((image) => this.controller.deleteTopics(image, request));
  }

  createPartitions(request: CreatePartitionsRequest): Promise<CreatePartitionsResponse> {
    return this.run((image) => this.controller.createPartitions(image, request));
  }

  incrementalAlterConfigs(request: IncrementalAlterConfigsRequest): Promise<IncrementalAlterConfigsResponse> {
    return this.run((image) => this.controller.incrementalAlterConfigs(image, request));
  }

  alterConfigs(request: AlterConfigsRequest): Promise<AlterConfigsResponse> {
    return this.run((image) => this.controller.alterConfigs(image, request));
  }

  allocateProducerIds(request: AllocateProducerIdsRequest): Promise<AllocateProducerIdsResponse> {
    return this.run((image) => this.controller.allocateProducerIds(image, request));
  }

  /** Registers a broker; its epoch is the offset its RegisterBrokerRecord gets. */
  registerBroker(request: BrokerRegistrationRequest): Promise<BrokerRegistrationResponse> {
    return this.run((image) => this.controller.registerBroker(image, request, this.log.endOffset));
  }

  unfenceBroker(brokerId: number, brokerEpoch: bigint): Promise<ApiError> {
    return this.run((image) => this.controller.unfenceBroker(image, brokerId, brokerEpoch));
  }

  /** Lets queued operations finish, then refuses new ones. The log is the caller's to close. */
  async close(): Promise<void> {
    const drained = this.tail;
    this.failure ??= new MetadataManagerError('SAMSA_ERR_METADATA_CLOSED', 'metadata manager closed');
    await drained;
  }

  private enqueue<R>(task: () => Promise<R>): Promise<R> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const limit = this.options.maxQueuedOperations ?? 1000;
    if (this.queued >= limit) {
      return Promise.reject(new MetadataManagerError('SAMSA_ERR_METADATA_QUEUE_FULL', `${this.queued} metadata operations already queued`));
    }
    this.queued++;
    const result = this.tail.then(task).finally(() => this.queued--);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async execute<R>(operation: (image: MetadataImage) => ControllerResult<R>): Promise<R> {
    const { records, result } = operation(this.current);
    if (records.length === 0) return result;
    const builder = new MetadataImageBuilder(this.current);
    for (const record of records) builder.apply(record);
    let lastOffset: bigint;
    try {
      lastOffset = (await this.log.append(records)).lastOffset;
    } catch (err) {
      this.failure = err;
      throw err;
    }
    const { image, changes } = builder.build(lastOffset);
    const update: MetadataUpdate = { previous: this.current, image, changes, records };
    this.current = image;
    for (const publisher of this.publishers) await this.publishTo(publisher, update);
    return result;
  }

  private async publishTo(publisher: MetadataPublisher, update: MetadataUpdate): Promise<void> {
    try {
      await publisher.onMetadataUpdate(update);
    } catch (err) {
      const report = this.options.onPublisherError ?? ((error, p) => console.error(`metadata publisher ${p.name} failed:`, error));
      report(err, publisher);
    }
  }
}
