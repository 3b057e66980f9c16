/**
 * Metadata (3): brokers, cluster id, controller, and topics with their partitions, by name or
 * (v10+) by topic id. Unknown topics are auto-created when the request allows it and
 * auto.create.topics.enable is on; the answer then describes the created topic.
 */
import { ApiKey, ErrorCode, type MetadataRequest, type MetadataResponse, type MetadataResponseTopic, ZERO_UUID } from '../../protocol/index.js';
import { type MetadataImage, type TopicImage, topicNameError } from '../../metadata/index.js';
import { ALL_CLUSTER_OPERATIONS, ALL_TOPIC_OPERATIONS, OPERATIONS_NOT_REQUESTED, isInternalTopic } from '../internal-topics.js';
import type { BrokerServices } from '../services.js';
import { allVersions, defineHandler } from './api-handler.js';

export function describeTopic(topic: TopicImage, includeOperations: boolean): MetadataResponseTopic {
  const partitions = [...topic.partitions.values()].sort((a, b) => a.partitionId - b.partitionId).map((p) => ({
    errorCode: p.leader < 0 ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NONE,
    partitionIndex: p.partitionId,
    leaderId: p.leader,
    leaderEpoch: p.leaderEpoch,
    replicaNodes: [...p.replicas],
    isrNodes: [...p.isr],
    offlineReplicas: [],
    _unknownTaggedFields: undefined,
  }));
  return {
    errorCode: ErrorCode.NONE,
    name: topic.name,
    topicId: topic.topicId,
    isInternal: isInternalTopic(topic.name),
    partitions,
    topicAuthorizedOperations: includeOperations ? ALL_TOPIC_OPERATIONS : OPERATIONS_NOT_REQUESTED,
    _unknownTaggedFields: undefined,
  };
}

function topicError(errorCode: number, name: string | null, topicId = ZERO_UUID): MetadataResponseTopic {
  return { errorCode, name, topicId, isInternal: false, partitions: [], topicAuthorizedOperations: OPERATIONS_NOT_REQUESTED, _unknownTaggedFields: undefined };
}

async function autoCreate(services: BrokerServices, name: string): Promise<number> {
  const result = await services.metadata.createTopics({
    topics: [{ name, numPartitions: -1, replicationFactor: -1, assignments: [], configs: [], _unknownTaggedFields: undefined }],
    timeoutMs: 30000,
    validateOnly: false,
    _unknownTaggedFields: undefined,
  });
  const code = result.topics[0]?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR;
  return code === ErrorCode.TOPIC_ALREADY_EXISTS ? ErrorCode.NONE : code;
}

async function lookupByName(services: BrokerServices, image: MetadataImage, name: string, allowAutoCreate: boolean, ops: boolean): Promise<MetadataResponseTopic> {
  const topic = image.topicsByName.get(name);
  if (topic) return describeTopic(topic, ops);
  if (topicNameError(name) !== null) return topicError(ErrorCode.INVALID_TOPIC_EXCEPTION, name);
  if (!allowAutoCreate || !services.settings.autoCreateTopicsEnable || isInternalTopic(name)) {
    return topicError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name);
  }
  const code = await autoCreate(services, name);
  const created = services.metadata.image.topicsByName.get(name);
  if (code !== ErrorCode.NONE || !created) return topicError(code === ErrorCode.NONE ? ErrorCode.LEADER_NOT_AVAILABLE : code, name);
  return describeTopic(created, ops);
}

export const metadataHandler = defineHandler<MetadataRequest, MetadataResponse>({
  apiKey: ApiKey.Metadata,
  versions: allVersions(ApiKey.Metadata),
  async handle({ body, apiVersion, services, request }) {
    const image = services.metadata.image;
    const ops = body.includeTopicAuthorizedOperations;
    const allowAutoCreate = apiVersion < 4 || body.allowAutoTopicCreation;
    const all = body.topics === null || (apiVersion === 0 && body.topics.length === 0);
    let topics: MetadataResponseTopic[];
    if (all) {
      topics = [...image.topicsByName.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((t) => describeTopic(t, ops));
    } else {
      topics = [];
      for (const t of body.topics ?? []) {
        if (t.name === null) {
          const byId = image.topicsById.get(t.topicId);
          topics.push(byId ? describeTopic(byId, ops) : topicError(ErrorCode.UNKNOWN_TOPIC_ID, null, t.topicId));
        } else {
          topics.push(await lookupByName(services, image, t.name, allowAutoCreate, ops));
        }
      }
    }
    const listener = request.connection.listenerName;
    const endpoints = services.advertisedEndpoints();
    const endpoint = endpoints.find((e) => e.listenerName === listener) ?? endpoints[0];
    return {
      throttleTimeMs: 0,
      brokers: endpoint ? [{ nodeId: services.nodeId, host: endpoint.host, port: endpoint.port, rack: services.settings.brokerRack, _unknownTaggedFields: undefined }] : [],
      clusterId: image.clusterId,
      controllerId: services.nodeId,
      topics,
      clusterAuthorizedOperations: body.includeClusterAuthorizedOperations ? ALL_CLUSTER_OPERATIONS : OPERATIONS_NOT_REQUESTED,
      _unknownTaggedFields: undefined,
    };
  },
});
