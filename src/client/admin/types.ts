/** Shapes the admin operations share. */

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** Some or all partitions of a topic. */
export interface TopicSelection {
  readonly topic: string;
  /** Every partition of the topic when undefined. */
  readonly partitions?: readonly number[];
}

export function comparePartitions(a: TopicPartition, b: TopicPartition): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
}

export function partitionKey(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`;
}

/** Groups partitions by topic, keeping the order topics first appear in. */
export function byTopic<T extends TopicPartition>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.topic);
    if (list) list.push(item);
    else out.set(item.topic, [item]);
  }
  return out;
}
