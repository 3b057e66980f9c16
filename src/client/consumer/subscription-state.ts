/**
 * The partitions a consumer owns and where it is in each: the position (the next offset to
 * hand out), a seek generation that makes fetches sent before a seek stale, pause, and a
 * pending reset (seekToBeginning/End or auto.offset.reset).
 */
import { partitionKey, type TopicPartition } from '../admin/types.js';

export type OffsetResetTarget = 'earliest' | 'latest';

export class PartitionState implements TopicPartition {
  position: bigint | null = null;
  leaderEpoch = -1;
  /** Incremented by every seek: fetches sent before carry the old value and are dropped. */
  fetchEpoch = 0;
  paused = false;
  reset: OffsetResetTarget | null = null;
  highWatermark = -1n;

  constructor(readonly topic: string, readonly partition: number) {}

  seek(offset: bigint): void {
    this.position = offset;
    this.reset = null;
    this.fetchEpoch++;
  }

  requestReset(target: OffsetResetTarget): void {
    this.position = null;
    this.reset = target;
    this.fetchEpoch++;
  }
}

export class SubscriptionState {
  private readonly partitions = new Map<string, PartitionState>();

  get(tp: TopicPartition): PartitionState | undefined {
    return this.partitions.get(partitionKey(tp));
  }

  has(tp: TopicPartition): boolean {
    return this.partitions.has(partitionKey(tp));
  }

  all(): PartitionState[] {
    return [...this.partitions.values()];
  }

  /** Adds partitions (new ones start without a position). */
  add(tps: readonly TopicPartition[]): PartitionState[] {
    const added: PartitionState[] = [];
    for (const tp of tps) {
      const key = partitionKey(tp);
      if (this.partitions.has(key)) continue;
      const s = new PartitionState(tp.topic, tp.partition);
      this.partitions.set(key, s);
      added.push(s);
    }
    return added;
  }

  remove(tps: readonly TopicPartition[]): void {
    for (const tp of tps) {
      const s = this.partitions.get(partitionKey(tp));
      if (s) s.fetchEpoch++;
      this.partitions.delete(partitionKey(tp));
    }
  }

  clear(): void {
    this.remove(this.all());
  }

  /** Partitions ready to fetch: owned, not paused, with a position. */
  fetchable(): PartitionState[] {
    return this.all().filter((s) => !s.paused && s.position !== null);
  }

  /** Positions to commit: every owned partition with a known position. */
  positions(): Array<TopicPartition & { offset: bigint; leaderEpoch: number }> {
    return this.all().filter((s) => s.position !== null).map((s) => ({ topic: s.topic, partition: s.partition, offset: s.position!, leaderEpoch: s.leaderEpoch }));
  }
}
