/**
 * InitProducerId with a transactional id (Kafka's TransactionCoordinator.handleInitProducerId and
 * prepareInitProducerIdTransit): a new id gets a producer id and epoch 0; a known idle one gets
 * its epoch bumped (a new producer id once the epoch is exhausted), which fences older instances;
 * an ongoing transaction is aborted first with a bumped epoch, and the client retries
 * (CONCURRENT_TRANSACTIONS) until its markers are written. v3+ may name the producer id and epoch
 * the client holds (KIP-360): a producer recovering from an error resumes with a bumped epoch.
 */
import { ErrorCode, type InitProducerIdRequest, type InitProducerIdResponse } from '../../protocol/index.js';
import type { CoordinatorResult, RequestContext } from '../runtime-api.js';
import { fenceAndAbort } from './completion.js';
import { lookup, sendMarkers, transit, type TxnEnv } from './env.js';
import {
  isEpochExhausted,
  NO_PARTITIONS,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  newTransactionMetadata,
  type TransactionMetadata,
} from './metadata.js';
import { fencedError } from './producer-check.js';
import { type TransactionRecord, TransactionState } from './shard-api.js';

type InitResult = CoordinatorResult<InitProducerIdResponse, TransactionRecord>;

interface ProducerIdAndEpoch {
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

function answer(errorCode: number, producerId = NO_PRODUCER_ID, producerEpoch = NO_PRODUCER_EPOCH): InitResult {
  return { records: [], response: { throttleTimeMs: 0, errorCode, producerId, producerEpoch } };
}

export function initProducerId(env: TxnEnv, ctx: RequestContext, req: InitProducerIdRequest): InitResult {
  const { transactionalId, transactionTimeoutMs } = req;
  // Idempotent producers (no transactional id) are answered by the handler; an empty id is invalid.
  if (transactionalId === null || transactionalId === '') return answer(ErrorCode.INVALID_REQUEST);
  if (transactionTimeoutMs <= 0 || transactionTimeoutMs > env.options.config.transactionMaxTimeoutMs) {
    return answer(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
  }
  const noId = req.producerId === NO_PRODUCER_ID;
  const noEpoch = req.producerEpoch === NO_PRODUCER_EPOCH;
  if (noId !== noEpoch) return answer(ErrorCode.INVALID_REQUEST);
  const expected: ProducerIdAndEpoch | undefined = noId ? undefined : { producerId: req.producerId, producerEpoch: req.producerEpoch };

  let current = lookup(env, transactionalId);
  let metadata = current;
  if (!metadata) {
    const producerId = env.options.producerIds.next();
    if (producerId === null) return answer(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    metadata = newTransactionMetadata(transactionalId, producerId, transactionTimeoutMs, env.options.clock.nowMs());
    current = undefined;
  }
  const fenced = fencedError(ctx.apiVersion, 4);
  if (expected && !isValidProducerId(metadata, expected)) return answer(fenced);

  switch (metadata.state) {
    case TransactionState.PrepareCommit:
    case TransactionState.PrepareAbort:
      return answer(ErrorCode.CONCURRENT_TRANSACTIONS);
    case TransactionState.Ongoing: {
      // The new epoch is never handed out: the client retries once the abort is complete and gets the next one.
      const { records, jobs } = fenceAndAbort(env, metadata);
      return { ...answer(ErrorCode.CONCURRENT_TRANSACTIONS), records, onDurable: sendMarkers(env, jobs) };
    }
    case TransactionState.Empty:
    case TransactionState.CompleteCommit:
    case TransactionState.CompleteAbort: {
      const next = nextProducer(env, metadata, expected, transactionTimeoutMs, fenced);
      if (typeof next === 'number') return answer(next);
      const record = transit(env, current, next);
      return { ...answer(ErrorCode.NONE, next.producerId, next.producerEpoch), records: [record] };
    }
    default:
      // Dead and PrepareEpochFence are never persisted by a coordinator.
      return answer(ErrorCode.INVALID_TXN_STATE);
  }
}

/**
 * Kafka fences the request's producer unless the metadata was just created (epoch -1), it names
 * the current producer id (its epoch is checked when bumping), or it names the previous producer
 * id with an exhausted epoch (a retry of the InitProducerId that moved to a new producer id).
 */
function isValidProducerId(metadata: TransactionMetadata, expected: ProducerIdAndEpoch): boolean {
  return metadata.producerEpoch === NO_PRODUCER_EPOCH
    || expected.producerId === metadata.producerId
    || (expected.producerId === metadata.previousProducerId && isEpochExhausted(expected.producerEpoch));
}

/** The Empty metadata after InitProducerId, or the error code. */
function nextProducer(
  env: TxnEnv,
  metadata: TransactionMetadata,
  expected: ProducerIdAndEpoch | undefined,
  txnTimeoutMs: number,
  fenced: number,
): TransactionMetadata | number {
  const nowMs = env.options.clock.nowMs();
  const empty = (producerId: bigint, producerEpoch: number, lastProducerEpoch: number): TransactionMetadata => ({
    ...metadata,
    producerId,
    previousProducerId: metadata.producerId,
    producerEpoch,
    lastProducerEpoch,
    txnTimeoutMs,
    state: TransactionState.Empty,
    partitions: NO_PARTITIONS,
    txnStartTimestamp: -1,
    txnLastUpdateTimestamp: nowMs,
  });
  if (isEpochExhausted(metadata.producerEpoch) && (!expected || expected.producerEpoch === metadata.producerEpoch)) {
    const producerId = env.options.producerIds.next();
    if (producerId === null) return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    return empty(producerId, 0, expected ? metadata.producerEpoch : NO_PRODUCER_EPOCH);
  }
  if (!expected) return empty(metadata.producerId, metadata.producerEpoch + 1, NO_PRODUCER_EPOCH);
  if (metadata.producerEpoch === NO_PRODUCER_EPOCH || expected.producerEpoch === metadata.producerEpoch) {
    return empty(metadata.producerId, metadata.producerEpoch + 1, metadata.producerEpoch);
  }
  // The client's epoch is the one before the last bump: a retry whose answer was lost gets the same epoch again.
  if (expected.producerEpoch === metadata.lastProducerEpoch) {
    return empty(metadata.producerId, metadata.producerEpoch, metadata.lastProducerEpoch);
  }
  return fenced;
}
