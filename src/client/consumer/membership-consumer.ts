/**
 * KIP-848 group membership (group.protocol=consumer): one ConsumerGroupHeartbeat loop. The
 * broker computes assignments (group.remote.assignor); the member reconciles: it revokes what
 * left its target assignment first, reports what it owns, then takes the new partitions. Epoch
 * 0 joins, -1 leaves, -2 leaves for a static member that will come back.
 */
import { randomBytes } from 'node:crypto';
import { ApiKey, type ConsumerGroupHeartbeatResponse, ErrorCode, type Uuid } from '../../protocol/index.js';
import { partitionKey, type TopicPartition } from '../admin/types.js';
import { CoordinatorType } from '../coordinator.js';
import { ConnectionError, KafkaResponseError } from '../errors.js';
import { commitGroupOffsets, fetchGroupOffsets } from './group-offsets.js';
import type { MembershipOptions } from './membership-options.js';
import type { ConsumerGroupMetadata, GroupMembership, MembershipHost, OffsetAndMetadata } from './types.js';

const REJOIN: ReadonlySet<number> = new Set([ErrorCode.FENCED_MEMBER_EPOCH, ErrorCode.UNKNOWN_MEMBER_ID]);
const RETRY: ReadonlySet<number> = new Set([
  ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.NOT_COORDINATOR, ErrorCode.REQUEST_TIMED_OUT,
]);

/** A member id the client makes itself (ConsumerGroupHeartbeat v1+): 16 random bytes, base64url. */
function newMemberId(): string {
  return randomBytes(16).toString('base64url');
}

export class ConsumerProtocolMembership implements GroupMembership {
  readonly groupId: string;
  private memberId = newMemberId();
  private memberEpoch = 0;
  private owned: TopicPartition[] = [];
  private heartbeatIntervalMs: number;
  private stopped = false;
  private running: Promise<void> | null = null;
  private wakeLoop: (() => void) | null = null;
  private lastPollMs = performance.now();
  private pollExpired = false;
  private joined = false;

  constructor(private readonly host: MembershipHost, private readonly options: MembershipOptions) {
    this.groupId = options.groupId;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs;
  }

  get stable(): boolean {
    return this.joined && this.memberEpoch > 0;
  }

  start(): void {
    this.running ??= this.loop();
  }

  subscriptionChanged(): void {
    this.wakeLoop?.();
  }

  polled(): void {
    this.lastPollMs = performance.now();
    if (this.pollExpired) {
      this.pollExpired = false;
      this.wakeLoop?.();
    }
  }

  groupMetadata(): ConsumerGroupMetadata {
    return { groupId: this.groupId, generationId: this.memberEpoch, memberId: this.memberId, groupInstanceId: this.options.groupInstanceId };
  }

  async commit(offsets: readonly OffsetAndMetadata[]): Promise<void> {
    await commitGroupOffsets(this.host.cluster, this.groupId, {
      generationId: this.memberEpoch, memberId: this.memberId, groupInstanceId: this.options.groupInstanceId,
    }, offsets);
  }

  committed(partitions: readonly TopicPartition[]): ReturnType<GroupMembership['committed']> {
    return fetchGroupOffsets(this.host.cluster, this.groupId, partitions);
  }

  async leave(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.wakeLoop?.();
    await this.running?.catch(() => undefined);
    if (this.joined) await this.heartbeat(this.options.groupInstanceId === null ? -1 : -2).catch(() => undefined);
    this.joined = false;
  }

  private async loop(): Promise<void> {
    let backoffMs = this.options.retryBackoffMs;
    while (!this.stopped) {
      try {
        if (this.pollExpired) {
          await this.sleep(this.heartbeatIntervalMs);
          continue;
        }
        if (this.joined && performance.now() - this.lastPollMs > this.options.maxPollIntervalMs) {
          this.pollExpired = true;
          await this.heartbeat(-1).catch(() => undefined);
          await this.loseAll();
          continue;
        }
        await this.heartbeat(this.memberEpoch);
        backoffMs = this.options.retryBackoffMs;
        if (!this.stopped) await this.sleep(this.heartbeatIntervalMs);
      } catch (e) {
        if (this.stopped) break;
        if (e instanceof KafkaResponseError && !RETRY.has(e.errorCode) && !REJOIN.has(e.errorCode) && !e.retriable) {
          this.host.fail(e);
          this.stopped = true;
          break;
        }
        if ((e instanceof KafkaResponseError && RETRY.has(e.errorCode)) || e instanceof ConnectionError) {
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

  private async loseAll(): Promise<void> {
    const lost = this.owned;
    this.owned = [];
    this.memberEpoch = 0;
    this.joined = false;
    if (lost.length > 0) await this.host.lose(lost);
  }

  private async heartbeat(epoch: number): Promise<void> {
    const { connection } = await this.host.cluster.groupCoordinator(this.groupId);
    const version = connection.versionFor(ApiKey.ConsumerGroupHeartbeat);
    const leaving = epoch < 0;
    const topicPartitions = await this.ownedByTopicId();
    const r = await connection.send<ConsumerGroupHeartbeatResponse>(ApiKey.ConsumerGroupHeartbeat, version, {
      groupId: this.groupId,
      memberId: version === 0 && epoch === 0 ? '' : this.memberId,
      memberEpoch: epoch,
      instanceId: this.options.groupInstanceId,
      rackId: this.options.clientRack,
      rebalanceTimeoutMs: leaving ? -1 : this.options.maxPollIntervalMs,
      subscribedTopicNames: leaving ? null : [...this.host.subscribedTopics()].sort(),
      subscribedTopicRegex: null,
      serverAssignor: leaving ? null : this.options.groupRemoteAssignor,
      topicPartitions: leaving ? null : topicPartitions,
    });
    if (leaving) return;
    if (REJOIN.has(r.errorCode)) {
      await this.loseAll();
      if (r.errorCode === ErrorCode.UNKNOWN_MEMBER_ID) this.memberId = newMemberId();
      throw new KafkaResponseError(r.errorCode, `ConsumerGroupHeartbeat for group '${this.groupId}'`);
    }
    if (r.errorCode !== ErrorCode.NONE) throw new KafkaResponseError(r.errorCode, `ConsumerGroupHeartbeat for group '${this.groupId}'`, r.errorMessage);
    if (r.memberId) this.memberId = r.memberId;
    this.memberEpoch = r.memberEpoch;
    this.joined = true;
    if (r.heartbeatIntervalMs > 0) this.heartbeatIntervalMs = r.heartbeatIntervalMs;
    if (r.assignment) await this.reconcile(r.assignment.topicPartitions);
  }

  private async ownedByTopicId(): Promise<Array<{ topicId: Uuid; partitions: number[] }>> {
    const byTopic = new Map<string, number[]>();
    for (const tp of this.owned) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
    const out: Array<{ topicId: Uuid; partitions: number[] }> = [];
    for (const [topic, partitions] of byTopic) {
      const id = this.host.metadata.peek(topic)?.topicId;
      if (id) out.push({ topicId: id, partitions });
    }
    return out;
  }

  /** Revokes what left the target, then takes what is new; the next heartbeat reports the result. */
  private async reconcile(target: ReadonlyArray<{ topicId: Uuid; partitions: number[] }>): Promise<void> {
    const names = await this.topicNames(target.map((t) => t.topicId));
    const next: TopicPartition[] = [];
    for (const t of target) {
      const topic = names.get(t.topicId);
      if (topic === undefined) continue;
      for (const partition of t.partitions) next.push({ topic, partition });
    }
    const nextKeys = new Set(next.map(partitionKey));
    const ownedKeys = new Set(this.owned.map(partitionKey));
    const revoked = this.owned.filter((tp) => !nextKeys.has(partitionKey(tp)));
    const added = next.filter((tp) => !ownedKeys.has(partitionKey(tp)));
    if (revoked.length > 0) {
      await this.host.revoke(revoked);
      this.owned = this.owned.filter((tp) => nextKeys.has(partitionKey(tp)));
    }
    if (added.length > 0) {
      this.owned = [...this.owned, ...added];
      await this.host.assign(added);
    }
    if (revoked.length > 0 || added.length > 0) this.wakeLoop?.();
  }

  private async topicNames(ids: readonly Uuid[]): Promise<Map<Uuid, string>> {
    const out = new Map<Uuid, string>();
    const find = (): boolean => {
      for (const name of this.host.subscribedTopics()) {
        const t = this.host.metadata.peek(name);
        if (t && ids.includes(t.topicId)) out.set(t.topicId, name);
      }
      return ids.every((id) => out.has(id));
    };
    if (find()) return out;
    await this.host.metadata.refresh([...this.host.subscribedTopics()]).catch(() => undefined);
    find();
    return out;
  }
}
