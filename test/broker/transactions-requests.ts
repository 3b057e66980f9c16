/**
 * Raw requests for the transaction coordinator's broker tests (FindCoordinator for transactional
 * ids, InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, EndTxn, DescribeTransactions,
 * ListTransactions) over the RawClient of raw-client.ts, and polling until the coordinator has
 * finished what it does in the background (markers, timeouts).
 */
import {
  type AddOffsetsToTxnResponse, type AddPartitionsToTxnResponse, ApiKey, type DescribeTransactionsResponse,
  type DescribeTransactionsResponseTransactionState, type EndTxnResponse, type InitProducerIdResponse, type ListTransactionsResponse,
} from '../../src/protocol/index.js';
import type { RawClient } from './raw-client.js';

/** The producer a transactional id was given. */
export interface Producer {
  readonly transactionalId: string;
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

export function initProducerId(
  client: RawClient, transactionalId: string | null, o: { timeoutMs?: number; version?: number; producerId?: bigint; producerEpoch?: number } = {},
): Promise<InitProducerIdResponse> {
  return client.request<InitProducerIdResponse>(ApiKey.InitProducerId, o.version ?? 4, {
    transactionalId, transactionTimeoutMs: o.timeoutMs ?? 60_000, producerId: o.producerId ?? -1n, producerEpoch: o.producerEpoch ?? -1,
  });
}

/** InitProducerId for a transactional id, retried while the coordinator is busy (loading, aborting a previous transaction). */
export async function initTransactions(client: RawClient, transactionalId: string, timeoutMs = 60_000): Promise<Producer> {
  const r = await eventually(async () => {
    const answer = await initProducerId(client, transactionalId, { timeoutMs });
    return answer.errorCode === 0 ? answer : undefined;
  }, `InitProducerId of ${transactionalId}`);
  return { transactionalId, producerId: r.producerId, producerEpoch: r.producerEpoch };
}

/** AddPartitionsToTxn v0-3 for one transaction: `topic-partition` → error code. */
export async function addPartitions(client: RawClient, p: Producer, topics: Record<string, number[]>, version = 3): Promise<Record<string, number>> {
  const r = await client.request<AddPartitionsToTxnResponse>(ApiKey.AddPartitionsToTxn, version, {
    transactions: [], v3AndBelowTransactionalId: p.transactionalId, v3AndBelowProducerId: p.producerId, v3AndBelowProducerEpoch: p.producerEpoch,
    v3AndBelowTopics: Object.entries(topics).map(([name, partitions]) => ({ name, partitions })),
  });
  return Object.fromEntries(r.resultsByTopicV3AndBelow.flatMap((t) => t.resultsByPartition.map((q) => [`${t.name}-${q.partitionIndex}`, q.partitionErrorCode])));
}

/** AddPartitionsToTxn v4: transactional id → `topic-partition` → error code. */
export async function addPartitionsBatch(
  client: RawClient, txns: { producer: Producer; topics: Record<string, number[]>; verifyOnly?: boolean }[],
): Promise<Record<string, Record<string, number>>> {
  const r = await client.request<AddPartitionsToTxnResponse>(ApiKey.AddPartitionsToTxn, 4, {
    v3AndBelowTransactionalId: '', v3AndBelowProducerId: 0n, v3AndBelowProducerEpoch: 0, v3AndBelowTopics: [],
    transactions: txns.map((t) => ({
      transactionalId: t.producer.transactionalId, producerId: t.producer.producerId, producerEpoch: t.producer.producerEpoch,
      verifyOnly: t.verifyOnly ?? false, topics: Object.entries(t.topics).map(([name, partitions]) => ({ name, partitions })),
    })),
  });
  return Object.fromEntries(r.resultsByTransaction.map((txn) => [
    txn.transactionalId,
    Object.fromEntries(txn.topicResults.flatMap((t) => t.resultsByPartition.map((q) => [`${t.name}-${q.partitionIndex}`, q.partitionErrorCode]))),
  ]));
}

export async function addOffsets(client: RawClient, p: Producer, groupId: string, version = 3): Promise<number> {
  const r = await client.request<AddOffsetsToTxnResponse>(ApiKey.AddOffsetsToTxn, version, {
    transactionalId: p.transactionalId, producerId: p.producerId, producerEpoch: p.producerEpoch, groupId,
  });
  return r.errorCode;
}

export async function endTxn(client: RawClient, p: Producer, committed: boolean, version = 3): Promise<number> {
  const r = await client.request<EndTxnResponse>(ApiKey.EndTxn, version, {
    transactionalId: p.transactionalId, producerId: p.producerId, producerEpoch: p.producerEpoch, committed,
  });
  return r.errorCode;
}

export async function describeTransactions(client: RawClient, transactionalIds: string[]): Promise<DescribeTransactionsResponseTransactionState[]> {
  const r = await client.request<DescribeTransactionsResponse>(ApiKey.DescribeTransactions, 0, { transactionalIds });
  return r.transactionStates;
}

export function listTransactions(
  client: RawClient, filters: { states?: string[]; producerIds?: bigint[]; durationMs?: bigint } = {}, version = 1,
): Promise<ListTransactionsResponse> {
  return client.request<ListTransactionsResponse>(ApiKey.ListTransactions, version, {
    stateFilters: filters.states ?? [], producerIdFilters: filters.producerIds ?? [], durationFilter: filters.durationMs ?? -1n,
  });
}

/** Polls `probe` until it answers something (not undefined); fails after 30 s. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until DescribeTransactions reports the transactional id in `state`; its description then. */
export function stateReached(client: RawClient, transactionalId: string, state: string): Promise<DescribeTransactionsResponseTransactionState> {
  return eventually(async () => {
    const [described] = await describeTransactions(client, [transactionalId]);
    return described?.transactionState === state ? described : undefined;
  }, `${transactionalId} to reach ${state}`);
}
