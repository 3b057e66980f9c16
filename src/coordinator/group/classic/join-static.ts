/**
 * A static member (groupInstanceId) joining without a member id while its instance id is known:
 * the new member id replaces the old one, which is fenced (FENCED_INSTANCE_ID). In a Stable
 * group whose selected protocol would not change there is no rebalance: the group is persisted
 * with the new member id and the member keeps its assignment.
 */
import { ErrorCode, type JoinGroupResponse } from '../../../protocol/index.js';
import { type CoordinatorResult, DeferredResponse } from '../shard-api.js';
import type { JoinArgs } from './join-args.js';
import {
  cancelHeartbeat,
  maybeCompleteJoinPhase,
  maybePrepareRebalanceOrCompleteJoin,
  prepareRebalance,
  rescheduleHeartbeat,
} from './rebalance.js';
import { groupMetadataRecord } from './records.js';

export function joinStaticMemberReplacingOld(args: JoinArgs, oldMemberId: string, memberId: string): CoordinatorResult<JoinGroupResponse> {
  const { env, ctx, req, group } = args;
  const groupInstanceId = req.groupInstanceId!;
  const previousLeader = group.leaderId;
  const member = group.replaceStaticMember(groupInstanceId, oldMemberId, memberId);
  cancelHeartbeat(env, group, oldMemberId);
  rescheduleHeartbeat(env, group, member);
  const response = new DeferredResponse<JoinGroupResponse>();
  group.updateMember(member, args.protocols, args.rebalanceTimeoutMs, req.sessionTimeoutMs, response, ctx.apiVersion);

  switch (group.state) {
    case 'Stable': {
      if (group.protocolName !== group.selectProtocol()) {
        return { records: maybePrepareRebalanceOrCompleteJoin(env, group), response };
      }
      const assignment = new Map([...group.members.values()].map((m) => [m.memberId, m.assignment] as const));
      const onDurable = (): void => {
        const base = {
          memberId, generationId: group.generationId, protocolName: group.protocolName, protocolType: group.protocolType,
        };
        if (ctx.apiVersion >= 9) {
          // The leader learns the members but need not assign again.
          const isLeader = group.isLeader(memberId);
          group.completeJoin(member, {
            ...base, members: isLeader ? group.leaderMembers() : [], leader: group.leaderId ?? '', skipAssignment: isLeader,
          });
        } else {
          // Older clients are told the previous leader, so a replaced leader does not reassign.
          group.completeJoin(member, { ...base, leader: previousLeader ?? '' });
        }
      };
      return { records: [groupMetadataRecord(group, assignment)], response, onDurable };
    }
    case 'CompletingRebalance':
      // The leader may be assigning to the old member id: assign again.
      return { records: prepareRebalance(env, group), response };
    case 'PreparingRebalance':
      return { records: maybeCompleteJoinPhase(env, group), response };
    default:
      // Empty and Dead groups have no static members to replace: not reached.
      group.completeJoin(member, { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, memberId });
      return { records: [], response };
  }
}
