/** The broker side of transactions: producer ids, the transaction coordinator and its marker writer. */
export { TransactionCoordinator, type TransactionCoordinatorOptions } from './coordinator.js';
export { type TransactionRuntimeConfig, transactionRuntimeConfig, transactionStateTopicSpec } from './config.js';
export { MarkerWriter, type MarkerWriterOptions } from './marker-writer.js';
export { type ProducerIdBlockGrant, ProducerIdManager, type ProducerIdManagerOptions, ProducerIdsUnavailableError } from './producer-id-manager.js';
export { type BackoffSettings, type RetryTimer, backoffDelayMs } from './retry-timer.js';
