/**
 * Kafka's LogValidator rule for compacted topics: every record a client produces must have a
 * key, or the whole batch is rejected with INVALID_RECORD. Records are decoded only here, only
 * for topics whose cleanup.policy includes compact.
 */
import { decodeRecordBatchSync } from '../protocol/records/index.js';
import type { ValidatedBatches } from './append-validation.js';
import { CorruptMessageError, InvalidRecordError } from './errors.js';

/** Bound on one batch's decompressed records while checking keys. */
const MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024;

/** Throws InvalidRecordError when a record of a (non-control) batch has no key. */
export function checkCompactedKeys({ batches, headers }: Pick<ValidatedBatches, 'batches' | 'headers'>): void {
  for (let i = 0; i < batches.length; i++) {
    if (headers[i]!.isControl) continue;
    const batch = batches[i]!;
    let records;
    try {
      records = decodeRecordBatchSync(batch, { maxUncompressedBytes: MAX_UNCOMPRESSED_BYTES, validate: false }).records;
    } catch (err) {
      throw new CorruptMessageError(`cannot read the records of a batch: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    for (const record of records) {
      if (record.key === null) {
        throw new InvalidRecordError(`compacted topic cannot accept a record without a key (offset delta ${record.offsetDelta})`);
      }
    }
  }
}
