/**
 * fast-check arbitraries and checks shared by the assignor property tests.
 */
import fc from 'fast-check';
import type { Uuid } from '../../../../protocol/index.js';
import { type Assignment, assignmentFromEntries, assignmentSize } from '../assignment.js';
import type { AssignmentGroupSpec, AssignmentMemberSpec } from '../assignors/types.js';

export const RUNS = Number(process.env.SAMSA_TEST_PROPERTY_RUNS ?? 200);

export const topicIdFor = (i: number): Uuid => `topic-${String(i).padStart(2, '0')}-AAAAAAAAAAAA`;

/** Groups with 1–4 topics (0–20 partitions; a partition count of 0 stands for a missing topic). */
export function groupSpecArbitrary(options: { homogeneous: boolean; maxMembers?: number }): fc.Arbitrary<AssignmentGroupSpec> {
  return fc.integer({ min: 1, max: 4 }).chain((topicCount) => {
    const topicIds = Array.from({ length: topicCount }, (_, i) => topicIdFor(i));
    const counts = fc.array(fc.integer({ min: 0, max: 20 }), { minLength: topicCount, maxLength: topicCount });
    const subscription = fc.subarray(topicIds, { minLength: 1 });
    const current = fc.array(fc.record({ topicId: fc.constantFrom(...topicIds), partitions: fc.array(fc.integer({ min: 0, max: 24 }), { maxLength: 6 }) }), { maxLength: 3 });
    const member = (sub: fc.Arbitrary<Uuid[]>) => fc.record({
      instanceId: fc.option(fc.constantFrom('i1', 'i2', 'i3'), { nil: null }),
      subscription: sub,
      current,
    });
    const members = options.homogeneous
      ? subscription.chain((sub) => fc.array(member(fc.constant(sub)), { minLength: 1, maxLength: options.maxMembers ?? 8 }))
      : fc.array(member(subscription), { minLength: 1, maxLength: options.maxMembers ?? 8 });
    return fc.tuple(counts, members).map(([partitionCounts, ms]) => ({
      topics: new Map(topicIds.flatMap((t, i) => (partitionCounts[i]! > 0 ? [[t, partitionCounts[i]!] as const] : []))),
      members: ms.map((m, i): AssignmentMemberSpec => ({
        memberId: `member-${i}`,
        instanceId: m.instanceId === null ? null : `${m.instanceId}-${i}`,
        rackId: null,
        subscribedTopicIds: new Set(m.subscription),
        currentAssignment: assignmentFromEntries(m.current),
      })),
    }));
  });
}

/** Every partition of every subscribed, existing topic goes to exactly one of its subscribers; nothing else is assigned. */
export function checkComplete(spec: AssignmentGroupSpec, result: Map<string, Assignment>): void {
  const owner = new Map<string, string>();
  for (const m of spec.members) {
    const a = result.get(m.memberId);
    if (!a) throw new Error(`no assignment for ${m.memberId}`);
    for (const [t, partitions] of a) {
      if (!m.subscribedTopicIds.has(t)) throw new Error(`${m.memberId} got ${t} it does not subscribe to`);
      for (const p of partitions) {
        if (p < 0 || p >= (spec.topics.get(t) ?? 0)) throw new Error(`${m.memberId} got ${t}-${p} that does not exist`);
        const key = `${t}-${p}`;
        if (owner.has(key)) throw new Error(`${key} given to ${owner.get(key)} and ${m.memberId}`);
        owner.set(key, m.memberId);
      }
    }
  }
  for (const [t, count] of spec.topics) {
    if (!spec.members.some((m) => m.subscribedTopicIds.has(t))) continue;
    for (let p = 0; p < count; p++) if (!owner.has(`${t}-${p}`)) throw new Error(`${t}-${p} is not assigned`);
  }
}

export function counts(spec: AssignmentGroupSpec, result: Map<string, Assignment>): Map<string, number> {
  return new Map(spec.members.map((m) => [m.memberId, assignmentSize(result.get(m.memberId)!)]));
}

/** The same spec with each member's current assignment replaced by `result`. */
export function withCurrent(spec: AssignmentGroupSpec, result: Map<string, Assignment>): AssignmentGroupSpec {
  return { topics: spec.topics, members: spec.members.map((m) => ({ ...m, currentAssignment: result.get(m.memberId)! })) };
}
