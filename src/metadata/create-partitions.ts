import {
  type CreatePartitionsRequest,
  type CreatePartitionsRequestCreatePartitionsTopic,
  type CreatePartitionsResponse,
  type CreatePartitionsResponseCreatePartitionsTopicResult,
  ErrorCode,
} from '../protocol/index.js';
import { type ApiError, type ControllerContext, type ControllerResult, duplicates, MAX_RECORDS_PER_USER_OP } from './controller-context.js';
import { type MetadataImage, type TopicImage, usableBrokerIds } from './image.js';
import { checkManualAssignments, partitionRecords } from './new-partitions.js';
import type { MetadataRecord } from './records.js';
import { placeReplicas } from './replica-placement.js';

/**
 * CreatePartitions (Kafka's ReplicationControlManager.createPartitions): a topic only grows.
 * New partitions take the replication factor of the existing ones; manual assignments must name
 * exactly the added partitions. Each new partition is one PartitionRecord.
 */

type Plan = { ok: true; topic: TopicImage; replicas: number[][] } | { ok: false; error: ApiError };

function fail(code: number, message: string): Plan {
  return { ok: false, error: { code, message } };
}

function plan(ctx: ControllerContext, image: MetadataImage, request: CreatePartitionsRequestCreatePartitionsTopic): Plan {
  const topic = image.topicsByName.get(request.name);
  if (topic === undefined) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'This server does not host this topic-partition.');
  const current = topic.partitions.size;
  if (request.count === current) return fail(ErrorCode.INVALID_PARTITIONS, `Topic already has ${current} partition(s).`);
  if (request.count < current) {
    return fail(ErrorCode.INVALID_PARTITIONS, `The topic ${request.name} currently has ${current} partition(s); ${request.count} would not be an increase.`);
  }
  const additional = request.count - current;
  if (additional > MAX_RECORDS_PER_USER_OP) return fail(ErrorCode.INVALID_PARTITIONS, 'Excessively large number of partitions per request.');
  const assignments = request.assignments;
  if (assignments !== null && assignments.length !== additional) {
    return fail(
      ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      `Attempted to add ${additional} additional partition(s), but only ${assignments.length} assignment(s) were specified.`,
    );
  }
  const first = topic.partitions.get(0) ?? topic.partitions.values().next().value;
  if (first === undefined) return fail(ErrorCode.UNKNOWN_SERVER_ERROR, `Invalid state: topic ${request.name} appears to have no partitions.`);
  const replicationFactor = first.replicas.length;
  if (assignments !== null) {
    const replicas = assignments.map((a) => a.brokerIds);
    const error = checkManualAssignments(image, replicas, replicationFactor, (i) => current + i);
    return error === null ? { ok: true, topic, replicas } : { ok: false, error };
  }
  const placed = placeReplicas(usableBrokerIds(image), current, additional, replicationFactor, ctx.random);
  if (!placed.ok) return fail(ErrorCode.INVALID_REPLICATION_FACTOR, `Unable to replicate the partition ${replicationFactor} time(s): ${placed.message}`);
  return { ok: true, topic, replicas: placed.replicas };
}

export function createPartitions(ctx: ControllerContext, image: MetadataImage, request: CreatePartitionsRequest): ControllerResult<CreatePartitionsResponse> {
  const repeated = duplicates(request.topics.map((t) => t.name));
  const records: MetadataRecord[] = [];
  const results: CreatePartitionsResponseCreatePartitionsTopicResult[] = [];
  const answered = new Set<string>();
  for (const topic of request.topics) {
    if (answered.has(topic.name)) continue;
    answered.add(topic.name);
    let outcome = repeated.has(topic.name) ? fail(ErrorCode.INVALID_REQUEST, 'Duplicate topic name.') : plan(ctx, image, topic);
    if (outcome.ok && records.length + outcome.replicas.length > MAX_RECORDS_PER_USER_OP) {
      outcome = fail(ErrorCode.INVALID_PARTITIONS, 'Excessively large number of partitions per request.');
    }
    if (!outcome.ok) {
      results.push({ name: topic.name, errorCode: outcome.error.code, errorMessage: outcome.error.message });
      continue;
    }
    results.push({ name: topic.name, errorCode: ErrorCode.NONE, errorMessage: null });
    records.push(...partitionRecords(image, outcome.topic.topicId, outcome.topic.partitions.size, outcome.replicas));
  }
  return { records: request.validateOnly ? [] : records, result: { throttleTimeMs: 0, results } };
}
