/**
 * Raw requests for the tests of the broker's idempotence and transaction data path (produce
 * with producer ids, read_committed Fetch, ListOffsets isolation, WriteTxnMarkers,
 * DescribeProducers), over the RawClient of raw-client.ts.
 */
import assert from 'node:assert/strict';
import {
  ApiKey, type DescribeProducersResponse, FetchRequest, type FetchResponse, type ListOffsetsResponse, type ProduceResponse,
  type RecordBatch, type WriteTxnMarkersResponse, ZERO_UUID, decodeRecordBatchSync, encodeRecordBatchSync, splitRecordBatches,
} from '../../src/protocol/index.js';
import type { RawClient } from './raw-client.js';

export const READ_UNCOMMITTED = 0;
export const READ_COMMITTED = 1;

export interface ProducerBatch {
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  count: number;
  transactional?: boolean;
  /** Record timestamps: this value for every record (default: now). */
  timestamp?: bigint;
  /** Values are `${prefix}-${sequence}`. */
  prefix?: string;
}

/** A v2 batch of `count` records from a producer, sequences from baseSequence. */
export function producerBatch(b: ProducerBatch): Buffer {
  const timestamp = b.timestamp ?? BigInt(Date.now());
  return encodeRecordBatchSync({
    producerId: b.producerId,
    producerEpoch: b.producerEpoch,
    baseSequence: b.baseSequence,
    isTransactional: b.transactional ?? false,
    records: Array.from({ length: b.count }, (_, i) => ({
      offsetDelta: i, timestamp, key: null, value: Buffer.from(`${b.prefix ?? 'v'}-${b.baseSequence + i}`),
    })),
  });
}

export type PartitionProduceResponse = ProduceResponse['responses'][number]['partitionResponses'][number];

/** Produce v9 (acks=all) of one batch to one partition, optionally with a transactional id. */
export async function produce(client: RawClient, topic: string, partition: number, records: Buffer, transactionalId: string | null = null): Promise<PartitionProduceResponse> {
  const r = await client.request<ProduceResponse>(ApiKey.Produce, 9, {
    transactionalId, acks: -1, timeoutMs: 10_000, topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
  });
  return r.responses[0]!.partitionResponses[0]!;
}

export type PartitionFetchResponse = FetchResponse['responses'][number]['partitions'][number];

export interface FetchOptions {
  isolationLevel?: number;
  maxWaitMs?: number;
  minBytes?: number;
  version?: number;
}

/** A sessionless Fetch (v12 unless told) of one partition. */
export async function fetchPartition(client: RawClient, topic: string, partition: number, fetchOffset: bigint, o: FetchOptions = {}): Promise<PartitionFetchResponse> {
  const r = await client.request<FetchResponse>(ApiKey.Fetch, o.version ?? 12, {
    ...FetchRequest.defaults(), maxWaitMs: o.maxWaitMs ?? 0, minBytes: o.minBytes ?? 0, maxBytes: 1 << 20,
    isolationLevel: o.isolationLevel ?? READ_UNCOMMITTED, sessionId: 0, sessionEpoch: -1,
    topics: [{
      topic, topicId: ZERO_UUID, _unknownTaggedFields: undefined,
      partitions: [{
        partition, currentLeaderEpoch: -1, fetchOffset, lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: 1 << 20,
        replicaDirectoryId: ZERO_UUID, _unknownTaggedFields: undefined,
      }],
    }],
    forgottenTopicsData: [],
  });
  assert.equal(r.responses.length, 1);
  return r.responses[0]!.partitions[0]!;
}

/** The batches of a fetched partition, decoded. */
export function batchesOf(p: PartitionFetchResponse): RecordBatch[] {
  return splitRecordBatches(p.records ?? Buffer.alloc(0)).batches.map((b) => decodeRecordBatchSync(b, { maxUncompressedBytes: 1 << 24 }));
}

/** The values of the data records (control batches left out) of a fetched partition. */
export function valuesOf(p: PartitionFetchResponse): string[] {
  return batchesOf(p).filter((b) => !b.isControl).flatMap((b) => b.records.map((r) => r.value?.toString() ?? ''));
}

/** ListOffsets v7 of one partition: the offset (and timestamp) answered. */
export async function listOffset(client: RawClient, topic: string, partition: number, timestamp: bigint, isolationLevel = READ_UNCOMMITTED): Promise<{ errorCode: number; offset: bigint; timestamp: bigint }> {
  const r = await client.request<ListOffsetsResponse>(ApiKey.ListOffsets, 7, {
    replicaId: -1, isolationLevel, timeoutMs: 0,
    topics: [{ name: topic, partitions: [{ partitionIndex: partition, currentLeaderEpoch: -1, timestamp, maxNumOffsets: 1 }] }],
  });
  const p = r.topics[0]!.partitions[0]!;
  return { errorCode: p.errorCode, offset: p.offset, timestamp: p.timestamp };
}

export interface MarkerRequest {
  producerId: bigint;
  producerEpoch: number;
  coordinatorEpoch: number;
  committed: boolean;
  topics: { name: string; partitions: number[] }[];
}

/** WriteTxnMarkers (v1 unless told). */
export function writeTxnMarkers(client: RawClient, markers: MarkerRequest[], version = 1): Promise<WriteTxnMarkersResponse> {
  return client.request<WriteTxnMarkersResponse>(ApiKey.WriteTxnMarkers, version, {
    markers: markers.map((m) => ({
      producerId: m.producerId, producerEpoch: m.producerEpoch, transactionResult: m.committed, coordinatorEpoch: m.coordinatorEpoch,
      topics: m.topics.map((t) => ({ name: t.name, partitionIndexes: t.partitions })),
    })),
  });
}

/** The error code of every partition of a WriteTxnMarkers answer, as `topic-partition: code`. */
export function markerErrors(r: WriteTxnMarkersResponse): Record<string, number>[] {
  return r.markers.map((m) => Object.fromEntries(m.topics.flatMap((t) => t.partitions.map((p) => [`${t.name}-${p.partitionIndex}`, p.errorCode]))));
}

export function describeProducers(client: RawClient, topic: string, partitions: number[]): Promise<DescribeProducersResponse> {
  return client.request<DescribeProducersResponse>(ApiKey.DescribeProducers, 0, { topics: [{ name: topic, partitionIndexes: partitions }] });
}
