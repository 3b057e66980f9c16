/**
 * Metadata requests across versions and the cluster view the client keeps from them.
 */
import { ApiKey, type MetadataResponse, type Uuid, ZERO_UUID } from '../protocol/index.js';
import type { Connection } from './connection.js';

export interface BrokerNode {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
}

export interface PartitionMetadata {
  readonly partition: number;
  readonly errorCode: number;
  /** -1 when the partition has no leader. */
  readonly leaderId: number;
  readonly leaderEpoch: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
}

export interface TopicMetadata {
  readonly name: string;
  readonly errorCode: number;
  readonly topicId: Uuid;
  readonly isInternal: boolean;
  /** Sorted by partition index. */
  readonly partitions: readonly PartitionMetadata[];
}

export interface ClusterMetadata {
  readonly clusterId: string | null;
  readonly controllerId: number;
  readonly brokers: readonly BrokerNode[];
  readonly topics: ReadonlyMap<string, TopicMetadata>;
}

/** Metadata for `topics` (all topics when undefined), never creating any. */
export async function requestMetadata(
  conn: Connection, topics: readonly string[] | undefined, options: { allowAutoTopicCreation?: boolean } = {},
): Promise<ClusterMetadata> {
  const version = conn.versionFor(ApiKey.Metadata);
  // v0 has no null: an empty list means all topics there, and no way to ask for none.
  const all = version >= 1 ? null : [];
  const r = await conn.send<MetadataResponse>(ApiKey.Metadata, version, {
    topics: topics === undefined ? all : topics.map((name) => ({ topicId: ZERO_UUID, name })),
    allowAutoTopicCreation: options.allowAutoTopicCreation ?? false,
    includeClusterAuthorizedOperations: false,
    includeTopicAuthorizedOperations: false,
  });
  const byName = new Map<string, TopicMetadata>();
  for (const t of r.topics) {
    if (t.name === null) continue;
    byName.set(t.name, {
      name: t.name,
      errorCode: t.errorCode,
      topicId: t.topicId,
      isInternal: t.isInternal,
      partitions: t.partitions
        .map((p) => ({
          partition: p.partitionIndex, errorCode: p.errorCode, leaderId: p.leaderId, leaderEpoch: p.leaderEpoch,
          replicas: p.replicaNodes, isr: p.isrNodes,
        }))
        .sort((a, b) => a.partition - b.partition),
    });
  }
  return {
    clusterId: r.clusterId,
    controllerId: r.controllerId,
    brokers: r.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack })),
    topics: byName,
  };
}
