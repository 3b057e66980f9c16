/**
 * Drains ready batches to partition leaders: one Produce request per broker carrying at most one
 * batch per partition, up to max.in.flight.requests.per.connection requests per broker. Answers
 * complete the batches' records; retriable errors put a batch back (in its original order, sent
 * again only once the partition's earlier requests are answered) until delivery.timeout.ms or
 * `retries` runs out; producer-state errors go to the transaction manager.
 */
import { ApiKey, type CompressionCodec, ErrorCode, type ProduceResponse, errorInfo } from '../../protocol/index.js';
import type { Cluster } from '../cluster.js';
import type { Connection } from '../connection.js';
import { KafkaResponseError, ProducerTimeoutError, UnsupportedVersionError, isRetriable } from '../errors.js';
import type { MetadataCache } from '../metadata-cache.js';
import type { PartitionQueue, RecordAccumulator } from './accumulator.js';
import type { BufferPool } from './buffer-pool.js';
import type { ProducerBatch } from './producer-batch.js';
import type { TransactionManager } from './transaction-manager.js';

export interface SenderOptions {
  acks: number;
  lingerMs: number;
  maxInFlightRequestsPerConnection: number;
  retries: number;
  retryBackoffMs: number;
  retryBackoffMaxMs: number;
  requestTimeoutMs: number;
  maxRequestSize: number;
  codec: CompressionCodec;
  compressionLevel: number | undefined;
}

/** Errors about the producer's id, epoch or sequence: the transaction manager decides. */
const PRODUCER_STATE_ERRORS: ReadonlySet<number> = new Set([
  ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, ErrorCode.UNKNOWN_PRODUCER_ID, ErrorCode.INVALID_PRODUCER_EPOCH, ErrorCode.PRODUCER_FENCED,
  ErrorCode.INVALID_TXN_STATE, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, ErrorCode.INVALID_PRODUCER_ID_MAPPING,
]);
/** Errors after which the partition's leader may have moved. */
const STALE_METADATA: ReadonlySet<number> = new Set([
  ErrorCode.NOT_LEADER_OR_FOLLOWER, ErrorCode.LEADER_NOT_AVAILABLE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.FENCED_LEADER_EPOCH,
  ErrorCode.KAFKA_STORAGE_ERROR, ErrorCode.NOT_ENOUGH_REPLICAS,
]);

export class Sender {
  private drainScheduled = false;
  private lingerTimer: NodeJS.Timeout | null = null;
  private lingerDueMs = Infinity;
  private readonly inFlightPerNode = new Map<number, number>();
  private flushing = 0;
  private waitingForId = false;
  private readonly refreshing = new Set<string>();
  private readonly adding = new Set<PartitionQueue>();
  private closed = false;

  constructor(
    private readonly cluster: Cluster,
    private readonly metadata: MetadataCache,
    private readonly accumulator: RecordAccumulator,
    private readonly pool: BufferPool,
    private readonly txn: TransactionManager,
    private readonly options: SenderOptions,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  /** A batch may be ready: look soon (coalesced into one drain per tick). */
  wake(): void {
    if (this.drainScheduled || this.closed) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      this.drain();
    });
  }

  /** A batch was opened at `createdMs`: make sure a drain runs when its linger.ms is up. */
  lingerFrom(createdMs: number): void {
    const due = createdMs + this.options.lingerMs;
    if (this.drainScheduled || (this.lingerTimer && this.lingerDueMs <= due)) return;
    this.armLinger(due, performance.now());
  }

  /** Batches are ready regardless of linger until the returned function is called. */
  beginFlush(): () => void {
    this.flushing++;
    this.wake();
    let ended = false;
    return () => {
      if (!ended) this.flushing--;
      ended = true;
    };
  }

  /** Fails every batch not yet sent (abort, close); in-flight ones finish on their own. */
  dropQueued(error: Error): void {
    for (const q of this.accumulator.queues.values()) {
      for (const b of q.batches.splice(0)) this.failBatch(q, b, error, false);
    }
  }

  /** Batches still sent to the broker, not yet answered. */
  inFlightBatches(): ProducerBatch[] {
    const out: ProducerBatch[] = [];
    for (const q of this.accumulator.queues.values()) out.push(...q.inFlight);
    return out;
  }

  close(): void {
    this.closed = true;
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
  }

  private drain(): void {
    if (this.closed) return;
    const now = this.nowMs();
    let nextDueMs = Infinity;
    const requests = new Map<number, { queue: PartitionQueue; batch: ProducerBatch }[]>();
    const requestBytes = new Map<number, number>();
    for (const queue of this.accumulator.queues.values()) {
      this.expire(queue, now);
      const head = queue.batches[0];
      if (!head) continue;
      const dueMs = head.attempts > 0 ? head.retryAtMs : head.createdMs + this.options.lingerMs;
      const ready = head.full || this.flushing > 0 || now >= dueMs || queue.batches.length > 1;
      if (!ready) {
        nextDueMs = Math.min(nextDueMs, dueMs);
        continue;
      }
      if (head.attempts > 0 && (queue.inFlight.length > 0 || now < head.retryAtMs)) {
        if (queue.inFlight.length === 0) nextDueMs = Math.min(nextDueMs, head.retryAtMs);
        continue;
      }
      if (queue.inFlight.length >= this.maxInFlightPerPartition()) continue;
      const leader = this.leaderOf(queue);
      if (leader < 0) continue;
      if ((this.inFlightPerNode.get(leader) ?? 0) >= this.options.maxInFlightRequestsPerConnection) continue;
      if (this.txn.idempotent && !this.txn.producerIdAndEpoch()) {
        this.awaitProducerId();
        return;
      }
      if (this.txn.transactional && !this.txn.isPartitionAdded(queue)) {
        // One AddPartitionsToTxn wait per partition; the drain resumes when it is answered.
        if (!this.adding.has(queue)) {
          this.adding.add(queue);
          this.txn.ensurePartitionAdded({ topic: queue.topic, partition: queue.partition }).then(
            () => { this.adding.delete(queue); this.wake(); },
            (e: unknown) => {
              this.adding.delete(queue);
              for (const b of queue.batches.splice(0)) this.failBatch(queue, b, e as Error, false);
            },
          );
        }
        continue;
      }
      const size = requestBytes.get(leader) ?? 0;
      if (size > 0 && size + head.sizeBytes > this.options.maxRequestSize) continue;
      queue.batches.shift();
      this.prepare(queue, head);
      queue.inFlight.push(head);
      requestBytes.set(leader, size + head.sizeBytes);
      const list = requests.get(leader) ?? [];
      list.push({ queue, batch: head });
      requests.set(leader, list);
    }
    for (const [node, list] of requests) this.sendTo(node, list);
    this.armLinger(nextDueMs, now);
    if (requests.size > 0) this.wake();
  }

  private maxInFlightPerPartition(): number {
    return this.options.maxInFlightRequestsPerConnection;
  }

  private leaderOf(queue: PartitionQueue): number {
    const topic = this.metadata.peek(queue.topic);
    const leader = topic?.partitions[queue.partition]?.leaderId ?? -1;
    if (leader >= 0) return leader;
    if (!this.refreshing.has(queue.topic)) {
      this.refreshing.add(queue.topic);
      this.metadata.markStale(queue.topic);
      void this.metadata.refresh([queue.topic]).catch(() => undefined).finally(() => {
        this.refreshing.delete(queue.topic);
        setTimeout(() => this.wake(), this.options.retryBackoffMs).unref();
      });
    }
    return -1;
  }

  private awaitProducerId(): void {
    if (this.waitingForId) return;
    this.waitingForId = true;
    this.txn.ensureProducerId().then(
      () => { this.waitingForId = false; this.wake(); },
      (e: unknown) => {
        this.waitingForId = false;
        if (isRetriable(e)) {
          setTimeout(() => this.wake(), this.options.retryBackoffMs).unref();
          return;
        }
        for (const q of this.accumulator.queues.values()) for (const b of q.batches.splice(0)) this.failBatch(q, b, e as Error, false);
      },
    );
  }

  /** Gives a batch its producer id, epoch and sequence the first time it is sent. */
  private prepare(queue: PartitionQueue, batch: ProducerBatch): void {
    batch.full = true;
    if (!this.txn.idempotent || batch.baseSequence >= 0) return;
    const ids = this.txn.producerIdAndEpoch()!;
    batch.producerId = ids.producerId;
    batch.producerEpoch = ids.producerEpoch;
    batch.baseSequence = this.txn.nextSequence(queue);
    this.txn.incrementSequence(queue, batch.records.length);
    batch.encoded = null;
  }

  private expire(queue: PartitionQueue, now: number): void {
    while (queue.batches.length > 0 && queue.batches[0]!.deliveryDeadlineMs <= now) {
      const b = queue.batches.shift()!;
      const error = new ProducerTimeoutError(
        `${b.records.length} record(s) for ${queue.topic}-${queue.partition} expired: not acknowledged within delivery.timeout.ms`,
      );
      this.failBatch(queue, b, error, b.baseSequence >= 0);
    }
  }

  private armLinger(dueMs: number, now: number): void {
    if (dueMs === Infinity) {
      // Batches may be waiting on a retry, a leader or a full pipeline: look again later for expiry.
      if (this.accumulator.hasPending && !this.lingerTimer) dueMs = now + 100;
      else return;
    }
    if (this.lingerTimer && this.lingerDueMs <= dueMs) return;
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerDueMs = dueMs;
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = null;
      this.lingerDueMs = Infinity;
      this.wake();
    }, Math.max(0, dueMs - now));
    this.lingerTimer.unref();
  }

  private sendTo(node: number, list: { queue: PartitionQueue; batch: ProducerBatch }[]): void {
    this.inFlightPerNode.set(node, (this.inFlightPerNode.get(node) ?? 0) + 1);
    void this.produce(node, list).finally(() => {
      this.inFlightPerNode.set(node, (this.inFlightPerNode.get(node) ?? 1) - 1);
      this.wake();
    });
  }

  private async produce(node: number, list: { queue: PartitionQueue; batch: ProducerBatch }[]): Promise<void> {
    let conn: Connection;
    for (const { batch } of list) batch.attempts++;
    const topicData = new Map<string, { index: number; records: Buffer }[]>();
    try {
      for (const { queue, batch } of list) {
        const records = batch.encode(this.options.codec, this.options.compressionLevel, this.txn.transactional);
        const parts = topicData.get(queue.topic) ?? [];
        parts.push({ index: queue.partition, records });
        topicData.set(queue.topic, parts);
      }
      conn = await this.cluster.connectionTo(node);
    } catch (e) {
      for (const { queue, batch } of list) this.onBatchError(queue, batch, e as Error, -1);
      return;
    }
    const version = conn.versionFor(ApiKey.Produce, 3);
    if (!conn.supports(ApiKey.Produce, 3)) {
      const e = new UnsupportedVersionError(`${conn.address} does not support Produce v3+ (record batches)`);
      for (const { queue, batch } of list) this.failBatch(queue, batch, e, false);
      return;
    }
    const body = {
      transactionalId: this.txn.transactionalId,
      acks: this.options.acks,
      timeoutMs: this.options.requestTimeoutMs,
      topicData: [...topicData].map(([name, partitionData]) => ({ name, partitionData })),
    };
    if (this.options.acks === 0) {
      try {
        conn.sendNoResponse(ApiKey.Produce, version, body);
        for (const { queue, batch } of list) this.completeBatch(queue, batch, -1n, -1n);
      } catch (e) {
        for (const { queue, batch } of list) this.onBatchError(queue, batch, e as Error, -1);
      }
      return;
    }
    let response: ProduceResponse;
    try {
      response = await conn.send<ProduceResponse>(ApiKey.Produce, version, body, { timeoutMs: this.options.requestTimeoutMs + 5_000 });
    } catch (e) {
      for (const { queue, batch } of list) this.onBatchError(queue, batch, e as Error, -1);
      return;
    }
    const answers = new Map<string, ProduceResponse['responses'][number]['partitionResponses'][number]>();
    for (const t of response.responses) for (const p of t.partitionResponses) answers.set(`${t.name}\u0000${p.index}`, p);
    for (const { queue, batch } of list) {
      const a = answers.get(`${queue.topic}\u0000${queue.partition}`);
      if (!a) {
        this.onBatchError(queue, batch, new KafkaResponseError(ErrorCode.UNKNOWN_SERVER_ERROR, 'Produce: no answer for the partition'), -1);
      } else if (a.errorCode === ErrorCode.NONE || a.errorCode === ErrorCode.DUPLICATE_SEQUENCE_NUMBER) {
        this.completeBatch(queue, batch, a.baseOffset, a.logAppendTimeMs);
      } else {
        this.onBatchError(queue, batch, new KafkaResponseError(a.errorCode, `Produce to ${queue.topic}-${queue.partition}`, a.errorMessage), a.errorCode);
      }
    }
  }

  private completeBatch(queue: PartitionQueue, batch: ProducerBatch, baseOffset: bigint, logAppendTimeMs: bigint): void {
    removeFrom(queue.inFlight, batch);
    this.pool.release(batch.reservedBytes);
    batch.complete(baseOffset, logAppendTimeMs);
  }

  private failBatch(queue: PartitionQueue, batch: ProducerBatch, error: Error, sequenceGap: boolean): void {
    removeFrom(queue.inFlight, batch);
    removeFrom(queue.batches, batch);
    this.pool.release(batch.reservedBytes);
    batch.fail(error);
    this.txn.onBatchFailed(queue, error);
    // A batch with a sequence that never made it leaves a gap: the idempotent producer must reset.
    if (sequenceGap && this.txn.idempotent && !this.txn.transactional) {
      void this.txn.onProduceError(queue, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, batch.baseSequence).then(() => this.resequenceQueued());
    }
  }

  private onBatchError(queue: PartitionQueue, batch: ProducerBatch, error: Error, errorCode: number): void {
    removeFrom(queue.inFlight, batch);
    const now = this.nowMs();
    if (errorCode >= 0 && STALE_METADATA.has(errorCode)) this.metadata.markStale(queue.topic);
    if (errorCode < 0 && isRetriable(error)) this.metadata.markStale(queue.topic);
    // An earlier batch of the same partition is being retried: this one failed only because of
    // the gap it left, so it goes back too, in order.
    const earlierRetry = queue.batches.some((b) => b.attempts > 0 && b.id < batch.id);
    if (errorCode === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER && earlierRetry) {
      this.requeue(queue, batch, now);
      return;
    }
    if (errorCode >= 0 && PRODUCER_STATE_ERRORS.has(errorCode)) {
      void this.txn.onProduceError(queue, errorCode, batch.baseSequence).then((decision) => {
        if (decision === 'reset') {
          this.resequenceQueued();
          batch.resetSequence();
          this.requeue(queue, batch, this.nowMs());
        } else if (decision === 'retry') {
          this.requeue(queue, batch, this.nowMs());
        } else {
          this.failBatch(queue, batch, error, false);
        }
        this.wake();
      });
      return;
    }
    const retriable = errorCode >= 0 ? errorInfo(errorCode).retriable : isRetriable(error);
    if (retriable && batch.attempts <= this.options.retries && now < batch.deliveryDeadlineMs) {
      this.requeue(queue, batch, now);
      return;
    }
    const final = retriable && now >= batch.deliveryDeadlineMs
      ? new ProducerTimeoutError(`${batch.records.length} record(s) for ${queue.topic}-${queue.partition} expired after delivery.timeout.ms; last error: ${error.message}`)
      : error;
    this.failBatch(queue, batch, final, batch.baseSequence >= 0 && retriable);
  }

  private requeue(queue: PartitionQueue, batch: ProducerBatch, now: number): void {
    const backoff = Math.min(this.options.retryBackoffMs * 2 ** Math.max(0, batch.attempts - 1), this.options.retryBackoffMaxMs);
    batch.retryAtMs = now + backoff * (0.8 + Math.random() * 0.4);
    queue.batches.push(batch);
    queue.batches.sort((a, b) => a.id - b.id);
    this.wake();
  }

  /** After a KIP-360 reset, batches not yet answered get new sequences when next sent. */
  private resequenceQueued(): void {
    for (const q of this.accumulator.queues.values()) for (const b of q.batches) b.resetSequence();
  }
}

function removeFrom<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}
