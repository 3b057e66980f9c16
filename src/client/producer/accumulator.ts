/**
 * Records gathered into batches, one queue per partition: a record joins the partition's last
 * batch while it has room under batch.size (a record bigger than that gets a batch of its own);
 * a batch is ready when full, when linger.ms has passed since it was opened, or when a flush asks.
 */
import { partitionKey } from '../admin/types.js';
import { ProducerBatch } from './producer-batch.js';
import type { CompletionSink } from './completion.js';
import type { SimpleRecord } from '../../protocol/index.js';

export class PartitionQueue {
  readonly batches: ProducerBatch[] = [];
  /** Batches sent and not yet answered, oldest first. */
  readonly inFlight: ProducerBatch[] = [];

  constructor(readonly topic: string, readonly partition: number) {}
}

export class RecordAccumulator {
  readonly queues = new Map<string, PartitionQueue>();
  /** Batches not yet done, queued or in flight. */
  private readonly open = new Set<ProducerBatch>();

  constructor(
    private readonly batchSize: number,
    private readonly deliveryTimeoutMs: number,
    private readonly nowMs: () => number,
  ) {}

  /**
   * Adds a record. Returns 'ready' when this made a batch full (the sender should look now),
   * 'opened' when the record started a new batch (its linger.ms starts), else 'added'.
   */
  append(
    topic: string, partition: number, record: SimpleRecord, sink: CompletionSink, slot: number, keySize: number, valueSize: number, bytes: number,
  ): 'ready' | 'opened' | 'added' {
    const key = partitionKey({ topic, partition });
    let queue = this.queues.get(key);
    if (!queue) {
      queue = new PartitionQueue(topic, partition);
      this.queues.set(key, queue);
    }
    let last = queue.batches[queue.batches.length - 1];
    let madeReady = false;
    let opened = false;
    if (last && (last.full || last.attempts > 0 || last.encoded !== null || last.sizeBytes + bytes > this.batchSize)) {
      if (!last.full) {
        last.full = true;
        madeReady = true;
      }
      last = undefined;
    }
    if (!last) {
      const now = this.nowMs();
      last = new ProducerBatch(topic, partition, now, now + this.deliveryTimeoutMs);
      queue.batches.push(last);
      opened = true;
      this.open.add(last);
      void last.whenDone().then(() => this.open.delete(last!));
    }
    last.add(record, sink, slot, keySize, valueSize, bytes);
    if (last.sizeBytes >= this.batchSize && !last.full) {
      last.full = true;
      madeReady = true;
    }
    return madeReady ? 'ready' : opened ? 'opened' : 'added';
  }

  /** Every batch not yet done (for flush). */
  pending(): ProducerBatch[] {
    return [...this.open];
  }

  get hasPending(): boolean {
    return this.open.size > 0;
  }
}
