import { DecodeError } from '../../common/errors.js';
import {
  BATCH_LENGTH_OFFSET,
  LEGACY_RECORD_OVERHEAD_V0,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAGIC_V2,
  RECORD_BATCH_OVERHEAD,
} from './constants.js';
import { CorruptRecordError } from './errors.js';

/**
 * Splits a `records` buffer (Produce or Fetch, or a log segment read) into its entries: record
 * batches (magic v2) or legacy messages (v0, v1), as views of the input. A Fetch response may end
 * in a partial batch (the broker cuts at max.bytes); its size is reported, not an error.
 */

export interface SplitRecords {
  /** Each complete entry, a view into the input: offset, size field, then the batch or message. */
  batches: Buffer[];
  /** Bytes at the end that do not make a complete entry (0 when the buffer ends on a boundary). */
  partialBatchSize: number;
}

/** Magic byte of an entry (at byte 16); needs 17 bytes. */
export function entryMagic(entry: Buffer): number {
  if (entry.length <= MAGIC_OFFSET) throw new DecodeError('log entry truncated before its magic byte');
  return entry.readInt8(MAGIC_OFFSET);
}

export function splitRecordBatches(records: Buffer): SplitRecords {
  const batches: Buffer[] = [];
  let pos = 0;
  while (records.length - pos >= LOG_OVERHEAD) {
    const sizeField = records.readInt32BE(pos + BATCH_LENGTH_OFFSET);
    if (sizeField < LEGACY_RECORD_OVERHEAD_V0) {
      throw new CorruptRecordError('size', `log entry size ${sizeField} at byte ${pos} is below the minimum ${LEGACY_RECORD_OVERHEAD_V0}`);
    }
    const size = LOG_OVERHEAD + sizeField;
    if (records.length - pos < size) break;
    const magic = records.readInt8(pos + MAGIC_OFFSET);
    if (magic < 0 || magic > MAGIC_V2) throw new CorruptRecordError('magic', `log entry at byte ${pos} has magic ${magic}`);
    if (magic === MAGIC_V2 && size < RECORD_BATCH_OVERHEAD) {
      throw new CorruptRecordError('size', `record batch at byte ${pos} is ${size} bytes, below its header size`);
    }
    batches.push(records.subarray(pos, pos + size));
    pos += size;
  }
  return { batches, partialBatchSize: records.length - pos };
}

/** As splitRecordBatches, for input that must hold complete entries only (Produce, disk). */
export function splitCompleteRecordBatches(records: Buffer): Buffer[] {
  const { batches, partialBatchSize } = splitRecordBatches(records);
  if (partialBatchSize !== 0) throw new DecodeError(`records end in a partial entry of ${partialBatchSize} bytes`);
  return batches;
}
