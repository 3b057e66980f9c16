/**
 * DescribeTopicPartitions (75, KIP-966): topics with their partitions, paged, as Kafka's
 * DescribeTopicPartitionsRequestHandler and KRaftMetadataCache:
 *
 * - an empty topic list means every topic; the topics (deduplicated) are answered sorted by
 *   name, starting at the cursor's topic and, in it, at the cursor's partition;
 * - at most responsePartitionLimit partitions (clamped to [1, 2000]) per response: a topic cut
 *   short sets nextCursor to its next partition; when the limit is used up exactly, nextCursor
 *   names the next topic at partition 0;
 * - a named topic that does not exist answers UNKNOWN_TOPIC_OR_PARTITION (INVALID_TOPIC_EXCEPTION
 *   for an illegal name) and takes no room; with the whole list, nothing is reported for it;
 * - a cursor whose topic is not among those named, or with a negative partition, fails the whole
 *   request with INVALID_REQUEST for every topic named;
 * - the leader is -1 when it is not registered with the request's listener; offline replicas are
 *   those not registered, fenced, or without that listener.
 *
 * The image keeps no eligible leader replicas (ELR is off, as in Kafka by default): empty lists.
 */
import {
  ApiKey, type DescribeTopicPartitionsRequest, type DescribeTopicPartitionsResponse, type DescribeTopicPartitionsResponsePartition,
  type DescribeTopicPartitionsResponseTopic, ErrorCode, ZERO_UUID,
} from '../../protocol/index.js';
import { type MetadataImage, type PartitionRegistration, topicNameError } from '../../metadata/index.js';
import { ALL_TOPIC_OPERATIONS, OPERATIONS_NOT_REQUESTED, isInternalTopic } from '../internal-topics.js';
import { allVersions, defineHandler } from './api-handler.js';

/** Kafka's max.request.partition.size.limit default: the most partitions one response may carry. */
export const MAX_REQUEST_PARTITION_SIZE_LIMIT = 2000;

type Response = DescribeTopicPartitionsResponse;

function hasListener(image: MetadataImage, brokerId: number, listener: string): boolean {
  return image.brokers.get(brokerId)?.endpoints.some((e) => e.name === listener) ?? false;
}

function describePartition(image: MetadataImage, p: PartitionRegistration, listener: string): DescribeTopicPartitionsResponsePartition {
  const offlineReplicas = p.replicas.filter((id) => image.brokers.get(id)?.fenced !== false || !hasListener(image, id, listener));
  return {
    errorCode: ErrorCode.NONE,
    partitionIndex: p.partitionId,
    leaderId: hasListener(image, p.leader, listener) ? p.leader : -1,
    leaderEpoch: p.leaderEpoch,
    replicaNodes: [...p.replicas],
    isrNodes: [...p.isr],
    eligibleLeaderReplicas: [],
    lastKnownElr: [],
    offlineReplicas,
    _unknownTaggedFields: undefined,
  };
}

function topicEntry(errorCode: number, name: string, partitions: DescribeTopicPartitionsResponsePartition[], topicId = ZERO_UUID): DescribeTopicPartitionsResponseTopic {
  return { errorCode, name, topicId, isInternal: isInternalTopic(name), partitions, topicAuthorizedOperations: ALL_TOPIC_OPERATIONS, _unknownTaggedFields: undefined };
}

/** Kafka's answer to a request it rejects: every topic named, with the error and nothing else. */
function rejected(body: DescribeTopicPartitionsRequest, errorCode: number): Response {
  const topics = body.topics.map((t) => ({ ...topicEntry(errorCode, t.name, []), isInternal: false, topicAuthorizedOperations: OPERATIONS_NOT_REQUESTED }));
  return { throttleTimeMs: 0, topics, nextCursor: null, _unknownTaggedFields: undefined };
}

export function describeTopicPartitions(image: MetadataImage, body: DescribeTopicPartitionsRequest, listener: string): Response {
  const fetchAll = body.topics.length === 0;
  const cursor = body.cursor;
  const from = cursor?.topicName ?? '';
  const names = new Set((fetchAll ? [...image.topicsByName.keys()] : body.topics.map((t) => t.name)).filter((n) => n >= from));
  if (!fetchAll && cursor && !names.has(cursor.topicName)) return rejected(body, ErrorCode.INVALID_REQUEST);
  if (cursor && cursor.partitionIndex < 0) return rejected(body, ErrorCode.INVALID_REQUEST);

  const response: Response = { throttleTimeMs: 0, topics: [], nextCursor: null, _unknownTaggedFields: undefined };
  let remaining = Math.max(Math.min(MAX_REQUEST_PARTITION_SIZE_LIMIT, body.responsePartitionLimit), 1);
  for (const name of [...names].sort()) {
    if (remaining === 0) {
      // Every partition of the previous topic fit: the next page starts at this one (which may not exist).
      response.nextCursor = { topicName: name, partitionIndex: 0, _unknownTaggedFields: undefined };
      break;
    }
    const topic = image.topicsByName.get(name);
    if (!topic) {
      if (!fetchAll) response.topics.push(topicEntry(topicNameError(name) === null ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.INVALID_TOPIC_EXCEPTION, name, []));
      continue;
    }
    const start = cursor && name === cursor.topicName ? cursor.partitionIndex : 0;
    const count = topic.partitions.size;
    const upper = Math.min(count, start + remaining);
    const partitions: DescribeTopicPartitionsResponsePartition[] = [];
    for (let id = start; id < upper; id++) {
      const p = topic.partitions.get(id);
      if (p) partitions.push(describePartition(image, p, listener));
    }
    response.topics.push(topicEntry(ErrorCode.NONE, name, partitions, topic.topicId));
    if (upper < count) {
      response.nextCursor = { topicName: name, partitionIndex: upper, _unknownTaggedFields: undefined };
      break;
    }
    remaining -= partitions.length;
  }
  return response;
}

export const describeTopicPartitionsHandler = defineHandler<DescribeTopicPartitionsRequest, Response>({
  apiKey: ApiKey.DescribeTopicPartitions,
  versions: allVersions(ApiKey.DescribeTopicPartitions),
  handle({ body, services, request }) {
    return describeTopicPartitions(services.metadata.image, body, request.connection.listenerName);
  },
});
