/**
 * A Kafka error code with its message, thrown while a request is checked (before any record is
 * written) and turned into the response's errorCode and errorMessage.
 */
import { ErrorCode } from '../../../protocol/index.js';

export class GroupApiError extends Error {
  constructor(readonly errorCode: number, message: string) {
    super(message);
  }
}

export const invalidRequest = (message: string): GroupApiError => new GroupApiError(ErrorCode.INVALID_REQUEST, message);

export const groupNotFound = (groupId: string): GroupApiError =>
  new GroupApiError(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${groupId} not found.`);

export const notAConsumerGroup = (groupId: string): GroupApiError =>
  new GroupApiError(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${groupId} is not a consumer group`);

export const unknownMember = (groupId: string, memberId: string): GroupApiError =>
  new GroupApiError(ErrorCode.UNKNOWN_MEMBER_ID, `Member ${memberId} is not a member of group ${groupId}.`);

export function fencedEpoch(received: number, known: number): GroupApiError {
  const relation = received > known ? 'greater' : 'smaller';
  return new GroupApiError(ErrorCode.FENCED_MEMBER_EPOCH,
    `The consumer group member has a ${relation} member epoch (${received}) than the one known by the group coordinator ` +
    `(${known}). The member must abandon all its partitions and rejoin.`);
}
