/**
 * The checks one producer batch passes before it is written (Kafka's ProducerAppendInfo), applied
 * to a scratch copy of the producer's entry:
 *
 * - epoch: older than the producer's → INVALID_PRODUCER_EPOCH (client and coordinator writes;
 *   replicated batches are taken as the leader wrote them);
 * - sequence (client writes only): the same epoch must continue at the next sequence (wrapping);
 *   a new epoch must start at 0, unless this partition does not know the producer (KIP-360: its
 *   state may have expired or been deleted with old segments) → OUT_OF_ORDER_SEQUENCE_NUMBER;
 * - transactions: a transactional batch starts the producer's transaction at its first offset; a
 *   plain batch while one is in progress → INVALID_TXN_STATE;
 * - markers: a coordinator epoch older than the last marker's → TRANSACTION_COORDINATOR_FENCED;
 *   the marker ends the transaction and raises the producer's epoch to its own.
 */
import { ControlRecordType, type EndTxnMarker } from '../protocol/records/index.js';
import type { AppendOrigin } from './append-validation.js';
import { InvalidProducerEpochError, InvalidTxnStateError, OutOfOrderSequenceError, TransactionCoordinatorFencedError } from './errors.js';
import type { ProducerBatch } from './producer-batches.js';
import { inSequence, type ProducerStateEntry } from './producer-state-entry.js';

/** A transaction a marker ended: its first offset, the marker's offset, and whether it aborted. */
export interface CompletedTxn {
  producerId: bigint;
  firstOffset: bigint;
  lastOffset: bigint;
  isAborted: boolean;
}

const where = (b: ProducerBatch): string => `producer ${b.producerId} at offset ${b.firstOffset}`;

function checkEpoch(entry: ProducerStateEntry, batch: ProducerBatch, origin: AppendOrigin): void {
  if (origin === 'replication' || batch.producerEpoch >= entry.producerEpoch) return;
  throw new InvalidProducerEpochError(`${where(batch)}: epoch ${batch.producerEpoch} is older than the current ${entry.producerEpoch}`);
}

/**
 * `knownBefore`: the partition had state for the producer before this append (an unknown
 * producer's first batch is taken at any sequence).
 */
function checkSequence(entry: ProducerStateEntry, batch: ProducerBatch, knownBefore: boolean): void {
  if (batch.producerEpoch !== entry.producerEpoch) {
    if (batch.firstSeq !== 0 && knownBefore) {
      throw new OutOfOrderSequenceError(`${where(batch)}: new epoch ${batch.producerEpoch} starts at sequence ${batch.firstSeq}, not 0`);
    }
    return;
  }
  if (!knownBefore) return;
  const last = entry.lastSeq;
  if (!inSequence(last, batch.firstSeq)) {
    throw new OutOfOrderSequenceError(`${where(batch)}: sequence ${batch.firstSeq} does not follow ${last}`);
  }
}

/** Checks a data batch against `entry` and records it there; the entry is a scratch copy. */
export function appendDataBatch(entry: ProducerStateEntry, batch: ProducerBatch, origin: AppendOrigin, knownBefore: boolean): void {
  checkEpoch(entry, batch, origin);
  if (origin === 'client') checkSequence(entry, batch, knownBefore);
  if (entry.hasOngoingTxn && !batch.isTransactional && origin !== 'replication') {
    throw new InvalidTxnStateError(`${where(batch)}: a non-transactional batch while transaction from offset ${entry.currentTxnFirstOffset} is in progress`);
  }
  entry.addBatch(batch.producerEpoch, {
    firstSeq: batch.firstSeq,
    lastSeq: batch.lastSeq,
    firstOffset: batch.firstOffset,
    lastOffset: batch.lastOffset,
    timestamp: batch.maxTimestamp,
  });
  if (!entry.hasOngoingTxn && batch.isTransactional) entry.currentTxnFirstOffset = batch.firstOffset;
}

/**
 * Checks a marker against `entry` and ends the producer's transaction there; returns the
 * transaction it completed, or null when none was in progress (the marker is still written).
 */
export function appendEndTxnMarker(entry: ProducerStateEntry, batch: ProducerBatch, marker: EndTxnMarker, origin: AppendOrigin): CompletedTxn | null {
  checkEpoch(entry, batch, origin);
  if (origin !== 'replication' && marker.coordinatorEpoch < entry.coordinatorEpoch) {
    throw new TransactionCoordinatorFencedError(
      `${where(batch)}: marker from coordinator epoch ${marker.coordinatorEpoch}, older than ${entry.coordinatorEpoch}`,
    );
  }
  const completed = entry.hasOngoingTxn
    ? { producerId: batch.producerId, firstOffset: entry.currentTxnFirstOffset, lastOffset: batch.firstOffset, isAborted: marker.type === ControlRecordType.Abort }
    : null;
  entry.endTxn(batch.producerEpoch, marker.coordinatorEpoch, batch.maxTimestamp);
  return completed;
}
