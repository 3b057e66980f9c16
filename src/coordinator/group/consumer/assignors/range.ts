/**
 * The `range` assignor: per topic, each subscriber gets one contiguous range of partitions,
 * ranges differing in size by at most one (the larger ones first). Subscribers take the ranges in
 * one order shared by every topic, so members subscribed to the same topics with the same
 * partition counts get the same partition numbers of each (co-partitioning, for joins).
 *
 * Kafka orders members by instance id (static members first) then member id. To move fewer
 * partitions as members come and go, the order here first follows the current ranges: in each
 * topic, members holding partitions keep the order of their range starts and precede those
 * holding none. Any order consistent with that is taken (ties and fresh groups in Kafka's order),
 * so the members that stay keep their relative places, and newcomers come after them.
 */
import type { Uuid } from '../../../../protocol/index.js';
import { type Assignment, AssignmentBuilder } from '../assignment.js';
import { type AssignmentGroupSpec, type AssignmentMemberSpec, existingTopics, type PartitionAssignor } from './types.js';

export const RANGE_ASSIGNOR_NAME = 'range';

function kafkaOrder(a: AssignmentMemberSpec, b: AssignmentMemberSpec): number {
  if (a.instanceId !== null && b.instanceId !== null && a.instanceId !== b.instanceId) return a.instanceId < b.instanceId ? -1 : 1;
  if (a.instanceId !== null && b.instanceId === null) return -1;
  if (a.instanceId === null && b.instanceId !== null) return 1;
  return a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0;
}

/** The lowest current partition the member holds in the topic, or undefined. */
function rangeStart(m: AssignmentMemberSpec, t: Uuid, count: number): number | undefined {
  let start: number | undefined;
  for (const p of m.currentAssignment.get(t) ?? []) if (p >= 0 && p < count && (start === undefined || p < start)) start = p;
  return start;
}

/** Members in the order that takes ranges (a topological order of the current ranges' order). */
export function rangeOrder(spec: AssignmentGroupSpec): AssignmentMemberSpec[] {
  const members = spec.members;
  const after = members.map(() => new Set<number>());
  const indegree = members.map(() => 0);
  const edge = (a: number, b: number) => {
    if (a === b || after[a]!.has(b)) return;
    after[a]!.add(b);
    indegree[b]!++;
  };
  for (const [t, count] of [...spec.topics].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const holding: [number, number][] = [];
    const empty: number[] = [];
    members.forEach((m, i) => {
      if (!m.subscribedTopicIds.has(t)) return;
      const start = rangeStart(m, t, count);
      if (start === undefined) empty.push(i);
      else holding.push([i, start]);
    });
    holding.sort(([a, sa], [b, sb]) => sa - sb || kafkaOrder(members[a]!, members[b]!));
    for (let k = 1; k < holding.length; k++) edge(holding[k - 1]![0], holding[k]![0]);
    const last = holding[holding.length - 1];
    if (last) for (const e of empty) edge(last[0], e);
  }
  const order: AssignmentMemberSpec[] = [];
  const done = members.map(() => false);
  for (let n = 0; n < members.length; n++) {
    // The first ready member in Kafka's order; if a cycle leaves none ready, the first left.
    let pick = -1;
    for (const ready of [true, false]) {
      members.forEach((m, i) => {
        if (done[i] || (ready && indegree[i]! > 0)) return;
        if (pick === -1 || kafkaOrder(m, members[pick]!) < 0) pick = i;
      });
      if (pick !== -1) break;
    }
    done[pick] = true;
    order.push(members[pick]!);
    for (const b of after[pick]!) indegree[b]!--;
  }
  return order;
}

function assign(spec: AssignmentGroupSpec): Map<string, Assignment> {
  const ordered = rangeOrder(spec);
  const subscribers = new Map<Uuid, number[]>();
  const builders = ordered.map(() => new AssignmentBuilder());
  ordered.forEach((m, i) => {
    for (const t of existingTopics(m, spec.topics)) {
      let subs = subscribers.get(t);
      if (!subs) subscribers.set(t, (subs = []));
      subs.push(i);
    }
  });
  for (const [t, subs] of subscribers) {
    const count = spec.topics.get(t)!;
    const quota = Math.floor(count / subs.length);
    const extra = count % subs.length;
    let start = 0;
    subs.forEach((i, rank) => {
      const size = quota + (rank < extra ? 1 : 0);
      for (let p = start; p < start + size; p++) builders[i]!.add(t, p);
      start += size;
    });
  }
  return new Map(ordered.map((m, i) => [m.memberId, builders[i]!.build()]));
}

export const rangeAssignor: PartitionAssignor = { name: RANGE_ASSIGNOR_NAME, assign };
