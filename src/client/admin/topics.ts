/**
 * Topic administration: create, delete, list, describe, add partitions. Requests go to the
 * controller (from Metadata); a per-topic error is thrown as a KafkaResponseError naming the
 * topic, after the request as a whole was answered.
 */
import {
  ApiKey, type CreatePartitionsResponse, type CreateTopicsResponse, type DeleteTopicsResponse, ErrorCode, type Uuid, ZERO_UUID,
} from '../../protocol/index.js';
import type { Cluster } from '../cluster.js';
import type { Connection } from '../connection.js';
import { KafkaResponseError } from '../errors.js';

export interface NewTopic {
  readonly name: string;
  /** -1 (the default) takes the broker's num.partitions. */
  readonly numPartitions?: number;
  /** -1 (the default) takes the broker's default.replication.factor. */
  readonly replicationFactor?: number;
  /** Partition → broker ids; replaces numPartitions/replicationFactor. */
  readonly replicasAssignment?: ReadonlyArray<{ partition: number; replicas: readonly number[] }>;
  readonly configs?: Readonly<Record<string, string>>;
}

export interface TopicOperationOptions {
  readonly timeoutMs?: number;
  readonly validateOnly?: boolean;
}

export interface TopicPartitionInfo {
  readonly partition: number;
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
}

export interface TopicDescription {
  readonly name: string;
  readonly topicId: Uuid;
  readonly isInternal: boolean;
  readonly partitions: readonly TopicPartitionInfo[];
}

async function controller(cluster: Cluster): Promise<Connection> {
  const md = await cluster.metadataOnce([]);
  return md.controllerId >= 0 ? cluster.connectionTo(md.controllerId) : cluster.anyConnection();
}

const CONTROLLER_MOVED: ReadonlySet<number> = new Set([ErrorCode.NOT_CONTROLLER]);

function firstError(items: ReadonlyArray<{ name: string | null; errorCode: number; errorMessage: string | null }>, what: string): void {
  for (const i of items) {
    if (i.errorCode !== ErrorCode.NONE) throw new KafkaResponseError(i.errorCode, `${what} '${i.name ?? '?'}'`, i.errorMessage);
  }
}

export async function createTopics(cluster: Cluster, topics: readonly NewTopic[], options: TopicOperationOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const r = await cluster.retry(async () => {
    const conn = await controller(cluster);
    const res = await conn.send<CreateTopicsResponse>(ApiKey.CreateTopics, conn.versionFor(ApiKey.CreateTopics), {
      topics: topics.map((t) => ({
        name: t.name,
        numPartitions: t.replicasAssignment ? -1 : t.numPartitions ?? -1,
        replicationFactor: t.replicasAssignment ? -1 : t.replicationFactor ?? -1,
        assignments: (t.replicasAssignment ?? []).map((a) => ({ partitionIndex: a.partition, brokerIds: [...a.replicas] })),
        configs: Object.entries(t.configs ?? {}).map(([name, value]) => ({ name, value })),
      })),
      timeoutMs,
      validateOnly: options.validateOnly ?? false,
    }, { timeoutMs: timeoutMs + 5_000 });
    const moved = res.topics.find((t) => CONTROLLER_MOVED.has(t.errorCode));
    if (moved) throw new KafkaResponseError(moved.errorCode, 'CreateTopics');
    return res;
  });
  firstError(r.topics, 'CreateTopics');
  if (!options.validateOnly) await waitForLeaders(cluster, topics.map((t) => t.name), timeoutMs);
}

/** Waits until Metadata shows a leader for every partition of the topics (KafkaJS's waitForLeaders). */
async function waitForLeaders(cluster: Cluster, names: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const md = await cluster.metadataOnce(names);
    const ready = names.every((n) => {
      const t = md.topics.get(n);
      return t && t.errorCode === ErrorCode.NONE && t.partitions.length > 0 && t.partitions.every((p) => p.leaderId >= 0);
    });
    if (ready || performance.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function deleteTopics(cluster: Cluster, names: readonly string[], options: { timeoutMs?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const r = await cluster.retry(async () => {
    const conn = await controller(cluster);
    return conn.send<DeleteTopicsResponse>(ApiKey.DeleteTopics, conn.versionFor(ApiKey.DeleteTopics), {
      topics: names.map((name) => ({ name, topicId: ZERO_UUID })), topicNames: [...names], timeoutMs,
    }, { timeoutMs: timeoutMs + 5_000 });
  });
  firstError(r.responses, 'DeleteTopics');
}

export async function listTopics(cluster: Cluster, options: { listInternal?: boolean } = {}): Promise<string[]> {
  const md = await cluster.metadata(undefined);
  return [...md.topics.values()].filter((t) => options.listInternal || !t.isInternal).map((t) => t.name).sort();
}

export async function describeTopics(cluster: Cluster, names: readonly string[]): Promise<TopicDescription[]> {
  const md = await cluster.metadata(names);
  return names.map((name) => {
    const t = md.topics.get(name);
    if (!t || t.errorCode !== ErrorCode.NONE) throw new KafkaResponseError(t?.errorCode ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `describeTopics '${name}'`);
    return {
      name, topicId: t.topicId, isInternal: t.isInternal,
      partitions: t.partitions.map((p) => ({ partition: p.partition, leader: p.leaderId, leaderEpoch: p.leaderEpoch, replicas: p.replicas, isr: p.isr })),
    };
  });
}

export async function createPartitions(
  cluster: Cluster, requests: ReadonlyArray<{ topic: string; count: number; assignments?: ReadonlyArray<readonly number[]> }>, options: TopicOperationOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const r = await cluster.retry(async () => {
    const conn = await controller(cluster);
    return conn.send<CreatePartitionsResponse>(ApiKey.CreatePartitions, conn.versionFor(ApiKey.CreatePartitions), {
      topics: requests.map((q) => ({ name: q.topic, count: q.count, assignments: q.assignments ? q.assignments.map((b) => ({ brokerIds: [...b] })) : null })),
      timeoutMs, validateOnly: options.validateOnly ?? false,
    }, { timeoutMs: timeoutMs + 5_000 });
  });
  firstError(r.results, 'CreatePartitions');
  if (!options.validateOnly) await waitForLeaders(cluster, requests.map((q) => q.topic), timeoutMs);
}
