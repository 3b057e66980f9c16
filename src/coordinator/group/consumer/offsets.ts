/**
 * The checks OffsetCommit, TxnOffsetCommit, OffsetFetch and OffsetDelete make against a
 * consumer group (Kafka's ConsumerGroup.validateOffsetCommit / validateOffsetFetch).
 */
import { ErrorCode } from '../../../protocol/index.js';
import type { ConsumerGroupsContext } from './context.js';
import type { ConsumerMember } from './member.js';
import { memberSubscribesTo } from './subscriptions.js';

/** OffsetCommit below this version cannot carry a member epoch (KIP-848). */
export const OFFSET_COMMIT_MIN_VERSION_FOR_CONSUMER_PROTOCOL = 9;

function epochError(member: ConsumerMember, memberEpoch: number): number {
  if (memberEpoch === member.memberEpoch) return ErrorCode.NONE;
  // A member written by the classic protocol commits with its generation id.
  return member.classicMemberMetadata !== null ? ErrorCode.ILLEGAL_GENERATION : ErrorCode.STALE_MEMBER_EPOCH;
}

/**
 * A negative epoch (an admin client, or a consumer without group management) may commit only
 * while the group has no members. An unknown group counts as empty.
 */
export function validateOffsetCommit(ctx: ConsumerGroupsContext, groupId: string, memberId: string, memberEpoch: number, apiVersion: number): number {
  const group = ctx.groups.get(groupId);
  if (memberEpoch < 0 && (group?.members.size ?? 0) === 0) return ErrorCode.NONE;
  const member = group?.members.get(memberId);
  if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
  if (member.classicMemberMetadata === null && apiVersion < OFFSET_COMMIT_MIN_VERSION_FOR_CONSUMER_PROTOCOL) return ErrorCode.UNSUPPORTED_VERSION;
  return epochError(member, memberEpoch);
}

/**
 * TxnOffsetCommit: as OffsetCommit, except that a commit without member id, generation and
 * group instance id (all optional in this API) is not checked, and any version may commit for a
 * KIP-848 member. A stale epoch is ILLEGAL_GENERATION here, as Kafka answers it.
 */
export function validateTransactionalOffsetCommit(
  ctx: ConsumerGroupsContext, groupId: string, memberId: string, groupInstanceId: string | null, memberEpoch: number,
): number {
  const group = ctx.groups.get(groupId);
  if (memberEpoch < 0 && (group?.members.size ?? 0) === 0) return ErrorCode.NONE;
  if (memberEpoch === -1 && memberId === '' && groupInstanceId === null) return ErrorCode.NONE;
  const member = group?.members.get(memberId);
  if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
  return memberEpoch === member.memberEpoch ? ErrorCode.NONE : ErrorCode.ILLEGAL_GENERATION;
}

/** Without a member id and with a negative epoch the fetch is not checked. */
export function validateOffsetFetch(ctx: ConsumerGroupsContext, groupId: string, memberId: string | null, memberEpoch: number): number {
  if (memberId === null && memberEpoch < 0) return ErrorCode.NONE;
  const member = ctx.groups.get(groupId)?.members.get(memberId ?? '');
  if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
  return epochError(member, memberEpoch);
}

export function isSubscribedToTopic(ctx: ConsumerGroupsContext, groupId: string, topic: string): boolean {
  const group = ctx.groups.get(groupId);
  if (!group) return false;
  for (const member of group.members.values()) if (memberSubscribesTo(member, topic)) return true;
  return false;
}
