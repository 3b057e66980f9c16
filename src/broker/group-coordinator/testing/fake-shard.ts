/**
 * A small stand-in for the group coordinator shard, for runtime tests: committed offsets in a
 * map (OffsetCommit records), a join that answers later, heartbeats that arm timers, and a leave
 * that throws. Only what the runtime tests call is implemented.
 */
import type { GroupRecord } from '../../../coordinator/group/records.js';
import {
  type CoordinatorResult, type CoordinatorTimer, DeferredResponse, type GroupCoordinatorShardApi, type OffsetFetchGroupRequest, type RequestContext,
} from '../../../coordinator/group/shard-api.js';
import {
  ErrorCode, type HeartbeatRequest, type HeartbeatResponse, type JoinGroupRequest, type JoinGroupResponse, type OffsetCommitRequest,
  type OffsetCommitResponse, type OffsetFetchResponseGroup, defaultJoinGroupResponse,
} from '../../../protocol/index.js';

export function commitRecord(group: string, topic: string, partition: number, offset: bigint | null): GroupRecord {
  return {
    type: 'OffsetCommit',
    key: { group, topic, partition },
    value: offset === null ? null : { offset, leaderEpoch: -1, metadata: '', commitTimestamp: 0n, expireTimestamp: -1n, _unknownTaggedFields: undefined },
  };
}

export class FakeShard {
  static created: FakeShard[] = [];
  readonly offsets = new Map<string, bigint>();
  replayed = 0;
  loaded = false;
  unloaded = false;
  private readonly joins: DeferredResponse<JoinGroupResponse>[] = [];

  constructor(readonly partition: number, readonly timer: CoordinatorTimer) {
    FakeShard.created.push(this);
  }

  static asApi(partition: number, timer: CoordinatorTimer): GroupCoordinatorShardApi {
    return new FakeShard(partition, timer) as unknown as GroupCoordinatorShardApi;
  }

  replay(record: GroupRecord): void {
    this.replayed++;
    if (record.type !== 'OffsetCommit') return;
    const k = `${record.key.group}/${record.key.topic}/${record.key.partition}`;
    if (record.value === null) this.offsets.delete(k);
    else this.offsets.set(k, record.value.offset);
  }

  onLoaded(): void {
    this.loaded = true;
  }

  onUnloaded(): void {
    this.unloaded = true;
    for (const j of this.joins) j.complete({ ...defaultJoinGroupResponse(), errorCode: ErrorCode.NOT_COORDINATOR });
  }

  offsetCommit(_ctx: RequestContext, req: OffsetCommitRequest): CoordinatorResult<OffsetCommitResponse> {
    const records = req.topics.flatMap((t) => t.partitions.map((p) => commitRecord(req.groupId, t.name, p.partitionIndex, p.committedOffset)));
    for (const r of records) this.replay(r);
    return {
      records,
      response: { throttleTimeMs: 0, topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: 0 })) })) },
    };
  }

  offsetFetch(_ctx: RequestContext, group: OffsetFetchGroupRequest): OffsetFetchResponseGroup {
    const topics = (group.topics ?? []).map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((p) => ({
        partitionIndex: p, committedOffset: this.offsets.get(`${group.groupId}/${t.name}/${p}`) ?? -1n, committedLeaderEpoch: -1, metadata: '', errorCode: 0,
      })),
    }));
    return { groupId: group.groupId, topics, errorCode: 0 };
  }

  /** Answers once `release` runs on the queue (as a rebalance completing later would). */
  joinGroup(_ctx: RequestContext, req: JoinGroupRequest): CoordinatorResult<JoinGroupResponse> {
    const deferred = new DeferredResponse<JoinGroupResponse>();
    this.joins.push(deferred);
    return { records: [commitRecord(req.groupId, 'joined', this.joins.length, 1n)], response: deferred };
  }

  release(memberId: string): void {
    for (const j of this.joins.splice(0)) j.complete({ ...defaultJoinGroupResponse(), memberId });
  }

  /** Arms a timer `memberId` after `generationId` ms that commits offset 1 of "expired"/memberId. */
  heartbeat(_ctx: RequestContext, req: HeartbeatRequest): CoordinatorResult<HeartbeatResponse> {
    this.timer.schedule(req.memberId, req.generationId, () => {
      const r = commitRecord(req.groupId, 'expired', 0, BigInt(req.generationId));
      this.replay(r);
      return [r];
    });
    return { records: [], response: { throttleTimeMs: 0, errorCode: 0 } };
  }

  leaveGroup(): never {
    throw new Error('boom');
  }
}
