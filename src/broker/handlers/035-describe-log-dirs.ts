/**
 * DescribeLogDirs (35): every entry of log.dirs, by absolute path, with the partitions it holds
 * (size in bytes, offset lag, isFutureKey), as Kafka's ReplicaManager.describeLogDirs:
 *
 * - topics null asks for every partition; otherwise only those named, and a topic none of whose
 *   partitions is in a dir is left out of that dir;
 * - an offline dir answers KAFKA_STORAGE_ERROR with no topics;
 * - offsetLag is max(highWatermark - logEndOffset, 0), so 0 for a partition this node leads
 *   (-1 for a log whose partition the metadata no longer gives this node);
 * - v4 adds totalBytes and usableBytes of the dir's file system (statfs; -1 when unavailable).
 *
 * Partitions live only in their log dir (no future replicas: AlterReplicaLogDirs is not served).
 */
import * as fsp from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  ApiKey, type DescribeLogDirsRequest, type DescribeLogDirsResponse, type DescribeLogDirsResponseDescribeLogDirsResult,
  type DescribeLogDirsResponseDescribeLogDirsTopic, ErrorCode,
} from '../../protocol/index.js';
import type { PartitionLog } from '../../storage/index.js';
import type { BrokerServices } from '../services.js';
import { allVersions, defineHandler } from './api-handler.js';

interface Space {
  totalBytes: bigint;
  usableBytes: bigint;
}

/** Total and usable bytes of the file system holding `path` (Java's FileStore total and usable space). */
async function fileSystemSpace(path: string): Promise<Space> {
  if (typeof fsp.statfs !== 'function') return { totalBytes: -1n, usableBytes: -1n };
  const s = await fsp.statfs(path, { bigint: true });
  return { totalBytes: s.blocks * s.bsize, usableBytes: s.bavail * s.bsize };
}

function offsetLag(services: BrokerServices, log: PartitionLog): bigint {
  const { topic, partition } = log.topicPartition;
  const p = services.metadata.image.topicsByName.get(topic)?.partitions.get(partition);
  if (!p || !p.replicas.includes(services.nodeId)) return -1n;
  const lag = log.highWatermark - log.logEndOffset;
  return lag > 0n ? lag : 0n;
}

function describeTopics(services: BrokerServices, logs: readonly PartitionLog[], wanted: ((topic: string, partition: number) => boolean)): DescribeLogDirsResponseDescribeLogDirsTopic[] {
  const byTopic = new Map<string, DescribeLogDirsResponseDescribeLogDirsTopic>();
  for (const log of logs) {
    const { topic, partition } = log.topicPartition;
    if (!wanted(topic, partition)) continue;
    let entry = byTopic.get(topic);
    if (!entry) byTopic.set(topic, (entry = { name: topic, partitions: [], _unknownTaggedFields: undefined }));
    entry.partitions.push({
      partitionIndex: partition, partitionSize: BigInt(log.size), offsetLag: offsetLag(services, log), isFutureKey: false, _unknownTaggedFields: undefined,
    });
  }
  const topics = [...byTopic.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const t of topics) t.partitions.sort((a, b) => a.partitionIndex - b.partitionIndex);
  return topics;
}

function dirResult(logDir: string, errorCode: number, topics: DescribeLogDirsResponseDescribeLogDirsTopic[] = [], space?: Space): DescribeLogDirsResponseDescribeLogDirsResult {
  return { errorCode, logDir, topics, totalBytes: space?.totalBytes ?? -1n, usableBytes: space?.usableBytes ?? -1n, _unknownTaggedFields: undefined };
}

export const describeLogDirsHandler = defineHandler<DescribeLogDirsRequest, DescribeLogDirsResponse>({
  apiKey: ApiKey.DescribeLogDirs,
  versions: allVersions(ApiKey.DescribeLogDirs),
  async handle({ body, services }) {
    let wanted: (topic: string, partition: number) => boolean = () => true;
    if (body.topics !== null) {
      const named = new Set(body.topics.flatMap((t) => t.partitions.map((p) => `${t.topic}\0${p}`)));
      wanted = (topic, partition) => named.has(`${topic}\0${partition}`);
    }
    const logs = services.replicas.logManager;
    const offline = new Set(logs.offlineLogDirs.map((d) => resolve(d)));
    const byDir = new Map<string, PartitionLog[]>();
    for (const log of logs.allLogs()) {
      const dir = resolve(dirname(log.dir));
      const inDir = byDir.get(dir);
      if (inDir) inDir.push(log);
      else byDir.set(dir, [log]);
    }
    const results: DescribeLogDirsResponseDescribeLogDirsResult[] = [];
    for (const logDir of new Set(services.settings.logDirs.map((d) => resolve(d)))) {
      if (offline.has(logDir)) {
        results.push(dirResult(logDir, ErrorCode.KAFKA_STORAGE_ERROR));
        continue;
      }
      try {
        const space = await fileSystemSpace(logDir);
        results.push(dirResult(logDir, ErrorCode.NONE, describeTopics(services, byDir.get(logDir) ?? [], wanted), space));
      } catch (e) {
        services.logger.error(`describing log dir ${logDir} failed`, e);
        results.push(dirResult(logDir, ErrorCode.UNKNOWN_SERVER_ERROR));
      }
    }
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, results, _unknownTaggedFields: undefined };
  },
});
