/**
 * AddPartitionsToTxn and AddOffsetsToTxn (Kafka's handleAddPartitionsToTransaction and, for v4+
 * VerifyOnly transactions sent by brokers, handleVerifyPartitionsInTransaction). Adding the first
 * partitions starts the transaction (Ongoing, start timestamp now); partitions already in it are
 * answered at once without a record.
 */
import {
  type AddOffsetsToTxnRequest,
  type AddOffsetsToTxnResponse,
  type AddPartitionsToTxnRequest,
  type AddPartitionsToTxnRequestAddPartitionsToTxnTransaction,
  type AddPartitionsToTxnResponse,
  type AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult,
  ErrorCode,
} from '../../protocol/index.js';
import type { CoordinatorResult, RequestContext } from '../runtime-api.js';
import { lookup, transit, type TxnEnv } from './env.js';
import { canTransition, containsAll, isIdle, isPrepare, partitionsOf, type TxnPartitions, union } from './metadata.js';
import { checkProducer, fencedError } from './producer-check.js';
import { type TransactionRecord, TransactionState } from './shard-api.js';

/** The topic AddOffsetsToTxn adds a partition of. */
export const CONSUMER_OFFSETS_TOPIC = '__consumer_offsets';

type TopicResult = AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult;

interface AddOutcome {
  readonly records: TransactionRecord[];
  readonly errorCode: number;
}

/** Adds the partitions to the transaction, or the error code for all of them. */
function addToTransaction(
  env: TxnEnv,
  fenced: number,
  transactionalId: string,
  producerId: bigint,
  producerEpoch: number,
  partitions: TxnPartitions,
): AddOutcome {
  const fail = (errorCode: number): AddOutcome => ({ records: [], errorCode });
  if (transactionalId === '') return fail(ErrorCode.INVALID_REQUEST);
  const metadata = lookup(env, transactionalId);
  const producerError = checkProducer(metadata, producerId, producerEpoch, fenced);
  if (producerError !== ErrorCode.NONE || !metadata) return fail(producerError);
  if (isPrepare(metadata.state)) return fail(ErrorCode.CONCURRENT_TRANSACTIONS);
  if (metadata.state === TransactionState.Ongoing && containsAll(metadata.partitions, partitions)) return fail(ErrorCode.NONE);
  if (!canTransition(metadata.state, TransactionState.Ongoing)) return fail(ErrorCode.INVALID_TXN_STATE);
  const nowMs = env.options.clock.nowMs();
  const record = transit(env, metadata, {
    ...metadata,
    state: TransactionState.Ongoing,
    partitions: union(metadata.partitions, partitions),
    txnStartTimestamp: isIdle(metadata.state) ? nowMs : metadata.txnStartTimestamp,
    txnLastUpdateTimestamp: nowMs,
  });
  return { records: [record], errorCode: ErrorCode.NONE };
}

function topicResults(partitions: TxnPartitions, errorFor: (topic: string, partition: number) => number): TopicResult[] {
  return [...partitions].map(([name, ids]) => ({
    name,
    resultsByPartition: ids.map((partitionIndex) => ({ partitionIndex, partitionErrorCode: errorFor(name, partitionIndex) })),
  }));
}

/** Partitions that do not exist fail the whole transaction: they get UNKNOWN_TOPIC_OR_PARTITION, the rest OPERATION_NOT_ATTEMPTED. */
function unknownPartitionResults(env: TxnEnv, partitions: TxnPartitions): TopicResult[] | undefined {
  const exists = env.options.partitionExists;
  const isUnknown = (topic: string, partition: number): boolean => topic === '' || partition < 0 || (exists !== undefined && !exists(topic, partition));
  const anyUnknown = [...partitions].some(([topic, ids]) => ids.some((p) => isUnknown(topic, p)));
  if (!anyUnknown) return undefined;
  return topicResults(partitions, (topic, p) => (isUnknown(topic, p) ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.OPERATION_NOT_ATTEMPTED));
}

/** One transaction of the request: its records and per-partition results. */
function handleTransaction(
  env: TxnEnv,
  apiVersion: number,
  txn: AddPartitionsToTxnRequestAddPartitionsToTxnTransaction,
): { records: TransactionRecord[]; topicResults: TopicResult[] } {
  const partitions = partitionsOf(txn.topics);
  const unknown = unknownPartitionResults(env, partitions);
  if (unknown) return { records: [], topicResults: unknown };
  if (txn.verifyOnly) return { records: [], topicResults: verifyPartitions(env, txn, partitions) };
  const { records, errorCode } = addToTransaction(env, fencedError(apiVersion, 2), txn.transactionalId, txn.producerId, txn.producerEpoch, partitions);
  return { records, topicResults: topicResults(partitions, () => errorCode) };
}

/** VerifyOnly (a broker checking a transactional produce): NONE for partitions in the transaction, TRANSACTION_ABORTABLE for the others. */
function verifyPartitions(env: TxnEnv, txn: AddPartitionsToTxnRequestAddPartitionsToTxnTransaction, partitions: TxnPartitions): TopicResult[] {
  if (txn.transactionalId === '') return topicResults(partitions, () => ErrorCode.INVALID_REQUEST);
  const metadata = lookup(env, txn.transactionalId);
  const producerError = checkProducer(metadata, txn.producerId, txn.producerEpoch, ErrorCode.PRODUCER_FENCED);
  if (producerError !== ErrorCode.NONE || !metadata) return topicResults(partitions, () => producerError);
  if (isPrepare(metadata.state)) return topicResults(partitions, () => ErrorCode.CONCURRENT_TRANSACTIONS);
  return topicResults(partitions, (topic, p) => (metadata.partitions.get(topic)?.includes(p) ? ErrorCode.NONE : ErrorCode.TRANSACTION_ABORTABLE));
}

export function addPartitionsToTxn(
  env: TxnEnv,
  ctx: RequestContext,
  req: AddPartitionsToTxnRequest,
): CoordinatorResult<AddPartitionsToTxnResponse, TransactionRecord> {
  if (ctx.apiVersion < 4) {
    const { records, topicResults: results } = handleTransaction(env, ctx.apiVersion, {
      transactionalId: req.v3AndBelowTransactionalId,
      producerId: req.v3AndBelowProducerId,
      producerEpoch: req.v3AndBelowProducerEpoch,
      verifyOnly: false,
      topics: req.v3AndBelowTopics,
    });
    return { records, response: { throttleTimeMs: 0, errorCode: ErrorCode.NONE, resultsByTransaction: [], resultsByTopicV3AndBelow: results } };
  }
  const records: TransactionRecord[] = [];
  const resultsByTransaction = req.transactions.map((txn) => {
    const result = handleTransaction(env, ctx.apiVersion, txn);
    records.push(...result.records);
    return { transactionalId: txn.transactionalId, topicResults: result.topicResults };
  });
  return { records, response: { throttleTimeMs: 0, errorCode: ErrorCode.NONE, resultsByTransaction, resultsByTopicV3AndBelow: [] } };
}

export function addOffsetsToTxn(
  env: TxnEnv,
  ctx: RequestContext,
  req: AddOffsetsToTxnRequest,
): CoordinatorResult<AddOffsetsToTxnResponse, TransactionRecord> {
  const partitions = new Map([[CONSUMER_OFFSETS_TOPIC, [env.options.offsetsPartitionFor(req.groupId)]]]);
  const { records, errorCode } = addToTransaction(env, fencedError(ctx.apiVersion, 2), req.transactionalId, req.producerId, req.producerEpoch, partitions);
  return { records, response: { throttleTimeMs: 0, errorCode } };
}
