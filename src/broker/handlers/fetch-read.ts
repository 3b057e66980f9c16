/**
 * One pass over a Fetch request's partitions: read each from its log within the partition and
 * response byte limits (the first partition with data gets at least one whole batch, as Kafka's
 * KIP-74 rule), converting down to v0/v1 messages for old request versions. read_committed
 * (v4+) reads stop at the last stable offset and carry the aborted transactions; only those
 * bytes count toward minBytes.
 */
import { EMPTY_BUFFER, ErrorCode, type FetchRequest, type FetchResponsePartitionData, type Uuid } from '../../protocol/index.js';
import { downConvert } from '../legacy-records.js';
import type { ReadResult, ReplicaManager } from '../replica-manager.js';

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
  /** Recycled buffers the records were read into: give them back once the answer is sent or dropped. */
  fileBuffers: Buffer[];
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

interface ReadJob {
  log: NonNullable<ReturnType<ReplicaManager['lookup']>['log']>;
  p: ResolvedFetchTopic['partitions'][number];
  data: FetchResponsePartitionData;
}

/**
 * Reads partitions in request order with Kafka's budget rules, but not one at a time: a read
 * whose limit cannot depend on the reads before it (the budget left, counting every earlier read
 * as if it came back full, still covers its partition limit) starts together with them, so one
 * fetch's file reads overlap on the thread pool. A read that may return one whole batch past its
 * limit (KIP-74: the first partition with data) goes alone, since its size bounds nothing.
 */
async function readInOrder(
  replicas: ReplicaManager,
  jobs: readonly ReadJob[],
  request: { maxBytes: number; readCommitted: boolean; legacyMagic: 0 | 1 | null },
): Promise<{ bytes: number; anyError: boolean; fileBuffers: Buffer[] }> {
  const fileBuffers: Buffer[] = [];
  let budget = request.maxBytes;
  let bytes = 0;
  let anyError = false;
  let next = 0;
  while (next < jobs.length) {
    const round: Array<{ job: ReadJob; read: Promise<ReadResult> }> = [];
    let reserved = 0;
    while (next < jobs.length) {
      const job = jobs[next]!;
      const maxBytes = Math.max(0, Math.min(job.p.partitionMaxBytes, budget - reserved));
      if (round.length > 0 && (request.legacyMagic !== null || maxBytes < job.p.partitionMaxBytes)) break;
      const minOneBatch = round.length === 0 && bytes === 0;
      const read = replicas.read(job.log, job.p.fetchOffset, maxBytes, minOneBatch, request.readCommitted, true);
      // A failure surfaces where it is awaited below; until then it must not count as unhandled.
      read.catch(() => undefined);
      round.push({ job, read });
      reserved += maxBytes;
      next++;
      // One whole batch may be larger than maxBytes: nothing after it knows its budget yet.
      if (minOneBatch) break;
    }
    for (const r of round) {
      const read = await r.read;
      if (read.fileBuffer) fileBuffers.push(read.fileBuffer);
      const data = r.job.data;
      data.errorCode = read.errorCode;
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
    }
  }
  return { bytes, anyError, fileBuffers };
}

export async function readFetchPass(
  replicas: ReplicaManager,
  topics: readonly ResolvedFetchTopic[],
  request: { maxBytes: number; readCommitted: boolean; legacyMagic: 0 | 1 | null },
): Promise<FetchPass> {
  let anyError = false;
  const jobs: ReadJob[] = [];
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
      const data = partitionData(p.partition, ErrorCode.NONE, request.readCommitted);
      jobs.push({ log: found.log, p, data });
      partitions.push(data);
    }
    out.push({ topic, partitions });
  }
  const read = await readInOrder(replicas, jobs, request);
  return { topics: out, bytes: read.bytes, anyError: anyError || read.anyError, fileBuffers: read.fileBuffers };
}
