/**
 * SyncGroup on a classic group: followers wait for the leader; the leader's assignment is
 * persisted as a GroupMetadata record and, once durable, every member gets its share and the
 * group is Stable. In a Stable group a member simply gets its current assignment.
 */
import { ErrorCode, type SyncGroupRequest, type SyncGroupResponse } from '../../../protocol/index.js';
import { type CoordinatorResult, DeferredResponse } from '../shard-api.js';
import type { ClassicEnv } from './env.js';
import type { ClassicGroup } from './group.js';
import { syncResponse } from './responses.js';
import { EMPTY_ASSIGNMENT } from './member.js';
import { removePendingSyncMember, setAndPropagateAssignment } from './rebalance.js';
import { groupMetadataRecord } from './records.js';

type SyncResult = CoordinatorResult<SyncGroupResponse>;

export function syncError(errorCode: number): SyncResult {
  return { records: [], response: syncResponse({ errorCode }) };
}

/** A request field that names a protocol type or name conflicts only when both sides have one. */
function inconsistent(requested: string | null, current: string | null): boolean {
  return requested !== null && current !== null && requested !== current;
}

function validate(group: ClassicGroup, req: SyncGroupRequest): number {
  if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  const error = group.validateMember(req.memberId, req.groupInstanceId);
  if (error !== ErrorCode.NONE) return error;
  if (req.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
  if (inconsistent(req.protocolType, group.protocolType) || inconsistent(req.protocolName, group.protocolName)) {
    return ErrorCode.INCONSISTENT_GROUP_PROTOCOL;
  }
  return ErrorCode.NONE;
}

export function syncClassicGroup(env: ClassicEnv, group: ClassicGroup, req: SyncGroupRequest): SyncResult {
  if (group.isEmpty()) return syncError(ErrorCode.UNKNOWN_MEMBER_ID);
  const error = validate(group, req);
  if (error !== ErrorCode.NONE) return syncError(error);
  const member = group.members.get(req.memberId)!;

  if (group.is('PreparingRebalance')) return syncError(ErrorCode.REBALANCE_IN_PROGRESS);
  if (group.is('Stable')) {
    removePendingSyncMember(env, group, req.memberId);
    return {
      records: [],
      response: syncResponse({ protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment }),
    };
  }

  // CompletingRebalance: park the request until the assignment is known and durable.
  const response = new DeferredResponse<SyncGroupResponse>();
  member.awaitingSync = response;
  removePendingSyncMember(env, group, req.memberId);
  if (!group.isLeader(req.memberId)) return { records: [], response };

  const assignment = new Map<string, Buffer>();
  for (const a of req.assignments) assignment.set(a.memberId, a.assignment);
  for (const memberId of group.members.keys()) if (!assignment.has(memberId)) assignment.set(memberId, EMPTY_ASSIGNMENT);
  const generationId = group.generationId;
  const onDurable = (): void => {
    // The group may have moved on (a member joined) while the record was written.
    if (group.is('CompletingRebalance') && group.generationId === generationId && env.groups.get(group.groupId) === group) {
      setAndPropagateAssignment(env, group, assignment);
    }
  };
  return { records: [groupMetadataRecord(group, assignment)], response, onDurable };
}
