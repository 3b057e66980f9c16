/**
 * One record batch on its way to one partition: the records, one completion per record, and the
 * bookkeeping retries need (attempts, the sequence it was given, its encoded bytes, reused as they
 * are when it is sent again).
 */
import {
  type CompressionCodec, NO_PRODUCER_EPOCH, NO_PRODUCER_ID, NO_SEQUENCE, type SimpleRecord, encodeRecordBatchSync,
} from '../../protocol/index.js';
import type { CompletionSink } from './completion.js';

/** Bytes a batch adds around its records (magic v2 header). */
export const BATCH_OVERHEAD_BYTES = 61;

let nextBatchId = 0;

export class ProducerBatch {
  /** Creation order, across partitions: retries are put back in this order. */
  readonly id = nextBatchId++;
  readonly records: SimpleRecord[] = [];
  private readonly sinks: CompletionSink[] = [];
  private readonly slots: number[] = [];
  /** Serialized key and value sizes, two per record (-1 for null). */
  private readonly sizes: number[] = [];
  /** Estimated bytes of the records (what buffer.memory holds for them). */
  sizeBytes = BATCH_OVERHEAD_BYTES;
  reservedBytes = 0;
  /** No more records go in (batch.size reached). */
  full = false;
  attempts = 0;
  retryAtMs = 0;
  baseSequence = NO_SEQUENCE;
  producerId = NO_PRODUCER_ID;
  producerEpoch = NO_PRODUCER_EPOCH;
  encoded: Buffer | null = null;
  done = false;
  private readonly settled: Promise<void>;
  private settle!: () => void;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly createdMs: number,
    readonly deliveryDeadlineMs: number,
  ) {
    this.settled = new Promise((resolve) => { this.settle = resolve; });
  }

  /** Resolves when every record of the batch has its outcome. */
  whenDone(): Promise<void> {
    return this.settled;
  }

  add(record: SimpleRecord, sink: CompletionSink, slot: number, keySize: number, valueSize: number, bytes: number): void {
    this.records.push(record);
    this.sinks.push(sink);
    this.slots.push(slot);
    this.sizes.push(keySize, valueSize);
    this.sizeBytes += bytes;
    this.reservedBytes += bytes;
  }

  /** The bytes to send: encoded once, again only after the producer id, epoch or sequence changed. */
  encode(codec: CompressionCodec, level: number | undefined, transactional: boolean): Buffer {
    this.encoded ??= encodeRecordBatchSync({
      records: this.records,
      compression: codec,
      ...(level === undefined ? {} : { compressionLevel: level }),
      producerId: this.producerId,
      producerEpoch: this.producerEpoch,
      baseSequence: this.baseSequence,
      isTransactional: transactional,
    });
    return this.encoded;
  }

  /** Forget the sequence (KIP-360 reset): the batch is given a new one and encoded again. */
  resetSequence(): void {
    this.baseSequence = NO_SEQUENCE;
    this.producerId = NO_PRODUCER_ID;
    this.producerEpoch = NO_PRODUCER_EPOCH;
    this.encoded = null;
  }

  complete(baseOffset: bigint, logAppendTimeMs: bigint): void {
    if (this.done) return;
    this.done = true;
    for (let i = 0; i < this.sinks.length; i++) {
      this.sinks[i]!.complete(this.slots[i]!, {
        topic: this.topic,
        partition: this.partition,
        offset: baseOffset < 0n ? -1n : baseOffset + BigInt(i),
        timestamp: logAppendTimeMs >= 0n ? logAppendTimeMs : this.records[i]!.timestamp,
        serializedKeySize: this.sizes[2 * i]!,
        serializedValueSize: this.sizes[2 * i + 1]!,
      });
    }
    this.settle();
  }

  fail(error: Error): void {
    if (this.done) return;
    this.done = true;
    for (let i = 0; i < this.sinks.length; i++) this.sinks[i]!.fail(this.slots[i]!, error);
    this.settle();
  }
}
