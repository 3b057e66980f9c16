/**
 * The producer state of one partition (Kafka's ProducerStateManager): producer id → entry, the
 * transactions in progress (by first offset), and the decided ones whose marker is not yet below
 * the high watermark. An append is checked in two steps that run in the same turn as the offset
 * assignment: `prepare` (checks on scratch copies, nothing changes; or the duplicate it found),
 * then `apply` once the batches have their place in the log.
 */
import type { AppendOrigin } from './append-validation.js';
import { appendDataBatch, appendEndTxnMarker, type CompletedTxn } from './producer-append.js';
import type { ProducerBatch } from './producer-batches.js';
import type { SnapshotEntry } from './producer-snapshot.js';
import { type BatchMetadata, decrementSequence, ProducerStateEntry } from './producer-state-entry.js';
import type { AbortedTxn, ProducerStateInfo } from './transactions-api.js';

export interface AppendPlan {
  /** The producers' entries after the append. */
  entries: Map<bigint, ProducerStateEntry>;
  /** Transactions the append starts: first offset → producer id. */
  started: Array<[bigint, bigint]>;
  completed: CompletedTxn[];
}

export type PreparedAppend = { kind: 'duplicate'; batch: BatchMetadata } | { kind: 'plan'; plan: AppendPlan };

const byProducerId = (a: { producerId: bigint }, b: { producerId: bigint }): number => (a.producerId < b.producerId ? -1 : a.producerId > b.producerId ? 1 : 0);

export class ProducerStateManager {
  private readonly producers = new Map<bigint, ProducerStateEntry>();
  /** Transactions in progress: first offset → producer id. */
  private readonly ongoing = new Map<bigint, bigint>();
  /** Cached smallest key of `ongoing` (undefined: recompute). */
  private ongoingFirst: bigint | null | undefined = null;
  /** Decided transactions whose marker may still be at or above the high watermark, in marker order. */
  private unreplicated: Array<{ firstOffset: bigint; lastOffset: bigint }> = [];
  /** Changed since the last snapshot was taken. */
  changedSinceSnapshot = false;

  get size(): number {
    return this.producers.size;
  }

  /**
   * Checks `batches` (in offset order) as `origin` writes them. For client writes, a batch equal
   * to one of its producer's last five makes the whole append a duplicate. Throws the
   * StorageError of the first batch that fails; changes nothing.
   */
  prepare(batches: readonly ProducerBatch[], origin: AppendOrigin): PreparedAppend {
    const plan: AppendPlan = { entries: new Map(), started: [], completed: [] };
    for (const batch of batches) {
      const current = this.producers.get(batch.producerId);
      if (origin === 'client' && batch.control === null && current) {
        const duplicate = current.findDuplicate(batch.producerEpoch, batch.firstSeq, batch.lastSeq);
        if (duplicate) return { kind: 'duplicate', batch: duplicate };
      }
      let entry = plan.entries.get(batch.producerId);
      if (!entry) {
        entry = current?.clone() ?? ProducerStateEntry.empty(batch.producerId);
        plan.entries.set(batch.producerId, entry);
      }
      if (batch.control) {
        if (!batch.control.marker) continue;
        const completed = appendEndTxnMarker(entry, batch, batch.control.marker, origin);
        if (completed) plan.completed.push(completed);
      } else {
        const hadTxn = entry.hasOngoingTxn;
        appendDataBatch(entry, batch, origin, current !== undefined && current.producerEpoch >= 0);
        if (!hadTxn && entry.hasOngoingTxn) plan.started.push([entry.currentTxnFirstOffset, batch.producerId]);
      }
    }
    return { kind: 'plan', plan };
  }

  /** Makes a prepared append the state; returns the transactions it aborted, for the `.txnindex`. */
  apply(plan: AppendPlan): AbortedTxn[] {
    for (const [producerId, entry] of plan.entries) this.producers.set(producerId, entry);
    for (const [firstOffset, producerId] of plan.started) this.startTxn(firstOffset, producerId);
    const aborted: AbortedTxn[] = [];
    for (const txn of plan.completed) {
      const lastStableOffset = this.lastStableOffsetAfter(txn);
      this.endTxn(txn.firstOffset);
      this.unreplicated.push({ firstOffset: txn.firstOffset, lastOffset: txn.lastOffset });
      if (txn.isAborted) aborted.push({ producerId: txn.producerId, firstOffset: txn.firstOffset, lastOffset: txn.lastOffset, lastStableOffset });
    }
    this.changedSinceSnapshot = true;
    return aborted;
  }

  private startTxn(firstOffset: bigint, producerId: bigint): void {
    this.ongoing.set(firstOffset, producerId);
    if (this.ongoingFirst === null || (this.ongoingFirst !== undefined && firstOffset < this.ongoingFirst)) this.ongoingFirst = firstOffset;
  }

  private endTxn(firstOffset: bigint): void {
    if (this.ongoing.delete(firstOffset) && firstOffset === this.ongoingFirst) this.ongoingFirst = undefined;
  }

  /** The LSO recorded with a completed transaction: the first transaction of another producer still open, else past the marker. */
  private lastStableOffsetAfter(txn: CompletedTxn): bigint {
    let first: bigint | null = null;
    for (const [offset, producerId] of this.ongoing) {
      if (producerId !== txn.producerId && (first === null || offset < first)) first = offset;
    }
    return first ?? txn.lastOffset + 1n;
  }

  private get firstOngoingOffset(): bigint | null {
    if (this.ongoingFirst === undefined) {
      let first: bigint | null = null;
      for (const offset of this.ongoing.keys()) if (first === null || offset < first) first = offset;
      this.ongoingFirst = first;
    }
    return this.ongoingFirst;
  }

  /** Forgets the decided transactions whose marker is now below the high watermark. */
  onHighWatermark(highWatermark: bigint): void {
    if (this.unreplicated.length > 0 && this.unreplicated[0]!.lastOffset < highWatermark) {
      this.unreplicated = this.unreplicated.filter((t) => t.lastOffset >= highWatermark);
    }
  }

  /**
   * The first offset of the oldest transaction not yet decided, or decided by a marker not yet
   * below `highWatermark`; null when there is none.
   */
  firstUnstableOffset(highWatermark: bigint): bigint | null {
    let first = this.firstOngoingOffset;
    for (const t of this.unreplicated) {
      if (t.lastOffset >= highWatermark && (first === null || t.firstOffset < first)) first = t.firstOffset;
    }
    return first;
  }

  /** Drops the producers idle for `expirationMs` (by their last timestamp) with no transaction in progress; returns how many. */
  removeExpired(nowMs: number, expirationMs: number): number {
    let removed = 0;
    for (const [producerId, entry] of this.producers) {
      if (isExpired(entry, nowMs, expirationMs)) {
        this.producers.delete(producerId);
        removed++;
      }
    }
    if (removed > 0) this.changedSinceSnapshot = true;
    return removed;
  }

  /** DescribeProducers: every producer, by id. */
  states(): ProducerStateInfo[] {
    return [...this.producers.values()]
      .map((e) => ({
        producerId: e.producerId,
        producerEpoch: e.producerEpoch,
        lastSequence: e.lastSeq,
        lastTimestamp: e.lastTimestamp,
        coordinatorEpoch: e.coordinatorEpoch,
        currentTxnStartOffset: e.currentTxnFirstOffset,
      }))
      .sort(byProducerId);
  }

  /** What a snapshot keeps of each producer (its last batch only), by id. */
  snapshotEntries(): SnapshotEntry[] {
    this.changedSinceSnapshot = false;
    return [...this.producers.values()]
      .map((e) => {
        const last = e.lastBatch;
        return {
          producerId: e.producerId,
          producerEpoch: e.producerEpoch,
          lastSequence: e.lastSeq,
          lastOffset: last?.lastOffset ?? -1n,
          offsetDelta: last ? Number(last.lastOffset - last.firstOffset) : 0,
          timestamp: e.lastTimestamp,
          coordinatorEpoch: e.coordinatorEpoch,
          currentTxnFirstOffset: e.currentTxnFirstOffset,
        };
      })
      .sort(byProducerId);
  }

  /** Replaces the state with a snapshot's producers, skipping those already expired at `nowMs`. */
  load(entries: readonly SnapshotEntry[], nowMs: number, expirationMs: number): void {
    this.clear();
    for (const s of entries) {
      const batches: BatchMetadata[] = [];
      if (s.lastOffset >= 0n) {
        batches.push({
          firstSeq: s.lastSequence < 0 ? s.lastSequence : decrementSequence(s.lastSequence, s.offsetDelta),
          lastSeq: s.lastSequence,
          firstOffset: s.lastOffset - BigInt(s.offsetDelta),
          lastOffset: s.lastOffset,
          timestamp: s.timestamp,
        });
      }
      const entry = new ProducerStateEntry(s.producerId, s.producerEpoch, s.coordinatorEpoch, s.timestamp, s.currentTxnFirstOffset, batches);
      if (isExpired(entry, nowMs, expirationMs)) continue;
      this.producers.set(s.producerId, entry);
      if (entry.hasOngoingTxn) this.startTxn(entry.currentTxnFirstOffset, s.producerId);
    }
    this.changedSinceSnapshot = false;
  }

  /** Forgets everything (truncation reloads from a snapshot and the log). */
  clear(): void {
    this.producers.clear();
    this.ongoing.clear();
    this.ongoingFirst = null;
    this.unreplicated = [];
    this.changedSinceSnapshot = true;
  }
}

function isExpired(entry: ProducerStateEntry, nowMs: number, expirationMs: number): boolean {
  return !entry.hasOngoingTxn && BigInt(nowMs) - entry.lastTimestamp >= BigInt(expirationMs);
}
