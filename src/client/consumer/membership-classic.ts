/**
 * Classic group membership (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) with client-side
 * assignors. The leader runs the first assignor every member supports. Unless every configured
 * assignor is cooperative, a member revokes everything before a rejoin (eager); cooperative
 * members revoke only what moves and rejoin once more to hand it over. A static member (group.instance.id) does not leave on close, so a restart within
 * session.timeout.ms gets its partitions back without a rebalance.
 */
import {
  ApiKey, ConsumerProtocolAssignment, ConsumerProtocolSubscription, ErrorCode, type HeartbeatResponse, type JoinGroupResponse,
  type LeaveGroupResponse, Reader, type SyncGroupResponse, Writer,
} from '../../protocol/index.js';
import { decodeConsumerAssignment } from '../admin/assignment.js';
import { byTopic, partitionKey, type TopicPartition } from '../admin/types.js';
import { CoordinatorType } from '../coordinator.js';
import { ConnectionError, KafkaResponseError } from '../errors.js';
import { commitGroupOffsets, fetchGroupOffsets } from './group-offsets.js';
import type { MembershipOptions } from './membership-options.js';
import type { AssignorMember, ConsumerGroupMetadata, GroupMembership, MembershipHost, OffsetAndMetadata, PartitionAssignor } from './types.js';

const SUBSCRIPTION_VERSION = 3;
const ASSIGNMENT_VERSION = 3;
const REJOIN: ReadonlySet<number> = new Set([ErrorCode.REBALANCE_IN_PROGRESS]);
const RESET_MEMBER: ReadonlySet<number> = new Set([ErrorCode.UNKNOWN_MEMBER_ID, ErrorCode.ILLEGAL_GENERATION]);
const FATAL: ReadonlySet<number> = new Set([
  ErrorCode.FENCED_INSTANCE_ID, ErrorCode.GROUP_AUTHORIZATION_FAILED, ErrorCode.INCONSISTENT_GROUP_PROTOCOL, ErrorCode.GROUP_MAX_SIZE_REACHED,
  ErrorCode.INVALID_SESSION_TIMEOUT, ErrorCode.UNSUPPORTED_VERSION,
]);

export class ClassicMembership implements GroupMembership {
  readonly groupId: string;
  private memberId = '';
  private generationId = -1;
  private owned: TopicPartition[] = [];
  private needsJoin = true;
  private stopped = false;
  private running: Promise<void> | null = null;
  private lastPollMs = performance.now();
  private pollExpired = false;
  private wakeLoop: (() => void) | null = null;
  private stableValue = false;
  private protocol: PartitionAssignor;
  /**
   * As in the Java client: COOPERATIVE only when every configured assignor supports it, else
   * EAGER, so the default [range, cooperative-sticky] revokes everything before each rejoin
   * (otherwise a partition range moves elsewhere could be read by two members at once).
   */
  private readonly rebalanceProtocol: 'EAGER' | 'COOPERATIVE';

  constructor(private readonly host: MembershipHost, private readonly options: MembershipOptions) {
    this.groupId = options.groupId;
    if (options.assignors.length === 0) throw new RangeError('at least one assignor is needed');
    this.protocol = options.assignors[0]!;
    this.rebalanceProtocol = options.assignors.every((a) => a.rebalanceProtocol === 'COOPERATIVE') ? 'COOPERATIVE' : 'EAGER';
  }

  get stable(): boolean {
    return this.stableValue && !this.needsJoin;
  }

  start(): void {
    this.running ??= this.loop();
  }

  subscriptionChanged(): void {
    this.requestRejoin();
  }

  polled(): void {
    this.lastPollMs = performance.now();
    if (this.pollExpired) {
      this.pollExpired = false;
      this.requestRejoin();
    }
  }

  groupMetadata(): ConsumerGroupMetadata {
    return { groupId: this.groupId, generationId: this.generationId, memberId: this.memberId, groupInstanceId: this.options.groupInstanceId };
  }

  async commit(offsets: readonly OffsetAndMetadata[]): Promise<void> {
    try {
      await commitGroupOffsets(this.host.cluster, this.groupId, {
        generationId: this.generationId, memberId: this.memberId, groupInstanceId: this.options.groupInstanceId,
      }, offsets);
    } catch (e) {
      if (e instanceof KafkaResponseError && (REJOIN.has(e.errorCode) || RESET_MEMBER.has(e.errorCode))) this.requestRejoin();
      throw e;
    }
  }

  committed(partitions: readonly TopicPartition[]): ReturnType<GroupMembership['committed']> {
    return fetchGroupOffsets(this.host.cluster, this.groupId, partitions);
  }

  async leave(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.wakeLoop?.();
    await this.running?.catch(() => undefined);
    if (this.memberId !== '' && this.options.groupInstanceId === null) await this.sendLeave('the consumer is closing').catch(() => undefined);
    this.stableValue = false;
  }

  private requestRejoin(): void {
    this.needsJoin = true;
    this.wakeLoop?.();
  }

  private async loop(): Promise<void> {
    let backoffMs = this.options.retryBackoffMs;
    while (!this.stopped) {
      try {
        if (this.pollExpired) {
          await this.sleep(this.options.heartbeatIntervalMs);
          continue;
        }
        if (this.needsJoin) {
          await this.joinAndSync();
        } else {
          await this.sleep(this.options.heartbeatIntervalMs);
          if (this.stopped || this.needsJoin) continue;
          if (performance.now() - this.lastPollMs > this.options.maxPollIntervalMs) {
            // Like Kafka: a consumer that stopped polling leaves, so its partitions move on.
            this.pollExpired = true;
            await this.sendLeave('consumer poll timeout has expired').catch(() => undefined);
            await this.host.lose(this.owned);
            this.owned = [];
            this.memberId = '';
            this.generationId = -1;
            this.needsJoin = true;
            continue;
          }
          await this.heartbeat();
        }
        backoffMs = this.options.retryBackoffMs;
      } catch (e) {
        if (this.stopped) break;
        if (e instanceof KafkaResponseError && FATAL.has(e.errorCode)) {
          this.host.fail(e);
          this.stopped = true;
          break;
        }
        if (e instanceof KafkaResponseError && (e.errorCode === ErrorCode.NOT_COORDINATOR || e.errorCode === ErrorCode.COORDINATOR_NOT_AVAILABLE)
          || e instanceof ConnectionError) {
          this.host.cluster.forgetCoordinator(this.groupId, CoordinatorType.GROUP);
        }
        await this.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 1000);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      const done = (): void => {
        if (timer) clearTimeout(timer);
        if (this.wakeLoop === done) this.wakeLoop = null;
        resolve();
      };
      timer = setTimeout(done, ms);
      this.wakeLoop = done;
    });
  }

  private async heartbeat(): Promise<void> {
    const { connection } = await this.host.cluster.groupCoordinator(this.groupId);
    const r = await connection.send<HeartbeatResponse>(ApiKey.Heartbeat, connection.versionFor(ApiKey.Heartbeat), {
      groupId: this.groupId, generationId: this.generationId, memberId: this.memberId, groupInstanceId: this.options.groupInstanceId,
    });
    await this.onGroupError(r.errorCode, 'Heartbeat');
  }

  /** Handles a group error code; throws for the loop's retry when it is not NONE. */
  private async onGroupError(code: number, context: string): Promise<void> {
    if (code === ErrorCode.NONE) return;
    if (REJOIN.has(code)) {
      this.needsJoin = true;
      return;
    }
    if (RESET_MEMBER.has(code) || code === ErrorCode.FENCED_INSTANCE_ID) {
      await this.host.lose(this.owned);
      this.owned = [];
      this.stableValue = false;
      if (code === ErrorCode.UNKNOWN_MEMBER_ID) this.memberId = '';
      this.generationId = -1;
      this.needsJoin = true;
      if (code !== ErrorCode.FENCED_INSTANCE_ID) return;
    }
    throw new KafkaResponseError(code, `${context} for group '${this.groupId}'`);
  }

  private subscriptionBytes(assignor: PartitionAssignor): Buffer {
    const owned = this.owned;
    const w = new Writer();
    w.int16(SUBSCRIPTION_VERSION);
    ConsumerProtocolSubscription.encode(w, SUBSCRIPTION_VERSION, {
      topics: [...this.host.subscribedTopics()].sort(),
      userData: assignor.userData?.(owned, this.generationId) ?? null,
      ownedPartitions: [...byTopic(owned)].map(([topic, ps]) => ({ topic, partitions: ps.map((p) => p.partition) })),
      generationId: this.generationId,
      rackId: this.options.clientRack,
    });
    return w.toBuffer();
  }

  private async joinAndSync(): Promise<void> {
    this.needsJoin = false;
    this.stableValue = false;
    if (this.rebalanceProtocol === 'EAGER' && this.owned.length > 0) {
      await this.host.revoke(this.owned);
      this.owned = [];
    }
    const { connection } = await this.host.cluster.groupCoordinator(this.groupId);
    const rebalanceTimeoutMs = this.options.maxPollIntervalMs;
    let join: JoinGroupResponse;
    for (;;) {
      join = await connection.send<JoinGroupResponse>(ApiKey.JoinGroup, connection.versionFor(ApiKey.JoinGroup), {
        groupId: this.groupId, sessionTimeoutMs: this.options.sessionTimeoutMs, rebalanceTimeoutMs, memberId: this.memberId,
        groupInstanceId: this.options.groupInstanceId, protocolType: 'consumer',
        protocols: this.options.assignors.map((a) => ({ name: a.name, metadata: this.subscriptionBytes(a) })), reason: null,
      }, { timeoutMs: rebalanceTimeoutMs + 5_000 });
      if (join.errorCode === ErrorCode.MEMBER_ID_REQUIRED) {
        this.memberId = join.memberId;
        continue;
      }
      break;
    }
    if (join.errorCode !== ErrorCode.NONE) {
      if (join.errorCode === ErrorCode.UNKNOWN_MEMBER_ID) this.memberId = '';
      this.needsJoin = true;
      throw new KafkaResponseError(join.errorCode, `JoinGroup for group '${this.groupId}'`);
    }
    this.memberId = join.memberId;
    this.generationId = join.generationId;
    this.protocol = this.options.assignors.find((a) => a.name === join.protocolName) ?? this.protocol;
    const assignments = join.leader === join.memberId && !join.skipAssignment ? await this.runAssignor(join) : [];
    const sync = await connection.send<SyncGroupResponse>(ApiKey.SyncGroup, connection.versionFor(ApiKey.SyncGroup), {
      groupId: this.groupId, generationId: this.generationId, memberId: this.memberId, groupInstanceId: this.options.groupInstanceId,
      protocolType: 'consumer', protocolName: join.protocolName, assignments,
    }, { timeoutMs: rebalanceTimeoutMs + 5_000 });
    if (sync.errorCode !== ErrorCode.NONE) {
      this.needsJoin = true;
      await this.onGroupError(sync.errorCode, 'SyncGroup');
      return;
    }
    const assigned = decodeConsumerAssignment(sync.assignment);
    const next = new Set(assigned.map(partitionKey));
    const current = new Set(this.owned.map(partitionKey));
    const revoked = this.owned.filter((tp) => !next.has(partitionKey(tp)));
    const added = assigned.filter((tp) => !current.has(partitionKey(tp)));
    if (revoked.length > 0) await this.host.revoke(revoked);
    this.owned = assigned;
    await this.host.assign(added);
    // Cooperative: what was revoked goes to its new owner in one more rebalance.
    if (revoked.length > 0 && this.rebalanceProtocol === 'COOPERATIVE') this.needsJoin = true;
    this.stableValue = true;
  }

  private async runAssignor(join: JoinGroupResponse): Promise<Array<{ memberId: string; assignment: Buffer }>> {
    const members: AssignorMember[] = join.members.map((m) => {
      const r = new Reader(m.metadata);
      const version = r.int16();
      const s = ConsumerProtocolSubscription.decode(r, Math.min(version, ConsumerProtocolSubscription.validVersions.max));
      return {
        memberId: m.memberId, groupInstanceId: m.groupInstanceId, topics: s.topics,
        ownedPartitions: s.ownedPartitions.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition }))),
        generationId: version >= 2 ? s.generationId : -1, userData: s.userData, rackId: s.rackId,
      };
    });
    const topics = [...new Set(members.flatMap((m) => m.topics))];
    const partitionsPerTopic = new Map<string, number>();
    for (const topic of topics) {
      try {
        partitionsPerTopic.set(topic, (await this.host.metadata.topic(topic)).partitions.length);
      } catch {
        // A subscribed topic that does not exist (yet) gets no partitions.
      }
    }
    const plan = this.protocol.assign({ members, partitionsPerTopic });
    return members.map((m) => {
      const w = new Writer();
      w.int16(ASSIGNMENT_VERSION);
      ConsumerProtocolAssignment.encode(w, ASSIGNMENT_VERSION, {
        assignedPartitions: [...byTopic(plan.get(m.memberId) ?? [])].map(([topic, ps]) => ({ topic, partitions: ps.map((p) => p.partition) })),
        userData: null,
      });
      return { memberId: m.memberId, assignment: w.toBuffer() };
    });
  }

  private async sendLeave(reason: string): Promise<void> {
    const { connection } = await this.host.cluster.groupCoordinator(this.groupId);
    const version = connection.versionFor(ApiKey.LeaveGroup);
    const r = await connection.send<LeaveGroupResponse>(ApiKey.LeaveGroup, version, {
      groupId: this.groupId, memberId: this.memberId,
      members: [{ memberId: this.memberId, groupInstanceId: this.options.groupInstanceId, reason }],
    });
    if (r.errorCode !== ErrorCode.NONE && r.errorCode !== ErrorCode.UNKNOWN_MEMBER_ID) throw new KafkaResponseError(r.errorCode, 'LeaveGroup');
  }
}
