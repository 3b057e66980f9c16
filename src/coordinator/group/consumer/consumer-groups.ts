/**
 * The KIP-848 consumer groups of one group coordinator shard. The shard owns dispatch, classic
 * groups and offsets, and delegates every consumer-group operation here.
 */
import {
  type ConsumerGroupDescribeResponseDescribedGroup,
  type ConsumerGroupHeartbeatRequest,
  type ConsumerGroupHeartbeatResponse,
  ErrorCode,
} from '../../../protocol/index.js';
import type { ConsumerGroupsApi, ConsumerGroupsOptions, ListedGroupView } from '../consumer-groups-api.js';
import type { GroupRecord } from '../records.js';
import type { CoordinatorResult, RequestContext } from '../shard-api.js';
import { BUILT_IN_ASSIGNORS, type PartitionAssignor } from './assignors/index.js';
import { type ConsumerGroupsContext, RecordSink } from './context.js';
import { describeGroup, listGroups } from './describe.js';
import { cancelTimers, scheduleRebalanceTimeout, scheduleSessionTimeout } from './fencing.js';
import type { ConsumerGroup } from './group.js';
import { consumerGroupHeartbeat } from './heartbeat.js';
import { MemberState } from './member.js';
import { isSubscribedToTopic, validateOffsetCommit, validateOffsetFetch, validateTransactionalOffsetCommit } from './offsets.js';
import {
  currentAssignmentTombstone,
  groupEpochTombstone,
  memberMetadataTombstone,
  subscriptionMetadataTombstone,
  targetAssignmentEpochTombstone,
  targetAssignmentTombstone,
} from './record-builders.js';
import { replayConsumerGroupRecord } from './replay.js';

export class ConsumerGroups implements ConsumerGroupsApi {
  private readonly ctx: ConsumerGroupsContext;

  constructor(options: ConsumerGroupsOptions) {
    const assignors = new Map<string, PartitionAssignor>();
    for (const name of options.config.consumerGroupAssignors) {
      const assignor = BUILT_IN_ASSIGNORS.get(name);
      if (assignor) assignors.set(name, assignor);
    }
    if (assignors.size === 0) {
      throw new Error(`group.consumer.assignors names no known assignor: ${options.config.consumerGroupAssignors.join(', ')}`);
    }
    this.ctx = { options, groups: new Map(), assignorNames: [...assignors.keys()], assignors };
  }

  replay(record: GroupRecord): boolean {
    return replayConsumerGroupRecord(this.ctx.groups, record);
  }

  onLoaded(): void {
    for (const group of this.ctx.groups.values()) {
      for (const member of group.members.values()) {
        scheduleSessionTimeout(this.ctx, group.groupId, member.memberId);
        if (member.state === MemberState.UNREVOKED_PARTITIONS) {
          scheduleRebalanceTimeout(this.ctx, group.groupId, member.memberId, member.memberEpoch, member.rebalanceTimeoutMs);
        }
      }
    }
  }

  onUnloaded(): void {
    for (const group of this.ctx.groups.values()) {
      for (const memberId of group.members.keys()) cancelTimers(this.ctx, group.groupId, memberId);
    }
  }

  heartbeat(ctx: RequestContext, req: ConsumerGroupHeartbeatRequest): CoordinatorResult<ConsumerGroupHeartbeatResponse> {
    return consumerGroupHeartbeat(this.ctx, ctx, req);
  }

  describe(groupIds: readonly string[], _includeAuthorizedOperations: boolean): ConsumerGroupDescribeResponseDescribedGroup[] {
    return groupIds.map((groupId) => describeGroup(this.ctx, groupId));
  }

  has(groupId: string): boolean {
    return this.ctx.groups.has(groupId);
  }

  isEmpty(groupId: string): boolean {
    return (this.ctx.groups.get(groupId)?.members.size ?? 0) === 0;
  }

  list(): ListedGroupView[] {
    return listGroups(this.ctx);
  }

  delete(groupId: string): { errorCode: number; records: readonly GroupRecord[] } {
    const group = this.ctx.groups.get(groupId);
    if (!group) return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, records: [] };
    if (group.members.size > 0) return { errorCode: ErrorCode.NON_EMPTY_GROUP, records: [] };
    const sink = new RecordSink(this.ctx.groups);
    for (const record of groupTombstones(group)) sink.add(record);
    return { errorCode: ErrorCode.NONE, records: sink.records };
  }

  validateOffsetCommit(groupId: string, memberId: string, memberEpoch: number, apiVersion: number): number {
    return validateOffsetCommit(this.ctx, groupId, memberId, memberEpoch, apiVersion);
  }

  validateTransactionalOffsetCommit(groupId: string, memberId: string, groupInstanceId: string | null, memberEpoch: number): number {
    return validateTransactionalOffsetCommit(this.ctx, groupId, memberId, groupInstanceId, memberEpoch);
  }

  validateOffsetFetch(groupId: string, memberId: string | null, memberEpoch: number): number {
    return validateOffsetFetch(this.ctx, groupId, memberId, memberEpoch);
  }

  isSubscribedToTopic(groupId: string, topic: string): boolean {
    return isSubscribedToTopic(this.ctx, groupId, topic);
  }
}

/** Every tombstone of a group, in Kafka's order (members' records before the group's). */
function groupTombstones(group: ConsumerGroup): GroupRecord[] {
  const { groupId } = group;
  const memberIds = [...group.members.keys()].sort();
  const targetIds = [...new Set([...memberIds, ...group.targetAssignment.keys()])].sort();
  return [
    ...memberIds.map((id) => currentAssignmentTombstone(groupId, id)),
    ...targetIds.map((id) => targetAssignmentTombstone(groupId, id)),
    targetAssignmentEpochTombstone(groupId),
    ...memberIds.map((id) => memberMetadataTombstone(groupId, id)),
    subscriptionMetadataTombstone(groupId),
    groupEpochTombstone(groupId),
  ];
}
