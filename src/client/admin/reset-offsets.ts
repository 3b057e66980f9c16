/**
 * Resetting a group's offsets from outside: work out the new offset of each partition, then
 * commit them all (or only report them, for a dry run). The group must have no members.
 */
import type { Cluster } from '../cluster.js';
import { GroupNotInactiveError } from '../errors.js';
import { commitOffsets } from './group-offsets.js';
import { describeGroups } from './groups.js';
import { type OffsetSpec, listOffsets, resolvePartitions } from './list-offsets.js';
import { type TopicPartition, type TopicSelection, comparePartitions, partitionKey } from './types.js';

/** Where to move: the log start, the log end, an offset (kept within those two), or a time. */
export type ResetSpec = OffsetSpec | { readonly offset: bigint };

export interface ResetOffsetsOptions {
  readonly topics: readonly TopicSelection[];
  readonly to: ResetSpec;
  /** Commit the new offsets; without it nothing changes and the plan is only returned. */
  readonly execute?: boolean;
}

export interface PlannedOffset extends TopicPartition {
  readonly offset: bigint;
}

/** States in which a group has no members, so an admin may commit for it. */
const INACTIVE = new Set(['Empty', 'Dead']);

export async function resetOffsets(cluster: Cluster, groupId: string, options: ResetOffsetsOptions): Promise<PlannedOffset[]> {
  const [group] = await describeGroups(cluster, [groupId]);
  if (group && !INACTIVE.has(group.state)) throw new GroupNotInactiveError(groupId, group.state);
  const md = await cluster.metadata([...new Set(options.topics.map((t) => t.topic))]);
  const partitions = resolvePartitions(md, options.topics).sort(comparePartitions);
  const plan = await planOffsets(cluster, partitions, options.to);
  if (options.execute) await commitOffsets(cluster, groupId, plan);
  return plan;
}

async function planOffsets(cluster: Cluster, partitions: readonly TopicPartition[], to: ResetSpec): Promise<PlannedOffset[]> {
  if (to === 'earliest' || to === 'latest') return offsetsAt(cluster, partitions, to);
  if ('timestampMs' in to) {
    const found = await offsetsAt(cluster, partitions, to);
    // No record at or after the time: move to the log end, as Kafka's tool does.
    const missing = found.filter((p) => p.offset < 0n);
    const ends = new Map((await offsetsAt(cluster, missing, 'latest')).map((p) => [partitionKey(p), p.offset]));
    return found.map((p) => (p.offset < 0n ? { ...p, offset: ends.get(partitionKey(p)) ?? 0n } : p));
  }
  const [starts, ends] = await Promise.all([offsetsAt(cluster, partitions, 'earliest'), offsetsAt(cluster, partitions, 'latest')]);
  const endOf = new Map(ends.map((p) => [partitionKey(p), p.offset]));
  return starts.map((start) => {
    const end = endOf.get(partitionKey(start)) ?? start.offset;
    const offset = to.offset < start.offset ? start.offset : to.offset > end ? end : to.offset;
    return { topic: start.topic, partition: start.partition, offset };
  });
}

/** Offsets for a spec, in the order of `partitions`; -1 where the broker found none. */
async function offsetsAt(cluster: Cluster, partitions: readonly TopicPartition[], spec: OffsetSpec): Promise<PlannedOffset[]> {
  const listed = await listOffsets(cluster, partitions.map((p) => ({ topic: p.topic, partition: p.partition, spec })));
  const byKey = new Map(listed.map((l) => [partitionKey(l), l.offset]));
  return partitions.map((p) => ({ topic: p.topic, partition: p.partition, offset: byKey.get(partitionKey(p)) ?? -1n }));
}
