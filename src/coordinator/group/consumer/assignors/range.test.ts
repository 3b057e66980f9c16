import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assignmentFromEntries, assignmentToEntries } from '../assignment.js';
import { rangeAssignor } from './range.js';
import { checkComplete, groupSpecArbitrary, RUNS, topicIdFor, withCurrent } from '../testing/assignor-arbitraries.js';
import type { AssignmentGroupSpec, AssignmentMemberSpec } from './types.js';

const T0 = topicIdFor(0);
const T1 = topicIdFor(1);

function member(memberId: string, topics: string[], current: Record<string, number[]> = {}, instanceId: string | null = null): AssignmentMemberSpec {
  return {
    memberId, instanceId, rackId: null, subscribedTopicIds: new Set(topics),
    currentAssignment: assignmentFromEntries(Object.entries(current).map(([topicId, partitions]) => ({ topicId, partitions }))),
  };
}

test('range: co-partitioned ranges, the larger ones first, static members before dynamic ones', () => {
  const topics = new Map([[T0, 3], [T1, 3]]);
  const result = rangeAssignor.assign({ topics, members: [member('b', [T0, T1]), member('a', [T0, T1])] });
  assert.deepEqual(assignmentToEntries(result.get('a')!), [{ topicId: T0, partitions: [0, 1] }, { topicId: T1, partitions: [0, 1] }]);
  assert.deepEqual(assignmentToEntries(result.get('b')!), [{ topicId: T0, partitions: [2] }, { topicId: T1, partitions: [2] }]);
  const withStatic = rangeAssignor.assign({ topics, members: [member('a', [T0]), member('b', [T0], {}, 'static')] });
  assert.deepEqual(assignmentToEntries(withStatic.get('b')!), [{ topicId: T0, partitions: [0, 1] }]);
});

test('range: members that hold ranges keep their order when a newcomer sorts before them', () => {
  const topics = new Map([[T0, 12]]);
  const members = [member('m', [T0], { [T0]: [0, 1, 2, 3, 4, 5] }), member('n', [T0], { [T0]: [6, 7, 8, 9, 10, 11] }), member('a', [T0])];
  const result = rangeAssignor.assign({ topics, members });
  assert.deepEqual(assignmentToEntries(result.get('m')!)[0]!.partitions, [0, 1, 2, 3]);
  assert.deepEqual(assignmentToEntries(result.get('n')!)[0]!.partitions, [4, 5, 6, 7]);
  assert.deepEqual(assignmentToEntries(result.get('a')!)[0]!.partitions, [8, 9, 10, 11]);
});

function checkRange(spec: AssignmentGroupSpec, homogeneous: boolean): void {
  const result = rangeAssignor.assign(spec);
  checkComplete(spec, result);
  for (const [t] of spec.topics) {
    const sizes: number[] = [];
    for (const m of spec.members) {
      if (!m.subscribedTopicIds.has(t)) continue;
      const partitions = [...(result.get(m.memberId)!.get(t) ?? [])].sort((x, y) => x - y);
      sizes.push(partitions.length);
      partitions.forEach((p, i) => assert.equal(p, partitions[0]! + i, 'a contiguous range'));
    }
    if (sizes.length > 0) assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `per-topic sizes ${sizes}`);
  }
  if (homogeneous) {
    // Topics with the same partition count are co-partitioned.
    const ids = [...spec.topics.keys()];
    for (const m of spec.members) {
      for (const t of ids) for (const u of ids) {
        if (spec.topics.get(t) !== spec.topics.get(u) || !m.subscribedTopicIds.has(t) || !m.subscribedTopicIds.has(u)) continue;
        assert.deepEqual([...(result.get(m.memberId)!.get(t) ?? [])].sort(), [...(result.get(m.memberId)!.get(u) ?? [])].sort());
      }
    }
  }
  const again = rangeAssignor.assign(withCurrent(spec, result));
  for (const m of spec.members) assert.deepEqual(assignmentToEntries(again.get(m.memberId)!), assignmentToEntries(result.get(m.memberId)!));
}

test('range (property): homogeneous groups get balanced, contiguous, co-partitioned, stable ranges', () => {
  fc.assert(fc.property(groupSpecArbitrary({ homogeneous: true }), (spec) => checkRange(spec, true)), { numRuns: RUNS, seed: 851 });
});

test('range (property): heterogeneous groups get every partition once, to subscribers, balanced per topic', () => {
  fc.assert(fc.property(groupSpecArbitrary({ homogeneous: false }), (spec) => checkRange(spec, false)), { numRuns: RUNS, seed: 852 });
});
