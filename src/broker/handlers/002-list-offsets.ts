/**
 * ListOffsets (2): earliest (-2), latest (-1), max timestamp (-3), earliest local (-4), or the
 * first offset whose timestamp is at least the one given. Consumers never see past the last
 * fetchable offset: the high watermark, or for read_committed (v2+) the last stable offset.
 * "Latest" is that offset, and a timestamp or max-timestamp lookup that lands at or past it
 * finds nothing (-1), as Kafka. v0 answers in oldStyleOffsets.
 */
import {
  ApiKey, ErrorCode, type ListOffsetsRequest, type ListOffsetsResponse, type ListOffsetsResponseListOffsetsPartitionResponse,
} from '../../protocol/index.js';
import type { ReplicaManager } from '../replica-manager.js';
import { allVersions, defineHandler } from './api-handler.js';

const LATEST = -1n;
const EARLIEST = -2n;
const EARLIEST_LOCAL = -4n;
const READ_COMMITTED = 1;

interface LookupRequest {
  v0: boolean;
  readCommitted: boolean;
}

function answer(partitionIndex: number, errorCode: number, offset = -1n, timestamp = -1n, leaderEpoch = -1, v0 = false): ListOffsetsResponseListOffsetsPartitionResponse {
  return {
    partitionIndex, errorCode, oldStyleOffsets: v0 && offset >= 0n ? [offset] : [], timestamp, offset, leaderEpoch, _unknownTaggedFields: undefined,
  };
}

async function lookup(
  replicas: ReplicaManager, topic: string, p: ListOffsetsRequest['topics'][number]['partitions'][number], { v0, readCommitted }: LookupRequest,
): Promise<ListOffsetsResponseListOffsetsPartitionResponse> {
  const found = replicas.lookup(topic, p.partitionIndex);
  if (!found.log) return answer(p.partitionIndex, found.errorCode);
  if (p.currentLeaderEpoch >= 0 && p.currentLeaderEpoch !== found.leaderEpoch) {
    return answer(p.partitionIndex, p.currentLeaderEpoch > found.leaderEpoch ? ErrorCode.UNKNOWN_LEADER_EPOCH : ErrorCode.FENCED_LEADER_EPOCH);
  }
  const log = found.log;
  const lastFetchableOffset = readCommitted ? log.lastStableOffset : log.highWatermark;
  if (p.timestamp === LATEST) return answer(p.partitionIndex, ErrorCode.NONE, lastFetchableOffset, -1n, found.leaderEpoch, v0);
  const result = await log.offsetForTimestamp(p.timestamp);
  const visible = p.timestamp === EARLIEST || p.timestamp === EARLIEST_LOCAL || (result !== null && result.offset < lastFetchableOffset);
  if (result === null || !visible) return answer(p.partitionIndex, ErrorCode.NONE, -1n, -1n, -1, v0);
  return answer(p.partitionIndex, ErrorCode.NONE, result.offset, result.timestamp, result.leaderEpoch, v0);
}

export const listOffsetsHandler = defineHandler<ListOffsetsRequest, ListOffsetsResponse>({
  apiKey: ApiKey.ListOffsets,
  versions: allVersions(ApiKey.ListOffsets),
  async handle({ body, apiVersion, services }) {
    const request = { v0: apiVersion === 0, readCommitted: apiVersion >= 2 && body.isolationLevel === READ_COMMITTED };
    const topics = [];
    for (const t of body.topics) {
      const partitions = [];
      for (const p of t.partitions) partitions.push(await lookup(services.replicas, t.name, p, request));
      topics.push({ name: t.name, partitions, _unknownTaggedFields: undefined });
    }
    return { throttleTimeMs: 0, topics, _unknownTaggedFields: undefined };
  },
});
