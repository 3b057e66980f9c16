/**
 * Classic groups at load, unload and deletion: fresh sessions for members loaded from the log,
 * NOT_COORDINATOR for requests parked when the shard goes away, timers cancelled with a group.
 */
import { ErrorCode } from '../../../protocol/index.js';
import { type ClassicEnv, joinKey, syncKey } from './env.js';
import type { ClassicGroup } from './group.js';
import { cancelHeartbeat, prepareRebalance, rescheduleHeartbeat } from './rebalance.js';

export function onClassicGroupsLoaded(env: ClassicEnv): void {
  for (const group of env.groups.values()) {
    for (const member of group.members.values()) rescheduleHeartbeat(env, group, member);
    // group.max.size may have been lowered: rebalance so the excess members are dropped.
    if (group.members.size > env.config.groupMaxSize) prepareRebalance(env, group);
  }
}

export function cancelGroupTimers(env: ClassicEnv, group: ClassicGroup): void {
  for (const memberId of group.members.keys()) cancelHeartbeat(env, group, memberId);
  for (const memberId of group.pendingJoinMembers) cancelHeartbeat(env, group, memberId);
  env.timer.cancel(joinKey(group.groupId));
  env.timer.cancel(syncKey(group.groupId));
}

/** Removes the group (deleted, or replaced by a consumer group) and its timers. */
export function removeClassicGroup(env: ClassicEnv, groupId: string): void {
  const group = env.groups.get(groupId);
  if (!group) return;
  cancelGroupTimers(env, group);
  env.groups.delete(groupId);
}

export function onClassicGroupsUnloaded(env: ClassicEnv): void {
  for (const group of env.groups.values()) {
    for (const member of group.members.values()) {
      group.completeJoin(member, { errorCode: ErrorCode.NOT_COORDINATOR, memberId: member.memberId });
      group.completeSync(member, { errorCode: ErrorCode.NOT_COORDINATOR });
    }
    cancelGroupTimers(env, group);
  }
  env.groups.clear();
}
