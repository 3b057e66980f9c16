/**
 * The admin client: cluster-wide operations over one Cluster (its connections and retries).
 *
 *   const admin = new Admin({ bootstrapServers: '127.0.0.1:9092' });
 *   const lag = await admin.describeGroupLag('orders-service');
 *   await admin.close();
 */
import { Cluster, type ClusterOptions } from '../cluster.js';
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

export class Admin {
  readonly cluster: Cluster;
  private readonly ownsCluster: boolean;

  /** Given options, the admin makes (and closes) its own Cluster; given a Cluster, it shares it. */
  constructor(options: ClusterOptions | Cluster) {
    this.ownsCluster = !(options instanceof Cluster);
    this.cluster = options instanceof Cluster ? options : new Cluster(options);
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
