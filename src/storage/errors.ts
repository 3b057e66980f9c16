/**
 * Errors of the storage layer. Each carries the Kafka error code the broker writes into its
 * response (`errorCode`), and a stable string code for library users.
 */
import { SamsaError } from '../common/errors.js';
import { ErrorCode } from '../protocol/generated/errors.js';

export class StorageError extends SamsaError {
  /** The Kafka error code for a response about this failure. */
  readonly errorCode: number;

  constructor(code: string, errorCode: number, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.errorCode = errorCode;
  }
}

/** A batch larger than max.message.bytes (Kafka's RecordTooLargeException). */
export class RecordTooLargeError extends StorageError {
  constructor(message: string) {
    super('SAMSA_ERR_RECORD_TOO_LARGE', ErrorCode.MESSAGE_TOO_LARGE, message);
  }
}

/** An append larger than a whole segment (Kafka's RecordBatchTooLargeException). */
export class RecordBatchTooLargeError extends StorageError {
  constructor(message: string) {
    super('SAMSA_ERR_RECORD_BATCH_TOO_LARGE', ErrorCode.RECORD_LIST_TOO_LARGE, message);
  }
}

/** A batch whose bytes are damaged or cut: bad CRC, bad magic, size fields (CORRUPT_MESSAGE). */
export class CorruptMessageError extends StorageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SAMSA_ERR_CORRUPT_MESSAGE', ErrorCode.CORRUPT_MESSAGE, message, options);
  }
}

/** A well-formed batch that breaks a rule: counts, control batches from clients (INVALID_RECORD). */
export class InvalidRecordError extends StorageError {
  constructor(message: string) {
    super('SAMSA_ERR_INVALID_RECORD', ErrorCode.INVALID_RECORD, message);
  }
}

/** An offset outside [logStartOffset, logEndOffset] where one is required (OFFSET_OUT_OF_RANGE). */
export class OffsetOutOfRangeError extends StorageError {
  constructor(message: string) {
    super('SAMSA_ERR_OFFSET_OUT_OF_RANGE', ErrorCode.OFFSET_OUT_OF_RANGE, message);
  }
}

/** The log's directory failed (an I/O error) or the log was closed (KAFKA_STORAGE_ERROR). */
export class KafkaStorageError extends StorageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SAMSA_ERR_KAFKA_STORAGE', ErrorCode.KAFKA_STORAGE_ERROR, message, options);
  }
}

/** An index file that fails its sanity check; the segment rebuilds it from the log. */
export class CorruptIndexError extends SamsaError {
  constructor(message: string) {
    super('SAMSA_ERR_CORRUPT_INDEX', message);
  }
}

/** A producer batch whose sequence does not follow the producer's last one (OUT_OF_ORDER_SEQUENCE_NUMBER). */
export class OutOfOrderSequenceError extends StorageError {
  constructor(message: string) {
    super('SAMSA_ERR_OUT_OF_ORDER_SEQUENCE', ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, message);
  }
}

/** A batch or marker with an epoch older than the producer's (INVALID_PRODUCER_EPOCH): a fenced zombie. */
export class InvalidProducerEpochError extends StorageError {
  constructor(message: string) {
    super('SAMSA_ERR_INVALID_PRODUCER_EPOCH', ErrorCode.INVALID_PRODUCER_EPOCH, message);
  }
}

/** A non-transactional batch from a producer with a transaction in progress (INVALID_TXN_STATE). */
export class InvalidTxnStateError extends StorageError {
  constructor(message: string) {
    super('SAMSA_ERR_INVALID_TXN_STATE', ErrorCode.INVALID_TXN_STATE, message);
  }
}

/** A transaction marker from a coordinator older than the one that last wrote (TRANSACTION_COORDINATOR_FENCED). */
export class TransactionCoordinatorFencedError extends StorageError {
  constructor(message: string) {
    super('SAMSA_ERR_TRANSACTION_COORDINATOR_FENCED', ErrorCode.TRANSACTION_COORDINATOR_FENCED, message);
  }
}

/** A producer-state snapshot that fails its checks (version, CRC, size); it is deleted and the state rebuilt from the log. */
export class CorruptSnapshotError extends SamsaError {
  constructor(message: string) {
    super('SAMSA_ERR_CORRUPT_SNAPSHOT', message);
  }
}
