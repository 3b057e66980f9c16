/**
 * Transactions as an operator sees them: list the transactional ids every coordinator holds
 * (ListTransactions to each broker), and describe some at their transaction coordinators
 * (FindCoordinator key type 1, then DescribeTransactions). Producer state per partition is in
 * describe-producers.ts.
 */
import { ApiKey, type DescribeTransactionsResponse, ErrorCode, type ListTransactionsResponse } from '../../protocol/index.js';
import type { Cluster } from '../cluster.js';
import { CoordinatorType } from '../coordinator.js';
import { KafkaResponseError, ProtocolViolationError, throwIfError } from '../errors.js';
import { findCoordinators } from './find-coordinators.js';
import { type TopicPartition, comparePartitions } from './types.js';

/** The states a transaction coordinator reports, by Kafka's names. */
export const TRANSACTION_STATES = [
  'Empty', 'Ongoing', 'PrepareCommit', 'PrepareAbort', 'CompleteCommit', 'CompleteAbort', 'PrepareEpochFence', 'Dead',
] as const;

export interface ListTransactionsOptions {
  /** Only transactions in one of these states (all when empty or undefined). */
  readonly states?: readonly string[];
  /** Only these producer ids (all when empty or undefined). */
  readonly producerIds?: readonly bigint[];
  /** Only transactions open longer than this; needs ListTransactions v1. Negative: no filter. */
  readonly durationFilterMs?: number;
}

export interface TransactionListing {
  readonly transactionalId: string;
  readonly producerId: bigint;
  readonly state: string;
  /** The broker that listed it, which coordinates it. */
  readonly coordinatorId: number;
}

export interface TransactionDescription {
  readonly transactionalId: string;
  readonly coordinatorId: number;
  readonly state: string;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly transactionTimeoutMs: number;
  /** When the open transaction began; null when none is open. */
  readonly transactionStartTimeMs: bigint | null;
  /** The partitions in the open transaction (or still waiting for markers), sorted. */
  readonly topicPartitions: readonly TopicPartition[];
}

/** Every transaction on every broker, merged and sorted by transactional id. */
export async function listTransactions(cluster: Cluster, options: ListTransactionsOptions = {}): Promise<TransactionListing[]> {
  const durationFilterMs = options.durationFilterMs ?? -1;
  const { brokers } = await cluster.metadata([]);
  const perBroker = await Promise.all(brokers.map((b) => cluster.retry(async () => {
    const conn = await cluster.connectionTo(b.nodeId);
    // The duration filter exists from v1; without one, any version answers the same.
    const version = conn.versionFor(ApiKey.ListTransactions, durationFilterMs >= 0 ? 1 : 0);
    const r = await conn.send<ListTransactionsResponse>(ApiKey.ListTransactions, version, {
      stateFilters: [...(options.states ?? [])],
      producerIdFilters: [...(options.producerIds ?? [])],
      durationFilter: BigInt(Math.trunc(durationFilterMs)),
    });
    throwIfError(r.errorCode, `ListTransactions on node ${b.nodeId}`);
    return r.transactionStates.map((t) => ({
      transactionalId: t.transactionalId, producerId: t.producerId, state: t.transactionState, coordinatorId: b.nodeId,
    }));
  })));
  return perBroker.flat().sort((a, b) =>
    (a.transactionalId < b.transactionalId ? -1 : a.transactionalId > b.transactionalId ? 1 : a.coordinatorId - b.coordinatorId));
}

/** Errors after which the transactional id is looked up again (or, loading, simply asked again). */
const TRY_AGAIN: ReadonlySet<number> = new Set([
  ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
]);

/**
 * Describes transactional ids at their coordinators, one DescribeTransactions per coordinator.
 * Ids whose coordinator moved or is loading are found and asked again (with backoff) while the
 * rest are kept; any other error (TRANSACTIONAL_ID_NOT_FOUND, an authorization failure) is
 * thrown. The answer follows the order of `transactionalIds`.
 */
export async function describeTransactions(cluster: Cluster, transactionalIds: readonly string[]): Promise<TransactionDescription[]> {
  const ids = [...new Set(transactionalIds)];
  if (ids.length === 0) return [];
  const done = new Map<string, TransactionDescription>();
  await cluster.retry(async () => {
    const pending = ids.filter((id) => !done.has(id));
    const found = await findCoordinators(await cluster.anyConnection(), pending, CoordinatorType.TRANSACTION);
    let again: KafkaResponseError | null = null;
    const byNode = new Map<number, string[]>();
    for (const id of pending) {
      const node = found.get(id)!;
      if (node instanceof KafkaResponseError) {
        if (!node.retriable) throw node;
        again ??= node;
        continue;
      }
      byNode.set(node.nodeId, [...(byNode.get(node.nodeId) ?? []), id]);
    }
    await Promise.all([...byNode].map(async ([nodeId, idsThere]) => {
      for (const result of await describeAt(cluster, nodeId, idsThere)) {
        if (result instanceof KafkaResponseError) again ??= result;
        else done.set(result.transactionalId, result);
      }
    }));
    if (again) throw again;
  });
  return transactionalIds.map((id) => done.get(id)!);
}

/** One DescribeTransactions; ids to try again come back as their (retriable) errors. */
async function describeAt(cluster: Cluster, nodeId: number, transactionalIds: string[]): Promise<(TransactionDescription | KafkaResponseError)[]> {
  const conn = await cluster.connectionTo(nodeId);
  const r = await conn.send<DescribeTransactionsResponse>(ApiKey.DescribeTransactions, conn.versionFor(ApiKey.DescribeTransactions), { transactionalIds });
  const byId = new Map(r.transactionStates.map((t) => [t.transactionalId, t]));
  return transactionalIds.map((id) => {
    const t = byId.get(id);
    if (!t) throw new ProtocolViolationError(`DescribeTransactions on node ${nodeId}: the answer leaves out ${JSON.stringify(id)}`);
    if (t.errorCode !== 0) {
      const error = new KafkaResponseError(t.errorCode, `DescribeTransactions for '${id}'`);
      if (!TRY_AGAIN.has(t.errorCode)) throw error;
      return error;
    }
    return {
      transactionalId: id,
      coordinatorId: nodeId,
      state: t.transactionState,
      producerId: t.producerId,
      producerEpoch: t.producerEpoch,
      transactionTimeoutMs: t.transactionTimeoutMs,
      transactionStartTimeMs: t.transactionStartTimeMs < 0n ? null : t.transactionStartTimeMs,
      topicPartitions: t.topics.flatMap((x) => x.partitions.map((partition) => ({ topic: x.topic, partition }))).sort(comparePartitions),
    };
  });
}
