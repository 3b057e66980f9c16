/** DescribeCluster and DescribeLogDirs. */
import { ApiKey, type DescribeClusterResponse, type DescribeLogDirsResponse } from '../../protocol/index.js';
import type { Cluster } from '../cluster.js';
import { throwIfError } from '../errors.js';
import type { BrokerNode } from '../metadata.js';

export interface ClusterDescription {
  readonly clusterId: string | null;
  readonly controllerId: number;
  readonly brokers: readonly BrokerNode[];
}

export async function describeCluster(cluster: Cluster): Promise<ClusterDescription> {
  return cluster.retry(async () => {
    const conn = await cluster.anyConnection();
    if (!conn.supports(ApiKey.DescribeCluster)) {
      const md = await cluster.metadataOnce([]);
      return { clusterId: md.clusterId, controllerId: md.controllerId, brokers: md.brokers };
    }
    const r = await conn.send<DescribeClusterResponse>(ApiKey.DescribeCluster, conn.versionFor(ApiKey.DescribeCluster), {
      includeClusterAuthorizedOperations: false, endpointType: 1, includeFencedBrokers: false,
    });
    throwIfError(r.errorCode, 'DescribeCluster', r.errorMessage);
    return {
      clusterId: r.clusterId, controllerId: r.controllerId,
      brokers: r.brokers.map((b) => ({ nodeId: b.brokerId, host: b.host, port: b.port, rack: b.rack })),
    };
  });
}

export interface LogDirDescription {
  readonly brokerId: number;
  readonly path: string;
  readonly errorCode: number;
  /** -1n when the broker does not say (before v4). */
  readonly totalBytes: bigint;
  readonly usableBytes: bigint;
  readonly topics: ReadonlyArray<{ topic: string; partitions: ReadonlyArray<{ partition: number; sizeBytes: bigint; offsetLag: bigint; isFuture: boolean }> }>;
}

export async function describeLogDirs(cluster: Cluster, brokerIds?: readonly number[]): Promise<LogDirDescription[]> {
  const ids = brokerIds ?? (await cluster.metadata([])).brokers.map((b) => b.nodeId);
  const perBroker = await Promise.all(ids.map((id) => cluster.retry(async () => {
    const conn = await cluster.connectionTo(id);
    const r = await conn.send<DescribeLogDirsResponse>(ApiKey.DescribeLogDirs, conn.versionFor(ApiKey.DescribeLogDirs), { topics: null });
    throwIfError(r.errorCode, `DescribeLogDirs on broker ${id}`);
    return r.results.map((d) => ({
      brokerId: id, path: d.logDir, errorCode: d.errorCode, totalBytes: d.totalBytes, usableBytes: d.usableBytes,
      topics: d.topics.map((t) => ({
        topic: t.name,
        partitions: t.partitions.map((p) => ({ partition: p.partitionIndex, sizeBytes: p.partitionSize, offsetLag: p.offsetLag, isFuture: p.isFutureKey })),
      })),
    }));
  })));
  return perBroker.flat();
}
