import type { Random } from '../common/random.js';
import type { CreateTopicsResponseCreatableTopicConfigs } from '../protocol/index.js';
import type { ConfigMap, ConfigResourceType } from './image.js';
import type { MetadataRecord } from './records.js';

/**
 * What every controller operation shares: its result shape, Kafka's per-item error, and the
 * settings and hooks the controller is built with.
 */

/** An operation's outcome (Kafka's `ControllerResult`): records to commit, then the response. */
export interface ControllerResult<R> {
  /** Appended as one batch; empty when nothing changes (errors, validateOnly). */
  readonly records: MetadataRecord[];
  /** The response to send once the records are committed. */
  readonly result: R;
}

/** A Kafka error code with its message (Kafka's `ApiError`). */
export interface ApiError {
  readonly code: number;
  readonly message: string | null;
}

/** Kafka's ControllerResult bound on the records one request may produce (MAX_RECORDS_PER_USER_OP). */
export const MAX_RECORDS_PER_USER_OP = 10_000;

/**
 * The broker's config layer as the controller needs it: names, types and values are its business,
 * the controller only asks. Returning a message makes the item fail with INVALID_CONFIG.
 */
export interface ConfigPolicy {
  /** Checks a resource's configs as they would be after the change; a message, or null if fine. */
  validate(resourceType: ConfigResourceType, resourceName: string, configs: ConfigMap): string | null;
  /** Whether `name` is a list-typed config (APPEND and SUBTRACT work only on those). */
  isList(resourceType: ConfigResourceType, name: string): boolean;
}

/** Accepts every config; nothing is a list. */
export const permissiveConfigPolicy: ConfigPolicy = {
  validate: () => null,
  isList: () => false,
};

/** The response's view of a new topic's configs (CreateTopics v5+). */
export type DescribeTopicConfigs = (topic: string, configs: ConfigMap) => CreateTopicsResponseCreatableTopicConfigs[];

/** Kafka's ConfigSource.DYNAMIC_TOPIC_CONFIG, as CreateTopics reports explicit topic configs. */
export const DYNAMIC_TOPIC_CONFIG = 1;

/** Lists just the explicit configs; the broker can inject one that adds the defaults. */
export const describeExplicitTopicConfigs: DescribeTopicConfigs = (_topic, configs) =>
  [...configs].map(([name, value]) => ({ name, value, readOnly: false, configSource: DYNAMIC_TOPIC_CONFIG, isSensitive: false }));

export interface ControllerOptions {
  /** Source of topic ids and replica placement; a SeededRandom makes results reproducible. */
  random: Random;
  /** num.partitions: partitions of a topic created with numPartitions -1. Default 1. */
  numPartitions?: number;
  /** default.replication.factor: used for replicationFactor -1. Default 1. */
  defaultReplicationFactor?: number;
  configPolicy?: ConfigPolicy;
  describeTopicConfigs?: DescribeTopicConfigs;
}

/** ControllerOptions with the defaults filled in. */
export interface ControllerContext {
  readonly random: Random;
  readonly numPartitions: number;
  readonly defaultReplicationFactor: number;
  readonly configPolicy: ConfigPolicy;
  readonly describeTopicConfigs: DescribeTopicConfigs;
}

export function controllerContext(options: ControllerOptions): ControllerContext {
  return {
    random: options.random,
    numPartitions: options.numPartitions ?? 1,
    defaultReplicationFactor: options.defaultReplicationFactor ?? 1,
    configPolicy: options.configPolicy ?? permissiveConfigPolicy,
    describeTopicConfigs: options.describeTopicConfigs ?? describeExplicitTopicConfigs,
  };
}

/** Counts names that occur more than once (requests that repeat a topic or resource). */
export function duplicates<T>(items: Iterable<T>): Set<T> {
  const seen = new Set<T>();
  const repeated = new Set<T>();
  for (const item of items) {
    if (seen.has(item)) repeated.add(item);
    else seen.add(item);
  }
  return repeated;
}
