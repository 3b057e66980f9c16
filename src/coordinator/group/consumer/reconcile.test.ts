import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Assignment, assignmentFromEntries, assignmentToEntries } from './assignment.js';
import { type ConsumerMember, MemberState, newMember } from './member.js';
import { reconcile, type ReconcileInput, UnknownMemberStateError } from './reconcile.js';

const T = 'AAAAAAAAAAAAAAAAAAAAAQ';
const parts = (...p: number[]): Assignment => assignmentFromEntries([{ topicId: T, partitions: p }]);
const owned = (...p: number[]) => [{ topicId: T, partitions: p }];

function member(fields: Partial<ConsumerMember>): ConsumerMember {
  return { ...newMember('m'), ...fields };
}

function input(target: Assignment, epoch: number, ownedBy: Record<number, number> = {}, ownedNow: ReconcileInput['ownedTopicPartitions'] = owned()): ReconcileInput {
  return {
    targetAssignmentEpoch: epoch,
    targetAssignment: target,
    currentPartitionEpoch: (_t, p) => ownedBy[p] ?? -1,
    ownedTopicPartitions: ownedNow,
  };
}

const view = (m: ConsumerMember) => ({
  state: m.state, epoch: m.memberEpoch, previous: m.previousMemberEpoch,
  assigned: assignmentToEntries(m.assignedPartitions).flatMap((e) => e.partitions),
  revoking: assignmentToEntries(m.partitionsPendingRevocation).flatMap((e) => e.partitions),
});

test('a reconciled member stays as it is', () => {
  const m = member({ memberEpoch: 3, assignedPartitions: parts(0) });
  assert.equal(reconcile(m, input(parts(0), 3)), m);
});

test('partitions no longer targeted must be revoked first; the member keeps its epoch meanwhile', () => {
  const m = member({ memberEpoch: 3, previousMemberEpoch: 2, assignedPartitions: parts(0, 1, 2) });
  const next = reconcile(m, input(parts(0, 3), 4, {}, owned(0, 1, 2)));
  assert.deepEqual(view(next), { state: MemberState.UNREVOKED_PARTITIONS, epoch: 3, previous: 3, assigned: [0], revoking: [1, 2] });
  // Still owning 2: no progress.
  assert.equal(reconcile(next, input(parts(0, 3), 4, {}, owned(0, 2))), next);
  // Unknown ownership (null): no progress either.
  assert.equal(reconcile(next, input(parts(0, 3), 4, {}, null)), next);
  // Revoked: the next epoch, and the free partition 3.
  const done = reconcile(next, input(parts(0, 3), 4, {}, owned(0)));
  assert.deepEqual(view(done), { state: MemberState.STABLE, epoch: 4, previous: 3, assigned: [0, 3], revoking: [] });
});

test('a member that already dropped the partitions moves on at once', () => {
  const m = member({ memberEpoch: 3, assignedPartitions: parts(0, 1) });
  assert.deepEqual(view(reconcile(m, input(parts(0), 4, {}, owned(0)))), { state: MemberState.STABLE, epoch: 4, previous: 3, assigned: [0], revoking: [] });
});

test('partitions still owned by another member wait: UNRELEASED_PARTITIONS, then handed over once free', () => {
  const m = member({ memberEpoch: 3, assignedPartitions: parts(0) });
  const waiting = reconcile(m, input(parts(0, 1, 2), 4, { 1: 3 }));
  assert.deepEqual(view(waiting), { state: MemberState.UNRELEASED_PARTITIONS, epoch: 4, previous: 3, assigned: [0, 2], revoking: [] });
  assert.deepEqual(view(reconcile(waiting, input(parts(0, 1, 2), 4, { 1: 3 }))).assigned, [0, 2]);
  assert.deepEqual(view(reconcile(waiting, input(parts(0, 1, 2), 4))), { state: MemberState.STABLE, epoch: 4, previous: 4, assigned: [0, 1, 2], revoking: [] });
});

test('a member in an unknown state must come back owning nothing', () => {
  const m = member({ memberEpoch: 3, state: MemberState.UNKNOWN, assignedPartitions: parts(0) });
  assert.throws(() => reconcile(m, input(parts(0), 4, {}, owned(0))), UnknownMemberStateError);
  assert.throws(() => reconcile(m, input(parts(0), 4, {}, null)), UnknownMemberStateError);
  assert.deepEqual(view(reconcile(m, input(parts(0, 1), 4, {}, []))).state, MemberState.STABLE);
});
