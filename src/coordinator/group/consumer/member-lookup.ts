/**
 * Finding the group and the member a heartbeat is about, with Kafka's errors: the group may be
 * missing or classic, full, the member unknown, its epoch stale, or its static instance id taken.
 */
import { ErrorCode, type ConsumerGroupHeartbeatRequest } from '../../../protocol/index.js';
import type { Random } from '../../../common/random.js';
import type { ConsumerGroupsContext } from './context.js';
import { GroupApiError, notAConsumerGroup, unknownMember } from './errors.js';
import type { ConsumerGroup } from './group.js';
import { type ConsumerMember, LEAVE_GROUP_STATIC_MEMBER_EPOCH, newMember } from './member.js';
import { validateMemberEpoch } from './validation.js';

/** The group of a joining or heartbeating member; undefined when a join will create it. */
export function groupForHeartbeat(ctx: ConsumerGroupsContext, groupId: string, createIfNotExists: boolean): ConsumerGroup | undefined {
  const group = ctx.groups.get(groupId);
  if (group) return group;
  if (ctx.options.isClassicGroup(groupId)) throw notAConsumerGroup(groupId);
  if (!createIfNotExists) throw new GroupApiError(ErrorCode.GROUP_ID_NOT_FOUND, `Consumer group ${groupId} not found.`);
  return undefined;
}

/** The group a leave or describe names. */
export function existingGroup(ctx: ConsumerGroupsContext, groupId: string): ConsumerGroup {
  const group = ctx.groups.get(groupId);
  if (group) return group;
  if (ctx.options.isClassicGroup(groupId)) throw notAConsumerGroup(groupId);
  throw new GroupApiError(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${groupId} not found.`);
}

export function throwIfGroupIsFull(ctx: ConsumerGroupsContext, group: ConsumerGroup | undefined, memberId: string): void {
  const max = ctx.options.config.consumerGroupMaxSize;
  const size = group?.members.size ?? 0;
  if (size >= max && (memberId === '' || !group?.members.has(memberId))) {
    throw new GroupApiError(ErrorCode.GROUP_MAX_SIZE_REACHED, `The consumer group has reached its maximum capacity of ${max} members.`);
  }
}

/** A member id as Kafka's Uuid.randomUuid prints it: 22 base64url characters, never starting with '-'. */
export function newMemberId(random: Random): string {
  for (;;) {
    const id = random.bytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export function unknownInstance(instanceId: string): GroupApiError {
  return new GroupApiError(ErrorCode.UNKNOWN_MEMBER_ID, `Instance id ${instanceId} is unknown.`);
}

export function throwIfInstanceIdIsFenced(member: ConsumerMember, memberId: string, instanceId: string): void {
  if (member.memberId !== memberId) {
    throw new GroupApiError(ErrorCode.FENCED_INSTANCE_ID,
      `Static member ${memberId} with instance id ${instanceId} was fenced by member ${member.memberId}.`);
  }
}

export interface ResolvedMember {
  /** The member before this heartbeat changes it (a fresh one when joining). */
  readonly member: ConsumerMember;
  /** The departed static member the joining one replaces. */
  readonly replaced?: ConsumerMember;
}

export function resolveMember(group: ConsumerGroup | undefined, memberId: string, req: ConsumerGroupHeartbeatRequest): ResolvedMember {
  const epoch = req.memberEpoch;
  const groupId = req.groupId;
  if (req.instanceId === null) {
    const existing = group?.members.get(memberId);
    if (!existing) {
      if (epoch !== 0) throw unknownMember(groupId, memberId);
      return { member: newMember(memberId) };
    }
    validateMemberEpoch(existing, epoch, req.topicPartitions);
    return { member: existing };
  }

  const instanceId = req.instanceId;
  const current = group?.staticMember(instanceId);
  if (epoch === 0) {
    if (!current) return { member: group?.members.get(memberId) ?? newMember(memberId) };
    if (current.memberEpoch !== LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
      throw new GroupApiError(ErrorCode.UNRELEASED_INSTANCE_ID,
        `Static member ${memberId} with instance id ${instanceId} cannot join the group because the instance id is owned by ${current.memberId} member.`);
    }
    return { member: { ...current, memberId, memberEpoch: 0, previousMemberEpoch: 0 }, replaced: current };
  }
  if (!current) throw unknownInstance(instanceId);
  throwIfInstanceIdIsFenced(current, memberId, instanceId);
  validateMemberEpoch(current, epoch, req.topicPartitions);
  return { member: current };
}
