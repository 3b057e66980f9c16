/**
 * A sticky assignor, in the spirit of Kafka's (Cooperative)StickyAssignor: members keep the
 * partitions they own while the assignment stays balanced (counts differ by at most one), and
 * only the surplus moves. The cooperative variant takes part in incremental rebalances: a
 * partition that changes owner is first revoked (left out of both members' assignments) and
 * handed to its new owner in the follow-up rebalance the revoking member starts.
 */
import { partitionKey, type TopicPartition } from '../../admin/types.js';
import type { AssignorInput, PartitionAssignor } from '../types.js';
import { compareMembers } from './member-order.js';

function stickyAssign(input: AssignorInput, cooperative: boolean): Map<string, TopicPartition[]> {
  const members = [...input.members].sort(compareMembers);
  const out = new Map<string, TopicPartition[]>(members.map((m) => [m.memberId, []]));
  const all: TopicPartition[] = [];
  for (const topic of [...new Set(members.flatMap((m) => m.topics))].sort()) {
    const count = input.partitionsPerTopic.get(topic) ?? 0;
    for (let p = 0; p < count; p++) all.push({ topic, partition: p });
  }
  // Who owned what (the highest generation wins when two claim one partition).
  const owner = new Map<string, { memberId: string; generation: number }>();
  for (const m of members) {
    for (const tp of m.ownedPartitions) {
      const key = partitionKey(tp);
      const prev = owner.get(key);
      if (!prev || m.generationId > prev.generation) owner.set(key, { memberId: m.memberId, generation: m.generationId });
    }
  }
  const subscribed = (memberId: string, topic: string): boolean => members.find((m) => m.memberId === memberId)!.topics.includes(topic);
  const quota = (i: number): number => Math.floor(all.length / members.length) + (i < all.length % members.length ? 1 : 0);
  // Owners sorted by how much they own, largest first, get the larger quotas: fewer moves.
  const owned = new Map<string, TopicPartition[]>(members.map((m) => [m.memberId, []]));
  const unowned: TopicPartition[] = [];
  for (const tp of all) {
    const o = owner.get(partitionKey(tp));
    if (o && subscribed(o.memberId, tp.topic)) owned.get(o.memberId)!.push(tp);
    else unowned.push(tp);
  }
  const order = [...members].sort((a, b) => owned.get(b.memberId)!.length - owned.get(a.memberId)!.length || compareMembers(a, b));
  const revoked = new Set<string>();
  order.forEach((m, i) => {
    const keep = owned.get(m.memberId)!;
    const q = quota(i);
    out.get(m.memberId)!.push(...keep.slice(0, q));
    for (const tp of keep.slice(q)) {
      unowned.push(tp);
      revoked.add(partitionKey(tp));
    }
  });
  // Hand out the rest to members under quota that subscribe to the topic.
  for (const tp of unowned) {
    let best: string | null = null;
    order.forEach((m, i) => {
      const have = out.get(m.memberId)!.length;
      if (!m.topics.includes(tp.topic) || have >= quota(i)) return;
      if (best === null || have < out.get(best)!.length) best = m.memberId;
    });
    if (best === null) {
      // Quotas assume every member takes every topic; fall back to the least loaded subscriber.
      for (const m of order) if (m.topics.includes(tp.topic) && (best === null || out.get(m.memberId)!.length < out.get(best)!.length)) best = m.memberId;
    }
    if (best === null) continue;
    // Cooperative: a partition moving away from a current owner waits for the next round.
    if (cooperative && revoked.has(partitionKey(tp))) continue;
    out.get(best)!.push(tp);
  }
  return out;
}

export const stickyAssignor: PartitionAssignor = {
  name: 'sticky',
  rebalanceProtocol: 'EAGER',
  assign: (input) => stickyAssign(input, false),
};

export const cooperativeStickyAssignor: PartitionAssignor = {
  name: 'cooperative-sticky',
  rebalanceProtocol: 'COOPERATIVE',
  assign: (input) => stickyAssign(input, true),
};
