/**
 * The admin client: cluster-wide operations over one Cluster (its connections and retries).
 *
 *   const admin = new Admin({ bootstrapServers: '127.0.0.1:9092' });
 *   const lag = await admin.describeGroupLag('orders-service');
 *   await admin.close();
 */
import { COMMON_OPTION_NAMES, type CommonClientOptions, clusterOptionsFrom } from '../client-options.js';
import { Cluster, type ClusterOptions } from '../cluster.js';
import { ConfigError, normalizeOptions } from '../options.js';
import { type ClusterDescription, type LogDirDescription, describeCluster, describeLogDirs } from './cluster-info.js';
import {
  type ConfigOperation, type ConfigResource, type DescribedConfigs, alterConfigs, describeConfigs, incrementalAlterConfigs,
} from './configs.js';
import { type DeletedRecords, deleteRecords } from './records.js';
import {
  type NewTopic, type TopicDescription, type TopicOperationOptions, createPartitions, createTopics, deleteTopics, describeTopics, listTopics,
} from './topics.js';
import { type DescribeProducersOptions, type PartitionProducerState, describeProducers } from './describe-producers.js';
import { type GroupLag, describeGroupLag } from './group-lag.js';
import { type CommittedOffset, type OffsetToCommit, type PartitionResult, commitOffsets, deleteOffsets, fetchOffsets } from './group-offsets.js';
import { type DeleteGroupResult, type GroupDescription, type ListedGroup, deleteGroups, describeGroups, listGroups } from './groups.js';
import { type ListOffsetsOptions, type ListedOffset, type OffsetRequest, listOffsets } from './list-offsets.js';
import { type PlannedOffset, type ResetOffsetsOptions, resetOffsets } from './reset-offsets.js';
import {
  type ListTransactionsOptions, type TransactionDescription, type TransactionListing, describeTransactions, listTransactions,
} from './transactions.js';
import type { TopicPartition } from './types.js';

const ADMIN_OPTION_NAMES: ReadonlySet<string> = new Set([...COMMON_OPTION_NAMES, 'connectTimeoutMs']);

export class Admin {
  readonly cluster: Cluster;
  private readonly ownsCluster: boolean;

  /**
   * Given options (camelCase or Kafka's dotted names: `bootstrap.servers`, `request.timeout.ms`, …),
   * the admin makes (and closes) its own Cluster; given a Cluster, it shares it.
   */
  constructor(options: CommonClientOptions | ClusterOptions | Readonly<Record<string, unknown>> | Cluster) {
    this.ownsCluster = !(options instanceof Cluster);
    if (options instanceof Cluster) {
      this.cluster = options;
      return;
    }
    const { retries, ...rest } = options as Record<string, unknown>;
    const o = normalizeOptions<CommonClientOptions>(rest, ADMIN_OPTION_NAMES, 'admin');
    if (o.bootstrapServers === undefined) throw new ConfigError('admin: bootstrapServers (bootstrap.servers) is required');
    const legacyTimeout = (o as unknown as Record<string, unknown>).connectTimeoutMs;
    const cluster = clusterOptionsFrom(o as CommonClientOptions & Record<string, unknown>, typeof retries === 'number' ? retries : 5);
    this.cluster = new Cluster(typeof legacyTimeout === 'number' ? { ...cluster, connectTimeoutMs: legacyTimeout } : cluster);
  }

  createTopics(topics: readonly NewTopic[], options?: TopicOperationOptions): Promise<void> {
    return createTopics(this.cluster, topics, options);
  }

  deleteTopics(names: readonly string[], options?: { timeoutMs?: number }): Promise<void> {
    return deleteTopics(this.cluster, names, options);
  }

  listTopics(options?: { listInternal?: boolean }): Promise<string[]> {
    return listTopics(this.cluster, options);
  }

  describeTopics(names: readonly string[]): Promise<TopicDescription[]> {
    return describeTopics(this.cluster, names);
  }

  /** Raises topics' partition counts to `count`. */
  createPartitions(requests: ReadonlyArray<{ topic: string; count: number; assignments?: ReadonlyArray<readonly number[]> }>, options?: TopicOperationOptions): Promise<void> {
    return createPartitions(this.cluster, requests, options);
  }

  describeConfigs(
    resources: ReadonlyArray<ConfigResource & { configNames?: readonly string[] }>, options?: { includeSynonyms?: boolean; includeDocumentation?: boolean },
  ): Promise<DescribedConfigs[]> {
    return describeConfigs(this.cluster, resources, options);
  }

  alterConfigs(resources: ReadonlyArray<ConfigResource & { configs: Readonly<Record<string, string>> }>, options?: { validateOnly?: boolean }): Promise<void> {
    return alterConfigs(this.cluster, resources, options);
  }

  incrementalAlterConfigs(resources: ReadonlyArray<ConfigResource & { ops: readonly ConfigOperation[] }>, options?: { validateOnly?: boolean }): Promise<void> {
    return incrementalAlterConfigs(this.cluster, resources, options);
  }

  /** Deletes records before `offset` (-1n: the high watermark); returns each partition's new log start offset. */
  deleteRecords(requests: ReadonlyArray<TopicPartition & { offset: bigint }>, options?: { timeoutMs?: number }): Promise<DeletedRecords[]> {
    return deleteRecords(this.cluster, requests, options);
  }

  describeCluster(): Promise<ClusterDescription> {
    return describeCluster(this.cluster);
  }

  describeLogDirs(brokerIds?: readonly number[]): Promise<LogDirDescription[]> {
    return describeLogDirs(this.cluster, brokerIds);
  }

  listGroups(): Promise<ListedGroup[]> {
    return listGroups(this.cluster);
  }

  describeGroups(groupIds: readonly string[]): Promise<GroupDescription[]> {
    return describeGroups(this.cluster, groupIds);
  }

  deleteGroups(groupIds: readonly string[]): Promise<DeleteGroupResult[]> {
    return deleteGroups(this.cluster, groupIds);
  }

  fetchOffsets(groupId: string, partitions?: readonly TopicPartition[]): Promise<CommittedOffset[]> {
    return fetchOffsets(this.cluster, groupId, partitions);
  }

  commitOffsets(groupId: string, offsets: readonly OffsetToCommit[]): Promise<void> {
    return commitOffsets(this.cluster, groupId, offsets);
  }

  deleteOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<PartitionResult[]> {
    return deleteOffsets(this.cluster, groupId, partitions);
  }

  resetOffsets(groupId: string, options: ResetOffsetsOptions): Promise<PlannedOffset[]> {
    return resetOffsets(this.cluster, groupId, options);
  }

  describeGroupLag(groupId: string): Promise<GroupLag> {
    return describeGroupLag(this.cluster, groupId);
  }

  listOffsets(requests: readonly OffsetRequest[], options?: ListOffsetsOptions): Promise<ListedOffset[]> {
    return listOffsets(this.cluster, requests, options);
  }

  listTransactions(options?: ListTransactionsOptions): Promise<TransactionListing[]> {
    return listTransactions(this.cluster, options);
  }

  describeTransactions(transactionalIds: readonly string[]): Promise<TransactionDescription[]> {
    return describeTransactions(this.cluster, transactionalIds);
  }

  describeProducers(topicPartitions: readonly TopicPartition[], options?: DescribeProducersOptions): Promise<PartitionProducerState[]> {
    return describeProducers(this.cluster, topicPartitions, options);
  }

  async close(): Promise<void> {
    if (this.ownsCluster) await this.cluster.close();
  }
}
