/**
 * Loading a shard: its partition is read from the log start to the high watermark in steps of
 * offsets.load.buffer.size (a batch larger than that is still read whole), each data batch is
 * decoded and every record replayed in log order. Control batches (transaction markers) are
 * skipped: there are no transactional offset commits yet. A record type this coordinator does
 * not handle decodes to null and is skipped; a record that does not decode or replay fails the
 * load (Kafka fails it too: the state would be wrong).
 */
import { SamsaError } from '../../common/errors.js';
import type { GroupRecord } from '../../coordinator/group/records.js';
import type { GroupCoordinatorShardApi } from '../../coordinator/group/shard-api.js';
import { ErrorCode, decodeRecordBatchSync, readRecordBatchHeader, splitRecordBatches } from '../../protocol/index.js';
import type { CoordinatorLog } from './coordinator-log.js';

/** encodeGroupRecord / decodeGroupRecord of the coordinator's records-serde. */
export interface GroupRecordSerde {
  encode(record: GroupRecord): { key: Buffer; value: Buffer | null };
  decode(key: Buffer, value: Buffer | null): GroupRecord | null;
}

export interface LoadStats {
  readonly batches: number;
  readonly records: number;
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

export interface LoadInput {
  readonly log: CoordinatorLog;
  readonly partition: number;
  readonly shard: Pick<GroupCoordinatorShardApi, 'replay'>;
  readonly serde: GroupRecordSerde;
  readonly loadBufferSize: number;
  /** Checked between reads: true stops the load (the shard is being unloaded). */
  readonly cancelled: () => boolean;
}

export async function replayPartition(input: LoadInput): Promise<LoadStats> {
  const { log, partition, shard, serde } = input;
  const bounds = log.bounds(partition);
  if (bounds.errorCode !== ErrorCode.NONE) throw new CoordinatorLoadError(`partition ${partition} is not readable here`, bounds.errorCode);
  let offset = bounds.logStartOffset;
  let batches = 0;
  let records = 0;
  let bytes = 0;
  while (offset < bounds.highWatermark) {
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
      if (!header.isControl) records += replayBatch(batch, partition, shard, serde);
      offset = next;
    }
  }
  return { batches, records, bytes, nextOffset: offset };
}

function replayBatch(batch: Buffer, partition: number, shard: LoadInput['shard'], serde: GroupRecordSerde): number {
  const decoded = decodeRecordBatchSync(batch, { maxUncompressedBytes: MAX_UNCOMPRESSED_BATCH_BYTES });
  for (const r of decoded.records) {
    if (r.key === null) throw new CoordinatorLoadError(`record at offset ${r.offset} of partition ${partition} has no key`, ErrorCode.CORRUPT_MESSAGE);
    let record: GroupRecord | null;
    try {
      record = serde.decode(r.key, r.value);
    } catch (e) {
      throw new CoordinatorLoadError(`record at offset ${r.offset} of partition ${partition} does not decode`, ErrorCode.CORRUPT_MESSAGE, { cause: e });
    }
    if (record === null) continue;
    try {
      shard.replay(record);
    } catch (e) {
      throw new CoordinatorLoadError(`replaying the ${record.type} record at offset ${r.offset} of partition ${partition} failed`, ErrorCode.UNKNOWN_SERVER_ERROR, { cause: e });
    }
  }
  return decoded.records.length;
}
