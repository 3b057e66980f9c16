/**
 * Loading a shard: its partition is read from the log start to the high watermark in steps of
 * the load buffer size (a batch larger than that is still read whole). Each record of a data
 * batch is replayed in log order with where it sits (offset, the batch's producer, whether the
 * batch is transactional); a transaction marker (control batch) ends that producer's pending
 * transaction in the shard. A record type the coordinator does not handle decodes to null and is
 * skipped; a record that does not decode or replay fails the load (Kafka fails it too: the state
 * would be wrong).
 */
import { SamsaError } from '../../common/errors.js';
import type { CoordinatorShard } from '../../coordinator/runtime-api.js';
import {
  ControlRecordType, ErrorCode, type RecordBatch, decodeRecordBatchSync, endTxnMarkerOfBatch, readRecordBatchHeader, splitRecordBatches,
} from '../../protocol/index.js';
import type { CoordinatorLogApi, RecordSerde } from './service-api.js';

export interface LoadStats {
  readonly batches: number;
  /** Data records replayed (records of a type the coordinator does not handle included). */
  readonly records: number;
  /** Transaction markers replayed. */
  readonly markers: number;
  readonly bytes: number;
  /** The offset after the last batch read. */
  readonly nextOffset: bigint;
}

/** A load that could not finish; `errorCode` is the storage error when the log refused a read. */
export class CoordinatorLoadError extends SamsaError {
  constructor(message: string, readonly errorCode: number, options?: { cause?: unknown }) {
    super('SAMSA_ERR_COORDINATOR_LOAD', message, options);
  }
}

/** Decompressed records of one stored batch are bounded by this. */
const MAX_UNCOMPRESSED_BATCH_BYTES = 256 * 1024 * 1024;

export interface LoadInput<R> {
  readonly log: CoordinatorLogApi;
  readonly partition: number;
  /** Where to start and stop (from `log.bounds`, read once before the shard was made). */
  readonly logStartOffset: bigint;
  readonly highWatermark: bigint;
  readonly shard: Pick<CoordinatorShard<R>, 'replay' | 'replayEndTransaction'>;
  readonly serde: RecordSerde<R>;
  readonly loadBufferSize: number;
  /** Checked between reads: true stops the load (the shard is being unloaded). */
  readonly cancelled: () => boolean;
}

export async function replayPartition<R>(input: LoadInput<R>): Promise<LoadStats> {
  const { log, partition } = input;
  let offset = input.logStartOffset;
  let batches = 0;
  let records = 0;
  let markers = 0;
  let bytes = 0;
  while (offset < input.highWatermark) {
    if (input.cancelled()) throw new CoordinatorLoadError(`loading partition ${partition} was cancelled`, ErrorCode.NOT_COORDINATOR);
    const read = await log.read(partition, offset, input.loadBufferSize);
    if (read.errorCode !== ErrorCode.NONE) throw new CoordinatorLoadError(`reading partition ${partition} at ${offset} failed`, read.errorCode);
    const { batches: stored } = splitRecordBatches(read.records);
    if (stored.length === 0) break;
    for (const batch of stored) {
      const header = readRecordBatchHeader(batch);
      const next = header.baseOffset + BigInt(header.lastOffsetDelta) + 1n;
      if (next <= offset) continue;
      batches++;
      bytes += batch.length;
      const decoded = decodeBatch(batch, partition);
      if (decoded.isControl) markers += replayControlBatch(decoded, partition, input.shard);
      else records += replayDataBatch(decoded, partition, input.shard, input.serde);
      offset = next;
    }
  }
  return { batches, records, markers, bytes, nextOffset: offset };
}

function decodeBatch(batch: Buffer, partition: number): RecordBatch {
  try {
    return decodeRecordBatchSync(batch, { maxUncompressedBytes: MAX_UNCOMPRESSED_BATCH_BYTES });
  } catch (e) {
    throw new CoordinatorLoadError(`a batch of partition ${partition} does not decode`, ErrorCode.CORRUPT_MESSAGE, { cause: e });
  }
}

function replayDataBatch<R>(batch: RecordBatch, partition: number, shard: LoadInput<R>['shard'], serde: RecordSerde<R>): number {
  for (const r of batch.records) {
    if (r.key === null) throw new CoordinatorLoadError(`record at offset ${r.offset} of partition ${partition} has no key`, ErrorCode.CORRUPT_MESSAGE);
    let record: R | null;
    try {
      record = serde.decode(r.key, r.value);
    } catch (e) {
      throw new CoordinatorLoadError(`record at offset ${r.offset} of partition ${partition} does not decode`, ErrorCode.CORRUPT_MESSAGE, { cause: e });
    }
    if (record === null) continue;
    try {
      shard.replay(record, { offset: r.offset, producerId: batch.producerId, producerEpoch: batch.producerEpoch, isTransactional: batch.isTransactional });
    } catch (e) {
      throw new CoordinatorLoadError(`replaying the record at offset ${r.offset} of partition ${partition} failed`, ErrorCode.UNKNOWN_SERVER_ERROR, { cause: e });
    }
  }
  return batch.records.length;
}

/** A commit or abort marker ends the producer's transaction; other control records are skipped. */
function replayControlBatch<R>(batch: RecordBatch, partition: number, shard: LoadInput<R>['shard']): number {
  let marker;
  try {
    marker = endTxnMarkerOfBatch(batch);
  } catch (e) {
    throw new CoordinatorLoadError(`the control batch at offset ${batch.baseOffset} of partition ${partition} does not decode`, ErrorCode.CORRUPT_MESSAGE, { cause: e });
  }
  if (marker === null) return 0;
  try {
    shard.replayEndTransaction?.(batch.producerId, batch.producerEpoch, marker.type === ControlRecordType.Commit);
  } catch (e) {
    throw new CoordinatorLoadError(`replaying the marker at offset ${batch.baseOffset} of partition ${partition} failed`, ErrorCode.UNKNOWN_SERVER_ERROR, { cause: e });
  }
  return 1;
}
