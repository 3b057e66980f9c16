/**
 * The producer's public shapes and the seams between its parts. CONTRACT: producer.ts (the
 * public class), accumulator.ts/sender.ts (batching and Produce requests), partitioner.ts and
 * transaction-manager.ts are written against these; change them only together.
 */
import type { CommonClientOptions } from '../client-options.js';
import type { Serializer } from '../serde.js';
import type { TopicPartition } from '../admin/types.js';

export type CompressionType = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

/** Headers as a list (order kept, repeats allowed) or as an object. Strings are written as UTF-8. */
export type ProducerHeaders = ReadonlyArray<{ key: string; value: Buffer | string | null }> | Readonly<Record<string, Buffer | string | null>>;

export interface ProducerRecord<K = Buffer | string | null, V = Buffer | string | null> {
  topic: string;
  /** Chosen by the partitioner when not given. */
  partition?: number;
  key?: K | null;
  value: V | null;
  /** Milliseconds since the epoch; the send time when not given. */
  timestamp?: number | bigint;
  headers?: ProducerHeaders;
}

/** What a send resolves to once the broker has the record (per `acks`). */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  /** -1n with acks=0 (the broker does not answer). */
  readonly offset: bigint;
  /** The record's timestamp, or the broker's append time for LogAppendTime topics. */
  readonly timestamp: bigint;
  readonly serializedKeySize: number;
  readonly serializedValueSize: number;
}

/** Kafka's ProducerInterceptor: onSend may replace the record; onAcknowledgement sees each outcome. */
export interface ProducerInterceptor<K = Buffer | string | null, V = Buffer | string | null> {
  onSend?(record: ProducerRecord<K, V>): ProducerRecord<K, V>;
  onAcknowledgement?(metadata: RecordMetadata | null, error: Error | null, record: ProducerRecord<K, V>): void;
  close?(): void | Promise<void>;
}

/**
 * A custom partitioner (`partitioner.class`): returns the partition for a record, or -1 to let the
 * built-in logic decide (murmur2 for keyed records, sticky for the rest).
 */
export type CustomPartitioner = (topic: string, keyBytes: Buffer | null, partitionCount: number) => number;

/** The consumer's group identity, sent with sendOffsetsToTransaction (KIP-447 fencing). */
export interface ConsumerGroupMetadata {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

/** An offset to commit inside a transaction: the next record to read, as in the consumer. */
export interface TransactionOffset extends TopicPartition {
  readonly offset: bigint;
  readonly leaderEpoch?: number;
  readonly metadata?: string | null;
}

export interface ProducerOptions<K = Buffer | string | null, V = Buffer | string | null> extends CommonClientOptions {
  /** `acks` (all): 0, 1, or all/-1. */
  acks?: 0 | 1 | -1 | 'all' | '0' | '1' | '-1';
  /** `linger.ms` (5, as in Kafka 4). */
  lingerMs?: number;
  /** `batch.size` (16384 bytes). */
  batchSize?: number;
  /** `buffer.memory` (33554432): bytes waiting to be sent; send() waits for room (up to max.block.ms). */
  bufferMemory?: number;
  /** `max.block.ms` (60000): how long send() may wait for metadata or buffer room. */
  maxBlockMs?: number;
  /** `max.request.size` (1048576): the largest record (and Produce request) accepted. */
  maxRequestSize?: number;
  /** `compression.type` (none). */
  compressionType?: CompressionType;
  /** `compression.gzip.level`, `compression.lz4.level`, `compression.zstd.level`. */
  compressionGzipLevel?: number;
  compressionLz4Level?: number;
  compressionZstdLevel?: number;
  /** `retries` (2147483647): bounded in practice by delivery.timeout.ms. */
  retries?: number;
  /** `delivery.timeout.ms` (120000): from send() to success or failure, retries included. */
  deliveryTimeoutMs?: number;
  /** `max.in.flight.requests.per.connection` (5; at most 5 with idempotence). */
  maxInFlightRequestsPerConnection?: number;
  /** `enable.idempotence` (true, as in Kafka 3+). */
  enableIdempotence?: boolean;
  /** `transactional.id`: enables transactions (and requires idempotence). */
  transactionalId?: string;
  /** `transaction.timeout.ms` (60000). */
  transactionTimeoutMs?: number;
  /** `partitioner.class` as a function. */
  partitioner?: CustomPartitioner;
  /** `partitioner.ignore.keys` (false): sticky partitioning for keyed records too. */
  partitionerIgnoreKeys?: boolean;
  /** `allow.auto.create.topics` (true): Metadata asks the broker to create a missing topic. */
  allowAutoCreateTopics?: boolean;
  /** `key.serializer`, `value.serializer`: Buffer and string pass through by default. */
  keySerializer?: Serializer<K>;
  valueSerializer?: Serializer<V>;
  /** `interceptor.classes`. */
  interceptors?: ReadonlyArray<ProducerInterceptor<K, V>>;
}

export const PRODUCER_DEFAULTS = {
  acks: -1,
  lingerMs: 5,
  batchSize: 16_384,
  bufferMemory: 33_554_432,
  maxBlockMs: 60_000,
  maxRequestSize: 1_048_576,
  compressionType: 'none' as CompressionType,
  retries: 2_147_483_647,
  deliveryTimeoutMs: 120_000,
  maxInFlightRequestsPerConnection: 5,
  enableIdempotence: true,
  transactionTimeoutMs: 60_000,
  partitionerIgnoreKeys: false,
  allowAutoCreateTopics: true,
} as const;

/** The camelCase names ProducerOptions accepts (dotted forms are mapped onto these). */
export const PRODUCER_OPTION_NAMES: readonly string[] = [
  'acks', 'lingerMs', 'batchSize', 'bufferMemory', 'maxBlockMs', 'maxRequestSize', 'compressionType', 'compressionGzipLevel',
  'compressionLz4Level', 'compressionZstdLevel', 'retries', 'deliveryTimeoutMs', 'maxInFlightRequestsPerConnection', 'enableIdempotence',
  'transactionalId', 'transactionTimeoutMs', 'partitioner', 'partitionerIgnoreKeys', 'allowAutoCreateTopics', 'keySerializer',
  'valueSerializer', 'interceptors',
];

/** A producer id and epoch; NO_PRODUCER_ID (-1n) / -1 for a plain producer. */
export interface ProducerIdAndEpoch {
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

/**
 * What the sender needs from the idempotence/transaction state (transaction-manager.ts):
 * the producer id and epoch, per-partition sequence numbers, the partitions added to the open
 * transaction, and what to do with errors that concern that state. The sender calls these on
 * its own schedule; the transaction manager never sends Produce requests itself.
 */
export interface TransactionManagerApi {
  /** Idempotence on (with or without a transactional id). */
  readonly idempotent: boolean;
  readonly transactional: boolean;
  /**
   * Resolves once a producer id is held (InitProducerId done; for a transactional producer,
   * after initTransactions()). The sender awaits it before its first idempotent batch.
   */
  ensureProducerId(): Promise<ProducerIdAndEpoch>;
  /** The current id and epoch, or null when none is held (before init, after a fatal error). */
  producerIdAndEpoch(): ProducerIdAndEpoch | null;
  /** The sequence the next batch for `tp` starts at; the sender assigns it when the batch is first drained. */
  nextSequence(tp: TopicPartition): number;
  /** After assigning a batch of `recordCount` records starting at nextSequence(tp). Wraps at int32 max. */
  incrementSequence(tp: TopicPartition, recordCount: number): void;
  /**
   * Called before a transactional batch for `tp` is sent: resolves once the partition is part of
   * the transaction (AddPartitionsToTxn, batched across partitions). Rejects when the transaction
   * is in an error state. Resolves at once for non-transactional producers.
   */
  ensurePartitionAdded(tp: TopicPartition): Promise<void>;
  /**
   * A Produce error concerning producer state (OUT_OF_ORDER_SEQUENCE_NUMBER, UNKNOWN_PRODUCER_ID,
   * INVALID_PRODUCER_EPOCH, PRODUCER_FENCED, TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
   * INVALID_TXN_STATE …). Returns 'retry' when the batch may be sent again as is,
   * 'reset' when the idempotent producer bumped its epoch / got a new id and the sender must
   * re-sequence the batches not yet acknowledged (sequences start again from 0), and 'fail'
   * when the batch fails (a transactional producer then enters its abortable or fatal error state).
   */
  onProduceError(tp: TopicPartition, errorCode: number, batchBaseSequence: number): Promise<'retry' | 'reset' | 'fail'>;
  /** A batch failed for good (delivery timeout, non-retriable error): a transactional producer can then only abort. */
  onBatchFailed(tp: TopicPartition, error: Error): void;
}
