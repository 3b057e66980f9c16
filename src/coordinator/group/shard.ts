/**
 * The group coordinator shard of one `__consumer_offsets` partition: classic groups and
 * committed offsets live here, KIP-848 consumer groups in ConsumerGroups; this class dispatches
 * requests and replays records. One group id is either a classic or a consumer group.
 */
import {
  type ConsumerGroupDescribeResponseDescribedGroup,
  type ConsumerGroupHeartbeatRequest,
  type ConsumerGroupHeartbeatResponse,
  type DeleteGroupsResponseDeletableGroupResult,
  type DescribeGroupsResponseDescribedGroup,
  ErrorCode,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type JoinGroupRequest,
  type JoinGroupResponse,
  type LeaveGroupRequest,
  type LeaveGroupResponse,
  type ListGroupsResponseListedGroup,
  type OffsetCommitRequest,
  type OffsetCommitResponse,
  type OffsetDeleteRequest,
  type OffsetDeleteResponse,
  type OffsetFetchResponseGroup,
  type SyncGroupRequest,
  type SyncGroupResponse,
  type TxnOffsetCommitRequest,
  type TxnOffsetCommitResponse,
} from '../../protocol/index.js';
import { deadGroupDescription, describeClassicGroup, listClassicGroup } from './classic/describe-list.js';
import type { ClassicEnv } from './classic/env.js';
import { heartbeatClassicGroup, leaveClassicGroup, leaveResponse, leavingMembers } from './classic/heartbeat-leave.js';
import { invalidJoinRequest, joinClassicGroup, joinError } from './classic/join.js';
import { onClassicGroupsLoaded, onClassicGroupsUnloaded, removeClassicGroup } from './classic/lifecycle.js';
import { groupTombstone } from './classic/records.js';
import { syncClassicGroup, syncError } from './classic/sync.js';
import { ConsumerGroups } from './consumer/index.js';
import type { ConsumerGroupsApi, ConsumerGroupsOptions } from './consumer-groups-api.js';
import { commitOffsets } from './offsets/commit.js';
import { deleteGroups, deleteOffsets } from './offsets/delete.js';
import type { OffsetsEnv } from './offsets/env.js';
import { cleanupGroupMetadata } from './offsets/expiry.js';
import { fetchOffsets } from './offsets/fetch.js';
import { OffsetStore } from './offsets/store.js';
import { commitTransactionalOffsets } from './offsets/txn-commit.js';
import type { GroupRecord } from './records.js';
import { applyGroupRecord } from './replay.js';
import {
  type CoordinatorResult,
  DeferredResponse,
  type GroupCoordinatorShardApi,
  type GroupShardOptions,
  type OffsetFetchGroupRequest,
  type ReplayContext,
  type RequestContext,
} from './shard-api.js';

/** The timer of the periodic offset expiry pass. */
export const OFFSET_EXPIRY_KEY = 'expire-group-metadata';

export type ConsumerGroupsFactory = (options: ConsumerGroupsOptions) => ConsumerGroupsApi;

export class GroupCoordinatorShard implements GroupCoordinatorShardApi {
  private readonly classic: ClassicEnv;
  private readonly store = new OffsetStore();
  private readonly consumerGroups: ConsumerGroupsApi;
  private readonly offsets: OffsetsEnv;

  /** `consumerGroups` is for tests that stand in for the KIP-848 groups. */
  constructor(private readonly options: GroupShardOptions, consumerGroups?: ConsumerGroupsFactory) {
    this.classic = { config: options.config, clock: options.clock, random: options.random, timer: options.timer, groups: new Map() };
    const groupsOptions: ConsumerGroupsOptions = { ...options, isClassicGroup: (groupId) => this.classic.groups.has(groupId) };
    this.consumerGroups = consumerGroups ? consumerGroups(groupsOptions) : new ConsumerGroups(groupsOptions);
    this.offsets = {
      config: options.config, clock: options.clock, store: this.store, classic: this.classic,
      consumerGroups: this.consumerGroups, apply: (records, producerId) => this.applyOwn(records, producerId),
    };
  }

  replay(record: GroupRecord, context: ReplayContext): void {
    const target = { classic: this.classic, store: this.store, consumerGroups: this.consumerGroups };
    applyGroupRecord(target, record, true, context.isTransactional ? context.producerId : null);
  }

  replayEndTransaction(producerId: bigint, _producerEpoch: number, committed: boolean): void {
    this.store.endTransaction(producerId, committed);
  }

  /** Records this shard produced: its classic-group state is already current, offsets are not. */
  private applyOwn(records: readonly GroupRecord[], transactionalProducerId: bigint | undefined): void {
    for (const record of records) {
      applyGroupRecord({ classic: this.classic, store: this.store, consumerGroups: this.consumerGroups }, record, false, transactionalProducerId ?? null);
    }
  }

  onLoaded(): void {
    onClassicGroupsLoaded(this.classic);
    this.consumerGroups.onLoaded();
    this.scheduleOffsetExpiry();
  }

  private scheduleOffsetExpiry(): void {
    this.options.timer.schedule(OFFSET_EXPIRY_KEY, this.options.config.offsetsRetentionCheckIntervalMs, () => {
      const records = cleanupGroupMetadata(this.offsets);
      this.scheduleOffsetExpiry();
      return records;
    });
  }

  onUnloaded(): void {
    this.options.timer.cancel(OFFSET_EXPIRY_KEY);
    onClassicGroupsUnloaded(this.classic);
    this.consumerGroups.onUnloaded();
    this.store.clear();
  }

  joinGroup(ctx: RequestContext, req: JoinGroupRequest): CoordinatorResult<JoinGroupResponse> {
    if (!this.consumerGroups.has(req.groupId)) return joinClassicGroup(this.classic, ctx, req);
    const invalid = invalidJoinRequest(this.classic, ctx, req);
    if (invalid) return invalid;
    // A consumer group with members cannot take classic members (no online migration).
    if (!this.consumerGroups.isEmpty(req.groupId)) return joinError(ctx, ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId);
    // An empty consumer group gives way to the classic group, as Kafka does.
    const deleted = this.consumerGroups.delete(req.groupId);
    if (deleted.errorCode !== ErrorCode.NONE) return joinError(ctx, ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId);
    const result = joinClassicGroup(this.classic, ctx, req);
    return { ...result, records: [...deleted.records, ...result.records] };
  }

  syncGroup(ctx: RequestContext, req: SyncGroupRequest): CoordinatorResult<SyncGroupResponse> {
    if (req.groupId === '') return syncError(ErrorCode.INVALID_GROUP_ID);
    const group = this.classic.groups.get(req.groupId);
    // Unknown groups and consumer groups (whose members do not use the classic protocol).
    if (!group) return syncError(ErrorCode.UNKNOWN_MEMBER_ID);
    return syncClassicGroup(this.classic, group, req);
  }

  heartbeat(_ctx: RequestContext, req: HeartbeatRequest): CoordinatorResult<HeartbeatResponse> {
    const answer = (errorCode: number): CoordinatorResult<HeartbeatResponse> => ({ records: [], response: { throttleTimeMs: 0, errorCode } });
    if (req.groupId === '') return answer(ErrorCode.INVALID_GROUP_ID);
    const group = this.classic.groups.get(req.groupId);
    if (!group) return answer(ErrorCode.UNKNOWN_MEMBER_ID);
    return heartbeatClassicGroup(this.classic, group, req);
  }

  leaveGroup(ctx: RequestContext, req: LeaveGroupRequest): CoordinatorResult<LeaveGroupResponse> {
    const version = ctx.apiVersion;
    if (req.groupId === '') return { records: [], response: leaveResponse(version, ErrorCode.INVALID_GROUP_ID, []) };
    const group = this.classic.groups.get(req.groupId);
    if (group) return leaveClassicGroup(this.classic, group, version, req);
    const unknown = leavingMembers(version, req).map((m) => ({
      memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode: ErrorCode.UNKNOWN_MEMBER_ID,
    }));
    return { records: [], response: leaveResponse(version, ErrorCode.NONE, unknown) };
  }

  consumerGroupHeartbeat(ctx: RequestContext, req: ConsumerGroupHeartbeatRequest): CoordinatorResult<ConsumerGroupHeartbeatResponse> {
    const classic = this.classic.groups.get(req.groupId);
    if (!classic || !classic.isEmpty() || req.memberEpoch !== 0) return this.consumerGroups.heartbeat(ctx, req);
    // The first member of a consumer group replaces an Empty classic group (its offsets stay).
    this.classic.groups.delete(req.groupId);
    const result = this.consumerGroups.heartbeat(ctx, req);
    if (!(result.response instanceof DeferredResponse) && result.response.errorCode !== ErrorCode.NONE) {
      this.classic.groups.set(req.groupId, classic);
      return result;
    }
    this.classic.groups.set(req.groupId, classic);
    removeClassicGroup(this.classic, req.groupId);
    return { ...result, records: [groupTombstone(req.groupId), ...result.records] };
  }

  consumerGroupDescribe(_ctx: RequestContext, groupIds: readonly string[], includeAuthorizedOperations: boolean): ConsumerGroupDescribeResponseDescribedGroup[] {
    return this.consumerGroups.describe(groupIds, includeAuthorizedOperations);
  }

  offsetCommit(ctx: RequestContext, req: OffsetCommitRequest): CoordinatorResult<OffsetCommitResponse> {
    return commitOffsets(this.offsets, ctx, req);
  }

  offsetFetch(_ctx: RequestContext, group: OffsetFetchGroupRequest, requireStable: boolean): OffsetFetchResponseGroup {
    return fetchOffsets(this.offsets, group, requireStable);
  }

  offsetDelete(_ctx: RequestContext, req: OffsetDeleteRequest): CoordinatorResult<OffsetDeleteResponse> {
    return deleteOffsets(this.offsets, req);
  }

  txnOffsetCommit(_ctx: RequestContext, req: TxnOffsetCommitRequest): CoordinatorResult<TxnOffsetCommitResponse> {
    return commitTransactionalOffsets(this.offsets, req);
  }

  listGroups(statesFilter: readonly string[], typesFilter: readonly string[]): ListGroupsResponseListedGroup[] {
    const states = new Set(statesFilter.map((s) => s.trim().toLowerCase()));
    const types = new Set(typesFilter.map((t) => t.trim().toLowerCase()));
    const all: ListGroupsResponseListedGroup[] = [
      ...[...this.classic.groups.values()].map(listClassicGroup),
      ...this.consumerGroups.list().map((g) => ({ groupId: g.groupId, protocolType: g.protocolType, groupState: g.groupState, groupType: g.groupType })),
    ];
    return all.filter((g) => (states.size === 0 || states.has(g.groupState.toLowerCase()))
      && (types.size === 0 || types.has(g.groupType.toLowerCase())));
  }

  describeGroups(_ctx: RequestContext, groupIds: readonly string[], _includeAuthorizedOperations: boolean): DescribeGroupsResponseDescribedGroup[] {
    return groupIds.map((groupId) => {
      const group = this.classic.groups.get(groupId);
      if (group) return describeClassicGroup(group);
      // As Kafka: DescribeGroups describes classic groups only; a consumer group reads as Dead.
      return deadGroupDescription(groupId);
    });
  }

  deleteGroups(_ctx: RequestContext, groupIds: readonly string[]): CoordinatorResult<DeleteGroupsResponseDeletableGroupResult[]> {
    return deleteGroups(this.offsets, groupIds);
  }

  onTopicsDeleted(topicNames: readonly string[]): readonly GroupRecord[] {
    const records = this.store.partitionsOfTopics(new Set(topicNames))
      .map(({ group, topic, partition }): GroupRecord => ({ type: 'OffsetCommit', key: { group, topic, partition }, value: null }));
    this.applyOwn(records, undefined);
    return records;
  }
}
