/**
 * What producer state needs of a batch: producer id, epoch, sequence range, offsets, max
 * timestamp, the transactional flag, and for a control batch its commit/abort marker. Read from
 * the header alone, except control batches (one tiny record), which are decoded for the marker.
 * Batches without a producer id (-1) are skipped: a plain producer's append costs one compare.
 */
import {
  decodeRecordBatchSync,
  type EndTxnMarker,
  endTxnMarkerOfBatch,
  NO_SEQUENCE,
  type RecordBatchHeader,
} from '../protocol/records/index.js';
import type { ValidatedBatches } from './append-validation.js';
import { CorruptMessageError } from './errors.js';
import { incrementSequence } from './producer-state-entry.js';

export interface ProducerBatch {
  producerId: bigint;
  producerEpoch: number;
  /** -1 for batches without sequences (coordinator writes, markers). */
  firstSeq: number;
  lastSeq: number;
  firstOffset: bigint;
  lastOffset: bigint;
  maxTimestamp: bigint;
  isTransactional: boolean;
  /** Set for control batches: the marker, or null for an empty or non-transaction control batch. */
  control: { marker: EndTxnMarker | null } | null;
}

/** Bound on a control batch's records when reading its marker. */
const MAX_CONTROL_BYTES = 1024 * 1024;

/** The commit/abort marker of a control batch (null when it holds none). */
export function markerOfControlBatch(batch: Buffer): EndTxnMarker | null {
  try {
    return endTxnMarkerOfBatch(decodeRecordBatchSync(batch, { maxUncompressedBytes: MAX_CONTROL_BYTES, validate: false }));
  } catch (err) {
    throw new CorruptMessageError(`unreadable control batch: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/**
 * The producer view of one batch at `firstOffset`; `batch` (the whole batch) is needed only for
 * control batches. Null when the batch has no producer id.
 */
export function producerBatchOf(header: RecordBatchHeader, batch: Buffer | null, firstOffset: bigint, maxTimestamp: bigint): ProducerBatch | null {
  if (header.producerId < 0n) return null;
  const sequenced = header.baseSequence !== NO_SEQUENCE;
  return {
    producerId: header.producerId,
    producerEpoch: header.producerEpoch,
    firstSeq: header.baseSequence,
    lastSeq: sequenced ? incrementSequence(header.baseSequence, header.lastOffsetDelta) : NO_SEQUENCE,
    firstOffset,
    lastOffset: firstOffset + BigInt(header.lastOffsetDelta),
    maxTimestamp,
    isTransactional: header.isTransactional,
    control: header.isControl ? { marker: batch ? markerOfControlBatch(batch) : null } : null,
  };
}

/**
 * The producer batches of an append, before offsets are written: `firstOffset` is where the
 * append will start (null for replicated batches, which keep their stored offsets), and
 * `logAppendTimeMs` the time stamped on LogAppendTime topics. Null when no batch has a producer.
 */
export function producerBatchesOfAppend(
  { batches, headers }: Pick<ValidatedBatches, 'batches' | 'headers'>,
  firstOffset: bigint | null,
  logAppendTimeMs: bigint | null,
): ProducerBatch[] | null {
  if (!headers.some((h) => h.producerId >= 0n)) return null;
  const out: ProducerBatch[] = [];
  let next = firstOffset;
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i]!;
    const base = next ?? header.baseOffset;
    if (next !== null) next = base + BigInt(header.lastOffsetDelta) + 1n;
    if (header.producerId < 0n) continue;
    const produced = producerBatchOf(header, batches[i]!, base, logAppendTimeMs ?? header.maxTimestamp);
    if (produced) out.push(produced);
  }
  return out;
}
