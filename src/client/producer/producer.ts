/**
 * The Samsa producer: records batched per partition and sent to partition leaders, one promise
 * per record, idempotent by default, with transactions when given a transactionalId.
 *
 *   const producer = new Producer({ bootstrapServers: 'localhost:9092', lingerMs: 5 });
 *   const { partition, offset } = await producer.send({ topic: 'orders', key: 'o-1', value: 'paid' });
 *   await producer.close();
 */
import type { RecordHeader, SimpleRecord } from '../../protocol/index.js';
import { Cluster } from '../cluster.js';
import { ClientClosedError, ProducerTimeoutError, RecordTooLargeError, TransactionStateError } from '../errors.js';
import { MetadataCache } from '../metadata-cache.js';
import type { PartitionMetadata, TopicMetadata } from '../metadata.js';
import { bufferSerializer, type Serializer } from '../serde.js';
import { RecordAccumulator } from './accumulator.js';
import { BufferPool } from './buffer-pool.js';
import { BatchSink, type CompletionSink, SingleSink } from './completion.js';
import { BuiltInPartitioner } from './partitioner.js';
import { type ProducerConfig, producerConfig } from './producer-config.js';
import { Sender } from './sender.js';
import { TransactionManager } from './transaction-manager.js';
import type {
  ConsumerGroupMetadata, ProducerHeaders, ProducerInterceptor, ProducerOptions, ProducerRecord, RecordMetadata, TransactionOffset,
} from './types.js';

/** Bytes a record adds to a batch beyond its key, value and headers (varints and attributes, at most). */
const RECORD_OVERHEAD_BYTES = 21;

export class Producer<K = Buffer | string | null, V = Buffer | string | null> {
  readonly cluster: Cluster;
  private readonly config: ProducerConfig;
  private readonly metadata: MetadataCache;
  private readonly pool: BufferPool;
  private readonly accumulator: RecordAccumulator;
  private readonly sender: Sender;
  private readonly txn: TransactionManager;
  private readonly partitioner: BuiltInPartitioner;
  private readonly keySerializer: Serializer<K>;
  private readonly valueSerializer: Serializer<V>;
  private readonly interceptors: ReadonlyArray<ProducerInterceptor<K, V>>;
  private readonly customSerializers: boolean;
  private closing: Promise<void> | null = null;

  constructor(options: ProducerOptions<K, V> | Readonly<Record<string, unknown>>) {
    const { config, options: o } = producerConfig<K, V>(options);
    this.config = config;
    this.cluster = new Cluster(config.cluster);
    this.metadata = new MetadataCache(this.cluster, { metadataMaxAgeMs: config.metadataMaxAgeMs, allowAutoTopicCreation: config.allowAutoCreateTopics });
    this.pool = new BufferPool(config.bufferMemory);
    this.accumulator = new RecordAccumulator(config.batchSize, config.deliveryTimeoutMs, () => performance.now());
    this.txn = new TransactionManager({
      cluster: this.cluster, transactionalId: config.transactionalId, idempotent: config.enableIdempotence,
      transactionTimeoutMs: config.transactionTimeoutMs, maxBlockMs: config.maxBlockMs, retryBackoffMs: config.retryBackoffMs,
    });
    this.sender = new Sender(this.cluster, this.metadata, this.accumulator, this.pool, this.txn, {
      acks: config.acks, lingerMs: config.lingerMs, maxInFlightRequestsPerConnection: config.maxInFlightRequestsPerConnection,
      retries: config.retries, retryBackoffMs: config.retryBackoffMs, retryBackoffMaxMs: config.retryBackoffMaxMs,
      requestTimeoutMs: config.requestTimeoutMs, maxRequestSize: config.maxRequestSize, codec: config.codec, compressionLevel: config.compressionLevel,
    });
    this.partitioner = new BuiltInPartitioner(config.batchSize, config.partitionerIgnoreKeys, o.partitioner);
    this.keySerializer = o.keySerializer ?? (bufferSerializer as Serializer<K>);
    this.valueSerializer = o.valueSerializer ?? (bufferSerializer as Serializer<V>);
    this.interceptors = o.interceptors ?? [];
    this.customSerializers = o.keySerializer !== undefined || o.valueSerializer !== undefined;
  }

  /** Whether this producer is idempotent (the default) and transactional (given a transactionalId). */
  get idempotent(): boolean {
    return this.txn.idempotent;
  }

  /** Bytes of records buffered or in flight now (bounded by buffer.memory). */
  get bufferedBytes(): number {
    return this.pool.usedBytes;
  }

  /** Optional: checks the cluster is reachable and takes a producer id up front. send() works without it. */
  async connect(): Promise<void> {
    await this.cluster.metadata([]);
    if (this.txn.idempotent && !this.txn.transactional) await this.txn.ensureProducerId();
  }

  /** Sends one record; resolves with its partition and offset once the broker has it (per acks). */
  send(record: ProducerRecord<K, V>): Promise<RecordMetadata> {
    if (this.closing) return Promise.reject(new ClientClosedError('the producer is closed'));
    if (this.interceptors.length === 0) {
      const sink = new SingleSink();
      this.submit(record, sink, 0);
      return sink.promise;
    }
    let r = record;
    for (const i of this.interceptors) {
      if (!i.onSend) continue;
      try {
        r = i.onSend(r);
      } catch {
        // Kafka logs and ignores an interceptor's failure; the record goes on unchanged.
      }
    }
    const sink = new SingleSink();
    this.submit(r, sink, 0);
    return sink.promise.then(
      (md) => { this.acknowledge(md, null, r); return md; },
      (e: unknown) => { this.acknowledge(null, e as Error, r); throw e; },
    );
  }

  /** Sends many records with one promise: all results in order, or the first failure once every record is settled. */
  sendBatch(records: ReadonlyArray<ProducerRecord<K, V>>): Promise<RecordMetadata[]> {
    if (this.closing) return Promise.reject(new ClientClosedError('the producer is closed'));
    if (this.interceptors.length > 0) return Promise.all(records.map((r) => this.send(r)));
    const sink = new BatchSink(records.length);
    for (let i = 0; i < records.length; i++) this.submit(records[i]!, sink, i);
    return sink.promise;
  }

  /** Serializes a record and appends it (at once when metadata and buffer room are there, else after waiting for them). */
  private submit(r: ProducerRecord<K, V>, sink: CompletionSink, slot: number): void {
    let prepared: Prepared;
    try {
      prepared = this.prepare(r);
    } catch (e) {
      sink.fail(slot, e as Error);
      return;
    }
    const topic = this.metadata.peek(r.topic);
    if (topic && this.pool.tryReserve(prepared.bytes)) {
      this.append(topic, r.partition, prepared, sink, slot);
      return;
    }
    this.appendSlow(r.topic, r.partition, prepared, sink, slot).catch((e: unknown) => sink.fail(slot, e as Error));
  }

  /** Sends everything buffered now, without waiting for linger.ms, and waits for every outcome. */
  async flush(): Promise<void> {
    const end = this.sender.beginFlush();
    try {
      await Promise.all(this.accumulator.pending().map((b) => b.whenDone()));
    } finally {
      end();
    }
  }

  /** The partitions of a topic, with their leaders. */
  async partitionsFor(topic: string): Promise<readonly PartitionMetadata[]> {
    return (await this.metadata.topic(topic)).partitions;
  }

  async initTransactions(): Promise<void> {
    await this.txn.initTransactions();
  }

  beginTransaction(): void {
    this.txn.beginTransaction();
  }

  /** Commits a consumer's offsets as part of the transaction (consume-transform-produce). */
  sendOffsetsToTransaction(offsets: readonly TransactionOffset[], group: ConsumerGroupMetadata | string): Promise<void> {
    return this.txn.sendOffsetsToTransaction(offsets, group);
  }

  /** Flushes, then commits: the transaction's records become visible to read_committed consumers. */
  commitTransaction(): Promise<void> {
    return this.txn.commitTransaction(() => this.flush());
  }

  /** Drops what is not sent yet, waits for requests on the wire, then aborts. */
  abortTransaction(): Promise<void> {
    return this.txn.abortTransaction(async (error) => {
      this.sender.dropQueued(error);
      await Promise.all(this.sender.inFlightBatches().map((b) => b.whenDone()));
    });
  }

  /** Flushes (bounded by timeoutMs, default delivery.timeout.ms), then closes the connections. */
  close(options: { timeoutMs?: number } = {}): Promise<void> {
    this.closing ??= this.closeNow(options.timeoutMs ?? this.config.deliveryTimeoutMs);
    return this.closing;
  }

  private async closeNow(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | null = null;
    const closed = new ClientClosedError('the producer was closed before the record was sent');
    try {
      await Promise.race([
        this.flush(),
        new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); }),
      ]);
    } finally {
      if (timer) clearTimeout(timer);
    }
    this.pool.failWaiters(closed);
    this.txn.failPendingAdds(closed);
    this.sender.dropQueued(closed);
    this.sender.close();
    for (const i of this.interceptors) await i.close?.();
    await this.cluster.close();
  }

  private acknowledge(md: RecordMetadata | null, error: Error | null, record: ProducerRecord<K, V>): void {
    for (const i of this.interceptors) {
      try {
        i.onAcknowledgement?.(md, error, record);
      } catch {
        // ignored, as in Kafka
      }
    }
  }

  private prepare(r: ProducerRecord<K, V>): Prepared {
    if (this.txn.transactional && this.txn.state !== 'InTransaction') {
      throw this.txn.state === 'FatalError' && this.txn.error ? this.txn.error
        : new TransactionStateError(`send() needs an open transaction (state ${this.txn.state}); call beginTransaction() first`);
    }
    let headers = toHeaders(r.headers);
    // A custom serializer may add headers: it gets an array of its own.
    const serializerHeaders = headers === NO_HEADERS && this.customSerializers ? [] : headers;
    const key = r.key === undefined || r.key === null ? null : this.keySerializer(r.key, r.topic, serializerHeaders);
    const value = r.value === null ? null : this.valueSerializer(r.value, r.topic, serializerHeaders);
    if (serializerHeaders !== headers && serializerHeaders.length > 0) headers = serializerHeaders;
    const timestamp = r.timestamp === undefined ? nowBig() : BigInt(r.timestamp);
    let bytes = RECORD_OVERHEAD_BYTES + (key?.length ?? 0) + (value?.length ?? 0);
    for (let i = 0; i < headers.length; i++) bytes += headers[i]!.key.length * 3 + (headers[i]!.value?.length ?? 0) + 10;
    if (bytes > this.config.maxRequestSize || bytes > this.config.bufferMemory) {
      throw new RecordTooLargeError(`a record of about ${bytes} bytes is larger than max.request.size (${this.config.maxRequestSize}) or buffer.memory`);
    }
    return { simple: { timestamp, key, value, headers }, bytes, keySize: key?.length ?? -1, valueSize: value?.length ?? -1, keyBytes: key };
  }

  private async appendSlow(topicName: string, partition: number | undefined, prepared: Prepared, sink: CompletionSink, slot: number): Promise<void> {
    const deadline = performance.now() + this.config.maxBlockMs;
    const topic = await withTimeout(this.metadata.topic(topicName), this.config.maxBlockMs, `metadata for topic '${topicName}'`);
    await this.pool.reserve(prepared.bytes, Math.max(0, deadline - performance.now()));
    if (this.closing) {
      this.pool.release(prepared.bytes);
      throw new ClientClosedError('the producer is closed');
    }
    this.append(topic, partition, prepared, sink, slot);
  }

  private append(topic: TopicMetadata, explicit: number | undefined, prepared: Prepared, sink: CompletionSink, slot: number): void {
    let partition = explicit;
    if (partition === undefined) partition = this.partitioner.partition(topic, prepared.keyBytes);
    else if (!Number.isInteger(partition) || partition < 0 || partition >= topic.partitions.length) {
      this.pool.release(prepared.bytes);
      sink.fail(slot, new RangeError(`partition ${partition} of topic '${topic.name}' does not exist (it has ${topic.partitions.length})`));
      return;
    }
    const full = this.accumulator.append(topic.name, partition, prepared.simple, sink, slot, prepared.keySize, prepared.valueSize, prepared.bytes);
    if (explicit === undefined) this.partitioner.recordAppended(topic.name, partition, prepared.bytes);
    if (full === 'ready' || this.config.lingerMs === 0) this.sender.wake();
    else if (full === 'opened') this.sender.lingerFrom(performance.now());
  }
}

interface Prepared {
  readonly simple: SimpleRecord;
  readonly bytes: number;
  readonly keySize: number;
  readonly valueSize: number;
  readonly keyBytes: Buffer | null;
}

/** Shared by every record without headers (never written to). */
const NO_HEADERS: RecordHeader[] = [];

let lastNowMs = 0;
let lastNowBig = 0n;

/** Date.now() as a bigint, converted once per millisecond. */
function nowBig(): bigint {
  const now = Date.now();
  if (now !== lastNowMs) {
    lastNowMs = now;
    lastNowBig = BigInt(now);
  }
  return lastNowBig;
}

function toHeaders(h: ProducerHeaders | undefined): RecordHeader[] {
  if (h === undefined) return NO_HEADERS;
  const entries: Array<{ key: string; value: Buffer | string | null }> = Array.isArray(h)
    ? (h as ReadonlyArray<{ key: string; value: Buffer | string | null }>).slice()
    : Object.entries(h as Readonly<Record<string, Buffer | string | null>>).map(([key, value]) => ({ key, value }));
  return entries.map(({ key, value }) => ({ key, value: typeof value === 'string' ? Buffer.from(value, 'utf8') : value }));
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | null = null;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ProducerTimeoutError(`${what}: not available within max.block.ms (${ms} ms)`)), ms);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
