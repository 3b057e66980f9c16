/**
 * The classic rebalance: PreparingRebalance (members rejoin, with Kafka's delayed initial join
 * for a group starting from Empty) → CompletingRebalance (members sync) → Stable, and the
 * timers that drive it, member sessions included: one timer per member (and pending member),
 * reset by every heartbeat; when it fires, a member not parked in a JoinGroup or SyncGroup is
 * removed. Every function returns the records to persist.
 */
import { ErrorCode } from '../../../protocol/index.js';
import type { GroupRecord } from '../records.js';
import { type ClassicEnv, heartbeatKey, joinKey, syncKey } from './env.js';
import type { ClassicGroup } from './group.js';
import { type ClassicMember, EMPTY_ASSIGNMENT } from './member.js';
import { groupMetadataRecord } from './records.js';

const NONE: GroupRecord[] = [];

export function maybePrepareRebalanceOrCompleteJoin(env: ClassicEnv, group: ClassicGroup): GroupRecord[] {
  return group.canRebalance() ? prepareRebalance(env, group) : maybeCompleteJoinPhase(env, group);
}

export function prepareRebalance(env: ClassicEnv, group: ClassicGroup): GroupRecord[] {
  // Members waiting for their assignment must rejoin instead.
  if (group.is('CompletingRebalance')) resetAndPropagateAssignmentWithError(env, group, ErrorCode.REBALANCE_IN_PROGRESS);
  group.pendingSyncMembers.clear();
  env.timer.cancel(syncKey(group.groupId));

  const isInitialRebalance = group.is('Empty');
  if (isInitialRebalance) {
    // A new group: wait group.initial.rebalance.delay.ms for more members, at most the rebalance timeout.
    const delayMs = env.config.groupInitialRebalanceDelayMs;
    const remainingMs = Math.max(group.rebalanceTimeoutMs() - delayMs, 0);
    scheduleInitialRebalance(env, group.groupId, delayMs, remainingMs);
  }
  group.transitionTo('PreparingRebalance', env.clock.nowMs());
  return isInitialRebalance ? NONE : maybeCompleteJoinElseSchedule(env, group);
}

function scheduleInitialRebalance(env: ClassicEnv, groupId: string, delayMs: number, remainingMs: number): void {
  env.timer.schedule(joinKey(groupId), delayMs, () => tryCompleteInitialRebalance(env, groupId, delayMs, remainingMs));
}

function tryCompleteInitialRebalance(env: ClassicEnv, groupId: string, delayMs: number, remainingMs: number): readonly GroupRecord[] {
  const group = env.groups.get(groupId);
  if (!group) return NONE;
  if (group.newMemberAdded && remainingMs !== 0) {
    // Members are still arriving: extend the delay, within what is left of the rebalance timeout.
    group.newMemberAdded = false;
    const nextDelayMs = Math.min(env.config.groupInitialRebalanceDelayMs, remainingMs);
    scheduleInitialRebalance(env, groupId, nextDelayMs, Math.max(remainingMs - delayMs, 0));
    return NONE;
  }
  return completeJoin(env, group);
}

function maybeCompleteJoinElseSchedule(env: ClassicEnv, group: ClassicGroup): GroupRecord[] {
  if (group.hasAllMembersJoined()) return completeJoin(env, group);
  scheduleJoinTimeout(env, group);
  return NONE;
}

function scheduleJoinTimeout(env: ClassicEnv, group: ClassicGroup): void {
  const groupId = group.groupId;
  env.timer.schedule(joinKey(groupId), group.rebalanceTimeoutMs(), () => {
    const current = env.groups.get(groupId);
    return current ? completeJoin(env, current) : NONE;
  });
}

/** Completes the join phase early once every known member has rejoined (not for the delayed initial join). */
export function maybeCompleteJoinPhase(env: ClassicEnv, group: ClassicGroup): GroupRecord[] {
  if (!group.is('PreparingRebalance') || group.previousState === 'Empty' || !group.hasAllMembersJoined()) return NONE;
  return completeJoin(env, group);
}

/**
 * Ends the join phase: dynamic members that did not rejoin are dropped, the generation moves on,
 * and every joined member gets its JoinGroup answer (the leader with all members' metadata).
 */
export function completeJoin(env: ClassicEnv, group: ClassicGroup): GroupRecord[] {
  env.timer.cancel(joinKey(group.groupId));
  for (const member of [...group.members.values()]) {
    if (member.awaitingJoin === null && !member.isStatic) {
      group.remove(member.memberId);
      cancelHeartbeat(env, group, member.memberId);
    }
  }
  if (group.is('Dead')) return NONE;
  if (!group.maybeElectNewJoinedLeader() && group.members.size > 0) {
    // Nobody rejoined (only static members are left): wait another rebalance timeout.
    scheduleJoinTimeout(env, group);
    return NONE;
  }
  group.initNextGeneration(env.clock.nowMs());
  if (group.is('Empty')) return [groupMetadataRecord(group, new Map())];

  for (const member of group.members.values()) {
    group.completeJoin(member, {
      members: group.isLeader(member.memberId) ? group.leaderMembers() : [],
      memberId: member.memberId,
      generationId: group.generationId,
      protocolName: group.protocolName,
      protocolType: group.protocolType,
      leader: group.leaderId ?? '',
      skipAssignment: false,
    });
    rescheduleHeartbeat(env, group, member);
    member.isNew = false;
    group.pendingSyncMembers.add(member.memberId);
  }
  schedulePendingSync(env, group);
  return NONE;
}

/** Members that do not sync within the rebalance timeout are removed and the group rebalances. */
function schedulePendingSync(env: ClassicEnv, group: ClassicGroup): void {
  const { groupId, generationId } = group;
  env.timer.schedule(syncKey(groupId), group.rebalanceTimeoutMs(), () => {
    const current = env.groups.get(groupId);
    if (!current || current.generationId !== generationId) return NONE;
    if (!(current.is('CompletingRebalance') || current.is('Stable')) || current.pendingSyncMembers.size === 0) return NONE;
    for (const memberId of [...current.pendingSyncMembers]) {
      current.remove(memberId);
      cancelHeartbeat(env, current, memberId);
    }
    return prepareRebalance(env, current);
  });
}

export function removePendingSyncMember(env: ClassicEnv, group: ClassicGroup, memberId: string): void {
  group.pendingSyncMembers.delete(memberId);
  if (group.pendingSyncMembers.size === 0 || !(group.is('CompletingRebalance') || group.is('Stable'))) {
    env.timer.cancel(syncKey(group.groupId));
  }
}

/** Removes a member (session expired or left) and moves the rebalance on. */
export function removeMemberAndUpdateGroup(env: ClassicEnv, group: ClassicGroup, member: ClassicMember): GroupRecord[] {
  // A member removed while its JoinGroup is parked learns it must rejoin.
  group.completeJoin(member, { memberId: '', errorCode: ErrorCode.UNKNOWN_MEMBER_ID });
  group.remove(member.memberId);
  if (group.is('Stable') || group.is('CompletingRebalance')) return maybePrepareRebalanceOrCompleteJoin(env, group);
  if (group.is('PreparingRebalance') && group.hasAllMembersJoined()) return completeJoin(env, group);
  return NONE;
}

function resetAndPropagateAssignmentWithError(env: ClassicEnv, group: ClassicGroup, errorCode: number): void {
  for (const member of group.members.values()) member.assignment = EMPTY_ASSIGNMENT;
  propagateAssignment(env, group, errorCode);
}

/** The leader's assignment is durable: every member gets its share and the group is Stable. */
export function setAndPropagateAssignment(env: ClassicEnv, group: ClassicGroup, assignment: ReadonlyMap<string, Buffer>): void {
  for (const member of group.members.values()) member.assignment = assignment.get(member.memberId) ?? EMPTY_ASSIGNMENT;
  propagateAssignment(env, group, ErrorCode.NONE);
  group.transitionTo('Stable', env.clock.nowMs());
}

function propagateAssignment(env: ClassicEnv, group: ClassicGroup, errorCode: number): void {
  const ok = errorCode === ErrorCode.NONE;
  for (const member of group.members.values()) {
    const answered = group.completeSync(member, {
      errorCode,
      assignment: member.assignment,
      protocolName: ok ? group.protocolName : null,
      protocolType: ok ? group.protocolType : null,
    });
    // A session that ran out while the sync was parked was ignored; give the member a fresh one.
    if (answered) rescheduleHeartbeat(env, group, member);
  }
}

export function rescheduleHeartbeat(env: ClassicEnv, group: ClassicGroup, member: ClassicMember, timeoutMs = member.sessionTimeoutMs): void {
  scheduleSessionExpiry(env, group.groupId, member.memberId, timeoutMs);
}

export function scheduleSessionExpiry(env: ClassicEnv, groupId: string, memberId: string, timeoutMs: number): void {
  env.timer.schedule(heartbeatKey(groupId, memberId), timeoutMs, () => expireSession(env, groupId, memberId));
}

export function cancelHeartbeat(env: ClassicEnv, group: ClassicGroup, memberId: string): void {
  env.timer.cancel(heartbeatKey(group.groupId, memberId));
}

function expireSession(env: ClassicEnv, groupId: string, memberId: string): readonly GroupRecord[] {
  const group = env.groups.get(groupId);
  if (!group || group.is('Dead')) return [];
  if (group.pendingJoinMembers.has(memberId)) {
    group.remove(memberId);
    return group.is('PreparingRebalance') && group.hasAllMembersJoined() ? completeJoin(env, group) : [];
  }
  const member = group.members.get(memberId);
  if (!member || member.hasSatisfiedHeartbeat()) return [];
  return removeMemberAndUpdateGroup(env, group, member);
}
