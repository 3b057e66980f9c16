/**
 * Test support for consumer groups: metadata images with topics, heartbeat requests with the
 * protocol's defaults, and a harness that drives a ConsumerGroups over a manual clock and timer,
 * logging every record written (so a test can replay them elsewhere).
 */
import { createHash } from 'node:crypto';
import { ManualClock } from '../../../../common/clock.js';
import { SeededRandom } from '../../../../common/random.js';
import { emptyMetadataImage, type MetadataImage, type PartitionRegistration, type TopicImage } from '../../../../metadata/index.js';
import {
  ConsumerGroupHeartbeatRequest,
  type ConsumerGroupHeartbeatResponse,
  encodeToBuffer,
  groupCoordinatorRecords as gcr,
  type MessageCodec,
  Reader,
  type Uuid,
} from '../../../../protocol/index.js';
import type { GroupRecord } from '../../records.js';
import { DEFAULT_GROUP_COORDINATOR_CONFIG, type GroupCoordinatorConfig, type RequestContext } from '../../shard-api.js';
import { ManualTimer } from '../../testing/manual-timer.js';
import { ConsumerGroups } from '../consumer-groups.js';

/** A deterministic topic id per name. */
export function topicIdOf(name: string): Uuid {
  return createHash('sha256').update(name).digest().subarray(0, 16).toString('base64url');
}

function partitions(count: number): Map<number, PartitionRegistration> {
  const out = new Map<number, PartitionRegistration>();
  for (let p = 0; p < count; p++) {
    out.set(p, { partitionId: p, replicas: [1], isr: [1], removingReplicas: [], addingReplicas: [], leader: 1,
      leaderRecoveryState: 0, leaderEpoch: 0, partitionEpoch: 0 });
  }
  return out;
}

/** An image holding exactly these topics (name → partition count); ids derive from names. */
export function imageWithTopics(topics: Readonly<Record<string, number>>, offset = 0n): MetadataImage {
  const byName = new Map<string, TopicImage>();
  const byId = new Map<Uuid, TopicImage>();
  for (const [name, count] of Object.entries(topics)) {
    const topic: TopicImage = { name, topicId: topicIdOf(name), partitions: partitions(count) };
    byName.set(name, topic);
    byId.set(topic.topicId, topic);
  }
  return { ...emptyMetadataImage('test-cluster'), offset, topicsByName: byName, topicsById: byId };
}

export function heartbeatRequest(fields: Partial<ConsumerGroupHeartbeatRequest>): ConsumerGroupHeartbeatRequest {
  return { ...ConsumerGroupHeartbeatRequest.defaults(), groupId: 'g', ...fields };
}

/** A first heartbeat: epoch 0 with the fields a join needs. */
export function joinRequest(memberId: string, topics: string[], fields: Partial<ConsumerGroupHeartbeatRequest> = {}): ConsumerGroupHeartbeatRequest {
  return heartbeatRequest({ memberId, memberEpoch: 0, rebalanceTimeoutMs: 60_000, subscribedTopicNames: topics, topicPartitions: [], ...fields });
}

export const CLIENT: RequestContext = { apiVersion: 1, clientId: 'client', clientHost: '/127.0.0.1' };

export interface HarnessOptions {
  readonly topics?: Readonly<Record<string, number>>;
  readonly config?: Partial<GroupCoordinatorConfig>;
  readonly seed?: number;
  readonly classicGroups?: readonly string[];
}

export class Harness {
  readonly clock = new ManualClock();
  readonly timer = new ManualTimer(this.clock);
  readonly random: SeededRandom;
  readonly config: GroupCoordinatorConfig;
  readonly classicGroups: Set<string>;
  readonly log: GroupRecord[] = [];
  image: MetadataImage;
  readonly groups: ConsumerGroups;

  constructor(options: HarnessOptions = {}) {
    this.random = new SeededRandom(options.seed ?? 1);
    this.config = { ...DEFAULT_GROUP_COORDINATOR_CONFIG, ...options.config };
    this.classicGroups = new Set(options.classicGroups ?? []);
    this.image = imageWithTopics(options.topics ?? {});
    this.groups = this.newGroups();
  }

  /** Another ConsumerGroups over the same clock, timer and metadata (e.g. to replay into). */
  newGroups(timer: ManualTimer = this.timer): ConsumerGroups {
    return new ConsumerGroups({
      partition: 0,
      config: this.config,
      clock: this.clock,
      random: this.random,
      timer,
      metadata: () => this.image,
      isClassicGroup: (groupId) => this.classicGroups.has(groupId),
    });
  }

  setTopics(topics: Readonly<Record<string, number>>): void {
    this.image = imageWithTopics(topics, this.image.offset + 1n);
  }

  heartbeat(req: ConsumerGroupHeartbeatRequest, rc: RequestContext = CLIENT): ConsumerGroupHeartbeatResponse {
    const result = this.groups.heartbeat(rc, req);
    this.log.push(...result.records);
    if (!('errorCode' in result.response)) throw new Error('a consumer group heartbeat is answered at once');
    return result.response;
  }

  /** Advances the clock, logging the records of the timers that fire. */
  advance(ms: number): GroupRecord[] {
    const records = this.timer.advance(ms);
    this.log.push(...records);
    return records;
  }

  /** A fresh ConsumerGroups (with its own timer) rebuilt from every record logged so far. */
  replayed(timer: ManualTimer = new ManualTimer(this.clock)): ConsumerGroups {
    const groups = this.newGroups(timer);
    for (const record of this.log) {
      if (!groups.replay(throughCodecs(record))) throw new Error(`not a consumer group record: ${record.type}`);
    }
    groups.onLoaded();
    return groups;
  }

  describe(groupId = 'g') {
    const [described] = this.groups.describe([groupId], false);
    return described!;
  }
}

const RECORD_CODECS: Record<GroupRecord['type'], [MessageCodec<unknown>, MessageCodec<unknown>]> = {
  OffsetCommit: [gcr.OffsetCommitKey, gcr.OffsetCommitValue] as never,
  GroupMetadata: [gcr.GroupMetadataKey, gcr.GroupMetadataValue] as never,
  ConsumerGroupMetadata: [gcr.ConsumerGroupMetadataKey, gcr.ConsumerGroupMetadataValue] as never,
  ConsumerGroupPartitionMetadata: [gcr.ConsumerGroupPartitionMetadataKey, gcr.ConsumerGroupPartitionMetadataValue] as never,
  ConsumerGroupMemberMetadata: [gcr.ConsumerGroupMemberMetadataKey, gcr.ConsumerGroupMemberMetadataValue] as never,
  ConsumerGroupTargetAssignmentMetadata: [gcr.ConsumerGroupTargetAssignmentMetadataKey, gcr.ConsumerGroupTargetAssignmentMetadataValue] as never,
  ConsumerGroupTargetAssignmentMember: [gcr.ConsumerGroupTargetAssignmentMemberKey, gcr.ConsumerGroupTargetAssignmentMemberValue] as never,
  ConsumerGroupCurrentMemberAssignment: [gcr.ConsumerGroupCurrentMemberAssignmentKey, gcr.ConsumerGroupCurrentMemberAssignmentValue] as never,
};

/** The record after a trip through its version-0 key and value codecs (as if read back from the log). */
export function throughCodecs(record: GroupRecord): GroupRecord {
  const [keyCodec, valueCodec] = RECORD_CODECS[record.type];
  const key = keyCodec.decode(new Reader(encodeToBuffer(keyCodec, 0, record.key)), 0);
  const value = record.value === null ? null : valueCodec.decode(new Reader(encodeToBuffer(valueCodec, 0, record.value)), 0);
  return { type: record.type, key, value } as GroupRecord;
}
