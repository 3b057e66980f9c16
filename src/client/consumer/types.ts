/**
 * The consumer's public shapes and the seam between the consumer core (consumer.ts, fetcher,
 * positions, commits) and group membership (membership-classic.ts with its assignors, and
 * membership-consumer.ts for KIP-848). CONTRACT: both sides are written against these; change
 * them only together.
 */
import type { RecordHeader } from '../../protocol/index.js';
import type { CommonClientOptions } from '../client-options.js';
import type { Cluster } from '../cluster.js';
import type { MetadataCache } from '../metadata-cache.js';
import type { Deserializer } from '../serde.js';
import type { TopicPartition } from '../admin/types.js';
import type { ConsumerGroupMetadata } from '../producer/types.js';

export type { ConsumerGroupMetadata } from '../producer/types.js';

export interface ConsumerRecord<K = Buffer | null, V = Buffer | null> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  /** Milliseconds since the epoch. */
  readonly timestamp: bigint;
  readonly timestampType: 'CreateTime' | 'LogAppendTime';
  readonly key: K;
  readonly value: V;
  readonly headers: readonly RecordHeader[];
  /** The partition leader epoch of the batch (-1 when unknown). */
  readonly leaderEpoch: number;
}

/** What the async iterator yields: the records poll() returned, at most max.poll.records. */
export interface ConsumerBatch<K = Buffer | null, V = Buffer | null> {
  readonly records: ReadonlyArray<ConsumerRecord<K, V>>;
}

/**
 * Kafka's ConsumerRebalanceListener. Revoked runs before partitions go (commit there); lost runs
 * when they are already gone (session expired, fenced), so committing is pointless. With the
 * cooperative protocol, revoked and assigned see only the partitions that change.
 */
export interface RebalanceListener {
  onPartitionsRevoked?(partitions: readonly TopicPartition[]): void | Promise<void>;
  onPartitionsAssigned?(partitions: readonly TopicPartition[]): void | Promise<void>;
  onPartitionsLost?(partitions: readonly TopicPartition[]): void | Promise<void>;
}

export type AutoOffsetReset = 'earliest' | 'latest' | 'none';
export type IsolationLevel = 'read_uncommitted' | 'read_committed';
export type GroupProtocol = 'classic' | 'consumer';
export type BuiltInAssignorName = 'range' | 'roundrobin' | 'cooperative-sticky';

/** A client-side assignor for the classic protocol (`partition.assignment.strategy`). */
export interface PartitionAssignor {
  /** The protocol name in JoinGroup ("range", "roundrobin", "cooperative-sticky"). */
  readonly name: string;
  /** Whether members keep their partitions across a rebalance (COOPERATIVE) or drop them all first (EAGER). */
  readonly rebalanceProtocol: 'EAGER' | 'COOPERATIVE';
  /** The member's own user data for its subscription (cooperative-sticky sends its owned partitions in the subscription instead). */
  userData?(owned: readonly TopicPartition[], generationId: number): Buffer | null;
  /** Run by the leader: member id → the partitions it gets. */
  assign(input: AssignorInput): Map<string, TopicPartition[]>;
}

export interface AssignorMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly topics: readonly string[];
  readonly ownedPartitions: readonly TopicPartition[];
  readonly generationId: number;
  readonly userData: Buffer | null;
  readonly rackId: string | null;
}

export interface AssignorInput {
  readonly members: readonly AssignorMember[];
  /** Partition count of every subscribed topic that exists. */
  readonly partitionsPerTopic: ReadonlyMap<string, number>;
}

export interface ConsumerOptions<K = Buffer | null, V = Buffer | null> extends CommonClientOptions {
  /** `group.id`: needed for subscribe() and commits; assign() works without it. */
  groupId?: string;
  /** `group.instance.id`: static membership (classic protocol, and KIP-848). */
  groupInstanceId?: string;
  /** `group.protocol` (classic): 'consumer' is KIP-848. */
  groupProtocol?: GroupProtocol;
  /** `group.remote.assignor` (KIP-848 only): the broker-side assignor, e.g. 'uniform' or 'range'. */
  groupRemoteAssignor?: string;
  /** `partition.assignment.strategy` (['range', 'cooperative-sticky'], as in Kafka 3+). */
  partitionAssignmentStrategy?: ReadonlyArray<BuiltInAssignorName | PartitionAssignor>;
  /** `session.timeout.ms` (45000). */
  sessionTimeoutMs?: number;
  /** `heartbeat.interval.ms` (3000). */
  heartbeatIntervalMs?: number;
  /** `max.poll.interval.ms` (300000): also the rebalance timeout sent in JoinGroup. */
  maxPollIntervalMs?: number;
  /** `enable.auto.commit` (true; only with a group). */
  enableAutoCommit?: boolean;
  /** `auto.commit.interval.ms` (5000). */
  autoCommitIntervalMs?: number;
  /** `auto.offset.reset` (latest). */
  autoOffsetReset?: AutoOffsetReset;
  /** `isolation.level` (read_uncommitted). */
  isolationLevel?: IsolationLevel;
  /** `fetch.min.bytes` (1), `fetch.max.bytes` (52428800), `fetch.max.wait.ms` (500), `max.partition.fetch.bytes` (1048576). */
  fetchMinBytes?: number;
  fetchMaxBytes?: number;
  fetchMaxWaitMs?: number;
  maxPartitionFetchBytes?: number;
  /** `max.poll.records` (500). */
  maxPollRecords?: number;
  /**
   * Bytes fetched ahead and not yet handed to the application (Samsa's own; default 2 ×
   * fetch.max.bytes, at most 104857600). Fetching pauses while the buffer is above it.
   */
  maxBufferedBytes?: number;
  /** `check.crcs` (true). */
  checkCrcs?: boolean;
  /** `client.rack`: sent in Fetch and JoinGroup. */
  clientRack?: string;
  /** `exclude.internal.topics` (true): patterns never match internal topics. */
  excludeInternalTopics?: boolean;
  /** `allow.auto.create.topics` (true): subscribing to a missing topic asks the broker to create it (if the broker allows). */
  allowAutoCreateTopics?: boolean;
  keyDeserializer?: Deserializer<K>;
  valueDeserializer?: Deserializer<V>;
}

export const CONSUMER_DEFAULTS = {
  groupProtocol: 'classic' as GroupProtocol,
  partitionAssignmentStrategy: ['range', 'cooperative-sticky'] as BuiltInAssignorName[],
  sessionTimeoutMs: 45_000,
  heartbeatIntervalMs: 3_000,
  maxPollIntervalMs: 300_000,
  enableAutoCommit: true,
  autoCommitIntervalMs: 5_000,
  autoOffsetReset: 'latest' as AutoOffsetReset,
  isolationLevel: 'read_uncommitted' as IsolationLevel,
  fetchMinBytes: 1,
  fetchMaxBytes: 52_428_800,
  fetchMaxWaitMs: 500,
  maxPartitionFetchBytes: 1_048_576,
  maxPollRecords: 500,
  checkCrcs: true,
  excludeInternalTopics: true,
  allowAutoCreateTopics: true,
} as const;

export const CONSUMER_OPTION_NAMES: readonly string[] = [
  'groupId', 'groupInstanceId', 'groupProtocol', 'groupRemoteAssignor', 'partitionAssignmentStrategy', 'sessionTimeoutMs',
  'heartbeatIntervalMs', 'maxPollIntervalMs', 'enableAutoCommit', 'autoCommitIntervalMs', 'autoOffsetReset', 'isolationLevel',
  'fetchMinBytes', 'fetchMaxBytes', 'fetchMaxWaitMs', 'maxPartitionFetchBytes', 'maxPollRecords', 'maxBufferedBytes', 'checkCrcs',
  'clientRack', 'excludeInternalTopics', 'allowAutoCreateTopics', 'keyDeserializer', 'valueDeserializer',
];

/** An offset to commit: the next record the group should read. */
export interface OffsetAndMetadata extends TopicPartition {
  readonly offset: bigint;
  readonly leaderEpoch?: number;
  readonly metadata?: string | null;
}

/**
 * What group membership needs from the consumer core. The core owns positions, fetching and the
 * user's RebalanceListener; membership owns the protocol (join, sync, heartbeats, leave) and
 * tells the core what changed.
 */
export interface MembershipHost {
  readonly cluster: Cluster;
  readonly metadata: MetadataCache;
  /** The topics subscribed now: a list, or those matching the pattern (the core resolves patterns). */
  subscribedTopics(): readonly string[];
  /** Partitions this member owns now (for cooperative-sticky user data and KIP-848 heartbeats). */
  ownedPartitions(): readonly TopicPartition[];
  /**
   * Partitions leave this member. The core stops fetching them, commits their consumed offsets
   * when auto-commit is on (through membership.commit, before this resolves), then runs
   * onPartitionsRevoked. Membership awaits it before telling the coordinator.
   */
  revoke(partitions: readonly TopicPartition[]): Promise<void>;
  /** Partitions are already gone (session lost, fenced): drop them and run onPartitionsLost. No commit. */
  lose(partitions: readonly TopicPartition[]): Promise<void>;
  /** Partitions arrive: the core sets them up (positions from committed offsets or auto.offset.reset) and runs onPartitionsAssigned. */
  assign(partitions: readonly TopicPartition[]): Promise<void>;
  /** A fatal membership error (FENCED_INSTANCE_ID, GROUP_AUTHORIZATION_FAILED …): the next poll throws it. */
  fail(error: Error): void;
}

/** Group membership, one implementation per protocol. The core calls these; none of them throw synchronously. */
export interface GroupMembership {
  readonly groupId: string;
  /** Starts joining (and rejoining whenever needed) in the background; returns at once. */
  start(): void;
  /** The subscription changed (subscribe(), a pattern matched new topics, a topic's partition count changed): rejoin. */
  subscriptionChanged(): void;
  /** The application polled: resets the max.poll.interval.ms clock. */
  polled(): void;
  /** Whether the member holds a current assignment (joined and synced, not rebalancing). */
  readonly stable: boolean;
  /** Generation, member id and instance id, for commits and for sendOffsetsToTransaction. */
  groupMetadata(): ConsumerGroupMetadata;
  /**
   * OffsetCommit with the current generation and member id (KIP-848: member epoch), to the
   * coordinator, retrying retriable errors. REBALANCE_IN_PROGRESS / ILLEGAL_GENERATION /
   * UNKNOWN_MEMBER_ID / STALE_MEMBER_EPOCH reject with a KafkaResponseError after triggering a rejoin.
   */
  commit(offsets: readonly OffsetAndMetadata[]): Promise<void>;
  /** OffsetFetch for `partitions` (requireStable true); null offset where nothing is committed. */
  committed(partitions: readonly TopicPartition[]): Promise<Array<TopicPartition & { offset: bigint | null; leaderEpoch: number; metadata: string | null }>>;
  /** Leaves the group (LeaveGroup, or a heartbeat with epoch -1 / -2 for static members) and stops every timer. */
  leave(): Promise<void>;
}
