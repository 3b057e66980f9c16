/**
 * Answers for the APIs real clients send to the capture server: just enough of Kafka's behaviour
 * for kcat (librdkafka), kafkajs and @platformatic/kafka to produce, consume and run a few admin
 * calls. Every answer is a generated message type; the server encodes it with the generated codecs.
 */
import {
  API_INFOS,
  ApiKey,
  ErrorCode,
  type ApiVersionsResponse,
  type CreateTopicsRequest,
  type CreateTopicsResponse,
  type DeleteTopicsRequest,
  type DeleteTopicsResponse,
  type FetchRequest,
  type FetchResponse,
  type InitProducerIdResponse,
  type ListOffsetsRequest,
  type ListOffsetsResponse,
  type MetadataRequest,
  type MetadataResponse,
  type OffsetForLeaderEpochRequest,
  type OffsetForLeaderEpochResponse,
  type ProduceRequest,
  type ProduceResponse,
  type CreateTopicsResponseCreatableTopicResult,
  ZERO_UUID,
  defaultApiVersionsResponse,
  defaultCreateTopicsResponseCreatableTopicResult,
  defaultFetchResponse,
  defaultFetchResponseFetchableTopicResponse,
  defaultFetchResponsePartitionData,
  defaultListOffsetsResponseListOffsetsPartitionResponse,
  defaultMetadataResponse,
  defaultMetadataResponsePartition,
  defaultMetadataResponseTopic,
  defaultProduceResponse,
  defaultProduceResponsePartitionProduceResponse,
} from '../../src/protocol/index.js';
import type { Caller, GroupCoordinator, TopicPartitions } from './capture-group.js';
import type { MemoryLog, PartitionLog, TopicLog } from './capture-log.js';

export interface HandlerContext {
  readonly log: MemoryLog;
  readonly groups: GroupCoordinator;
  readonly host: string;
  readonly port: number;
  readonly clusterId: string;
  /** Longest a Fetch with no data waits, whatever the client asked (keeps tests fast). */
  readonly maxWaitCapMs: number;
  readonly nextProducerId: () => bigint;
  /** Highest version advertised per API key, where lower than the codecs' (see CaptureServerOptions). */
  readonly versionCaps: ReadonlyMap<number, number>;
}

/** Returned by a handler when Kafka sends no response (Produce with acks=0). */
export const NO_RESPONSE = Symbol('no response');

type Handler = (ctx: HandlerContext, body: never, version: number, caller: Caller) => unknown;

export const NODE_ID = 1;
const LEADER_EPOCH = 0;
/** DescribeConfigs' ConfigSource for a config set on the topic (TOPIC_CONFIG). */
const TOPIC_CONFIG_SOURCE = 1;

/** metadata.version 3.6-IV2, the level a new Samsa cluster starts at. */
const METADATA_VERSION = 14;
/** The epoch of the finalized features: the offset of the record that set them. */
const FEATURES_EPOCH = 1n;

/**
 * Every API the codecs know, each up to its cap; only ApiVersions itself with an error. Like a
 * KRaft broker, the answer carries the supported and finalized features: tagged fields (v3+) that
 * every client must read past.
 */
export function apiVersions(errorCode: number = ErrorCode.NONE, caps: ReadonlyMap<number, number> = new Map()): ApiVersionsResponse {
  const ok = errorCode === ErrorCode.NONE;
  const infos = ok ? API_INFOS : API_INFOS.filter((i) => i.apiKey === ApiKey.ApiVersions);
  return {
    ...defaultApiVersionsResponse(),
    ...(ok && {
      supportedFeatures: [{ name: 'metadata.version', minVersion: 1, maxVersion: METADATA_VERSION }],
      finalizedFeaturesEpoch: FEATURES_EPOCH,
      finalizedFeatures: [{ name: 'metadata.version', maxVersionLevel: METADATA_VERSION, minVersionLevel: METADATA_VERSION }],
    }),
    errorCode,
    apiKeys: infos.map((i) => ({
      apiKey: i.apiKey,
      minVersion: i.validVersions.min,
      maxVersion: Math.max(i.validVersions.min, Math.min(i.validVersions.max, caps.get(i.apiKey) ?? i.validVersions.max)),
    })),
  };
}

function metadata(ctx: HandlerContext, req: MetadataRequest, version: number): MetadataResponse {
  const all = req.topics === null || (version === 0 && req.topics.length === 0);
  const topics: TopicLog[] = all
    ? ctx.log.names().map((n) => ctx.log.topic(n))
    : (req.topics ?? []).flatMap((t) => {
        const found = t.name !== null ? ctx.log.topic(t.name) : ctx.log.topicById(t.topicId);
        return found ? [found] : [];
      });
  return {
    ...defaultMetadataResponse(),
    brokers: [{ nodeId: NODE_ID, host: ctx.host, port: ctx.port, rack: null }],
    clusterId: ctx.clusterId,
    controllerId: NODE_ID,
    topics: topics.map((t) => ({
      ...defaultMetadataResponseTopic(),
      name: t.name,
      topicId: t.topicId,
      partitions: t.partitions.map((_, index) => ({
        ...defaultMetadataResponsePartition(),
        partitionIndex: index,
        leaderId: NODE_ID,
        leaderEpoch: LEADER_EPOCH,
        replicaNodes: [NODE_ID],
        isrNodes: [NODE_ID],
      })),
    })),
  };
}

function produce(ctx: HandlerContext, req: ProduceRequest): ProduceResponse | typeof NO_RESPONSE {
  const responses = req.topicData.map((td) => ({
    name: td.name,
    partitionResponses: td.partitionData.map((pd) => {
      const base = { ...defaultProduceResponsePartitionProduceResponse(), index: pd.index };
      const partition = ctx.log.topic(td.name).partitions[pd.index];
      if (!partition) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
      try {
        return { ...base, baseOffset: ctx.log.append(partition, pd.records ?? Buffer.alloc(0)), logStartOffset: 0n };
      } catch (e) {
        return { ...base, errorCode: ErrorCode.CORRUPT_MESSAGE, errorMessage: (e as Error).message };
      }
    }),
  }));
  if (req.acks === 0) return NO_RESPONSE;
  return { ...defaultProduceResponse(), responses };
}

function fetchOnce(ctx: HandlerContext, req: FetchRequest, version: number): { res: FetchResponse; size: number } {
  let size = 0;
  const responses = req.topics.map((ft) => {
    const topic = version >= 13 ? ctx.log.topicById(ft.topicId) : ctx.log.topic(ft.topic);
    return {
      ...defaultFetchResponseFetchableTopicResponse(),
      topic: ft.topic,
      topicId: ft.topicId,
      partitions: ft.partitions.map((fp) => {
        const base = {
          ...defaultFetchResponsePartitionData(),
          partitionIndex: fp.partition,
          abortedTransactions: req.isolationLevel === 0 && version >= 4 ? null : [],
          records: Buffer.alloc(0),
        };
        const partition: PartitionLog | undefined = topic?.partitions[fp.partition];
        if (!topic) return { ...base, errorCode: version >= 13 ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        if (!partition) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        const marks = { highWatermark: partition.nextOffset, lastStableOffset: partition.nextOffset, logStartOffset: 0n };
        if (fp.fetchOffset < 0n || fp.fetchOffset > partition.nextOffset) {
          return { ...base, ...marks, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE };
        }
        const records = ctx.log.read(partition, fp.fetchOffset, Math.min(fp.partitionMaxBytes, req.maxBytes));
        size += records.length;
        return { ...base, ...marks, records };
      }),
    };
  });
  return { res: { ...defaultFetchResponse(), responses }, size };
}

async function fetch(ctx: HandlerContext, req: FetchRequest, version: number): Promise<FetchResponse> {
  const first = fetchOnce(ctx, req, version);
  if (first.size > 0 || req.maxWaitMs <= 0) return first.res;
  await ctx.log.waitForAppend(Math.min(req.maxWaitMs, ctx.maxWaitCapMs));
  return fetchOnce(ctx, req, version).res;
}

function listOffsets(ctx: HandlerContext, req: ListOffsetsRequest, version: number): ListOffsetsResponse {
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((lt) => ({
      name: lt.name,
      partitions: lt.partitions.map((lp) => {
        const partition = ctx.log.topic(lt.name).partitions[lp.partitionIndex];
        const base = { ...defaultListOffsetsResponseListOffsetsPartitionResponse(), partitionIndex: lp.partitionIndex };
        if (!partition) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        // -2 asks for the earliest offset; anything else is answered with the latest.
        const offset = lp.timestamp === -2n ? 0n : partition.nextOffset;
        return version === 0 ? { ...base, oldStyleOffsets: [offset] } : { ...base, offset, leaderEpoch: LEADER_EPOCH };
      }),
    })),
  };
}

function offsetForLeaderEpoch(ctx: HandlerContext, req: OffsetForLeaderEpochRequest): OffsetForLeaderEpochResponse {
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => {
        const partition = ctx.log.topic(t.topic).partitions[p.partition];
        return partition
          ? { errorCode: ErrorCode.NONE, partition: p.partition, leaderEpoch: LEADER_EPOCH, endOffset: partition.nextOffset }
          : { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, partition: p.partition, leaderEpoch: -1, endOffset: -1n };
      }),
    })),
  };
}

function initProducerId(ctx: HandlerContext): InitProducerIdResponse {
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: ctx.nextProducerId(), producerEpoch: 0 };
}

/** Topics with one replica on the one broker; explicit assignments must name only that broker. */
function createTopics(ctx: HandlerContext, req: CreateTopicsRequest): CreateTopicsResponse {
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((ct) => {
      const base = { ...defaultCreateTopicsResponseCreatableTopicResult(), name: ct.name, errorMessage: null, configs: null };
      const fail = (errorCode: number, errorMessage: string): CreateTopicsResponseCreatableTopicResult => ({ ...base, errorCode, errorMessage });
      const partitions = ct.assignments.length > 0 ? ct.assignments.length : ct.numPartitions === -1 ? ctx.log.defaultPartitions : ct.numPartitions;
      if (ct.assignments.length > 0 && (ct.numPartitions !== -1 || ct.replicationFactor !== -1)) {
        return fail(ErrorCode.INVALID_REQUEST, 'Both numPartitions or replicationFactor and replicasAssignments were set.');
      }
      if (ct.assignments.some((a) => a.brokerIds.length !== 1 || a.brokerIds[0] !== NODE_ID)) {
        return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Only broker ${NODE_ID} exists.`);
      }
      if (partitions <= 0) return fail(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
      if (ct.replicationFactor !== -1 && ct.replicationFactor !== 1) {
        return fail(ErrorCode.INVALID_REPLICATION_FACTOR, `Replication factor: ${ct.replicationFactor} larger than available brokers: 1.`);
      }
      if (ctx.log.names().includes(ct.name)) return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${ct.name}' already exists.`);
      const topic = req.validateOnly ? { topicId: ZERO_UUID } : ctx.log.create(ct.name, partitions)!;
      return {
        ...base,
        topicId: topic.topicId,
        numPartitions: partitions,
        replicationFactor: 1,
        // The configs the request set; a topic here has no others.
        configs: ct.configs.map((c) => ({ name: c.name, value: c.value, readOnly: false, configSource: TOPIC_CONFIG_SOURCE, isSensitive: false })),
      };
    }),
  };
}

/** Topics by name (v0-v5) or by name or id (v6+). */
function deleteTopics(ctx: HandlerContext, req: DeleteTopicsRequest, version: number): DeleteTopicsResponse {
  const asked = version >= 6 ? req.topics : req.topicNames.map((name) => ({ name, topicId: ZERO_UUID }));
  return {
    throttleTimeMs: 0,
    responses: asked.map((t) => {
      const topic = t.name !== null ? (ctx.log.names().includes(t.name) ? ctx.log.topic(t.name) : undefined) : ctx.log.topicById(t.topicId);
      if (!topic) {
        const errorCode = t.name !== null ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.UNKNOWN_TOPIC_ID;
        return { name: t.name, topicId: t.topicId, errorCode, errorMessage: null };
      }
      ctx.log.delete(topic.name);
      return { name: topic.name, topicId: version >= 6 ? topic.topicId : ZERO_UUID, errorCode: ErrorCode.NONE, errorMessage: null };
    }),
  };
}

/** Every partition of the named topics that exist, by topic id. */
function assignAll(ctx: HandlerContext, names: string[]): TopicPartitions[] {
  return names
    .filter((name) => ctx.log.names().includes(name))
    .map((name) => ctx.log.topic(name))
    .map((t) => ({ topicId: t.topicId, partitions: t.partitions.map((_, i) => i) }));
}

/** The APIs the capture server answers; any other closes the connection, as Kafka does. */
export const HANDLERS: ReadonlyMap<number, Handler> = new Map<number, Handler>([
  [ApiKey.ApiVersions, (ctx) => apiVersions(ErrorCode.NONE, ctx.versionCaps)],
  [ApiKey.Metadata, metadata],
  [ApiKey.Produce, produce],
  [ApiKey.Fetch, fetch],
  [ApiKey.ListOffsets, listOffsets],
  [ApiKey.OffsetForLeaderEpoch, offsetForLeaderEpoch],
  [ApiKey.InitProducerId, initProducerId],
  [ApiKey.FindCoordinator, (ctx, req, version) => ctx.groups.findCoordinator({ nodeId: NODE_ID, host: ctx.host, port: ctx.port }, req, version)],
  [ApiKey.JoinGroup, (ctx, req, _version, caller) => ctx.groups.joinGroup(req, caller)],
  [ApiKey.SyncGroup, (ctx, req) => ctx.groups.syncGroup(req)],
  [ApiKey.Heartbeat, (ctx) => ctx.groups.heartbeat()],
  [ApiKey.LeaveGroup, (ctx, req) => ctx.groups.leaveGroup(req)],
  [ApiKey.OffsetCommit, (ctx, req) => ctx.groups.offsetCommit(req)],
  [ApiKey.OffsetFetch, (ctx, req, version) => ctx.groups.offsetFetch(req, version)],
  [ApiKey.ConsumerGroupHeartbeat, (ctx, req, _version, caller) => ctx.groups.consumerGroupHeartbeat(req, caller, (names) => assignAll(ctx, names))],
  [ApiKey.ListGroups, (ctx, req) => ctx.groups.listGroups(req)],
  [ApiKey.DescribeGroups, (ctx, req) => ctx.groups.describeGroups(req)],
  [ApiKey.CreateTopics, createTopics],
  [ApiKey.DeleteTopics, deleteTopics],
]);
