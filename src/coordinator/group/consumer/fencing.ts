/**
 * Removing a member (leave, session expiry, rebalance timeout) and the timers that do it.
 * A removed member's records are tombstoned (current assignment, target assignment, then
 * subscription), the subscribed-topic metadata is recomputed without it, and the group epoch is
 * bumped so that the next heartbeat computes a new target assignment.
 */
import type { GroupRecord } from '../records.js';
import { type ConsumerGroupsContext, RecordSink } from './context.js';
import type { ConsumerGroup } from './group.js';
import { groupEpochRecord, memberTombstones, subscriptionMetadataRecord } from './record-builders.js';
import { computeSubscriptionMetadata, subscriptionMetadataEquals } from './subscriptions.js';

export function sessionTimeoutKey(groupId: string, memberId: string): string {
  return `consumer-group-session-timeout:${JSON.stringify([groupId, memberId])}`;
}

export function rebalanceTimeoutKey(groupId: string, memberId: string): string {
  return `consumer-group-rebalance-timeout:${JSON.stringify([groupId, memberId])}`;
}

export function fenceMember(ctx: ConsumerGroupsContext, group: ConsumerGroup, memberId: string, sink: RecordSink): void {
  for (const record of memberTombstones(group.groupId, memberId)) sink.add(record);
  const image = ctx.options.metadata();
  const metadata = computeSubscriptionMetadata(group, image);
  group.checkedImage = image;
  if (!subscriptionMetadataEquals(metadata, group.subscriptionMetadata)) sink.add(subscriptionMetadataRecord(group.groupId, metadata));
  sink.add(groupEpochRecord(group.groupId, group.groupEpoch + 1));
  cancelTimers(ctx, group.groupId, memberId);
}

/** The records that remove the member, or none when it is already gone. */
function fenceOperation(ctx: ConsumerGroupsContext, groupId: string, memberId: string, memberEpoch?: number): readonly GroupRecord[] {
  const group = ctx.groups.get(groupId);
  const member = group?.members.get(memberId);
  if (!group || !member) return [];
  if (memberEpoch !== undefined && member.memberEpoch !== memberEpoch) return [];
  const sink = new RecordSink(ctx.groups);
  fenceMember(ctx, group, memberId, sink);
  return sink.records;
}

export function scheduleSessionTimeout(ctx: ConsumerGroupsContext, groupId: string, memberId: string): void {
  ctx.options.timer.schedule(sessionTimeoutKey(groupId, memberId), ctx.options.config.consumerGroupSessionTimeoutMs,
    () => fenceOperation(ctx, groupId, memberId));
}

/** Fences the member unless it has left `memberEpoch` (revoked in time) by then. */
export function scheduleRebalanceTimeout(ctx: ConsumerGroupsContext, groupId: string, memberId: string, memberEpoch: number, rebalanceTimeoutMs: number): void {
  ctx.options.timer.schedule(rebalanceTimeoutKey(groupId, memberId), Math.max(0, rebalanceTimeoutMs),
    () => fenceOperation(ctx, groupId, memberId, memberEpoch));
}

export function cancelRebalanceTimeout(ctx: ConsumerGroupsContext, groupId: string, memberId: string): void {
  ctx.options.timer.cancel(rebalanceTimeoutKey(groupId, memberId));
}

export function cancelTimers(ctx: ConsumerGroupsContext, groupId: string, memberId: string): void {
  ctx.options.timer.cancel(sessionTimeoutKey(groupId, memberId));
  ctx.options.timer.cancel(rebalanceTimeoutKey(groupId, memberId));
}
