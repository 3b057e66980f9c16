import {
  type CreateTopicsRequest,
  type CreateTopicsRequestCreatableTopic,
  type CreateTopicsResponse,
  type CreateTopicsResponseCreatableTopicResult,
  ErrorCode,
  type Uuid,
  uuidFromBytes,
  ZERO_UUID,
} from '../protocol/index.js';
import { type ApiError, type ControllerContext, type ControllerResult, duplicates, MAX_RECORDS_PER_USER_OP } from './controller-context.js';
import { ConfigResourceType, type MetadataImage, usableBrokerIds } from './image.js';
import { checkManualAssignments, partitionRecords } from './new-partitions.js';
import { type MetadataRecord, metadataRecord } from './records.js';
import { placeReplicas } from './replica-placement.js';
import { collidingTopic, collisionIndex, topicNameError, unifyCollisionChars } from './topic-names.js';

/**
 * CreateTopics (Kafka's ReplicationControlManager.createTopics): per topic, in this order, a
 * duplicate in the request (INVALID_REQUEST), an illegal or colliding name
 * (INVALID_TOPIC_EXCEPTION), an existing topic (TOPIC_ALREADY_EXISTS), configs (INVALID_CONFIG),
 * then partitions and replicas. Each created topic is a TopicRecord, its ConfigRecords and one
 * PartitionRecord per partition; with validateOnly nothing is written and no id is assigned.
 */

function fail(code: number, message: string): ApiError {
  return { code, message };
}

/** Kafka's Uuid.randomUuid: never the zero or metadata-topic id, never starting with '-'. */
function newTopicId(ctx: ControllerContext, taken: (id: Uuid) => boolean): Uuid {
  for (;;) {
    const id = uuidFromBytes(ctx.random.bytes(16));
    if (id !== ZERO_UUID && id !== 'AAAAAAAAAAAAAAAAAAAAAQ' && !id.startsWith('-') && !taken(id)) return id;
  }
}

type Plan = { ok: true; replicas: number[][] } | { ok: false; error: ApiError };

function planPartitions(ctx: ControllerContext, image: MetadataImage, topic: CreateTopicsRequestCreatableTopic): Plan {
  if (topic.assignments.length > 0) {
    if (topic.replicationFactor !== -1) {
      return { ok: false, error: fail(ErrorCode.INVALID_REQUEST, 'A manual partition assignment was specified, but replication factor was not set to -1.') };
    }
    if (topic.numPartitions !== -1) {
      return { ok: false, error: fail(ErrorCode.INVALID_REQUEST, 'A manual partition assignment was specified, but numPartitions was not set to -1.') };
    }
    const byIndex = new Map<number, number[]>();
    for (const a of topic.assignments) {
      if (byIndex.has(a.partitionIndex)) {
        return { ok: false, error: fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Found multiple manual partition assignments for partition ${a.partitionIndex}`) };
      }
      byIndex.set(a.partitionIndex, a.brokerIds);
    }
    const error = checkManualAssignments(image, topic.assignments.map((a) => a.brokerIds), undefined, (i) => topic.assignments[i]!.partitionIndex);
    if (error !== null) return { ok: false, error };
    const replicas: number[][] = [];
    for (let i = 0; i < byIndex.size; i++) {
      const assignment = byIndex.get(i);
      if (assignment === undefined) {
        return { ok: false, error: fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'partitions should be a consecutive 0-based integer sequence') };
      }
      replicas.push(assignment);
    }
    return { ok: true, replicas };
  }
  if (topic.replicationFactor < -1 || topic.replicationFactor === 0) {
    return { ok: false, error: fail(ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0, or -1 to use the default value.') };
  }
  if (topic.numPartitions < -1 || topic.numPartitions === 0) {
    return { ok: false, error: fail(ErrorCode.INVALID_PARTITIONS, 'Number of partitions was set to an invalid non-positive value.') };
  }
  const numPartitions = topic.numPartitions === -1 ? ctx.numPartitions : topic.numPartitions;
  const replicationFactor = topic.replicationFactor === -1 ? ctx.defaultReplicationFactor : topic.replicationFactor;
  if (numPartitions > MAX_RECORDS_PER_USER_OP) {
    return { ok: false, error: fail(ErrorCode.INVALID_PARTITIONS, 'Excessively large number of partitions per request.') };
  }
  const placed = placeReplicas(usableBrokerIds(image), 0, numPartitions, replicationFactor, ctx.random);
  if (!placed.ok) {
    return { ok: false, error: fail(ErrorCode.INVALID_REPLICATION_FACTOR, `Unable to replicate the partition ${replicationFactor} time(s): ${placed.message}`) };
  }
  return { ok: true, replicas: placed.replicas };
}

/** The per-topic checks before any partition is planned; null when the topic may be created. */
function checkTopic(ctx: ControllerContext, image: MetadataImage, topic: CreateTopicsRequestCreatableTopic, collisions: Map<string, string>): ApiError | null {
  const nameError = topicNameError(topic.name);
  if (nameError !== null) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, nameError);
  if (image.topicsByName.has(topic.name)) return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${topic.name}' already exists.`);
  const colliding = collidingTopic(topic.name, collisions);
  if (colliding !== null) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, `Topic '${topic.name}' collides with existing topic: ${colliding}`);
  const configs = new Map<string, string>();
  for (const config of topic.configs) {
    if (config.value === null) return fail(ErrorCode.INVALID_CONFIG, `Null value not supported for topic configs: ${config.name}`);
    configs.set(config.name, config.value);
  }
  const configError = ctx.configPolicy.validate(ConfigResourceType.TOPIC, topic.name, configs);
  if (configError !== null) return fail(ErrorCode.INVALID_CONFIG, configError);
  return null;
}

export function createTopics(ctx: ControllerContext, image: MetadataImage, request: CreateTopicsRequest): ControllerResult<CreateTopicsResponse> {
  const repeated = duplicates(request.topics.map((t) => t.name));
  const collisions = collisionIndex(image.topicsByName.keys());
  const newIds = new Set<Uuid>();
  const records: MetadataRecord[] = [];
  const results: CreateTopicsResponseCreatableTopicResult[] = [];
  const answered = new Set<string>();
  for (const topic of request.topics) {
    if (answered.has(topic.name)) continue;
    answered.add(topic.name);
    const result: CreateTopicsResponseCreatableTopicResult = {
      name: topic.name,
      topicId: ZERO_UUID,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      topicConfigErrorCode: ErrorCode.NONE,
      numPartitions: -1,
      replicationFactor: -1,
      configs: null,
    };
    results.push(result);
    let error = repeated.has(topic.name) ? fail(ErrorCode.INVALID_REQUEST, 'Duplicate topic name.') : checkTopic(ctx, image, topic, collisions);
    let replicas: number[][] = [];
    if (error === null) {
      const plan = planPartitions(ctx, image, topic);
      if (plan.ok) replicas = plan.replicas;
      else error = plan.error;
    }
    if (error === null && records.length + 1 + topic.configs.length + replicas.length > MAX_RECORDS_PER_USER_OP) {
      error = fail(ErrorCode.INVALID_PARTITIONS, 'Excessively large number of partitions per request.');
    }
    if (error !== null) {
      result.errorCode = error.code;
      result.errorMessage = error.message;
      continue;
    }
    const configs = new Map(topic.configs.map((c) => [c.name, c.value!]));
    result.numPartitions = replicas.length;
    result.replicationFactor = replicas[0]!.length;
    result.configs = ctx.describeTopicConfigs(topic.name, configs);
    collisions.set(unifyCollisionChars(topic.name), topic.name);
    if (request.validateOnly) continue;
    const topicId = newTopicId(ctx, (id) => image.topicsById.has(id) || newIds.has(id));
    newIds.add(topicId);
    result.topicId = topicId;
    records.push(metadataRecord('TopicRecord', { name: topic.name, topicId }));
    for (const [name, value] of configs) {
      records.push(metadataRecord('ConfigRecord', { resourceType: ConfigResourceType.TOPIC, resourceName: topic.name, name, value }));
    }
    records.push(...partitionRecords(image, topicId, 0, replicas));
  }
  return { records: request.validateOnly ? [] : records, result: { throttleTimeMs: 0, topics: results } };
}
