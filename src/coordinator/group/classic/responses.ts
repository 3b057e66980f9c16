/**
 * JoinGroup and SyncGroup responses with Kafka's defaults for the fields left out.
 */
import { ErrorCode, type JoinGroupResponse, type SyncGroupResponse } from '../../../protocol/index.js';
import { EMPTY_ASSIGNMENT } from './member.js';

/** A JoinGroup response with Kafka's defaults; protocolName is "" rather than null before v7. */
export function joinResponse(fields: Partial<JoinGroupResponse>, version: number): JoinGroupResponse {
  const response: JoinGroupResponse = {
    throttleTimeMs: 0, errorCode: ErrorCode.NONE, generationId: -1, protocolType: null, protocolName: null,
    leader: '', skipAssignment: false, memberId: '', members: [], ...fields,
  };
  if (version < 7 && response.protocolName === null) response.protocolName = '';
  return response;
}

export function syncResponse(fields: Partial<SyncGroupResponse>): SyncGroupResponse {
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, protocolType: null, protocolName: null, assignment: EMPTY_ASSIGNMENT, ...fields };
}
