/**
 * The storage layer of a broker: partition logs in Kafka's on-disk layout.
 *
 * - `LogManager` owns every partition log across `log.dirs`: it loads them at start (recovering
 *   after an unclean stop), creates and deletes them, runs retention, flush.ms and checkpoints on
 *   one coarse timer, and shuts down cleanly.
 * - `PartitionLog` is one partition: `append` (batches validated, offsets written in place,
 *   appends coalesced into single writes), `read` (stored bytes, whole batches, from the tail
 *   cache or the file), `offsetForTimestamp`, the high watermark the broker advances,
 *   `deleteRecordsBefore`, `truncateTo`, `flush`, `close`, `delete`; and for idempotence and
 *   transactions (transactions-api.ts): producer checks on `append` (`LogAppendInfo.duplicate`,
 *   OutOfOrderSequenceError, InvalidProducerEpochError, InvalidTxnStateError),
 *   `appendTxnMarker`, `lastStableOffset`, `firstUnstableOffset`, `abortedTransactions`,
 *   `producerStates`, `removeExpiredProducers`.
 * - `LogConfig` is the per-topic configuration, in Kafka's names and defaults.
 *
 * Offsets and timestamps are bigint; byte positions and sizes are numbers.
 */
export {
  type CleanupPolicy,
  DEFAULT_LOG_CONFIG,
  InvalidLogConfigError,
  type LogConfig,
  logConfig,
  type MessageTimestampType,
  NO_LIMIT,
  validateLogConfig,
} from './config.js';
export {
  CorruptIndexError,
  CorruptMessageError,
  CorruptSnapshotError,
  InvalidProducerEpochError,
  InvalidRecordError,
  InvalidTxnStateError,
  KafkaStorageError,
  OffsetOutOfRangeError,
  OutOfOrderSequenceError,
  RecordBatchTooLargeError,
  RecordTooLargeError,
  StorageError,
  TransactionCoordinatorFencedError,
} from './errors.js';
export type { AppendOrigin } from './append-validation.js';
export type { AppendOptions, LogAppendInfo } from './log-core.js';
export type { LogOffsets, LogReadResult, ReadOptions } from './log-read.js';
export {
  EARLIEST_LOCAL_TIMESTAMP,
  EARLIEST_TIMESTAMP,
  LATEST_TIMESTAMP,
  MAX_TIMESTAMP,
  type TimestampAndOffset,
} from './log-timestamp.js';
export { DEFAULT_PRODUCER_ID_EXPIRATION_MS, PartitionLog, type PartitionLogOptions } from './partition-log.js';
export { LogManager, type LogManagerOptions } from './log-manager.js';
export { DEFAULT_PERIODIC_SETTINGS, type PeriodicSettings } from './log-manager-tasks.js';
export {
  type CheckpointEntry,
  CorruptCheckpointError,
  formatOffsetCheckpoint,
  OffsetCheckpointFile,
  parseOffsetCheckpoint,
} from './checkpoint-file.js';
export {
  ensureMetaProperties,
  formatMetaProperties,
  type MetaProperties,
  MetaPropertiesError,
  parseMetaProperties,
} from './meta-properties.js';
export {
  CLEAN_SHUTDOWN_FILE,
  LOG_START_OFFSET_CHECKPOINT_FILE,
  META_PROPERTIES_FILE,
  offsetFileStem,
  parsePartitionDirName,
  partitionDirName,
  RECOVERY_POINT_CHECKPOINT_FILE,
  type TopicPartition,
} from './names.js';
export { CLEANER_OFFSET_CHECKPOINT_FILE, type CleanerSettings, DEFAULT_CLEANER_SETTINGS, LogCleaner } from './log-cleaner.js';
export type { AbortedTxn, ProducerStateInfo, TxnMarker } from './transactions-api.js';
export { mapBounded } from './bounded.js';
