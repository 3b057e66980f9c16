import type { Uuid } from '../protocol/index.js';

/**
 * The cluster metadata as of one offset of the metadata log (Kafka's `MetadataImage`): what
 * replaying every record up to that offset produces. Images are never changed in place; applying
 * records makes a new image that shares whatever did not change (see MetadataImageBuilder).
 */

/** A partition's replica assignment and leadership (Kafka's `PartitionRegistration`). */
export interface PartitionRegistration {
  readonly partitionId: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly removingReplicas: readonly number[];
  readonly addingReplicas: readonly number[];
  /** Broker id of the leader, or -1 (NO_LEADER). */
  readonly leader: number;
  /** 0 = RECOVERED, 1 = RECOVERING (after an unclean election). */
  readonly leaderRecoveryState: number;
  /** Bumped each time the leader changes. */
  readonly leaderEpoch: number;
  /** Bumped on every change of the partition. */
  readonly partitionEpoch: number;
}

export interface TopicImage {
  readonly name: string;
  readonly topicId: Uuid;
  readonly partitions: ReadonlyMap<number, PartitionRegistration>;
}

export interface BrokerEndpoint {
  /** Listener name. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** Kafka's SecurityProtocol id: 0 PLAINTEXT, 1 SSL, 2 SASL_PLAINTEXT, 3 SASL_SSL. */
  readonly securityProtocol: number;
}

export interface SupportedFeatureRange {
  readonly minSupportedVersion: number;
  readonly maxSupportedVersion: number;
}

/** A registered broker (Kafka's `BrokerRegistration`). */
export interface BrokerRegistration {
  readonly brokerId: number;
  readonly incarnationId: Uuid;
  /** The offset of the broker's RegisterBrokerRecord; changes with every registration. */
  readonly brokerEpoch: bigint;
  readonly endpoints: readonly BrokerEndpoint[];
  readonly supportedFeatures: ReadonlyMap<string, SupportedFeatureRange>;
  readonly rack: string | null;
  readonly fenced: boolean;
  readonly inControlledShutdown: boolean;
}

/** The name → value configs of one resource. */
export type ConfigMap = ReadonlyMap<string, string>;

export interface MetadataImage {
  /** From meta.properties; not carried by metadata records. */
  readonly clusterId: string;
  /** Offset of the last record applied, -1n before any. */
  readonly offset: bigint;
  /** Finalized feature levels by name (metadata.version, …); a level of 0 is absent. */
  readonly features: ReadonlyMap<string, number>;
  readonly brokers: ReadonlyMap<number, BrokerRegistration>;
  readonly topicsByName: ReadonlyMap<string, TopicImage>;
  readonly topicsById: ReadonlyMap<Uuid, TopicImage>;
  /** ConfigRecords of resource type TOPIC (2), by topic name. */
  readonly topicConfigs: ReadonlyMap<string, ConfigMap>;
  /** ConfigRecords of resource type BROKER (4), by broker id as a string; "" is the cluster default. */
  readonly brokerConfigs: ReadonlyMap<string, ConfigMap>;
  /** First producer id of the next block to hand out (from the last ProducerIdsRecord). */
  readonly nextProducerId: bigint;
}

/** Kafka's ConfigResource types as they appear in ConfigRecord.resourceType. */
export const ConfigResourceType = {
  TOPIC: 2,
  BROKER: 4,
} as const;
export type ConfigResourceType = (typeof ConfigResourceType)[keyof typeof ConfigResourceType];

export const METADATA_VERSION_FEATURE = 'metadata.version';
/** Leader id of a partition without a leader. */
export const NO_LEADER = -1;


/** The image before any record: no brokers, no topics, no features. */
export function emptyMetadataImage(clusterId: string): MetadataImage {
  return {
    clusterId,
    offset: -1n,
    features: new Map(),
    brokers: new Map(),
    topicsByName: new Map(),
    topicsById: new Map(),
    topicConfigs: new Map(),
    brokerConfigs: new Map(),
    nextProducerId: 0n,
  };
}

/** Brokers that can host new replicas and lead: registered, unfenced, not shutting down. */
export function usableBrokerIds(image: MetadataImage): number[] {
  const ids: number[] = [];
  for (const broker of image.brokers.values()) {
    if (!broker.fenced && !broker.inControlledShutdown) ids.push(broker.brokerId);
  }
  return ids.sort((a, b) => a - b);
}

/** The configs of a resource, empty when it has none. */
export function resourceConfigs(image: MetadataImage, resourceType: ConfigResourceType, resourceName: string): ConfigMap {
  const byName = resourceType === ConfigResourceType.TOPIC ? image.topicConfigs : image.brokerConfigs;
  return byName.get(resourceName) ?? new Map<string, string>();
}
