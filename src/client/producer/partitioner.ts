/**
 * Kafka's built-in partitioning (KIP-794): a record with an explicit partition goes there; a
 * keyed record goes to murmur2(key) mod the partition count; a record without a key (or every
 * record, with partitioner.ignore.keys) sticks to one partition until about batch.size bytes were
 * added to it, then a new one is picked at random among the partitions that have a leader.
 */
import { type Random, systemRandom } from '../../common/random.js';
import type { TopicMetadata } from '../metadata.js';
import { partitionForKey } from './murmur2.js';
import type { CustomPartitioner } from './types.js';

interface StickyState {
  partition: number;
  bytesProduced: number;
}

export class BuiltInPartitioner {
  private readonly sticky = new Map<string, StickyState>();

  constructor(
    private readonly batchSize: number,
    private readonly ignoreKeys: boolean,
    private readonly custom: CustomPartitioner | undefined,
    private readonly random: Random = systemRandom,
  ) {}

  /** The partition for a record with no explicit one. */
  partition(topic: TopicMetadata, keyBytes: Buffer | null): number {
    const count = topic.partitions.length;
    if (this.custom) {
      const p = this.custom(topic.name, keyBytes, count);
      if (Number.isInteger(p) && p >= 0 && p < count) return p;
    }
    if (keyBytes !== null && !this.ignoreKeys) return partitionForKey(keyBytes, count);
    return this.stickyPartition(topic);
  }

  /** Called after a record of `bytes` went to the sticky partition of `topic`. */
  recordAppended(topic: string, partition: number, bytes: number): void {
    const s = this.sticky.get(topic);
    if (!s || s.partition !== partition) return;
    s.bytesProduced += bytes;
    if (s.bytesProduced >= this.batchSize) this.sticky.delete(topic);
  }

  private stickyPartition(topic: TopicMetadata): number {
    const current = this.sticky.get(topic.name);
    if (current && current.partition < topic.partitions.length) return current.partition;
    const available = topic.partitions.filter((p) => p.leaderId >= 0);
    const pool = available.length > 0 ? available : topic.partitions;
    let pick = pool[this.random.int(pool.length)]!.partition;
    // Move on: a new sticky partition differs from the previous one when there is a choice.
    if (current && pool.length > 1 && pick === current.partition) {
      pick = pool[(pool.findIndex((p) => p.partition === pick) + 1) % pool.length]!.partition;
    }
    this.sticky.set(topic.name, { partition: pick, bytesProduced: 0 });
    return pick;
  }
}
