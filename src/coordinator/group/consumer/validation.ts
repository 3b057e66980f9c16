/**
 * The checks a ConsumerGroupHeartbeat must pass before the group is touched
 * (Kafka's throwIfConsumerGroupHeartbeatRequestIsInvalid and the epoch checks).
 */
import { ErrorCode, type ConsumerGroupHeartbeatRequest } from '../../../protocol/index.js';
import { entriesAreSubsetOf } from './assignment.js';
import { fencedEpoch, GroupApiError, invalidRequest } from './errors.js';
import { type ConsumerMember, LEAVE_GROUP_MEMBER_EPOCH, LEAVE_GROUP_STATIC_MEMBER_EPOCH } from './member.js';
import { regexError } from './subscriptions.js';

/** From this version on the client generates its member id (KIP-1082). */
export const CONSUMER_GENERATED_MEMBER_ID_REQUIRED_VERSION = 1;

function isBlank(value: string | null): boolean {
  return value !== null && value.trim() === '';
}

export function validateHeartbeatRequest(req: ConsumerGroupHeartbeatRequest, apiVersion: number, assignors: readonly string[]): void {
  const epoch = req.memberEpoch;
  if (apiVersion >= CONSUMER_GENERATED_MEMBER_ID_REQUIRED_VERSION || epoch > 0 || epoch === LEAVE_GROUP_MEMBER_EPOCH) {
    if (isBlank(req.memberId)) throw invalidRequest("MemberId can't be empty.");
  }
  if (isBlank(req.groupId)) throw invalidRequest("GroupId can't be empty.");
  if (isBlank(req.instanceId)) throw invalidRequest("InstanceId can't be empty.");
  if (isBlank(req.rackId)) throw invalidRequest("RackId can't be empty.");

  if (epoch === 0) {
    if (req.rebalanceTimeoutMs === -1) throw invalidRequest('RebalanceTimeoutMs must be provided in first request.');
    if (req.topicPartitions === null || req.topicPartitions.length > 0) {
      throw invalidRequest('TopicPartitions must be empty when (re-)joining.');
    }
    const hasNames = req.subscribedTopicNames !== null && req.subscribedTopicNames.length > 0;
    const hasRegex = req.subscribedTopicRegex !== null && req.subscribedTopicRegex !== '';
    if (!hasNames && !hasRegex) throw invalidRequest('SubscribedTopicNames or SubscribedTopicRegex must be set in first request.');
  } else if (epoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
    if (req.instanceId === null) throw invalidRequest("InstanceId can't be null.");
  } else if (epoch < LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
    throw invalidRequest('MemberEpoch is invalid.');
  }

  if (req.serverAssignor !== null && !assignors.includes(req.serverAssignor)) {
    throw new GroupApiError(ErrorCode.UNSUPPORTED_ASSIGNOR,
      `ServerAssignor ${req.serverAssignor} is not supported. Supported assignors: ${assignors.join(', ')}.`);
  }
}

export function validateRegex(pattern: string | null): void {
  if (pattern === null || pattern === '') return;
  const reason = regexError(pattern);
  if (reason !== null) {
    throw new GroupApiError(ErrorCode.INVALID_REGULAR_EXPRESSION,
      `SubscribedTopicRegex \`${pattern}\` is not a valid regular expression: ${reason}.`);
  }
}

/**
 * A heartbeat's epoch must be the member's; the previous epoch is accepted when the member owns
 * no more than its current assignment (the response that bumped the epoch may have been lost).
 */
export function validateMemberEpoch(
  member: ConsumerMember,
  received: number,
  owned: ConsumerGroupHeartbeatRequest['topicPartitions'],
): void {
  if (received > member.memberEpoch) throw fencedEpoch(received, member.memberEpoch);
  if (received < member.memberEpoch) {
    if (received !== member.previousMemberEpoch || !entriesAreSubsetOf(owned, member.assignedPartitions)) {
      throw fencedEpoch(received, member.memberEpoch);
    }
  }
}
