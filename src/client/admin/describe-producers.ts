/**
 * DescribeProducers: the idempotent and transactional producers a partition remembers (epoch,
 * last sequence, the offset where an open transaction began), asked of the partition's leader or
 * of one chosen replica.
 */
import { ApiKey, type DescribeProducersResponse, type DescribeProducersResponsePartitionResponse, ErrorCode } from '../../protocol/index.js';
import type { Cluster } from '../cluster.js';
import { KafkaResponseError, ProtocolViolationError } from '../errors.js';
import { resolvePartitions } from './list-offsets.js';
import { type TopicPartition, byTopic, comparePartitions, partitionKey } from './types.js';

export interface ProducerState {
  readonly producerId: bigint;
  readonly producerEpoch: number;
  /** -1 before any sequenced batch. */
  readonly lastSequence: number;
  readonly lastTimestamp: bigint;
  /** The coordinator epoch of the last marker this producer got; null before any. */
  readonly coordinatorEpoch: number | null;
  /** The first offset of the producer's open transaction; null when none is open. */
  readonly currentTransactionStartOffset: bigint | null;
}

export interface PartitionProducerState extends TopicPartition {
  readonly activeProducers: readonly ProducerState[];
}

export interface DescribeProducersOptions {
  /** Ask this broker (any replica) instead of each partition's leader; then a missing replica is an error, not a retry. */
  readonly brokerId?: number;
}

/**
 * Producer state per partition, sorted by topic and partition. A leader that moved
 * (NOT_LEADER_OR_FOLLOWER) or a partition the broker does not know yet is asked again after a
 * metadata refresh; other errors are thrown.
 */
export async function describeProducers(
  cluster: Cluster, topicPartitions: readonly TopicPartition[], options: DescribeProducersOptions = {},
): Promise<PartitionProducerState[]> {
  const partitions = [...new Map(topicPartitions.map((tp) => [partitionKey(tp), { topic: tp.topic, partition: tp.partition }])).values()]
    .sort(comparePartitions);
  if (partitions.length === 0) return [];
  const done = new Map<string, PartitionProducerState>();
  // An error that is retriable by its code but final here (a chosen broker without the replica) is returned, not thrown.
  const fatal = await cluster.retry(async () => {
    const pending = partitions.filter((tp) => !done.has(partitionKey(tp)));
    const md = await cluster.metadataOnce([...new Set(pending.map((tp) => tp.topic))]);
    resolvePartitions(md, pending.map((tp) => ({ topic: tp.topic, partitions: [tp.partition] })));
    const byBroker = new Map<number, TopicPartition[]>();
    for (const tp of pending) {
      const brokerId = options.brokerId ?? md.topics.get(tp.topic)!.partitions.find((p) => p.partition === tp.partition)!.leaderId;
      if (brokerId < 0) throw new KafkaResponseError(ErrorCode.LEADER_NOT_AVAILABLE, `DescribeProducers for ${tp.topic}-${tp.partition}`);
      byBroker.set(brokerId, [...(byBroker.get(brokerId) ?? []), tp]);
    }
    let again: KafkaResponseError | null = null;
    let final: KafkaResponseError | null = null;
    await Promise.all([...byBroker].map(async ([brokerId, tps]) => {
      for (const result of await describeOn(cluster, brokerId, tps)) {
        if (!(result instanceof KafkaResponseError)) done.set(partitionKey(result), result);
        else if (options.brokerId !== undefined && result.errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER) final ??= result;
        else again ??= result;
      }
    }));
    if (final) return final;
    if (again) throw again;
    return null;
  });
  if (fatal) throw fatal;
  return partitions.map((tp) => done.get(partitionKey(tp))!);
}

const TRY_AGAIN: ReadonlySet<number> = new Set([ErrorCode.NOT_LEADER_OR_FOLLOWER, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);

/** One DescribeProducers; partitions to try again come back as their errors, others are thrown. */
async function describeOn(cluster: Cluster, brokerId: number, tps: readonly TopicPartition[]): Promise<(PartitionProducerState | KafkaResponseError)[]> {
  const conn = await cluster.connectionTo(brokerId);
  const r = await conn.send<DescribeProducersResponse>(ApiKey.DescribeProducers, conn.versionFor(ApiKey.DescribeProducers), {
    topics: [...byTopic(tps)].map(([name, ps]) => ({ name, partitionIndexes: ps.map((p) => p.partition) })),
  });
  const answers = new Map<string, DescribeProducersResponsePartitionResponse>();
  for (const t of r.topics) for (const p of t.partitions) answers.set(partitionKey({ topic: t.name, partition: p.partitionIndex }), p);
  return tps.map((tp) => {
    const context = `DescribeProducers for ${tp.topic}-${tp.partition} on node ${brokerId}`;
    const p = answers.get(partitionKey(tp));
    if (!p) throw new ProtocolViolationError(`${context}: the answer leaves the partition out`);
    if (p.errorCode !== 0) {
      const error = new KafkaResponseError(p.errorCode, context, p.errorMessage);
      if (!TRY_AGAIN.has(p.errorCode)) throw error;
      return error;
    }
    return {
      ...tp,
      activeProducers: p.activeProducers.map((s) => ({
        producerId: s.producerId,
        producerEpoch: s.producerEpoch,
        lastSequence: s.lastSequence,
        lastTimestamp: s.lastTimestamp,
        coordinatorEpoch: s.coordinatorEpoch < 0 ? null : s.coordinatorEpoch,
        currentTransactionStartOffset: s.currentTxnStartOffset < 0n ? null : s.currentTxnStartOffset,
      })),
    };
  });
}
