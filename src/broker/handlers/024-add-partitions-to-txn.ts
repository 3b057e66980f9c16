/**
 * AddPartitionsToTxn (24), v0-4. v0-3 (from producers) name one transaction in the
 * V3AndBelow fields; v4 (from brokers) batch several, each possibly VerifyOnly. A transaction
 * naming a partition the cluster does not have is not attempted: those partitions get
 * UNKNOWN_TOPIC_OR_PARTITION and the others OPERATION_NOT_ATTEMPTED (as Kafka). The rest go to
 * the shards owning their transactional ids, one call per shard; a shard that cannot run it (not
 * here, loading, the write failed) gives its transactions' partitions that error.
 */
import {
  type AddPartitionsToTxnRequest, type AddPartitionsToTxnRequestAddPartitionsToTxnTransaction as TxnRequest, type AddPartitionsToTxnResponse,
  type AddPartitionsToTxnResponseAddPartitionsToTxnResult as TxnResult, ApiKey, ErrorCode,
} from '../../protocol/index.js';
import type { RequestContext } from '../../coordinator/runtime-api.js';
import type { BrokerServices } from '../services.js';
import { defineHandler } from './api-handler.js';
import { mapResponse, transactionRequestContext } from './transaction-support.js';

/** Every partition of the transaction answered with one error code (Kafka's errorResponseForTransaction). */
function resultForAll(txn: TxnRequest, errorCode: number): TxnResult {
  return {
    transactionalId: txn.transactionalId,
    topicResults: txn.topics.map((t) => ({ name: t.name, resultsByPartition: t.partitions.map((partitionIndex) => ({ partitionIndex, partitionErrorCode: errorCode })) })),
  };
}

/** UNKNOWN_TOPIC_OR_PARTITION for partitions the cluster lacks and OPERATION_NOT_ATTEMPTED for the rest, or null when all exist. */
function missingPartitionsResult(services: BrokerServices, txn: TxnRequest): TxnResult | null {
  const topics = services.metadata.image.topicsByName;
  const exists = (topic: string, partition: number) => topics.get(topic)?.partitions.has(partition) ?? false;
  if (txn.topics.every((t) => t.partitions.every((p) => exists(t.name, p)))) return null;
  return {
    transactionalId: txn.transactionalId,
    topicResults: txn.topics.map((t) => ({
      name: t.name,
      resultsByPartition: t.partitions.map((partitionIndex) => ({
        partitionIndex,
        partitionErrorCode: exists(t.name, partitionIndex) ? ErrorCode.OPERATION_NOT_ATTEMPTED : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      })),
    })),
  };
}

/** The shard's answer as one result per transaction asked about, in order. */
function resultsOf(apiVersion: number, txns: readonly TxnRequest[], answer: AddPartitionsToTxnResponse): TxnResult[] {
  if (apiVersion < 4) return [{ transactionalId: txns[0]!.transactionalId, topicResults: answer.resultsByTopicV3AndBelow }];
  const byId = new Map(answer.resultsByTransaction.map((r) => [r.transactionalId, r]));
  return txns.map((txn) => byId.get(txn.transactionalId) ?? resultForAll(txn, ErrorCode.UNKNOWN_SERVER_ERROR));
}

/** The transactions of one shard, through the shard's addPartitionsToTxn at the request's version. */
function onShard(services: BrokerServices, ctx: RequestContext, body: AddPartitionsToTxnRequest, txns: readonly TxnRequest[]): Promise<TxnResult[]> {
  const request: AddPartitionsToTxnRequest = ctx.apiVersion < 4 ? body : { ...body, transactions: [...txns] };
  return services.transactionCoordinator.write(
    txns[0]!.transactionalId,
    (shard) => mapResponse(shard.addPartitionsToTxn(ctx, request), (answer) => resultsOf(ctx.apiVersion, txns, answer)),
    (errorCode) => txns.map((txn) => resultForAll(txn, errorCode)),
  );
}

export const addPartitionsToTxnHandler = defineHandler<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse>({
  apiKey: ApiKey.AddPartitionsToTxn,
  versions: { min: 0, max: 4 },
  async handle({ body, apiVersion, services, request }) {
    const ctx = transactionRequestContext(request, apiVersion);
    const txns: TxnRequest[] = apiVersion < 4
      ? [{ transactionalId: body.v3AndBelowTransactionalId, producerId: body.v3AndBelowProducerId, producerEpoch: body.v3AndBelowProducerEpoch, verifyOnly: false, topics: body.v3AndBelowTopics }]
      : body.transactions;
    const results = new Map<TxnRequest, TxnResult>();
    const toShards: TxnRequest[] = [];
    for (const txn of txns) {
      const refused = missingPartitionsResult(services, txn) ?? (txn.transactionalId === '' ? resultForAll(txn, ErrorCode.INVALID_REQUEST) : null);
      if (refused) results.set(txn, refused);
      else toShards.push(txn);
    }
    const byShard = services.transactionCoordinator.byPartition(toShards, (txn) => txn.transactionalId);
    await Promise.all([...byShard.values()].map(async (list) => {
      const answers = await onShard(services, ctx, body, list);
      list.forEach((txn, i) => results.set(txn, answers[i]!));
    }));
    const ordered = txns.map((txn) => results.get(txn)!);
    if (apiVersion < 4) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, resultsByTransaction: [], resultsByTopicV3AndBelow: ordered[0]!.topicResults };
    }
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, resultsByTransaction: ordered, resultsByTopicV3AndBelow: [] };
  },
});
