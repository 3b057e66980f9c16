/**
 * A stand-in for the KIP-848 consumer groups, for tests of the shard's dispatch: groups are set
 * up by hand (member count, subscribed topics) and every call is recorded.
 */
import { ErrorCode, type ConsumerGroupHeartbeatResponse } from '../../../protocol/index.js';
import type { ConsumerGroupsApi, ListedGroupView } from '../consumer-groups-api.js';
import type { GroupRecord } from '../records.js';

export interface FakeConsumerGroup {
  members: number;
  subscribed: Set<string>;
}

export class FakeConsumerGroups implements ConsumerGroupsApi {
  readonly groups = new Map<string, FakeConsumerGroup>();
  readonly calls: string[] = [];
  /** What validateOffsetCommit answers. */
  commitError: number = ErrorCode.NONE;

  replay(record: GroupRecord): boolean {
    this.calls.push(`replay ${record.type}`);
    if (record.type !== 'ConsumerGroupMetadata') return record.type.startsWith('ConsumerGroup');
    if (record.value === null) this.groups.delete(record.key.groupId);
    else this.groups.set(record.key.groupId, { members: 0, subscribed: new Set() });
    return true;
  }

  onLoaded(): void { this.calls.push('onLoaded'); }
  onUnloaded(): void { this.calls.push('onUnloaded'); }

  heartbeat(_ctx: unknown, req: { groupId: string }): { records: GroupRecord[]; response: ConsumerGroupHeartbeatResponse } {
    this.calls.push(`heartbeat ${req.groupId}`);
    this.groups.set(req.groupId, { members: 1, subscribed: new Set() });
    const record: GroupRecord = { type: 'ConsumerGroupMetadata', key: { groupId: req.groupId }, value: { epoch: 1 } };
    return {
      records: [record],
      response: {
        throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, memberId: 'm', memberEpoch: 1,
        heartbeatIntervalMs: 5000, assignment: null,
      },
    };
  }

  describe(): never[] { return []; }

  has(groupId: string): boolean { return this.groups.has(groupId); }
  isEmpty(groupId: string): boolean { return (this.groups.get(groupId)?.members ?? 0) === 0; }

  list(): ListedGroupView[] {
    return [...this.groups].map(([groupId, g]) => ({
      groupId, protocolType: 'consumer', groupState: g.members > 0 ? 'Stable' : 'Empty', groupType: 'consumer',
    }));
  }

  delete(groupId: string): { errorCode: number; records: readonly GroupRecord[] } {
    this.calls.push(`delete ${groupId}`);
    if (!this.isEmpty(groupId)) return { errorCode: ErrorCode.NON_EMPTY_GROUP, records: [] };
    this.groups.delete(groupId);
    return { errorCode: ErrorCode.NONE, records: [{ type: 'ConsumerGroupMetadata', key: { groupId }, value: null }] };
  }

  validateOffsetCommit(groupId: string, memberId: string, memberEpoch: number): number {
    this.calls.push(`validateOffsetCommit ${groupId} ${memberId} ${memberEpoch}`);
    return this.commitError;
  }

  validateTransactionalOffsetCommit(groupId: string, memberId: string, groupInstanceId: string | null, memberEpoch: number): number {
    this.calls.push(`validateTransactionalOffsetCommit ${groupId} ${memberId} ${groupInstanceId} ${memberEpoch}`);
    return this.commitError;
  }

  validateOffsetFetch(): number { return ErrorCode.NONE; }

  isSubscribedToTopic(groupId: string, topic: string): boolean {
    return this.groups.get(groupId)?.subscribed.has(topic) ?? false;
  }
}
