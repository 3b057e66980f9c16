/**
 * A group's position on each partition it reads: the committed offset, the log end offset,
 * the lag between them, and the member it is assigned to. Partitions come from the members'
 * assignments and from the committed offsets, so an empty group still shows where it stopped.
 */
import type { Cluster } from '../cluster.js';
import { KafkaResponseError, UnknownTopicError } from '../errors.js';
import { fetchOffsets } from './group-offsets.js';
import { type GroupDescription, type GroupMember, describeGroups } from './groups.js';
import { listOffsets } from './list-offsets.js';
import { type TopicPartition, comparePartitions, partitionKey } from './types.js';

export interface PartitionLag extends TopicPartition {
  /** Null when the group has committed nothing for the partition. */
  readonly committedOffset: bigint | null;
  /** Null when the log end could not be read (the topic is gone, say). */
  readonly logEndOffset: bigint | null;
  /** logEndOffset - committedOffset, or null when either is unknown. */
  readonly lag: bigint | null;
  /** The member the partition is assigned to; null when none is. */
  readonly member: GroupMember | null;
}

export interface GroupLag {
  readonly group: GroupDescription;
  /** Sorted by topic and partition. */
  readonly partitions: readonly PartitionLag[];
}

export async function describeGroupLag(cluster: Cluster, groupId: string): Promise<GroupLag> {
  const [group] = await describeGroups(cluster, [groupId]);
  // A group that does not exist has no offsets; some brokers answer OffsetFetch for it with an error.
  const committed = group!.state === 'Dead' ? [] : await fetchOffsets(cluster, groupId);
  const owner = new Map<string, GroupMember>();
  for (const m of group!.members) for (const tp of m.assignment) owner.set(partitionKey(tp), m);
  const all = new Map<string, TopicPartition>();
  for (const tp of [...committed, ...group!.members.flatMap((m) => m.assignment)]) all.set(partitionKey(tp), { topic: tp.topic, partition: tp.partition });
  const partitions = [...all.values()].sort(comparePartitions);
  const ends = await logEndOffsets(cluster, partitions);
  const committedAt = new Map(committed.map((c) => [partitionKey(c), c.offset]));
  return {
    group: group!,
    partitions: partitions.map((tp) => {
      const key = partitionKey(tp);
      const committedOffset = committedAt.get(key) ?? null;
      const logEndOffset = ends.get(key) ?? null;
      const lag = committedOffset !== null && logEndOffset !== null ? logEndOffset - committedOffset : null;
      return { ...tp, committedOffset, logEndOffset, lag, member: owner.get(key) ?? null };
    }),
  };
}

/** Log end offsets by partition key; a topic that cannot be read is left out rather than failing the rest. */
async function logEndOffsets(cluster: Cluster, partitions: readonly TopicPartition[]): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  const topics = [...new Set(partitions.map((p) => p.topic))];
  await Promise.all(topics.map(async (topic) => {
    try {
      const listed = await listOffsets(cluster, partitions.filter((p) => p.topic === topic).map((p) => ({ ...p, spec: 'latest' as const })));
      for (const l of listed) if (l.offset !== null) out.set(partitionKey(l), l.offset);
    } catch (e) {
      // Shown as '-' by callers, as Kafka's tool does for partitions it cannot read.
      if (!(e instanceof UnknownTopicError || e instanceof KafkaResponseError)) throw e;
    }
  }));
  return out;
}
