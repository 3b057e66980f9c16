/**
 * Committed offsets by group, topic and partition, and the offsets of open transactions
 * (TxnOffsetCommit) by producer id: invisible until the transaction's commit marker makes them
 * the committed ones, dropped by an abort marker.
 *
 * Every offset put here is stamped with its place in the partition's log order (offsets are put
 * in log order: replayed at load, or applied as the shard writes them). A committing
 * transaction's offset replaces the committed one only if it was written after it, as Kafka
 * compares the records' offsets: a plain commit made while the transaction was open wins.
 */
import type { groupCoordinatorRecords as gcr } from '../../../protocol/index.js';
import type { GroupRecord } from '../records.js';

export interface CommittedOffset {
  readonly offset: bigint;
  /** -1 when unknown. */
  readonly leaderEpoch: number;
  readonly metadata: string;
  readonly commitTimestampMs: number;
  /** Set only by OffsetCommit v2-4 with a retention time (value v1): the offset expires then. */
  readonly expireTimestampMs: number | null;
}

/** An offset and its place in the log order. */
interface StoredOffset extends CommittedOffset {
  readonly writeOrder: number;
}

type TopicOffsets = Map<number, StoredOffset>;
type GroupOffsets = Map<string, TopicOffsets>;

export function offsetFromValue(value: gcr.OffsetCommitValue): CommittedOffset {
  return {
    offset: value.offset,
    leaderEpoch: value.leaderEpoch,
    metadata: value.metadata,
    commitTimestampMs: Number(value.commitTimestamp),
    expireTimestampMs: value.expireTimestamp === -1n ? null : Number(value.expireTimestamp),
  };
}

export function offsetCommitRecord(group: string, topic: string, partition: number, offset: CommittedOffset): GroupRecord {
  return {
    type: 'OffsetCommit',
    key: { group, topic, partition },
    value: {
      offset: offset.offset, leaderEpoch: offset.leaderEpoch, metadata: offset.metadata,
      commitTimestamp: BigInt(offset.commitTimestampMs), expireTimestamp: BigInt(offset.expireTimestampMs ?? -1),
    },
  };
}

export function offsetTombstone(group: string, topic: string, partition: number): GroupRecord {
  return { type: 'OffsetCommit', key: { group, topic, partition }, value: null };
}

export class OffsetStore {
  private readonly byGroup = new Map<string, GroupOffsets>();
  /** Open transactions: producer id → their uncommitted offsets. */
  private readonly pendingByProducer = new Map<bigint, Map<string, GroupOffsets>>();
  private readonly openTransactionsByGroup = new Map<string, Set<bigint>>();
  private writes = 0;

  get(group: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.byGroup.get(group)?.get(topic)?.get(partition);
  }

  put(group: string, topic: string, partition: number, offset: CommittedOffset): void {
    put(this.byGroup, group, topic, partition, this.stamp(offset));
  }

  /** Removes the committed offset and any pending transactional one for the partition. */
  delete(group: string, topic: string, partition: number): void {
    remove(this.byGroup, group, topic, partition);
    for (const producerId of this.openTransactionsByGroup.get(group) ?? []) {
      const pending = this.pendingByProducer.get(producerId);
      if (pending) remove(pending, group, topic, partition);
    }
  }

  /** The group's offsets by topic (read-only view); undefined when it has none. */
  groupOffsets(group: string): ReadonlyMap<string, ReadonlyMap<number, CommittedOffset>> | undefined {
    return this.byGroup.get(group);
  }

  groupIds(): string[] {
    return [...this.byGroup.keys()];
  }

  topicsOf(group: string): string[] {
    return [...(this.byGroup.get(group)?.keys() ?? [])];
  }

  /** The partitions with a committed or pending offset for the group. */
  partitionsOfGroup(group: string): { topic: string; partition: number }[] {
    const found = new Map<string, { topic: string; partition: number }>();
    const collect = (byTopic: GroupOffsets | undefined): void => {
      for (const [topic, byPartition] of byTopic ?? []) {
        for (const partition of byPartition.keys()) found.set(JSON.stringify([topic, partition]), { topic, partition });
      }
    };
    collect(this.byGroup.get(group));
    for (const producerId of this.openTransactionsByGroup.get(group) ?? []) collect(this.pendingByProducer.get(producerId)?.get(group));
    return [...found.values()];
  }

  /** Every (group, partition) with an offset for one of the topics. */
  partitionsOfTopics(topics: ReadonlySet<string>): { group: string; topic: string; partition: number }[] {
    const found = new Map<string, { group: string; topic: string; partition: number }>();
    const collect = (offsets: Map<string, GroupOffsets>): void => {
      for (const [group, byTopic] of offsets) {
        for (const [topic, byPartition] of byTopic) {
          if (!topics.has(topic)) continue;
          for (const partition of byPartition.keys()) found.set(JSON.stringify([group, topic, partition]), { group, topic, partition });
        }
      }
    };
    collect(this.byGroup);
    for (const pending of this.pendingByProducer.values()) collect(pending);
    return [...found.values()];
  }

  putPending(producerId: bigint, group: string, topic: string, partition: number, offset: CommittedOffset): void {
    let pending = this.pendingByProducer.get(producerId);
    if (!pending) this.pendingByProducer.set(producerId, (pending = new Map()));
    put(pending, group, topic, partition, this.stamp(offset));
    let open = this.openTransactionsByGroup.get(group);
    if (!open) this.openTransactionsByGroup.set(group, (open = new Set()));
    open.add(producerId);
  }

  /** A transaction ended: on commit its offsets become the committed ones, unless committed anew since. */
  endTransaction(producerId: bigint, committed: boolean): void {
    const pending = this.pendingByProducer.get(producerId);
    if (!pending) return;
    this.pendingByProducer.delete(producerId);
    for (const [group, byTopic] of pending) {
      const open = this.openTransactionsByGroup.get(group);
      open?.delete(producerId);
      if (open?.size === 0) this.openTransactionsByGroup.delete(group);
      if (!committed) continue;
      for (const [topic, byPartition] of byTopic) {
        for (const [partition, offset] of byPartition) {
          const existing = this.byGroup.get(group)?.get(topic)?.get(partition);
          if (existing === undefined || offset.writeOrder > existing.writeOrder) put(this.byGroup, group, topic, partition, offset);
        }
      }
    }
  }

  hasPending(group: string, topic: string, partition: number): boolean {
    for (const producerId of this.openTransactionsByGroup.get(group) ?? []) {
      if (this.pendingByProducer.get(producerId)?.get(group)?.get(topic)?.has(partition)) return true;
    }
    return false;
  }

  hasOpenTransactions(group: string): boolean {
    return this.openTransactionsByGroup.has(group);
  }

  clear(): void {
    this.byGroup.clear();
    this.pendingByProducer.clear();
    this.openTransactionsByGroup.clear();
  }

  private stamp(offset: CommittedOffset): StoredOffset {
    return { ...offset, writeOrder: ++this.writes };
  }
}

function put(offsets: Map<string, GroupOffsets>, group: string, topic: string, partition: number, offset: StoredOffset): void {
  let byTopic = offsets.get(group);
  if (!byTopic) offsets.set(group, (byTopic = new Map()));
  let byPartition = byTopic.get(topic);
  if (!byPartition) byTopic.set(topic, (byPartition = new Map()));
  byPartition.set(partition, offset);
}

function remove(offsets: Map<string, GroupOffsets>, group: string, topic: string, partition: number): void {
  const byTopic = offsets.get(group);
  const byPartition = byTopic?.get(topic);
  if (!byTopic || !byPartition) return;
  byPartition.delete(partition);
  if (byPartition.size === 0) byTopic.delete(topic);
  if (byTopic.size === 0) offsets.delete(group);
}
