/**
 * The transaction side of a partition log (see transactions-api.ts): commit/abort markers, the
 * last stable offset, the aborted transactions a read_committed Fetch returns, producer states
 * for DescribeProducers, and the expiry of idle producers. Producer checks on append live in
 * log-core.ts; snapshots and recovery in partition-log.ts and producer-state-load.ts.
 */
import { buildEndTxnMarkerBatch } from '../protocol/records/index.js';
import { InvalidRecordError, KafkaStorageError } from './errors.js';
import { type LogAppendInfo, LogCore } from './log-core.js';
import { floorSegmentIndex } from './log-read.js';
import type { AbortedTxn, ProducerStateInfo, TxnMarker } from './transactions-api.js';

const isInt = (v: number, min: number, max: number): boolean => Number.isInteger(v) && v >= min && v <= max;

export class LogTransactions extends LogCore {
  /**
   * The first offset of the oldest transaction not yet decided, or decided by a marker not yet
   * below the high watermark (never below the log start offset); null when there is none.
   */
  get firstUnstableOffset(): bigint | null {
    const first = this.producers.firstUnstableOffset(this.hw);
    if (first === null) return null;
    return first < this.startOffset ? this.startOffset : first;
  }

  /** Below it every transaction is decided: min(high watermark, first unstable offset). */
  get lastStableOffset(): bigint {
    const first = this.firstUnstableOffset;
    return first !== null && first < this.hw ? first : this.hw;
  }

  /**
   * WriteTxnMarkers: appends a commit or abort control batch for `marker.producerId` (fenced by
   * coordinator epoch and producer epoch), which ends the producer's transaction here; an abort
   * goes to the `.txnindex` of the segment the marker lands in.
   */
  async appendTxnMarker(marker: TxnMarker, options: { leaderEpoch: number; nowMs?: number }): Promise<LogAppendInfo> {
    if (marker.producerId < 0n || !isInt(marker.producerEpoch, 0, 0x7fff) || !isInt(marker.coordinatorEpoch, -1, 0x7fffffff)) {
      throw new InvalidRecordError(`invalid transaction marker: producer ${marker.producerId} epoch ${marker.producerEpoch}, coordinator epoch ${marker.coordinatorEpoch}`);
    }
    const nowMs = options.nowMs ?? this.clock.nowMs();
    const batch = buildEndTxnMarkerBatch({
      producerId: marker.producerId,
      producerEpoch: marker.producerEpoch,
      coordinatorEpoch: marker.coordinatorEpoch,
      committed: marker.committed,
      timestamp: BigInt(nowMs),
    });
    return this.append(batch, { leaderEpoch: options.leaderEpoch, nowMs, origin: 'coordinator' });
  }

  /**
   * The aborted transactions overlapping [fetchOffset, upperBoundOffset) (last offset >=
   * fetchOffset, first offset < upperBoundOffset), from the segment holding fetchOffset on, as
   * a read_committed Fetch answers them (Kafka's collectAbortedTransactions).
   */
  async abortedTransactions(fetchOffset: bigint, upperBoundOffset: bigint): Promise<AbortedTxn[]> {
    for (let attempt = 0; ; attempt++) {
      this.ensureReadable();
      const segments = this.segments;
      const found: AbortedTxn[] = [];
      try {
        for (let i = Math.max(0, floorSegmentIndex(segments, fetchOffset)); i < segments.length; i++) {
          const segment = segments[i]!;
          const complete = await segment.txnIndex.collect(fetchOffset, upperBoundOffset, found);
          if (segment.finished) segment.txnIndex.unload();
          if (complete) break;
        }
        return found;
      } catch (err) {
        // A segment deleted under the read (file.delete.delay.ms = 0): read again from the new state.
        if (attempt === 0 && segments.some((s) => s.deleted)) continue;
        if (this.state !== 'open') throw new KafkaStorageError(`log ${this.dir} closed during a read`, { cause: err });
        this.fail(err);
        throw this.failure ?? err;
      }
    }
  }

  /** DescribeProducers: the partition's producers, by id. */
  producerStates(): ProducerStateInfo[] {
    this.ensureReadable();
    return this.producers.states();
  }

  /**
   * Forgets the producers whose last timestamp is producer.id.expiration.ms old and that have no
   * transaction in progress (the log manager runs it every
   * producer.id.expiration.check.interval.ms); returns how many.
   */
  removeExpiredProducers(nowMs: number = this.clock.nowMs()): number {
    if (this.state !== 'open' || this.failure) return 0;
    return this.producers.removeExpired(nowMs, this.producerIdExpirationMs);
  }
}
