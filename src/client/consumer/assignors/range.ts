/**
 * Kafka's RangeAssignor: per topic, the members subscribed to it (in member order) get
 * consecutive ranges of partitions; the first `count % members` get one extra.
 */
import type { TopicPartition } from '../../admin/types.js';
import type { AssignorInput, PartitionAssignor } from '../types.js';
import { compareMembers } from './member-order.js';

export const rangeAssignor: PartitionAssignor = {
  name: 'range',
  rebalanceProtocol: 'EAGER',
  assign(input: AssignorInput): Map<string, TopicPartition[]> {
    const out = new Map<string, TopicPartition[]>(input.members.map((m) => [m.memberId, []]));
    const topics = [...new Set(input.members.flatMap((m) => m.topics))].sort();
    for (const topic of topics) {
      const count = input.partitionsPerTopic.get(topic);
      if (count === undefined) continue;
      const members = input.members.filter((m) => m.topics.includes(topic)).sort(compareMembers);
      const per = Math.floor(count / members.length);
      const extra = count % members.length;
      members.forEach((m, i) => {
        const start = per * i + Math.min(i, extra);
        const length = per + (i < extra ? 1 : 0);
        for (let p = start; p < start + length; p++) out.get(m.memberId)!.push({ topic, partition: p });
      });
    }
    return out;
  },
};
