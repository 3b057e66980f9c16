/**
 * The contract between the shard (which owns classic groups, committed offsets and request
 * dispatch) and the KIP-848 consumer groups of that shard (`consumer/`). One group id names
 * either a classic group or a consumer group, never both.
 */
import type {
  ConsumerGroupDescribeResponseDescribedGroup,
  ConsumerGroupHeartbeatRequest,
  ConsumerGroupHeartbeatResponse,
} from '../../protocol/index.js';
import type { GroupRecord } from './records.js';
import type { CoordinatorResult, GroupShardOptions, RequestContext } from './shard-api.js';

/** A group as ListGroups shows it. */
export interface ListedGroupView {
  readonly groupId: string;
  /** ListGroups' protocolType: "consumer" for consumer groups. */
  readonly protocolType: string;
  /** Kafka's state names: Empty, Assigning, Reconciling, Stable, Dead. */
  readonly groupState: string;
  /** "consumer" */
  readonly groupType: string;
}

export interface ConsumerGroupsOptions extends GroupShardOptions {
  /** True when a classic group of this id exists (a heartbeat for it fails with GROUP_ID_NOT_FOUND). */
  readonly isClassicGroup: (groupId: string) => boolean;
}

export interface ConsumerGroupsApi {
  /** Handles one of the record types ConsumerGroup*; returns false for any other type. */
  replay(record: GroupRecord): boolean;
  onLoaded(): void;
  onUnloaded(): void;

  heartbeat(ctx: RequestContext, req: ConsumerGroupHeartbeatRequest): CoordinatorResult<ConsumerGroupHeartbeatResponse>;
  /** One entry per id; unknown ids (or classic groups) get GROUP_ID_NOT_FOUND with errorMessage. */
  describe(groupIds: readonly string[], includeAuthorizedOperations: boolean): ConsumerGroupDescribeResponseDescribedGroup[];

  has(groupId: string): boolean;
  /** True when the group has no members. */
  isEmpty(groupId: string): boolean;
  list(): ListedGroupView[];
  /**
   * Deletes an empty group: returns the tombstones for all of its records, or an error code
   * (NON_EMPTY_GROUP) when members remain. The shard deletes the group's offsets itself.
   */
  delete(groupId: string): { errorCode: number; records: readonly GroupRecord[] };

  /** OffsetCommit checks: UNKNOWN_MEMBER_ID, STALE_MEMBER_EPOCH (as Kafka's ConsumerGroup.validateOffsetCommit), 0 if fine. */
  validateOffsetCommit(groupId: string, memberId: string, memberEpoch: number, apiVersion: number): number;
  /** TxnOffsetCommit checks: UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION (a stale member epoch), 0 if fine. */
  validateTransactionalOffsetCommit(groupId: string, memberId: string, groupInstanceId: string | null, memberEpoch: number): number;
  /** OffsetFetch v9+ with a member id: UNKNOWN_MEMBER_ID / STALE_MEMBER_EPOCH, 0 if fine. */
  validateOffsetFetch(groupId: string, memberId: string | null, memberEpoch: number): number;
  /** OffsetDelete: GROUP_SUBSCRIBED_TO_TOPIC when a member still subscribes to the topic. */
  isSubscribedToTopic(groupId: string, topic: string): boolean;
}
