/**
 * What the transaction coordinator knows of one transactional id (Kafka's TransactionMetadata):
 * an immutable value replaced on every transition, the states a transition may come from, and
 * the transaction's partitions as topic → partition ids (in the order they were added).
 */
import { TransactionState, type TxnPartition } from './shard-api.js';

/** RecordBatch.NO_PRODUCER_ID / NO_PRODUCER_EPOCH. */
export const NO_PRODUCER_ID = -1n;
export const NO_PRODUCER_EPOCH = -1;
/** Short.MAX_VALUE: the largest epoch a batch can carry. */
export const MAX_PRODUCER_EPOCH = 32767;

/** An epoch this high leaves no room for another bump: InitProducerId moves to a new producer id. */
export function isEpochExhausted(producerEpoch: number): boolean {
  return producerEpoch >= MAX_PRODUCER_EPOCH - 1;
}

/** Topic → partition ids of a transaction. */
export type TxnPartitions = ReadonlyMap<string, readonly number[]>;

export const NO_PARTITIONS: TxnPartitions = new Map();

export interface TransactionMetadata {
  readonly transactionalId: string;
  readonly producerId: bigint;
  /** The producer id before the last InitProducerId (a retry after a rotation still matches). */
  readonly previousProducerId: bigint;
  /** Transactions v2 only (never set by this coordinator, kept from the log). */
  readonly nextProducerId: bigint;
  readonly producerEpoch: number;
  /** The epoch before the last bump, in memory only (KIP-360 retries); -1 after a load. */
  readonly lastProducerEpoch: number;
  readonly txnTimeoutMs: number;
  readonly state: TransactionState;
  readonly partitions: TxnPartitions;
  /** When the transaction began (its first AddPartitions); -1 when none has. */
  readonly txnStartTimestamp: number;
  readonly txnLastUpdateTimestamp: number;
  readonly clientTransactionVersion: number;
}

/** The states a transition to each state may start from (Kafka's validPreviousStates). */
const VALID_PREVIOUS_STATES: Readonly<Record<TransactionState, readonly TransactionState[]>> = {
  [TransactionState.Empty]: [TransactionState.Empty, TransactionState.CompleteCommit, TransactionState.CompleteAbort],
  [TransactionState.Ongoing]: [TransactionState.Ongoing, TransactionState.Empty, TransactionState.CompleteCommit, TransactionState.CompleteAbort],
  [TransactionState.PrepareCommit]: [TransactionState.Ongoing],
  [TransactionState.PrepareAbort]: [TransactionState.Ongoing, TransactionState.PrepareEpochFence],
  [TransactionState.CompleteCommit]: [TransactionState.PrepareCommit],
  [TransactionState.CompleteAbort]: [TransactionState.PrepareAbort],
  [TransactionState.Dead]: [TransactionState.Empty, TransactionState.CompleteCommit, TransactionState.CompleteAbort],
  [TransactionState.PrepareEpochFence]: [TransactionState.Ongoing],
};

export function canTransition(from: TransactionState, to: TransactionState): boolean {
  return VALID_PREVIOUS_STATES[to].includes(from);
}

export function isPrepare(state: TransactionState): boolean {
  return state === TransactionState.PrepareCommit || state === TransactionState.PrepareAbort;
}

/** Empty, CompleteCommit, CompleteAbort: no transaction running, the id may expire. */
export function isIdle(state: TransactionState): boolean {
  return state === TransactionState.Empty || state === TransactionState.CompleteCommit || state === TransactionState.CompleteAbort;
}

/** A transactional id seen for the first time, before its first InitProducerId transition. */
export function newTransactionMetadata(transactionalId: string, producerId: bigint, txnTimeoutMs: number, nowMs: number): TransactionMetadata {
  return {
    transactionalId,
    producerId,
    previousProducerId: NO_PRODUCER_ID,
    nextProducerId: NO_PRODUCER_ID,
    producerEpoch: NO_PRODUCER_EPOCH,
    lastProducerEpoch: NO_PRODUCER_EPOCH,
    txnTimeoutMs,
    state: TransactionState.Empty,
    partitions: NO_PARTITIONS,
    txnStartTimestamp: -1,
    txnLastUpdateTimestamp: nowMs,
    clientTransactionVersion: 0,
  };
}

/** Deduplicated, in request order. */
export function partitionsOf(topics: readonly { readonly name: string; readonly partitions: readonly number[] }[]): TxnPartitions {
  const out = new Map<string, number[]>();
  for (const topic of topics) {
    const ids = out.get(topic.name) ?? [];
    for (const p of topic.partitions) if (!ids.includes(p)) ids.push(p);
    out.set(topic.name, ids);
  }
  return out;
}

export function containsAll(partitions: TxnPartitions, added: TxnPartitions): boolean {
  for (const [topic, ids] of added) {
    const have = partitions.get(topic);
    if (ids.length > 0 && (!have || ids.some((p) => !have.includes(p)))) return false;
  }
  return true;
}

export function union(partitions: TxnPartitions, added: TxnPartitions): TxnPartitions {
  const out = new Map<string, number[]>([...partitions].map(([topic, ids]) => [topic, [...ids]]));
  for (const [topic, ids] of added) {
    if (ids.length === 0) continue;
    const have = out.get(topic) ?? [];
    for (const p of ids) if (!have.includes(p)) have.push(p);
    out.set(topic, have);
  }
  return out;
}

export function partitionList(partitions: TxnPartitions): TxnPartition[] {
  return [...partitions].flatMap(([topic, ids]) => ids.map((partition) => ({ topic, partition })));
}
