/**
 * Test support for the group coordinator shard: a shard over a ManualClock, ManualTimer and
 * SeededRandom that behaves like the runtime (records logged in order and made "durable" at
 * once, then onDurable; transactional results and transaction markers remembered where they
 * fall in the log), request builders with the protocol's defaults, and replay of the log into a
 * fresh shard through the record bytes.
 */
import { ManualClock } from '../../../common/clock.js';
import { SeededRandom } from '../../../common/random.js';
import { emptyMetadataImage } from '../../../metadata/index.js';
import {
  ConsumerProtocolSubscription,
  type DescribeGroupsResponseDescribedGroup,
  type JoinGroupRequest,
  type JoinGroupResponse,
  type OffsetCommitRequest,
  type SyncGroupRequest,
  type SyncGroupResponse,
  Writer,
} from '../../../protocol/index.js';
import type { GroupRecord } from '../records.js';
import { decodeGroupRecord, encodeGroupRecord } from '../records-serde.js';
import { type ConsumerGroupsFactory, GroupCoordinatorShard } from '../shard.js';
import {
  type CoordinatorResult,
  DEFAULT_GROUP_COORDINATOR_CONFIG,
  DeferredResponse,
  type GroupCoordinatorConfig,
  type RequestContext,
} from '../shard-api.js';
import { ManualTimer } from './manual-timer.js';

/** A response that may still be parked; `value` is set once it completes (after `settle()`). */
export interface Answer<T> {
  value: T | undefined;
  readonly deferred: boolean;
}

export function ctx(apiVersion: number, clientId = 'client'): RequestContext {
  return { apiVersion, clientId, clientHost: '/10.0.0.1' };
}

/** "consumer" protocol metadata: an int16 version and a ConsumerProtocolSubscription. */
export function subscription(topics: string[], version = 1): Buffer {
  const w = new Writer();
  w.int16(version);
  ConsumerProtocolSubscription.encode(w, version, { topics, userData: null, ownedPartitions: [], generationId: -1, rackId: null });
  return w.toBuffer();
}

export function joinRequest(fields: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    groupId: 'g', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 60_000, memberId: '', groupInstanceId: null,
    protocolType: 'consumer', protocols: [{ name: 'range', metadata: subscription(['t']) }], reason: null, ...fields,
  };
}

export function syncRequest(fields: Partial<SyncGroupRequest> = {}): SyncGroupRequest {
  return { groupId: 'g', generationId: 1, memberId: '', groupInstanceId: null, protocolType: null, protocolName: null, assignments: [], ...fields };
}

export function commitRequest(offsets: Record<string, Record<number, bigint>>, fields: Partial<OffsetCommitRequest> = {}): OffsetCommitRequest {
  return {
    groupId: 'g', generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1n,
    topics: Object.entries(offsets).map(([name, partitions]) => ({
      name,
      partitions: Object.entries(partitions).map(([p, offset]) => ({
        partitionIndex: Number(p), committedOffset: offset, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: '',
      })),
    })),
    ...fields,
  };
}

/** True while the response has not been given (a function, so the compiler does not narrow `value`). */
export function waiting(answer: Answer<unknown>): boolean {
  return answer.value === undefined;
}

/** Lets completed DeferredResponses deliver their values. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

export class ShardHarness {
  readonly clock = new ManualClock();
  readonly timer = new ManualTimer(this.clock);
  readonly random = new SeededRandom(7);
  readonly config: GroupCoordinatorConfig;
  readonly shard: GroupCoordinatorShard;
  /** Every record "written", in order. */
  readonly log: GroupRecord[] = [];
  /** The producer of each transactionally written record, by its index in `log`. */
  private readonly transactionalAt = new Map<number, bigint>();
  /** Transaction markers, each with the length of `log` when it was written. */
  private readonly markers: { readonly logLength: number; readonly producerId: bigint; readonly committed: boolean }[] = [];

  /** `load`: call onLoaded at once (a shard with an empty log); false to replay records first. */
  constructor(config: Partial<GroupCoordinatorConfig> = {}, consumerGroups?: ConsumerGroupsFactory, load = true) {
    this.config = { ...DEFAULT_GROUP_COORDINATOR_CONFIG, ...config };
    this.shard = new GroupCoordinatorShard({
      partition: 0, config: this.config, clock: this.clock, random: this.random, timer: this.timer,
      metadata: () => emptyMetadataImage('test-cluster'),
    }, consumerGroups);
    if (load) this.shard.onLoaded();
  }

  /** Writes the records, then runs onDurable, as the runtime does. */
  run<T>(result: CoordinatorResult<T>): Answer<T> {
    for (const record of result.records) {
      if (result.transactional) this.transactionalAt.set(this.log.length, result.transactional.producerId);
      this.log.push(record);
    }
    result.onDurable?.();
    const { response } = result;
    if (!(response instanceof DeferredResponse)) return { value: response, deferred: false };
    const answer: Answer<T> = { value: undefined, deferred: true };
    void response.promise.then((v) => { answer.value = v; });
    return answer;
  }

  /** A transaction marker written to the partition, as the runtime's writeTxnMarker. */
  endTransaction(producerId: bigint, committed: boolean): void {
    this.markers.push({ logLength: this.log.length, producerId, committed });
    this.shard.replayEndTransaction(producerId, 0, committed);
  }

  /** Moves time on, running due timers and logging their records. */
  advance(ms: number): GroupRecord[] {
    const records = this.timer.advance(ms);
    this.log.push(...records);
    return records;
  }

  join(req: Partial<JoinGroupRequest>, version = 9, clientId = 'client'): Answer<JoinGroupResponse> {
    return this.run(this.shard.joinGroup(ctx(version, clientId), joinRequest(req)));
  }

  sync(req: Partial<SyncGroupRequest>, version = 5): Answer<SyncGroupResponse> {
    return this.run(this.shard.syncGroup(ctx(version), syncRequest(req)));
  }

  /** A dynamic member through MEMBER_ID_REQUIRED: returns its member id and the parked join. */
  async joinDynamic(req: Partial<JoinGroupRequest> = {}, clientId = 'client'): Promise<{ memberId: string; join: Answer<JoinGroupResponse> }> {
    const first = this.join(req, 9, clientId);
    const memberId = first.value!.memberId;
    const join = this.join({ ...req, memberId }, 9, clientId);
    await settle();
    return { memberId, join };
  }

  describe(groupId = 'g'): DescribeGroupsResponseDescribedGroup {
    return this.shard.describeGroups(ctx(5), [groupId], false)[0]!;
  }

  state(groupId = 'g'): string {
    return this.describe(groupId).groupState;
  }

  /** A fresh shard that replays this one's log through the record bytes, as at load. */
  replayed(consumerGroups?: ConsumerGroupsFactory): ShardHarness {
    const other = new ShardHarness(this.config, consumerGroups, false);
    other.clock.advance(this.clock.nowMs() - other.clock.nowMs());
    const replayMarkers = (logLength: number): void => {
      for (const m of this.markers) if (m.logLength === logLength) other.shard.replayEndTransaction(m.producerId, 0, m.committed);
    };
    this.log.forEach((record, index) => {
      replayMarkers(index);
      const { key, value } = encodeGroupRecord(record);
      const decoded = decodeGroupRecord(key, value);
      const producerId = this.transactionalAt.get(index);
      const context = { offset: BigInt(index), producerId: producerId ?? -1n, producerEpoch: producerId === undefined ? -1 : 0, isTransactional: producerId !== undefined };
      if (decoded) other.shard.replay(decoded, context);
    });
    replayMarkers(this.log.length);
    other.shard.onLoaded();
    return other;
  }
}
