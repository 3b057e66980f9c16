/**
 * One pass over a Fetch request's partitions: read each from its log within the partition and
 * response byte limits (the first partition with data gets at least one whole batch, as Kafka's
 * KIP-74 rule), converting down to v0/v1 messages for old request versions. read_committed
 * (v4+) reads stop at the last stable offset and carry the aborted transactions; only those
 * bytes count toward minBytes.
 */
import { EMPTY_BUFFER, ErrorCode, type FetchRequest, type FetchResponsePartitionData, type Uuid } from '../../protocol/index.js';
import { downConvert } from '../legacy-records.js';
import type { ReplicaManager } from '../replica-manager.js';

export interface ResolvedFetchTopic {
  name: string | null;
  topicId: Uuid;
  /** Set when the topic id is unknown (v13+). */
  errorCode: number;
  partitions: FetchRequest['topics'][number]['partitions'];
}

export interface FetchPass {
  topics: { topic: ResolvedFetchTopic; partitions: FetchResponsePartitionData[] }[];
  bytes: number;
  anyError: boolean;
}

const MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024;

function partitionData(partitionIndex: number, errorCode: number, readCommitted: boolean): FetchResponsePartitionData {
  return {
    partitionIndex,
    errorCode,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    divergingEpoch: { epoch: -1, endOffset: -1n, _unknownTaggedFields: undefined },
    currentLeader: { leaderId: -1, leaderEpoch: -1, _unknownTaggedFields: undefined },
    snapshotId: { endOffset: -1n, epoch: -1, _unknownTaggedFields: undefined },
    abortedTransactions: readCommitted ? [] : null,
    preferredReadReplica: -1,
    records: EMPTY_BUFFER,
    _unknownTaggedFields: undefined,
  };
}

function epochError(requested: number, current: number): number {
  if (requested < 0 || requested === current) return ErrorCode.NONE;
  return requested > current ? ErrorCode.UNKNOWN_LEADER_EPOCH : ErrorCode.FENCED_LEADER_EPOCH;
}

export async function readFetchPass(
  replicas: ReplicaManager,
  topics: readonly ResolvedFetchTopic[],
  request: { maxBytes: number; readCommitted: boolean; legacyMagic: 0 | 1 | null },
): Promise<FetchPass> {
  let budget = request.maxBytes;
  let bytes = 0;
  let anyError = false;
  const out: FetchPass['topics'] = [];
  for (const topic of topics) {
    const partitions: FetchResponsePartitionData[] = [];
    for (const p of topic.partitions) {
      if (topic.errorCode !== ErrorCode.NONE || topic.name === null) {
        anyError = true;
        partitions.push(partitionData(p.partition, topic.errorCode, request.readCommitted));
        continue;
      }
      const found = replicas.lookup(topic.name, p.partition);
      const epochCode = found.log ? epochError(p.currentLeaderEpoch, found.leaderEpoch) : found.errorCode;
      if (epochCode !== ErrorCode.NONE || !found.log) {
        anyError = true;
        partitions.push(partitionData(p.partition, epochCode, request.readCommitted));
        continue;
      }
      const maxBytes = Math.max(0, Math.min(p.partitionMaxBytes, budget));
      const read = await replicas.read(found.log, p.fetchOffset, maxBytes, bytes === 0, request.readCommitted);
      const data = partitionData(p.partition, read.errorCode, request.readCommitted);
      data.highWatermark = read.highWatermark;
      data.lastStableOffset = read.lastStableOffset;
      data.logStartOffset = read.logStartOffset;
      if (read.abortedTransactions !== null) {
        data.abortedTransactions = read.abortedTransactions.map((t) => ({ producerId: t.producerId, firstOffset: t.firstOffset, _unknownTaggedFields: undefined }));
      }
      if (read.errorCode !== ErrorCode.NONE) anyError = true;
      let records = read.records ?? EMPTY_BUFFER;
      if (records.length > 0 && request.legacyMagic !== null) records = await downConvert(records, request.legacyMagic, MAX_UNCOMPRESSED_BYTES);
      data.records = records;
      bytes += records.length;
      budget -= records.length;
      partitions.push(data);
    }
    out.push({ topic, partitions });
  }
  return { topics: out, bytes, anyError };
}
