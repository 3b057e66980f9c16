/**
 * EndTxn (Kafka's TransactionCoordinator.endTransaction, transactions v1: the epoch stays) and
 * the completion the runtime asks for once a transaction's markers are written.
 */
import { type EndTxnRequest, type EndTxnResponse, ErrorCode } from '../../protocol/index.js';
import type { CoordinatorResult, RequestContext } from '../runtime-api.js';
import { complete, prepareCompletion } from './completion.js';
import { lookup, sendMarkers, type TxnEnv } from './env.js';
import { isPrepare, NO_PRODUCER_EPOCH, NO_PRODUCER_ID, type TransactionMetadata } from './metadata.js';
import { checkProducer, fencedError } from './producer-check.js';
import { type TransactionRecord, TransactionState } from './shard-api.js';

type EndTxnResult = CoordinatorResult<EndTxnResponse, TransactionRecord>;

function answer(errorCode: number, metadata?: TransactionMetadata): EndTxnResult {
  return {
    records: [],
    response: {
      throttleTimeMs: 0,
      errorCode,
      producerId: metadata?.producerId ?? NO_PRODUCER_ID,
      producerEpoch: metadata?.producerEpoch ?? NO_PRODUCER_EPOCH,
    },
  };
}

export function endTxn(env: TxnEnv, ctx: RequestContext, req: EndTxnRequest): EndTxnResult {
  if (req.transactionalId === '') return answer(ErrorCode.INVALID_REQUEST);
  const metadata = lookup(env, req.transactionalId);
  const producerError = checkProducer(metadata, req.producerId, req.producerEpoch, fencedError(ctx.apiVersion, 2));
  if (producerError !== ErrorCode.NONE || !metadata) return answer(producerError);
  const commit = req.committed;
  switch (metadata.state) {
    case TransactionState.Ongoing: {
      const { records, jobs } = prepareCompletion(env, metadata, commit);
      return { ...answer(ErrorCode.NONE, metadata), records, onDurable: sendMarkers(env, jobs) };
    }
    // A retry of an EndTxn whose answer was lost: the same outcome is a success.
    case TransactionState.CompleteCommit:
      return commit ? answer(ErrorCode.NONE, metadata) : answer(ErrorCode.INVALID_TXN_STATE);
    case TransactionState.CompleteAbort:
      return commit ? answer(ErrorCode.INVALID_TXN_STATE) : answer(ErrorCode.NONE, metadata);
    // Still writing the markers of the same outcome: the client retries.
    case TransactionState.PrepareCommit:
      return answer(commit ? ErrorCode.CONCURRENT_TRANSACTIONS : ErrorCode.INVALID_TXN_STATE);
    case TransactionState.PrepareAbort:
      return answer(commit ? ErrorCode.INVALID_TXN_STATE : ErrorCode.CONCURRENT_TRANSACTIONS);
    default:
      // Empty: no transaction to end (and the states Kafka never persists).
      return answer(ErrorCode.INVALID_TXN_STATE);
  }
}

/** Prepare* of that producer id and epoch → Complete*; nothing when the transaction moved on. */
export function completeTransaction(env: TxnEnv, transactionalId: string, producerId: bigint, producerEpoch: number): CoordinatorResult<void, TransactionRecord> {
  const metadata = lookup(env, transactionalId);
  if (!metadata || !isPrepare(metadata.state) || metadata.producerId !== producerId || metadata.producerEpoch !== producerEpoch) {
    return { records: [], response: undefined };
  }
  return { records: [complete(env, metadata)], response: undefined };
}
