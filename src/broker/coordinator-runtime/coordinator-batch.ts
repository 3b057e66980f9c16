/**
 * The batch a coordinator appends for one operation: its records, v2, in the coordinator's
 * compression, CreateTime now. A transactional write (TxnOffsetCommit) is a transactional batch
 * of that producer and epoch with no sequence (baseSequence -1), as Kafka's coordinators write
 * it: the partition checks the epoch, not sequences, and the records count once a commit marker
 * follows.
 */
import type { TransactionalWrite } from '../../coordinator/runtime-api.js';
import { type CompressionCodec, NO_SEQUENCE, encodeRecordBatchSync } from '../../protocol/index.js';
import type { RecordSerde } from './service-api.js';

export interface CoordinatorBatchOptions {
  readonly timestampMs: number;
  readonly compression: CompressionCodec;
  readonly transactional?: TransactionalWrite | undefined;
}

export function encodeCoordinatorBatch<R>(records: readonly R[], serde: RecordSerde<R>, options: CoordinatorBatchOptions): Buffer {
  const timestamp = BigInt(options.timestampMs);
  const txn = options.transactional;
  return encodeRecordBatchSync({
    records: records.map((r) => ({ timestamp, ...serde.encode(r) })),
    compression: options.compression,
    ...(txn ? { isTransactional: true, producerId: txn.producerId, producerEpoch: txn.producerEpoch, baseSequence: NO_SEQUENCE } : {}),
  });
}
