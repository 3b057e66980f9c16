/**
 * The contract between a group coordinator shard (one per `__consumer_offsets` partition, a
 * deterministic state machine) and the runtime that drives it (a serial queue per shard that
 * appends the returned records durably before answering).
 *
 * Every operation is synchronous and returns the records to persist plus the response. The
 * runtime applies nothing itself: the shard has already updated its in-memory state when the
 * operation returns, and `replay` rebuilds the same state from the persisted records at load.
 * The runtime's types (DeferredResponse, CoordinatorResult, CoordinatorTimer, RequestContext)
 * are the generic ones of ../runtime-api.ts, with GroupRecord as the record type.
 */
import type { Clock } from '../../common/clock.js';
import type { Random } from '../../common/random.js';
import type { MetadataImage } from '../../metadata/index.js';
import type {
  ConsumerGroupDescribeResponseDescribedGroup,
  ConsumerGroupHeartbeatRequest,
  ConsumerGroupHeartbeatResponse,
  DeleteGroupsResponseDeletableGroupResult,
  DescribeGroupsResponseDescribedGroup,
  HeartbeatRequest,
  HeartbeatResponse,
  JoinGroupRequest,
  JoinGroupResponse,
  LeaveGroupRequest,
  LeaveGroupResponse,
  ListGroupsResponseListedGroup,
  OffsetCommitRequest,
  OffsetCommitResponse,
  OffsetDeleteRequest,
  OffsetDeleteResponse,
  OffsetFetchResponseGroup,
  SyncGroupRequest,
  SyncGroupResponse,
  TxnOffsetCommitRequest,
  TxnOffsetCommitResponse,
} from '../../protocol/index.js';
import type {
  CoordinatorResult as GenericCoordinatorResult, CoordinatorShard, CoordinatorTimer as GenericCoordinatorTimer, ReplayContext, RequestContext,
} from '../runtime-api.js';
import type { GroupRecord } from './records.js';

export { DeferredResponse, type ReplayContext, type RequestContext, type TimerResult } from '../runtime-api.js';

/** What a group operation returns: records to persist (OffsetCommit in a transactional batch for TxnOffsetCommit) and the response. */
export type CoordinatorResult<Res> = GenericCoordinatorResult<Res, GroupRecord>;

/** The runtime's timers, whose operations return group records. */
export type CoordinatorTimer = GenericCoordinatorTimer<GroupRecord>;

/** Broker configs the group coordinator reads (Kafka's names in camelCase, Kafka's defaults). */
export interface GroupCoordinatorConfig {
  /** group.min.session.timeout.ms (6000) */
  readonly groupMinSessionTimeoutMs: number;
  /** group.max.session.timeout.ms (1800000) */
  readonly groupMaxSessionTimeoutMs: number;
  /** group.initial.rebalance.delay.ms (3000) */
  readonly groupInitialRebalanceDelayMs: number;
  /** group.max.size (2147483647) */
  readonly groupMaxSize: number;
  /** offsets.retention.minutes (10080) in ms */
  readonly offsetsRetentionMs: number;
  /** offsets.retention.check.interval.ms (600000) */
  readonly offsetsRetentionCheckIntervalMs: number;
  /** offset.metadata.max.bytes (4096) */
  readonly offsetMetadataMaxBytes: number;
  /** group.consumer.session.timeout.ms (45000) */
  readonly consumerGroupSessionTimeoutMs: number;
  /** group.consumer.heartbeat.interval.ms (5000) */
  readonly consumerGroupHeartbeatIntervalMs: number;
  /** group.consumer.max.size (2147483647) */
  readonly consumerGroupMaxSize: number;
  /** group.consumer.assignors (uniform, range); the first is the default. */
  readonly consumerGroupAssignors: readonly string[];
}

export const DEFAULT_GROUP_COORDINATOR_CONFIG: GroupCoordinatorConfig = {
  groupMinSessionTimeoutMs: 6000,
  groupMaxSessionTimeoutMs: 1_800_000,
  groupInitialRebalanceDelayMs: 3000,
  groupMaxSize: 2_147_483_647,
  offsetsRetentionMs: 10080 * 60_000,
  offsetsRetentionCheckIntervalMs: 600_000,
  offsetMetadataMaxBytes: 4096,
  consumerGroupSessionTimeoutMs: 45_000,
  consumerGroupHeartbeatIntervalMs: 5000,
  consumerGroupMaxSize: 2_147_483_647,
  consumerGroupAssignors: ['uniform', 'range'],
};

export interface GroupShardOptions {
  /** The `__consumer_offsets` partition this shard owns. */
  readonly partition: number;
  readonly config: GroupCoordinatorConfig;
  readonly clock: Clock;
  readonly random: Random;
  readonly timer: CoordinatorTimer;
  /** The current metadata image (topic names, ids and partition counts). */
  readonly metadata: () => MetadataImage;
}

/** One OffsetFetch group as the shard sees it: null topics = every committed offset. */
export interface OffsetFetchGroupRequest {
  readonly groupId: string;
  readonly memberId: string | null;
  readonly memberEpoch: number;
  readonly topics: readonly { readonly name: string; readonly partitionIndexes: readonly number[] }[] | null;
}

/**
 * What the runtime calls. Single-group requests go to the shard owning the group; multi-group
 * requests (ListGroups, DescribeGroups, DeleteGroups, ConsumerGroupDescribe, OffsetFetch v8+) are
 * split by shard by the caller and the per-group answers merged.
 */
export interface GroupCoordinatorShardApi extends CoordinatorShard<GroupRecord> {
  /**
   * Rebuilds state from one persisted record (at load; records in log order). An OffsetCommit
   * record of a transactional batch is a pending transactional offset of the batch's producer.
   */
  replay(record: GroupRecord, context: ReplayContext): void;
  /** A marker in the partition: the producer's pending transactional offsets are committed or dropped. */
  replayEndTransaction(producerId: bigint, producerEpoch: number, committed: boolean): void;
  /** Called once after the last record at load: re-arms session/rebalance/expiry timers. */
  onLoaded(): void;
  /** The shard is unloaded (shutdown): cancel timers, answer pending requests NOT_COORDINATOR. */
  onUnloaded(): void;

  joinGroup(ctx: RequestContext, req: JoinGroupRequest): CoordinatorResult<JoinGroupResponse>;
  syncGroup(ctx: RequestContext, req: SyncGroupRequest): CoordinatorResult<SyncGroupResponse>;
  heartbeat(ctx: RequestContext, req: HeartbeatRequest): CoordinatorResult<HeartbeatResponse>;
  leaveGroup(ctx: RequestContext, req: LeaveGroupRequest): CoordinatorResult<LeaveGroupResponse>;
  consumerGroupHeartbeat(ctx: RequestContext, req: ConsumerGroupHeartbeatRequest): CoordinatorResult<ConsumerGroupHeartbeatResponse>;
  consumerGroupDescribe(ctx: RequestContext, groupIds: readonly string[], includeAuthorizedOperations: boolean): ConsumerGroupDescribeResponseDescribedGroup[];

  offsetCommit(ctx: RequestContext, req: OffsetCommitRequest): CoordinatorResult<OffsetCommitResponse>;
  /** requireStable: answer UNSTABLE_OFFSET_COMMIT for partitions with pending transactional commits. */
  offsetFetch(ctx: RequestContext, group: OffsetFetchGroupRequest, requireStable: boolean): OffsetFetchResponseGroup;
  offsetDelete(ctx: RequestContext, req: OffsetDeleteRequest): CoordinatorResult<OffsetDeleteResponse>;
  /**
   * TxnOffsetCommit (v0-4): the offsets are written in a transactional batch of the request's
   * producer and stay pending (invisible to OffsetFetch) until its commit marker.
   */
  txnOffsetCommit(ctx: RequestContext, req: TxnOffsetCommitRequest): CoordinatorResult<TxnOffsetCommitResponse>;

  /** statesFilter/typesFilter as in ListGroups v4/v5 (empty = all); case-insensitive. */
  listGroups(statesFilter: readonly string[], typesFilter: readonly string[]): ListGroupsResponseListedGroup[];
  describeGroups(ctx: RequestContext, groupIds: readonly string[], includeAuthorizedOperations: boolean): DescribeGroupsResponseDescribedGroup[];
  deleteGroups(ctx: RequestContext, groupIds: readonly string[]): CoordinatorResult<DeleteGroupsResponseDeletableGroupResult[]>;

  /** Topics were deleted from the cluster: drop their committed offsets (tombstones). */
  onTopicsDeleted(topicNames: readonly string[]): readonly GroupRecord[];
}
