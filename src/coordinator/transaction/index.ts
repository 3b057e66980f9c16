/**
 * The transaction coordinator: one TransactionCoordinatorShard per `__transaction_state`
 * partition, driven by a runtime through TransactionCoordinatorShardApi, persisting
 * TransactionRecords in Kafka's TransactionLog format.
 */
export { newTransactionShard, TransactionCoordinatorShard } from './shard.js';
export {
  DEFAULT_TRANSACTION_COORDINATOR_CONFIG,
  type ListTransactionsFilter,
  type MarkerChannel,
  type MarkerJob,
  type ProducerIdSource,
  TRANSACTION_STATE_NAMES,
  type TransactionCoordinatorConfig,
  type TransactionCoordinatorShardApi,
  type TransactionRecord,
  type TransactionShardOptions,
  TransactionState,
  type TxnPartition,
} from './shard-api.js';
export { decodeTransactionRecord, encodeTransactionRecord, TRANSACTION_LOG_KEY_VERSION } from './records-serde.js';
export { ABORT_TIMED_OUT_TRANSACTIONS_KEY, REMOVE_EXPIRED_TRANSACTIONAL_IDS_KEY } from './cleanup.js';
export { CONSUMER_OFFSETS_TOPIC } from './add-partitions.js';
