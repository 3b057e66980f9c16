/**
 * What the transaction coordinator's operations share: the shard's options and its transactional
 * ids, and the one way to change an id's metadata (`transit`: checked against Kafka's state
 * machine, stored, and returned as the record to persist).
 */
import { canTransition, type TransactionMetadata, isPrepare, partitionList } from './metadata.js';
import { transactionRecord } from './records.js';
import { type MarkerJob, TRANSACTION_STATE_NAMES, type TransactionRecord, type TransactionShardOptions, TransactionState } from './shard-api.js';

export interface TxnEnv {
  readonly options: TransactionShardOptions;
  readonly transactions: Map<string, TransactionMetadata>;
}

/** The id's metadata; a Dead one (only ever met in a replayed log) counts as absent, as in Kafka. */
export function lookup(env: TxnEnv, transactionalId: string): TransactionMetadata | undefined {
  const metadata = env.transactions.get(transactionalId);
  return metadata && metadata.state !== TransactionState.Dead ? metadata : undefined;
}

/**
 * Moves an id to `next` and returns its record. `current` is undefined for a new id. A transition
 * Kafka's state machine forbids is a bug in the caller: it throws (the runtime reloads the shard).
 * This coordinator speaks transactions v1 only (EndTxn up to v4), so every transition it makes
 * is recorded with client transaction version 0, as Kafka records those.
 */
export function transit(env: TxnEnv, current: TransactionMetadata | undefined, next: TransactionMetadata): TransactionRecord {
  const from = current?.state ?? TransactionState.Empty;
  if (!canTransition(from, next.state)) {
    throw new Error(`transactional id ${next.transactionalId}: no transition from ${TRANSACTION_STATE_NAMES[from]} to ${TRANSACTION_STATE_NAMES[next.state]}`);
  }
  const stored: TransactionMetadata = { ...next, clientTransactionVersion: 0 };
  env.transactions.set(stored.transactionalId, stored);
  return transactionRecord(stored);
}

/** The markers a Prepare* transaction needs written. */
export function markerJob(env: TxnEnv, metadata: TransactionMetadata): MarkerJob {
  if (!isPrepare(metadata.state)) throw new Error(`transactional id ${metadata.transactionalId} is not preparing to complete`);
  return {
    transactionalId: metadata.transactionalId,
    producerId: metadata.producerId,
    producerEpoch: metadata.producerEpoch,
    coordinatorEpoch: env.options.coordinatorEpoch,
    committed: metadata.state === TransactionState.PrepareCommit,
    partitions: partitionList(metadata.partitions),
  };
}

/** An onDurable that hands the jobs to the marker channel (undefined when there are none). */
export function sendMarkers(env: TxnEnv, jobs: readonly MarkerJob[]): (() => void) | undefined {
  if (jobs.length === 0) return undefined;
  return () => {
    for (const job of jobs) env.options.markers.send(job);
  };
}
