/**
 * DescribeTransactions and ListTransactions over this shard's transactional ids (Kafka's
 * handleDescribeTransactions and listTransactionStates). Dead ids are invisible to both.
 */
import {
  defaultDescribeTransactionsResponseTransactionState,
  type DescribeTransactionsResponseTransactionState,
  ErrorCode,
  type ListTransactionsResponseTransactionState,
} from '../../protocol/index.js';
import { lookup, type TxnEnv } from './env.js';
import { type ListTransactionsFilter, TRANSACTION_STATE_NAMES, TransactionState } from './shard-api.js';

export function describeTransactions(env: TxnEnv, transactionalIds: readonly string[]): DescribeTransactionsResponseTransactionState[] {
  return transactionalIds.map((transactionalId) => {
    // As Kafka: only the error code and the id; the other fields keep the schema's defaults.
    const failed = (errorCode: number): DescribeTransactionsResponseTransactionState => ({
      ...defaultDescribeTransactionsResponseTransactionState(), errorCode, transactionalId,
    });
    if (transactionalId === '') return failed(ErrorCode.INVALID_REQUEST);
    const metadata = lookup(env, transactionalId);
    if (!metadata) return failed(ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
    return {
      errorCode: ErrorCode.NONE,
      transactionalId,
      transactionState: TRANSACTION_STATE_NAMES[metadata.state],
      transactionTimeoutMs: metadata.txnTimeoutMs,
      transactionStartTimeMs: BigInt(metadata.txnStartTimestamp),
      producerId: metadata.producerId,
      producerEpoch: metadata.producerEpoch,
      topics: [...metadata.partitions].map(([topic, partitions]) => ({ topic, partitions: [...partitions] })),
    };
  });
}

/**
 * State names match Kafka's exactly (an unknown name matches nothing; the handler reports it in
 * unknownStateFilters). The duration filter keeps transactions running longer than it: those
 * with a start timestamp older than now - duration.
 */
export function listTransactions(env: TxnEnv, filter: ListTransactionsFilter): ListTransactionsResponseTransactionState[] {
  const states = new Set(filter.stateFilters);
  const producerIds = new Set(filter.producerIdFilters);
  const nowMs = env.options.clock.nowMs();
  const durationMs = Number(filter.durationFilterMs);
  return [...env.transactions.values()]
    .filter((m) => m.state !== TransactionState.Dead)
    .filter((m) => states.size === 0 || states.has(TRANSACTION_STATE_NAMES[m.state]))
    .filter((m) => producerIds.size === 0 || producerIds.has(m.producerId))
    .filter((m) => durationMs < 0 || (m.txnStartTimestamp >= 0 && nowMs - m.txnStartTimestamp > durationMs))
    .map((m) => ({ transactionalId: m.transactionalId, producerId: m.producerId, transactionState: TRANSACTION_STATE_NAMES[m.state] }));
}
