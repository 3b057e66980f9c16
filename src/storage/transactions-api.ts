/**
 * The storage side of idempotence and transactions, as the broker sees it (the contract the
 * PartitionLog implements; see DESIGN.md "Producer state"):
 *
 * - `append` (origin `client`) checks each producer batch against the partition's producer
 *   state: a duplicate of one of the producer's last five batches is not written again and the
 *   append answers with the original offsets (`LogAppendInfo.duplicate`); an older epoch throws
 *   InvalidProducerEpochError; a gap throws OutOfOrderSequenceError. Origin `coordinator`
 *   (TxnOffsetCommit batches) checks epochs, not sequences.
 * - `appendTxnMarker` writes a commit/abort control batch for a producer, ends its ongoing
 *   transaction, and records an aborted one in the segment's `.txnindex`.
 * - `lastStableOffset`: below it every transaction is decided (min of the high watermark and
 *   the first offset of the oldest ongoing transaction).
 * - `abortedTransactions(from, upTo)`: what a read_committed Fetch returns beside its records.
 * - `producerStates()`: DescribeProducers.
 * - Producer state is kept in `<offset>.snapshot` files (written at rolls and close) and rebuilt
 *   from the log after an unclean stop; producers idle past producer.id.expiration.ms expire.
 */

/** A transaction marker to append (WriteTxnMarkers). */
export interface TxnMarker {
  readonly producerId: bigint;
  readonly producerEpoch: number;
  /** The coordinator's epoch; a marker from an older coordinator is fenced. */
  readonly coordinatorEpoch: number;
  readonly committed: boolean;
}

/** An aborted transaction, as in `.txnindex` and in a Fetch response. */
export interface AbortedTxn {
  readonly producerId: bigint;
  /** The transaction's first offset in this partition. */
  readonly firstOffset: bigint;
  /** The offset of its abort marker. */
  readonly lastOffset: bigint;
  /** The last stable offset when the marker was written. */
  readonly lastStableOffset: bigint;
}

/** One producer of a partition (DescribeProducers). */
export interface ProducerStateInfo {
  readonly producerId: bigint;
  readonly producerEpoch: number;
  /** The last sequence written (-1 when none, e.g. only markers). */
  readonly lastSequence: number;
  /** The max timestamp of its last batch. */
  readonly lastTimestamp: bigint;
  readonly coordinatorEpoch: number;
  /** First offset of its ongoing transaction, -1 when none. */
  readonly currentTxnStartOffset: bigint;
}
