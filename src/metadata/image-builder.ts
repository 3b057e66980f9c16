import { assert } from '../common/errors.js';
import type { Uuid } from '../protocol/index.js';
import { CopyOnWriteMap } from './copy-on-write-map.js';
import {
  type BrokerRegistration,
  type ConfigMap,
  ConfigResourceType,
  type MetadataImage,
  type PartitionRegistration,
  type TopicImage,
} from './image.js';
import type { MetadataRecord, MetadataRecordOf } from './records.js';
import { brokerFromRecord, mergePartitionChange, partitionFromRecord } from './registrations.js';

/**
 * Replays metadata records onto an image (Kafka's `MetadataDelta`). The builder copies only what
 * the records touch, so the next image shares every untouched topic, broker and config map with
 * the previous one. A record that contradicts the image (a partition of an unknown topic, a
 * producer id going backwards) is an AssertionError: the controller never writes one.
 */

/** What a batch of records changed, for publishers that act on differences. */
export interface MetadataChanges {
  /** Topics that exist now and did not before. */
  readonly createdTopicIds: ReadonlySet<Uuid>;
  /** Topics that existed before and were removed, as they were in the previous image. */
  readonly deletedTopics: ReadonlyMap<Uuid, TopicImage>;
  /** Partitions created or changed, by topic id; created topics' partitions included. */
  readonly changedPartitions: ReadonlyMap<Uuid, ReadonlySet<number>>;
  /** Topic names whose ConfigRecords changed (a deleted topic's configs go with it). */
  readonly changedTopicConfigs: ReadonlySet<string>;
  /** Broker config resource names ("" or a broker id) whose ConfigRecords changed. */
  readonly changedBrokerConfigs: ReadonlySet<string>;
  readonly brokersChanged: boolean;
  readonly featuresChanged: boolean;
}

export class MetadataImageBuilder {
  private readonly base: MetadataImage;
  private readonly features: CopyOnWriteMap<string, number>;
  private readonly brokers: CopyOnWriteMap<number, BrokerRegistration>;
  private readonly topicsById: CopyOnWriteMap<Uuid, TopicImage>;
  private readonly topicsByName: CopyOnWriteMap<string, TopicImage>;
  private readonly topicConfigs: CopyOnWriteMap<string, ConfigMap>;
  private readonly brokerConfigs: CopyOnWriteMap<string, ConfigMap>;
  /** Partition maps of topics touched so far, copied once per builder. */
  private readonly partitionEdits = new Map<Uuid, Map<number, PartitionRegistration>>();
  private readonly changedPartitionIds = new Map<Uuid, Set<number>>();
  private nextProducerId: bigint;
  private readonly created = new Set<Uuid>();
  private readonly deleted = new Map<Uuid, TopicImage>();
  private readonly changedTopicConfigs = new Set<string>();
  private readonly changedBrokerConfigs = new Set<string>();
  private brokersChanged = false;
  private featuresChanged = false;
  private built = false;

  constructor(base: MetadataImage) {
    this.base = base;
    this.features = new CopyOnWriteMap(base.features);
    this.brokers = new CopyOnWriteMap(base.brokers);
    this.topicsById = new CopyOnWriteMap(base.topicsById);
    this.topicsByName = new CopyOnWriteMap(base.topicsByName);
    this.topicConfigs = new CopyOnWriteMap(base.topicConfigs);
    this.brokerConfigs = new CopyOnWriteMap(base.brokerConfigs);
    this.nextProducerId = base.nextProducerId;
  }

  apply(record: MetadataRecord): void {
    assert(!this.built, 'records applied after build');
    switch (record.type) {
      case 'TopicRecord':
        return this.addTopic(record.data);
      case 'PartitionRecord':
        return this.setPartition(record.data);
      case 'PartitionChangeRecord':
        return this.changePartition(record.data);
      case 'RemoveTopicRecord':
        return this.removeTopic(record.data.topicId);
      case 'ConfigRecord':
        return this.setConfig(record.data);
      case 'FeatureLevelRecord':
        this.featuresChanged = true;
        if (record.data.featureLevel === 0) this.features.delete(record.data.name);
        else this.features.set(record.data.name, record.data.featureLevel);
        return;
      case 'ProducerIdsRecord':
        assert(record.data.nextProducerId > this.nextProducerId, `ProducerIdsRecord moves nextProducerId back to ${record.data.nextProducerId}`);
        this.nextProducerId = record.data.nextProducerId;
        return;
      case 'RegisterBrokerRecord':
        return this.registerBroker(record.data);
      case 'UnregisterBrokerRecord':
        this.brokerWithEpoch(record.data.brokerId, record.data.brokerEpoch);
        this.brokersChanged = true;
        this.brokers.delete(record.data.brokerId);
        return;
      case 'FenceBrokerRecord':
        return this.updateBroker(record.data.id, record.data.epoch, { fenced: true });
      case 'UnfenceBrokerRecord':
        return this.updateBroker(record.data.id, record.data.epoch, { fenced: false });
      case 'BrokerRegistrationChangeRecord': {
        const { fenced, inControlledShutdown } = record.data;
        const change: { fenced?: boolean; inControlledShutdown?: boolean } = {};
        if (fenced !== 0) change.fenced = fenced === 1;
        if (inControlledShutdown === 1) change.inControlledShutdown = true;
        return this.updateBroker(record.data.brokerId, record.data.brokerEpoch, change);
      }
      default:
        // ACLs, quotas, SCRAM, delegation tokens, controller registrations, metadata
        // transactions and ZK migration state are not imaged yet; replay skips them.
        return;
    }
  }

  /** The image after every applied record, at `offset`, and what changed since the base. */
  build(offset: bigint): { image: MetadataImage; changes: MetadataChanges } {
    assert(!this.built, 'an image builder builds once');
    this.built = true;
    assert(offset >= this.base.offset, `image offset ${offset} before the base offset ${this.base.offset}`);
    for (const [topicId, partitions] of this.partitionEdits) {
      const topic: TopicImage = { name: this.topicsById.get(topicId)!.name, topicId, partitions };
      this.topicsById.set(topicId, topic);
      this.topicsByName.set(topic.name, topic);
    }
    this.partitionEdits.clear();
    const image: MetadataImage = {
      clusterId: this.base.clusterId,
      offset,
      features: this.features.result(),
      brokers: this.brokers.result(),
      topicsByName: this.topicsByName.result(),
      topicsById: this.topicsById.result(),
      topicConfigs: this.topicConfigs.result(),
      brokerConfigs: this.brokerConfigs.result(),
      nextProducerId: this.nextProducerId,
    };
    const changes: MetadataChanges = {
      createdTopicIds: this.created,
      deletedTopics: this.deleted,
      changedPartitions: this.changedPartitionIds,
      changedTopicConfigs: this.changedTopicConfigs,
      changedBrokerConfigs: this.changedBrokerConfigs,
      brokersChanged: this.brokersChanged,
      featuresChanged: this.featuresChanged,
    };
    return { image, changes };
  }

  private addTopic({ name, topicId }: MetadataRecordOf<'TopicRecord'>['data']): void {
    assert(!this.topicsById.has(topicId), `TopicRecord for topic id ${topicId}, which exists`);
    assert(!this.topicsByName.has(name), `TopicRecord for topic ${name}, which exists`);
    const topic: TopicImage = { name, topicId, partitions: new Map() };
    this.topicsById.set(topicId, topic);
    this.topicsByName.set(name, topic);
    this.created.add(topicId);
  }

  private partitionsOf(topicId: Uuid, what: string): Map<number, PartitionRegistration> {
    let partitions = this.partitionEdits.get(topicId);
    if (partitions === undefined) {
      const topic = this.topicsById.get(topicId);
      assert(topic !== undefined, `${what} for unknown topic id ${topicId}`);
      partitions = new Map(topic.partitions);
      this.partitionEdits.set(topicId, partitions);
    }
    if (!this.changedPartitionIds.has(topicId)) this.changedPartitionIds.set(topicId, new Set());
    return partitions;
  }

  private markChanged(topicId: Uuid, partitionId: number): void {
    this.changedPartitionIds.get(topicId)!.add(partitionId);
  }

  private setPartition(r: MetadataRecordOf<'PartitionRecord'>['data']): void {
    const partitions = this.partitionsOf(r.topicId, 'PartitionRecord');
    partitions.set(r.partitionId, partitionFromRecord(r));
    this.markChanged(r.topicId, r.partitionId);
  }

  private changePartition(r: MetadataRecordOf<'PartitionChangeRecord'>['data']): void {
    const partitions = this.partitionsOf(r.topicId, 'PartitionChangeRecord');
    const old = partitions.get(r.partitionId);
    assert(old !== undefined, `PartitionChangeRecord for unknown partition ${r.topicId}-${r.partitionId}`);
    partitions.set(r.partitionId, mergePartitionChange(old, r));
    this.markChanged(r.topicId, r.partitionId);
  }

  private removeTopic(topicId: Uuid): void {
    const topic = this.topicsById.get(topicId);
    assert(topic !== undefined, `RemoveTopicRecord for unknown topic id ${topicId}`);
    this.topicsById.delete(topicId);
    this.topicsByName.delete(topic.name);
    this.partitionEdits.delete(topicId);
    this.changedPartitionIds.delete(topicId);
    if (this.created.has(topicId)) this.created.delete(topicId);
    else this.deleted.set(topicId, topic);
    if (this.topicConfigs.has(topic.name)) {
      this.topicConfigs.delete(topic.name);
      this.changedTopicConfigs.add(topic.name);
    }
  }

  private setConfig(r: MetadataRecordOf<'ConfigRecord'>['data']): void {
    let byName: CopyOnWriteMap<string, ConfigMap>;
    if (r.resourceType === ConfigResourceType.TOPIC) {
      byName = this.topicConfigs;
      this.changedTopicConfigs.add(r.resourceName);
    } else if (r.resourceType === ConfigResourceType.BROKER) {
      byName = this.brokerConfigs;
      this.changedBrokerConfigs.add(r.resourceName);
    } else {
      return; // broker loggers, client metrics and groups are not imaged yet
    }
    const configs = new Map(byName.get(r.resourceName));
    if (r.value === null) configs.delete(r.name);
    else configs.set(r.name, r.value);
    if (configs.size === 0) byName.delete(r.resourceName);
    else byName.set(r.resourceName, configs);
  }

  private registerBroker(r: MetadataRecordOf<'RegisterBrokerRecord'>['data']): void {
    this.brokersChanged = true;
    this.brokers.set(r.brokerId, brokerFromRecord(r));
  }

  private brokerWithEpoch(brokerId: number, brokerEpoch: bigint): BrokerRegistration {
    const broker = this.brokers.get(brokerId);
    assert(broker !== undefined, `broker record for unregistered broker ${brokerId}`);
    assert(broker.brokerEpoch === brokerEpoch, `broker ${brokerId} record with epoch ${brokerEpoch}, registered with ${broker.brokerEpoch}`);
    return broker;
  }

  private updateBroker(brokerId: number, brokerEpoch: bigint, change: { fenced?: boolean; inControlledShutdown?: boolean }): void {
    const broker = this.brokerWithEpoch(brokerId, brokerEpoch);
    this.brokersChanged = true;
    this.brokers.set(brokerId, { ...broker, ...change });
  }
}
