/**
 * Offset expiry (KIP-211), run every offsets.retention.check.interval.ms:
 * - an explicit expire timestamp (OffsetCommit v2-4 retention time) is honoured as is;
 * - an Empty classic group's offsets expire once offsets.retention.minutes have passed since it
 *   became Empty (since the commit for old records without that timestamp);
 * - in a group whose members use the consumer protocol (a Stable classic "consumer" group with
 *   known subscriptions, or a consumer group), offsets of topics no member subscribes to expire
 *   that long after their commit;
 * - offsets of simple groups (no protocol type) expire that long after their commit.
 * A group left Empty with no offsets is deleted.
 */
import type { GroupRecord } from '../records.js';
import type { OffsetsEnv } from './env.js';
import { groupTombstone } from '../classic/records.js';
import { type CommittedOffset, offsetTombstone } from './store.js';

/** How a group's offsets expire; no rule (undefined) while they must not. */
interface ExpiryRule {
  /** The time retention counts from. */
  readonly baseTimestampMs: (offset: CommittedOffset) => number;
  readonly isSubscribed: (topic: string) => boolean;
}

function expiryRule(env: OffsetsEnv, groupId: string): ExpiryRule | undefined {
  const byCommit = (offset: CommittedOffset): number => offset.commitTimestampMs;
  if (env.consumerGroups.has(groupId)) {
    return { baseTimestampMs: byCommit, isSubscribed: (topic) => env.consumerGroups.isSubscribedToTopic(groupId, topic) };
  }
  const group = env.classic.groups.get(groupId);
  if (group === undefined) return { baseTimestampMs: byCommit, isSubscribed: () => false };
  const isSubscribed = (topic: string): boolean => group.isSubscribedToTopic(topic);
  if (group.protocolType === null) return { baseTimestampMs: byCommit, isSubscribed };
  if (group.isEmpty()) {
    const emptySince = group.currentStateTimestampMs;
    return { baseTimestampMs: (offset) => emptySince ?? offset.commitTimestampMs, isSubscribed };
  }
  if (group.usesConsumerProtocol() && group.subscribedTopics !== null && group.is('Stable')) {
    return { baseTimestampMs: byCommit, isSubscribed };
  }
  return undefined;
}

/** Appends tombstones for the group's expired offsets; true when none is left (nor pending). */
function cleanupExpiredOffsets(env: OffsetsEnv, groupId: string, nowMs: number, records: GroupRecord[]): boolean {
  const offsets = env.store.groupOffsets(groupId);
  if (offsets === undefined) return !env.store.hasOpenTransactions(groupId);
  const rule = expiryRule(env, groupId);
  if (rule === undefined) return false;
  let allExpired = true;
  for (const [topic, byPartition] of offsets) {
    if (rule.isSubscribed(topic)) {
      allExpired = false;
      continue;
    }
    for (const [partition, offset] of byPartition) {
      const expired = offset.expireTimestampMs !== null
        ? nowMs >= offset.expireTimestampMs
        : nowMs - rule.baseTimestampMs(offset) >= env.config.offsetsRetentionMs;
      if (expired && !env.store.hasPending(groupId, topic, partition)) records.push(offsetTombstone(groupId, topic, partition));
      else allExpired = false;
    }
  }
  return allExpired && !env.store.hasOpenTransactions(groupId);
}

/** Deletes the group if it is Empty: a GroupMetadata tombstone, or a consumer group's tombstones. */
function maybeDeleteGroup(env: OffsetsEnv, groupId: string, records: GroupRecord[]): void {
  if (env.consumerGroups.has(groupId)) {
    if (!env.consumerGroups.isEmpty(groupId)) return;
    const deleted = env.consumerGroups.delete(groupId);
    if (deleted.errorCode === 0) records.push(...deleted.records);
    return;
  }
  const group = env.classic.groups.get(groupId);
  if (group?.isEmpty()) records.push(groupTombstone(groupId));
}

/** One expiry pass over every group of the shard; returns the tombstones (already applied). */
export function cleanupGroupMetadata(env: OffsetsEnv): GroupRecord[] {
  const nowMs = env.clock.nowMs();
  const groupIds = new Set([
    ...env.classic.groups.keys(),
    ...env.consumerGroups.list().map((g) => g.groupId),
    ...env.store.groupIds(),
  ]);
  const records: GroupRecord[] = [];
  for (const groupId of groupIds) {
    if (cleanupExpiredOffsets(env, groupId, nowMs, records)) maybeDeleteGroup(env, groupId, records);
  }
  env.apply(records);
  return records;
}
