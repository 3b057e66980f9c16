/**
 * The transaction coordinator shard of one `__transaction_state` partition: the transactional ids
 * it owns, their transitions (one file per request) and the replay of their records.
 */
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
} from '../../protocol/index.js';
import type { CoordinatorResult, RequestContext } from '../runtime-api.js';
import { addOffsetsToTxn, addPartitionsToTxn } from './add-partitions.js';
import { cancelCleanup, scheduleCleanup } from './cleanup.js';
import { describeTransactions, listTransactions } from './describe-list.js';
import { completeTransaction, endTxn } from './end-txn.js';
import { markerJob, type TxnEnv } from './env.js';
import { initProducerId } from './init-producer-id.js';
import { isPrepare } from './metadata.js';
import { metadataFromValue } from './records.js';
import type {
  ListTransactionsFilter,
  TransactionCoordinatorShardApi,
  TransactionRecord,
  TransactionShardOptions,
} from './shard-api.js';

export class TransactionCoordinatorShard implements TransactionCoordinatorShardApi {
  private readonly env: TxnEnv;

  constructor(options: TransactionShardOptions) {
    this.env = { options, transactions: new Map() };
  }

  replay(record: TransactionRecord): void {
    const { transactionalId } = record.key;
    if (record.value === null) this.env.transactions.delete(transactionalId);
    else this.env.transactions.set(transactionalId, metadataFromValue(transactionalId, record.value));
  }

  /** Arms the periodic passes and resends the markers of every transaction caught completing. */
  onLoaded(): void {
    scheduleCleanup(this.env);
    for (const metadata of this.env.transactions.values()) {
      if (isPrepare(metadata.state)) this.env.options.markers.send(markerJob(this.env, metadata));
    }
  }

  onUnloaded(): void {
    cancelCleanup(this.env);
    this.env.transactions.clear();
  }

  initProducerId(ctx: RequestContext, req: InitProducerIdRequest): CoordinatorResult<InitProducerIdResponse, TransactionRecord> {
    return initProducerId(this.env, ctx, req);
  }

  addPartitionsToTxn(ctx: RequestContext, req: AddPartitionsToTxnRequest): CoordinatorResult<AddPartitionsToTxnResponse, TransactionRecord> {
    return addPartitionsToTxn(this.env, ctx, req);
  }

  addOffsetsToTxn(ctx: RequestContext, req: AddOffsetsToTxnRequest): CoordinatorResult<AddOffsetsToTxnResponse, TransactionRecord> {
    return addOffsetsToTxn(this.env, ctx, req);
  }

  endTxn(ctx: RequestContext, req: EndTxnRequest): CoordinatorResult<EndTxnResponse, TransactionRecord> {
    return endTxn(this.env, ctx, req);
  }

  completeTransaction(transactionalId: string, producerId: bigint, producerEpoch: number): CoordinatorResult<void, TransactionRecord> {
    return completeTransaction(this.env, transactionalId, producerId, producerEpoch);
  }

  describeTransactions(transactionalIds: readonly string[]): DescribeTransactionsResponseTransactionState[] {
    return describeTransactions(this.env, transactionalIds);
  }

  listTransactions(filter: ListTransactionsFilter): ListTransactionsResponseTransactionState[] {
    return listTransactions(this.env, filter);
  }
}

/** The factory the broker's runtime uses. */
export function newTransactionShard(options: TransactionShardOptions): TransactionCoordinatorShardApi {
  return new TransactionCoordinatorShard(options);
}
