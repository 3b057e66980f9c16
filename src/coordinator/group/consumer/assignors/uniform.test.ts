import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { type Assignment, assignmentFromEntries, assignmentToEntries } from '../assignment.js';
import { checkComplete, counts, groupSpecArbitrary, RUNS, topicIdFor, withCurrent } from '../testing/assignor-arbitraries.js';
import type { AssignmentGroupSpec, AssignmentMemberSpec } from './types.js';
import { uniformAssignor } from './uniform.js';

const T0 = topicIdFor(0);
const T1 = topicIdFor(1);

function member(memberId: string, topics: string[], current: Record<string, number[]> = {}): AssignmentMemberSpec {
  return {
    memberId,
    instanceId: null,
    rackId: null,
    subscribedTopicIds: new Set(topics),
    currentAssignment: assignmentFromEntries(Object.entries(current).map(([topicId, partitions]) => ({ topicId, partitions }))),
  };
}

const entries = (a: Assignment | undefined) => assignmentToEntries(a ?? new Map());

test('uniform: one member gets everything; two split evenly; a newcomer takes only from the others', () => {
  const topics = new Map([[T0, 6]]);
  const one = uniformAssignor.assign({ topics, members: [member('a', [T0])] });
  assert.deepEqual(entries(one.get('a')), [{ topicId: T0, partitions: [0, 1, 2, 3, 4, 5] }]);
  const two = uniformAssignor.assign({ topics, members: [member('a', [T0], { [T0]: [0, 1, 2, 3, 4, 5] }), member('b', [T0])] });
  assert.deepEqual(entries(two.get('a')), [{ topicId: T0, partitions: [0, 1, 2] }]);
  assert.deepEqual(entries(two.get('b')), [{ topicId: T0, partitions: [3, 4, 5] }]);
  const three = uniformAssignor.assign({ topics, members: [
    member('a', [T0], { [T0]: [0, 1, 2] }), member('b', [T0], { [T0]: [3, 4, 5] }), member('c', [T0])] });
  assert.deepEqual(entries(three.get('a')), [{ topicId: T0, partitions: [0, 1] }]);
  assert.deepEqual(entries(three.get('b')), [{ topicId: T0, partitions: [3, 4] }]);
  assert.deepEqual(entries(three.get('c')), [{ topicId: T0, partitions: [2, 5] }]);
});

test('uniform: heterogeneous subscriptions give the shared topic to the member with less elsewhere', () => {
  const topics = new Map([[T0, 4], [T1, 2]]);
  const result = uniformAssignor.assign({ topics, members: [member('a', [T0, T1]), member('b', [T0])] });
  checkComplete({ topics, members: [member('a', [T0, T1]), member('b', [T0])] }, result);
  assert.deepEqual([...counts({ topics, members: [member('a', [T0, T1]), member('b', [T0])] }, result).values()], [3, 3]);
  assert.deepEqual(entries(result.get('a')).find((e) => e.topicId === T1)?.partitions, [0, 1]);
});

test('uniform: partitions of topics no longer subscribed, gone or out of range are dropped', () => {
  const topics = new Map([[T0, 2]]);
  const result = uniformAssignor.assign({ topics, members: [member('a', [T0], { [T0]: [0, 1, 7], [T1]: [0] })] });
  assert.deepEqual(entries(result.get('a')), [{ topicId: T0, partitions: [0, 1] }]);
});

function checkUniform(spec: AssignmentGroupSpec, homogeneous: boolean): void {
  const result = uniformAssignor.assign(spec);
  checkComplete(spec, result);
  const c = counts(spec, result);
  if (homogeneous) {
    assert.ok(Math.max(...c.values()) - Math.min(...c.values()) <= 1, `unbalanced: ${[...c.values()]}`);
  }
  // No partition could move to a subscriber holding two fewer.
  for (const m of spec.members) {
    for (const [t] of result.get(m.memberId)!) {
      for (const s of spec.members) {
        if (s.subscribedTopicIds.has(t)) assert.ok(c.get(s.memberId)! >= c.get(m.memberId)! - 1, `${s.memberId} could take ${t} from ${m.memberId}`);
      }
    }
  }
  // Sticky: the result assigned again is unchanged.
  const again = uniformAssignor.assign(withCurrent(spec, result));
  for (const m of spec.members) assert.deepEqual(entries(again.get(m.memberId)), entries(result.get(m.memberId)));
}

test('uniform (property): homogeneous subscriptions are complete, exact once, and within one of each other', () => {
  fc.assert(fc.property(groupSpecArbitrary({ homogeneous: true }), (spec) => checkUniform(spec, true)), { numRuns: RUNS, seed: 848 });
});

test('uniform (property): heterogeneous subscriptions are complete and locally balanced', () => {
  fc.assert(fc.property(groupSpecArbitrary({ homogeneous: false }), (spec) => checkUniform(spec, false)), { numRuns: RUNS, seed: 849 });
});

test('uniform (property): a member joining a balanced group takes partitions only from the others, never shuffling between them', () => {
  fc.assert(fc.property(groupSpecArbitrary({ homogeneous: true, maxMembers: 6 }), (spec) => {
    const settled = uniformAssignor.assign(spec);
    const base = withCurrent(spec, settled);
    const first = base.members[0]!;
    const joiner: AssignmentMemberSpec = { ...first, memberId: 'zz-new', instanceId: null, currentAssignment: new Map() };
    const after = uniformAssignor.assign({ topics: base.topics, members: [...base.members, joiner] });
    for (const m of base.members) {
      for (const [t, partitions] of after.get(m.memberId)!) {
        for (const p of partitions) assert.ok(m.currentAssignment.get(t)?.has(p), `${m.memberId} gained ${t}-${p}`);
      }
    }
  }), { numRuns: RUNS, seed: 850 });
});
