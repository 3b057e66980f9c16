/**
 * Kafka's RoundRobinAssignor: every partition of every subscribed topic, sorted by topic and
 * partition, dealt to the members in turn (member order), skipping members not subscribed to
 * the partition's topic.
 */
import type { TopicPartition } from '../../admin/types.js';
import type { AssignorInput, PartitionAssignor } from '../types.js';
import { compareMembers } from './member-order.js';

export const roundRobinAssignor: PartitionAssignor = {
  name: 'roundrobin',
  rebalanceProtocol: 'EAGER',
  assign(input: AssignorInput): Map<string, TopicPartition[]> {
    const out = new Map<string, TopicPartition[]>(input.members.map((m) => [m.memberId, []]));
    const members = [...input.members].sort(compareMembers);
    const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
    let next = 0;
    for (const topic of topics) {
      const count = input.partitionsPerTopic.get(topic) ?? 0;
      for (let p = 0; p < count; p++) {
        for (let tries = 0; tries < members.length; tries++) {
          const m = members[next % members.length]!;
          next++;
          if (m.topics.includes(topic)) {
            out.get(m.memberId)!.push({ topic, partition: p });
            break;
          }
        }
      }
    }
    return out;
  },
};
