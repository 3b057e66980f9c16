/**
 * JoinGroup on a classic group (Kafka's ClassicGroup join path): new dynamic members get a
 * member id first (MEMBER_ID_REQUIRED, v4+), static members may replace their previous member
 * id, known members rejoin; the response waits for the rebalance (DeferredResponse).
 */
import { ErrorCode, type JoinGroupRequest, type JoinGroupResponse } from '../../../protocol/index.js';
import { type CoordinatorResult, DeferredResponse, type RequestContext } from '../shard-api.js';
import { type ClassicEnv, NEW_MEMBER_JOIN_TIMEOUT_MS, newMemberId } from './env.js';
import { ClassicGroup } from './group.js';
import { joinResponse } from './responses.js';
import { ClassicMember } from './member.js';
import type { JoinArgs } from './join-args.js';
import { cancelHeartbeat, maybePrepareRebalanceOrCompleteJoin, rescheduleHeartbeat, scheduleSessionExpiry } from './rebalance.js';
import { emptyGroupMetadataRecord } from './records.js';
import { joinStaticMemberReplacingOld } from './join-static.js';

type JoinResult = CoordinatorResult<JoinGroupResponse>;


export function joinError(ctx: RequestContext, errorCode: number, memberId: string): JoinResult {
  return { records: [], response: joinResponse({ errorCode, memberId }, ctx.apiVersion) };
}

/** The checks made before any group is looked at: a group id, a session timeout within bounds. */
export function invalidJoinRequest(env: ClassicEnv, ctx: RequestContext, req: JoinGroupRequest): JoinResult | undefined {
  if (req.groupId === '') return joinError(ctx, ErrorCode.INVALID_GROUP_ID, req.memberId);
  const { groupMinSessionTimeoutMs: min, groupMaxSessionTimeoutMs: max } = env.config;
  if (req.sessionTimeoutMs < min || req.sessionTimeoutMs > max) {
    return joinError(ctx, ErrorCode.INVALID_SESSION_TIMEOUT, req.memberId);
  }
  return undefined;
}

export function joinClassicGroup(env: ClassicEnv, ctx: RequestContext, req: JoinGroupRequest): JoinResult {
  const invalid = invalidJoinRequest(env, ctx, req);
  if (invalid) return invalid;
  const isUnknownMember = req.memberId === '';
  let group = env.groups.get(req.groupId);
  const isNewGroup = group === undefined;
  if (group === undefined) {
    // Only a member without an id creates the group.
    if (!isUnknownMember) return joinError(ctx, ErrorCode.UNKNOWN_MEMBER_ID, req.memberId);
    group = ClassicGroup.create(req.groupId, env.clock.nowMs());
    env.groups.set(req.groupId, group);
  }
  const args: JoinArgs = {
    env, ctx, req, group,
    protocols: req.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
    rebalanceTimeoutMs: ctx.apiVersion === 0 || req.rebalanceTimeoutMs < 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs,
  };
  let result: JoinResult;
  if (!acceptJoiningMember(env, group, req.memberId)) {
    group.remove(req.memberId);
    cancelHeartbeat(env, group, req.memberId);
    result = joinError(ctx, ErrorCode.GROUP_MAX_SIZE_REACHED, '');
  } else {
    result = isUnknownMember ? joinNewMember(args) : joinExistingMember(args);
  }
  // A group this request created is persisted even when nothing else is.
  if (isNewGroup && result.records.length === 0) result = { ...result, records: [emptyGroupMetadataRecord(group)] };
  return result;
}

/** group.max.size: counts members waiting to join during a rebalance, members otherwise. */
function acceptJoiningMember(env: ClassicEnv, group: ClassicGroup, memberId: string): boolean {
  const maxSize = env.config.groupMaxSize;
  switch (group.state) {
    case 'Empty':
    case 'Dead':
      return true;
    case 'PreparingRebalance':
      return (group.members.get(memberId)?.awaitingJoin ?? null) !== null || group.numAwaitingJoin() < maxSize;
    case 'CompletingRebalance':
    case 'Stable':
      return group.members.has(memberId) || group.members.size < maxSize;
  }
}

function joinNewMember(args: JoinArgs): JoinResult {
  const { env, ctx, req, group } = args;
  if (group.is('Dead')) return joinError(ctx, ErrorCode.COORDINATOR_NOT_AVAILABLE, '');
  if (!group.supportsProtocols(req.protocolType, args.protocols.map((p) => p.name))) {
    return joinError(ctx, ErrorCode.INCONSISTENT_GROUP_PROTOCOL, '');
  }
  const memberId = newMemberId(env, req.groupInstanceId ?? ctx.clientId);
  if (req.groupInstanceId !== null) {
    const existing = group.staticMemberId(req.groupInstanceId);
    return existing !== undefined ? joinStaticMemberReplacingOld(args, existing, memberId) : addMember(args, memberId);
  }
  if (ctx.apiVersion >= 4) {
    // The client must come back with this id; until then it is pending, with a session.
    group.pendingJoinMembers.add(memberId);
    scheduleSessionExpiry(env, group.groupId, memberId, req.sessionTimeoutMs);
    return joinError(ctx, ErrorCode.MEMBER_ID_REQUIRED, memberId);
  }
  return addMember(args, memberId);
}

function addMember(args: JoinArgs, memberId: string): JoinResult {
  const { env, ctx, req, group } = args;
  const member = new ClassicMember(memberId, req.groupInstanceId, ctx.clientId, ctx.clientHost, args.rebalanceTimeoutMs,
    req.sessionTimeoutMs, req.protocolType, args.protocols);
  member.isNew = true;
  if (group.is('PreparingRebalance') && group.previousState === 'Empty') group.newMemberAdded = true;
  const response = new DeferredResponse<JoinGroupResponse>();
  group.add(member, response, ctx.apiVersion);
  // A parked JoinGroup cannot heartbeat: bound how long a new member may wait.
  rescheduleHeartbeat(env, group, member, NEW_MEMBER_JOIN_TIMEOUT_MS);
  return { records: maybePrepareRebalanceOrCompleteJoin(env, group), response };
}

function joinExistingMember(args: JoinArgs): JoinResult {
  const { ctx, req, group } = args;
  const memberId = req.memberId;
  if (group.is('Dead')) return joinError(ctx, ErrorCode.COORDINATOR_NOT_AVAILABLE, memberId);
  if (!group.supportsProtocols(req.protocolType, args.protocols.map((p) => p.name))) {
    return joinError(ctx, ErrorCode.INCONSISTENT_GROUP_PROTOCOL, memberId);
  }
  if (group.pendingJoinMembers.has(memberId)) {
    // Pending ids are only handed to dynamic members.
    if (req.groupInstanceId !== null) return joinError(ctx, ErrorCode.UNKNOWN_SERVER_ERROR, memberId);
    return addMember(args, memberId);
  }
  const error = group.validateMember(memberId, req.groupInstanceId);
  if (error !== ErrorCode.NONE) return joinError(ctx, error, memberId);
  const member = group.members.get(memberId)!;
  const current = (members: JoinGroupResponse['members']): JoinResult => ({
    records: [],
    response: joinResponse({
      members, memberId, generationId: group.generationId, protocolName: group.protocolName,
      protocolType: group.protocolType, leader: group.leaderId ?? '', skipAssignment: false,
    }, ctx.apiVersion),
  });
  switch (group.state) {
    case 'PreparingRebalance':
      return updateMemberAndRebalance(args, member);
    case 'CompletingRebalance':
      // Same metadata: it missed the JoinGroup answer; send it again.
      if (member.matches(args.protocols)) return current(group.isLeader(memberId) ? group.leaderMembers() : []);
      return updateMemberAndRebalance(args, member);
    case 'Stable':
      // The leader rejoining asks for a new assignment (e.g. topic metadata changed).
      if (group.isLeader(memberId) || !member.matches(args.protocols)) return updateMemberAndRebalance(args, member);
      return current([]);
    default:
      return joinError(ctx, ErrorCode.UNKNOWN_MEMBER_ID, memberId);
  }
}

function updateMemberAndRebalance(args: JoinArgs, member: ClassicMember): JoinResult {
  const { env, ctx, req, group } = args;
  const response = new DeferredResponse<JoinGroupResponse>();
  group.updateMember(member, args.protocols, args.rebalanceTimeoutMs, req.sessionTimeoutMs, response, ctx.apiVersion);
  return { records: maybePrepareRebalanceOrCompleteJoin(env, group), response };
}
