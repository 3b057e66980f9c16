/**
 * One consumer group's state, as its records build it (Kafka's ConsumerGroup): the group and
 * target-assignment epochs, members, static members, target assignment, subscribed topic
 * metadata, and the epoch at which each partition is currently owned.
 */
import type { MetadataImage } from '../../../metadata/index.js';
import type { Uuid } from '../../../protocol/index.js';
import type { Assignment } from './assignment.js';
import { type ConsumerMember, isReconciledTo } from './member.js';

/** A subscribed topic as ConsumerGroupPartitionMetadata records it. */
export interface SubscribedTopic {
  readonly topicId: Uuid;
  readonly topicName: string;
  readonly numPartitions: number;
}

export type SubscriptionMetadata = ReadonlyMap<string, SubscribedTopic>;

export type ConsumerGroupState = 'Empty' | 'Assigning' | 'Reconciling' | 'Stable';

export class ConsumerGroup {
  groupEpoch = 0;
  /** The epoch of the target assignment; -1 once its metadata record is tombstoned. */
  assignmentEpoch = 0;
  readonly members = new Map<string, ConsumerMember>();
  /** instance id → member id */
  readonly staticMembers = new Map<string, string>();
  readonly targetAssignment = new Map<string, Assignment>();
  subscriptionMetadata: SubscriptionMetadata = new Map();
  /** topic id → partition → epoch of the member that owns it (assigned or pending revocation). */
  private readonly partitionEpochs = new Map<Uuid, Map<number, number>>();
  /**
   * Soft state: the metadata image the subscription metadata was last computed from. A heartbeat
   * that sees another image recomputes it (a topic created, deleted or grown).
   */
  checkedImage: MetadataImage | undefined;

  constructor(readonly groupId: string) {}

  state(): ConsumerGroupState {
    if (this.members.size === 0) return 'Empty';
    if (this.groupEpoch > this.assignmentEpoch) return 'Assigning';
    for (const member of this.members.values()) {
      if (!isReconciledTo(member, this.assignmentEpoch)) return 'Reconciling';
    }
    return 'Stable';
  }

  staticMember(instanceId: string): ConsumerMember | undefined {
    const memberId = this.staticMembers.get(instanceId);
    return memberId === undefined ? undefined : this.members.get(memberId);
  }

  /** The epoch at which the partition is owned, or -1 when no member owns it. */
  currentPartitionEpoch(topicId: Uuid, partition: number): number {
    return this.partitionEpochs.get(topicId)?.get(partition) ?? -1;
  }

  updateMember(member: ConsumerMember): void {
    const old = this.members.get(member.memberId);
    if (old) this.releasePartitions(old);
    this.members.set(member.memberId, member);
    this.claimPartitions(member);
    if (old?.instanceId && old.instanceId !== member.instanceId && this.staticMembers.get(old.instanceId) === member.memberId) {
      this.staticMembers.delete(old.instanceId);
    }
    if (member.instanceId !== null) this.staticMembers.set(member.instanceId, member.memberId);
  }

  removeMember(memberId: string): void {
    const old = this.members.get(memberId);
    if (!old) return;
    this.releasePartitions(old);
    this.members.delete(memberId);
    if (old.instanceId !== null && this.staticMembers.get(old.instanceId) === memberId) this.staticMembers.delete(old.instanceId);
  }

  private claimPartitions(member: ConsumerMember): void {
    for (const a of [member.assignedPartitions, member.partitionsPendingRevocation]) {
      for (const [topicId, partitions] of a) {
        let epochs = this.partitionEpochs.get(topicId);
        if (!epochs) this.partitionEpochs.set(topicId, (epochs = new Map()));
        for (const p of partitions) {
          const previous = epochs.get(p);
          if (previous !== undefined) {
            throw new Error(`consumer group ${this.groupId}: ${topicId}-${p} is given to ${member.memberId} at epoch ` +
              `${member.memberEpoch} while still owned at epoch ${previous}`);
          }
          epochs.set(p, member.memberEpoch);
        }
      }
    }
  }

  private releasePartitions(member: ConsumerMember): void {
    for (const a of [member.assignedPartitions, member.partitionsPendingRevocation]) {
      for (const [topicId, partitions] of a) {
        const epochs = this.partitionEpochs.get(topicId);
        for (const p of partitions) {
          const previous = epochs?.get(p);
          if (previous !== member.memberEpoch) {
            throw new Error(`consumer group ${this.groupId}: cannot release ${topicId}-${p} from ${member.memberId} at epoch ` +
              `${member.memberEpoch}; it is owned at epoch ${previous ?? 'none'}`);
          }
          epochs?.delete(p);
        }
        if (epochs?.size === 0) this.partitionEpochs.delete(topicId);
      }
    }
  }

  /** The server assignor most members ask for (ties: the earlier in `supported`), else the default. */
  preferredAssignor(supported: readonly string[]): string | undefined {
    const counts = new Map<string, number>();
    for (const m of this.members.values()) {
      if (m.serverAssignor !== null) counts.set(m.serverAssignor, (counts.get(m.serverAssignor) ?? 0) + 1);
    }
    let best: string | undefined;
    let bestCount = 0;
    const names = [...supported, ...[...counts.keys()].filter((n) => !supported.includes(n)).sort()];
    for (const name of names) {
      const count = counts.get(name) ?? 0;
      if (count > bestCount) {
        best = name;
        bestCount = count;
      }
    }
    return best;
  }
}
