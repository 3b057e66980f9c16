/**
 * Which batches of a log being cleaned hold records of aborted transactions (Kafka's
 * CleanedTransactionMetadata, without marker removal). Fed every batch in offset order, it
 * follows the aborted transactions of the `.txnindex`: one starts at its first offset, and the
 * producer's next control batch (its abort marker) ends it. The cleaner drops those records and
 * keeps them out of its key map, so an aborted write can never remove a committed one.
 */
import type { RecordBatchHeader } from '../protocol/records/index.js';
import type { AbortedTxn } from './transactions-api.js';

export class AbortedTxnTracker {
  private readonly aborted: AbortedTxn[];
  private next = 0;
  /** Producers whose aborted transaction is in progress at the current batch. */
  private readonly ongoing = new Set<bigint>();

  constructor(aborted: readonly AbortedTxn[]) {
    this.aborted = [...aborted].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
  }

  /** True when the batch's records belong to an aborted transaction (call for every batch, in order). */
  isAborted(header: Pick<RecordBatchHeader, 'baseOffset' | 'lastOffsetDelta' | 'producerId' | 'isControl' | 'isTransactional'>): boolean {
    const lastOffset = header.baseOffset + BigInt(header.lastOffsetDelta);
    while (this.next < this.aborted.length && this.aborted[this.next]!.firstOffset <= lastOffset) this.ongoing.add(this.aborted[this.next++]!.producerId);
    if (header.isControl) {
      this.ongoing.delete(header.producerId);
      return false;
    }
    return header.isTransactional && this.ongoing.has(header.producerId);
  }
}
