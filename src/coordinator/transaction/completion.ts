/**
 * Ending a transaction: Ongoing → PrepareCommit/PrepareAbort (the markers are then written by the
 * runtime) → CompleteCommit/CompleteAbort. Also the coordinator's own abort of a transaction whose
 * producer must be fenced (a new instance called InitProducerId, or the transaction timed out):
 * the epoch is bumped first so the old producer can no longer write or commit (Kafka's
 * PrepareEpochFence, which is never persisted: the PrepareAbort record carries the new epoch).
 */
import { markerJob, transit, type TxnEnv } from './env.js';
import { MAX_PRODUCER_EPOCH, NO_PARTITIONS, NO_PRODUCER_EPOCH, partitionList, type TransactionMetadata } from './metadata.js';
import { type MarkerJob, type TransactionRecord, TransactionState } from './shard-api.js';

export interface Completion {
  readonly records: TransactionRecord[];
  /** Markers to ask for once the records are durable. */
  readonly jobs: MarkerJob[];
}

/** Ongoing → Prepare*. A transaction without partitions has no markers to write: it completes in the same batch. */
export function prepareCompletion(env: TxnEnv, metadata: TransactionMetadata, committed: boolean): Completion {
  const prepared: TransactionMetadata = {
    ...metadata,
    state: committed ? TransactionState.PrepareCommit : TransactionState.PrepareAbort,
    txnLastUpdateTimestamp: env.options.clock.nowMs(),
  };
  const records = [transit(env, metadata, prepared)];
  if (partitionList(prepared.partitions).length === 0) return { records: [...records, complete(env, prepared)], jobs: [] };
  return { records, jobs: [markerJob(env, prepared)] };
}

/** Prepare* → Complete*: the markers are written, the transaction holds no partitions any more. */
export function complete(env: TxnEnv, metadata: TransactionMetadata): TransactionRecord {
  return transit(env, metadata, {
    ...metadata,
    state: metadata.state === TransactionState.PrepareCommit ? TransactionState.CompleteCommit : TransactionState.CompleteAbort,
    partitions: NO_PARTITIONS,
    txnLastUpdateTimestamp: env.options.clock.nowMs(),
  });
}

/** Bumps the epoch of an ongoing transaction's producer and aborts the transaction with it. */
export function fenceAndAbort(env: TxnEnv, metadata: TransactionMetadata): Completion {
  // An epoch at the maximum cannot be bumped (Kafka never lets an ongoing transaction reach it).
  const producerEpoch = Math.min(metadata.producerEpoch + 1, MAX_PRODUCER_EPOCH);
  return prepareCompletion(env, { ...metadata, producerEpoch, lastProducerEpoch: NO_PRODUCER_EPOCH }, false);
}
