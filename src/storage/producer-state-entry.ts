/**
 * One producer's state in one partition (Kafka's ProducerStateEntry): its epoch, the metadata of
 * its last five batches (what a retried batch is compared against), the coordinator epoch of the
 * last marker written for it, its last timestamp, and the first offset of its transaction in
 * progress. Sequences are int32 and wrap: after 2147483647 comes 0.
 */
import { NO_PRODUCER_EPOCH, NO_SEQUENCE } from '../protocol/records/index.js';

/** How many recent batches of a producer are kept for duplicate detection (Kafka's NUM_BATCHES_TO_RETAIN). */
export const BATCHES_TO_RETAIN = 5;
const MAX_SEQUENCE = 0x7fffffff;

/** `sequence + increment`, wrapping past 2147483647 to 0 (Kafka's DefaultRecordBatch.incrementSequence). */
export function incrementSequence(sequence: number, increment: number): number {
  return sequence > MAX_SEQUENCE - increment ? increment - (MAX_SEQUENCE - sequence) - 1 : sequence + increment;
}

/** `sequence - decrement`, wrapping below 0 to 2147483647. */
export function decrementSequence(sequence: number, decrement: number): number {
  return sequence < decrement ? MAX_SEQUENCE - (decrement - sequence) + 1 : sequence - decrement;
}

/** True when `next` is the sequence that follows `last`. */
export function inSequence(last: number, next: number): boolean {
  return next === last + 1 || (next === 0 && last === MAX_SEQUENCE);
}

/** What is kept of one of a producer's recent batches. */
export interface BatchMetadata {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly firstOffset: bigint;
  readonly lastOffset: bigint;
  /** The batch's max timestamp. */
  readonly timestamp: bigint;
}

export class ProducerStateEntry {
  /** Oldest first; at most BATCHES_TO_RETAIN, all of the current epoch. */
  batches: BatchMetadata[];

  constructor(
    readonly producerId: bigint,
    public producerEpoch: number,
    public coordinatorEpoch: number,
    public lastTimestamp: bigint,
    /** First offset of the transaction in progress, -1 when none. */
    public currentTxnFirstOffset: bigint,
    batches: BatchMetadata[] = [],
  ) {
    this.batches = batches;
  }

  /** A producer this partition has not seen. */
  static empty(producerId: bigint): ProducerStateEntry {
    return new ProducerStateEntry(producerId, NO_PRODUCER_EPOCH, -1, -1n, -1n);
  }

  clone(): ProducerStateEntry {
    return new ProducerStateEntry(this.producerId, this.producerEpoch, this.coordinatorEpoch, this.lastTimestamp, this.currentTxnFirstOffset, [
      ...this.batches,
    ]);
  }

  get lastBatch(): BatchMetadata | undefined {
    return this.batches[this.batches.length - 1];
  }

  /** The last sequence written, -1 when no batch is kept. */
  get lastSeq(): number {
    return this.lastBatch?.lastSeq ?? NO_SEQUENCE;
  }

  get hasOngoingTxn(): boolean {
    return this.currentTxnFirstOffset >= 0n;
  }

  /** A new epoch forgets the batches of the old one. */
  maybeUpdateEpoch(producerEpoch: number): void {
    if (producerEpoch === this.producerEpoch) return;
    this.batches = [];
    this.producerEpoch = producerEpoch;
  }

  addBatch(producerEpoch: number, batch: BatchMetadata): void {
    this.maybeUpdateEpoch(producerEpoch);
    if (this.batches.length === BATCHES_TO_RETAIN) this.batches.shift();
    this.batches.push(batch);
    this.lastTimestamp = batch.timestamp;
  }

  /** A marker ended the producer's transaction (or was written without one). */
  endTxn(producerEpoch: number, coordinatorEpoch: number, timestamp: bigint): void {
    this.maybeUpdateEpoch(producerEpoch);
    this.coordinatorEpoch = coordinatorEpoch;
    this.currentTxnFirstOffset = -1n;
    this.lastTimestamp = timestamp;
  }

  /** The kept batch with exactly this epoch and sequence range: a retry of a batch already written. */
  findDuplicate(producerEpoch: number, firstSeq: number, lastSeq: number): BatchMetadata | undefined {
    if (producerEpoch !== this.producerEpoch) return undefined;
    return this.batches.find((b) => b.firstSeq === firstSeq && b.lastSeq === lastSeq);
  }
}
