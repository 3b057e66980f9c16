/**
 * The contract between a transaction coordinator shard (one per `__transaction_state`
 * partition, a deterministic state machine) and the broker runtime that drives it (see
 * ../runtime-api.ts: records persisted as one batch before the response is released).
 *
 * Kafka's transaction coordinator, as state per transactional id: producer id and epoch, the
 * transaction's partitions, its state (Empty, Ongoing, PrepareCommit, PrepareAbort,
 * CompleteCommit, CompleteAbort, Dead, PrepareEpochFence), persisted as TransactionLog records.
 *
 * What the shard cannot do itself it asks of its options: new producer ids (`producerIds`, from
 * blocks the broker prefetches from the controller) and the transaction markers (`markers`):
 * once a Prepare* record is durable the shard hands the runtime a MarkerJob; the runtime writes
 * the markers to every partition of the transaction and then calls `completeTransaction`, whose
 * Complete* record ends it.
 */
import type { Clock } from '../../common/clock.js';
import type {
  AddOffsetsToTxnRequest,
  AddOffsetsToTxnResponse,
  AddPartitionsToTxnRequest,
  AddPartitionsToTxnResponse,
  DescribeTransactionsResponseTransactionState,
  EndTxnRequest,
  EndTxnResponse,
  InitProducerIdRequest,
  InitProducerIdResponse,
  ListTransactionsResponseTransactionState,
  transactionRecords,
} from '../../protocol/index.js';
import type { CoordinatorResult, CoordinatorShard, CoordinatorTimer, RequestContext } from '../runtime-api.js';

/** Kafka's TransactionState ids, as stored in TransactionLogValue.transactionStatus. */
export const TransactionState = {
  Empty: 0,
  Ongoing: 1,
  PrepareCommit: 2,
  PrepareAbort: 3,
  CompleteCommit: 4,
  CompleteAbort: 5,
  Dead: 6,
  PrepareEpochFence: 7,
} as const;
export type TransactionState = (typeof TransactionState)[keyof typeof TransactionState];

/** The name DescribeTransactions/ListTransactions report for a state (Kafka's TransactionState.name). */
export const TRANSACTION_STATE_NAMES: Readonly<Record<TransactionState, string>> = {
  0: 'Empty',
  1: 'Ongoing',
  2: 'PrepareCommit',
  3: 'PrepareAbort',
  4: 'CompleteCommit',
  5: 'CompleteAbort',
  6: 'Dead',
  7: 'PrepareEpochFence',
};

/** One record of `__transaction_state`: a transactional id's metadata, or its tombstone (expired id). */
export interface TransactionRecord {
  readonly type: 'TransactionLog';
  readonly key: { readonly transactionalId: string };
  readonly value: transactionRecords.TransactionLogValue | null;
}

/** Broker configs the transaction coordinator reads (Kafka's names in camelCase, Kafka's defaults). */
export interface TransactionCoordinatorConfig {
  /** transaction.max.timeout.ms (900000): larger timeouts get INVALID_TRANSACTION_TIMEOUT. */
  readonly transactionMaxTimeoutMs: number;
  /** transactional.id.expiration.ms (604800000): idle ids (Empty/Complete*) are removed after this. */
  readonly transactionalIdExpirationMs: number;
  /** transaction.abort.timed.out.transaction.cleanup.interval.ms (10000). */
  readonly abortTimedOutTransactionCleanupIntervalMs: number;
  /** transaction.remove.expired.transaction.cleanup.interval.ms (3600000). */
  readonly removeExpiredTransactionalIdCleanupIntervalMs: number;
}

export const DEFAULT_TRANSACTION_COORDINATOR_CONFIG: TransactionCoordinatorConfig = {
  transactionMaxTimeoutMs: 900_000,
  transactionalIdExpirationMs: 604_800_000,
  abortTimedOutTransactionCleanupIntervalMs: 10_000,
  removeExpiredTransactionalIdCleanupIntervalMs: 3_600_000,
};

/** A partition of a transaction. */
export interface TxnPartition {
  readonly topic: string;
  readonly partition: number;
}

/** The markers of one transaction to write, asked for once its Prepare* record is durable. */
export interface MarkerJob {
  readonly transactionalId: string;
  readonly producerId: bigint;
  /** The epoch written in the markers (the bumped one when the coordinator aborted a fenced or timed-out transaction). */
  readonly producerEpoch: number;
  readonly coordinatorEpoch: number;
  readonly committed: boolean;
  readonly partitions: readonly TxnPartition[];
}

export interface MarkerChannel {
  /**
   * Write the job's markers, then run `completeTransaction` on this shard's queue. Called from
   * `onDurable` (after a Prepare* record) and from `onLoaded` (a transaction found in Prepare*).
   */
  send(job: MarkerJob): void;
}

/** New producer ids, from the block the broker holds; null when none is at hand yet (answer COORDINATOR_LOAD_IN_PROGRESS: the client retries). */
export interface ProducerIdSource {
  next(): bigint | null;
}

export interface TransactionShardOptions {
  /** The `__transaction_state` partition this shard owns. */
  readonly partition: number;
  /** The leader epoch of that partition when this shard loaded: written into every marker it asks for. */
  readonly coordinatorEpoch: number;
  readonly config: TransactionCoordinatorConfig;
  readonly clock: Clock;
  readonly timer: CoordinatorTimer<TransactionRecord>;
  readonly producerIds: ProducerIdSource;
  readonly markers: MarkerChannel;
  /** The `__consumer_offsets` partition of a group (AddOffsetsToTxn adds it to the transaction). */
  readonly offsetsPartitionFor: (groupId: string) => number;
  /**
   * Whether a topic partition exists (the metadata image). When given, AddPartitionsToTxn answers
   * UNKNOWN_TOPIC_OR_PARTITION for those that do not, OPERATION_NOT_ATTEMPTED for the rest, and
   * adds nothing. Without it only malformed partitions (empty topic, negative index) are refused.
   */
  readonly partitionExists?: (topic: string, partition: number) => boolean;
}

/** ListTransactions filters (empty = all). */
export interface ListTransactionsFilter {
  readonly stateFilters: readonly string[];
  readonly producerIdFilters: readonly bigint[];
  /** v1: only transactions running longer than this (-1 = no filter). */
  readonly durationFilterMs: bigint;
}

/**
 * What the runtime calls. Every request names one transactional id and goes to the shard owning
 * it (Kafka's `abs(transactionalId.hashCode) % partitions`); AddPartitionsToTxn v4+ batches are
 * split by shard by the caller; DescribeTransactions and ListTransactions are split/merged too.
 */
export interface TransactionCoordinatorShardApi extends CoordinatorShard<TransactionRecord> {
  /**
   * InitProducerId with a transactional id (the handler answers idempotent producers, whose
   * transactionalId is null, itself with a fresh id). v3+ may carry the producer's current id and
   * epoch (KIP-360): resume with a bumped epoch. An ongoing transaction is aborted first
   * (CONCURRENT_TRANSACTIONS until its markers are written); v4+ gets PRODUCER_FENCED where older
   * versions get INVALID_PRODUCER_EPOCH.
   */
  initProducerId(ctx: RequestContext, req: InitProducerIdRequest): CoordinatorResult<InitProducerIdResponse, TransactionRecord>;
  /** v0-3: one transaction; v4+: many (the caller passes only this shard's), with VerifyOnly. */
  addPartitionsToTxn(ctx: RequestContext, req: AddPartitionsToTxnRequest): CoordinatorResult<AddPartitionsToTxnResponse, TransactionRecord>;
  /** Adds the group's `__consumer_offsets` partition to the transaction. */
  addOffsetsToTxn(ctx: RequestContext, req: AddOffsetsToTxnRequest): CoordinatorResult<AddOffsetsToTxnResponse, TransactionRecord>;
  /** PrepareCommit/PrepareAbort persisted, answered, then the markers (MarkerChannel). */
  endTxn(ctx: RequestContext, req: EndTxnRequest): CoordinatorResult<EndTxnResponse, TransactionRecord>;
  /**
   * The markers of a Prepare* transaction are written: persist CompleteCommit/CompleteAbort.
   * Nothing (no records) when the transaction moved on meanwhile (its producer id/epoch differ).
   */
  completeTransaction(transactionalId: string, producerId: bigint, producerEpoch: number): CoordinatorResult<void, TransactionRecord>;
  describeTransactions(transactionalIds: readonly string[]): DescribeTransactionsResponseTransactionState[];
  listTransactions(filter: ListTransactionsFilter): ListTransactionsResponseTransactionState[];
}
