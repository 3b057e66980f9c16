/**
 * The group-run checker on hand-written timelines: each invariant is shown holding on a correct
 * run and caught on a run that breaks it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Collected, Mark, WorkerEvent } from './events.js';
import { checkGroupRun, currentOwners, ranges } from './invariants.js';

/** A timeline builder: events and marks get increasing seq and t. */
function timeline(): {
  ev: (worker: string, e: WorkerEvent) => void;
  /** The kill mark and the exit mark (output drained) right after it. */
  kill: (worker: string) => void;
  mark: (kind: Mark['kind'], worker: string) => void;
  events: Collected[];
  marks: Mark[];
} {
  const events: Collected[] = [];
  const marks: Mark[] = [];
  let seq = 0;
  return {
    events,
    marks,
    ev: (worker, e) => { events.push({ ...e, worker, t: seq * 10, seq }); seq++; },
    kill: (worker) => {
      marks.push({ kind: 'kill', worker, label: 'SIGKILL', t: seq * 10, seq });
      seq++;
      marks.push({ kind: 'exit', worker, label: 'exit SIGKILL', t: seq * 10, seq });
      seq++;
    },
    mark: (kind, worker) => { marks.push({ kind, worker, label: kind, t: seq * 10, seq }); seq++; },
  };
}

const assign = (partitions: number[], incremental = false): WorkerEvent => ({ e: 'assign', partitions, incremental });
const revoke = (partitions: number[], incremental = false): WorkerEvent => ({ e: 'revoke', partitions, incremental });
const rec = (p: number, o: number): WorkerEvent => ({ e: 'rec', p, o, v: `v${p}-${o}` });
const commit = (p: number, next: number): WorkerEvent => ({ e: 'commit', offsets: [[p, next]] });

test('an eager rebalance with commits before revoke: no violations, two settled assignments', () => {
  const t = timeline();
  t.ev('a', assign([0, 1]));
  t.ev('a', rec(0, 0));
  t.ev('a', rec(1, 0));
  t.ev('a', commit(0, 1));
  t.ev('a', commit(1, 1));
  t.ev('a', revoke([0, 1]));
  t.ev('a', assign([0]));
  t.ev('b', assign([1]));
  t.ev('b', rec(1, 1));
  t.ev('b', commit(1, 2));
  t.ev('a', rec(0, 1));
  t.ev('a', commit(0, 2));
  const r = checkGroupRun(t.events, t.marks, { partitions: 2, endOffsets: [2, 2] });
  assert.deepEqual(r.violations, []);
  assert.equal(r.settled, 2);
  assert.equal(r.settledAtEnd, true);
  assert.deepEqual(r.finalOwners, ['a', 'b']);
  assert.deepEqual([r.processed, r.distinct, r.commits, r.redeliveries.length], [4, 4, 4, 0]);
});

test('ExclusiveOwnership: a partition given to a second member before the first revoked it', () => {
  const t = timeline();
  t.ev('a', assign([0, 1]));
  t.ev('b', assign([1]));
  const r = checkGroupRun(t.events, t.marks, { partitions: 2 });
  assert.equal(r.violations.length, 1);
  assert.match(r.violations[0]!, /^ExclusiveOwnership: partition 1 assigned to b at 10 ms while a still owned it/);
  assert.equal(r.settledAtEnd, false);
});

test('a killed member owns nothing: its partitions may move without a revoke', () => {
  const t = timeline();
  t.ev('a', assign([0]));
  t.ev('b', assign([1]));
  t.kill('a');
  t.ev('b', revoke([1]));
  t.ev('b', assign([0, 1]));
  const r = checkGroupRun(t.events, t.marks, { partitions: 2 });
  assert.deepEqual(r.violations, []);
  assert.equal(r.settled, 2);
});

test('a record a killed member wrote before the signal may be read after the kill mark, not after its exit', () => {
  const t = timeline();
  t.ev('a', assign([0]));
  t.mark('kill', 'a');
  t.ev('a', rec(0, 0));
  t.mark('exit', 'a');
  t.ev('b', assign([0]));
  assert.deepEqual(checkGroupRun(t.events, t.marks, { partitions: 1 }).violations, []);
  t.ev('a', rec(0, 1));
  assert.match(checkGroupRun(t.events, t.marks, { partitions: 1 }).violations[0]!, /^ProcessedWhileOwned: a processed partition 0 offset 1/);
});

test('incremental (cooperative, KIP-848) assignments add and remove partitions', () => {
  const t = timeline();
  t.ev('a', assign([0, 1, 2], true));
  t.ev('a', revoke([2], true));
  t.ev('b', assign([2], true));
  t.ev('a', assign([3], true));
  assert.deepEqual(currentOwners(t.events, t.marks, 4), [['a'], ['a'], ['b'], ['a']]);
  const r = checkGroupRun(t.events, t.marks, { partitions: 4 });
  assert.deepEqual(r.violations, []);
  assert.equal(r.settled, 1);
  t.ev('b', assign([3], true));
  assert.match(checkGroupRun(t.events, t.marks, { partitions: 4 }).violations[0]!, /partition 3 assigned to b .* while a still owned it/);
});

test('ProcessedWhileOwned and StableRecords', () => {
  const t = timeline();
  t.ev('a', assign([0]));
  t.ev('a', rec(1, 0));
  t.ev('a', rec(0, 0));
  t.ev('a', revoke([0]));
  t.ev('b', assign([0]));
  t.ev('b', { e: 'rec', p: 0, o: 0, v: 'different' });
  const r = checkGroupRun(t.events, t.marks, { partitions: 1 });
  assert.deepEqual(r.violations.map((v) => v.split(':')[0]), ['ProcessedWhileOwned', 'StableRecords']);
});

test('AtLeastOnce: offsets never processed are listed as ranges', () => {
  const t = timeline();
  t.ev('a', assign([0, 1]));
  for (const o of [0, 1, 4, 6]) t.ev('a', rec(0, o));
  const r = checkGroupRun(t.events, t.marks, { partitions: 2, endOffsets: [8, 1] });
  assert.deepEqual(r.violations, [
    'AtLeastOnce: partition 0 offsets never processed: 2-3, 5, 7 (end offset 8)',
    'AtLeastOnce: partition 1 offsets never processed: 0 (end offset 1)',
  ]);
});

test('a record redelivered after a kill, past the killed member\'s last commit, is legitimate', () => {
  const t = timeline();
  t.ev('a', assign([0]));
  t.ev('b', assign([1]));
  t.ev('a', rec(0, 0));
  t.ev('a', commit(0, 1));
  t.ev('a', rec(0, 1));
  t.ev('a', rec(0, 2));
  t.kill('a');
  t.ev('b', revoke([1]));
  t.ev('b', assign([0, 1]));
  t.ev('b', rec(0, 1));
  t.ev('b', rec(0, 2));
  t.ev('b', commit(0, 3));
  const r = checkGroupRun(t.events, t.marks, { partitions: 2, endOffsets: [3, 0] });
  assert.deepEqual(r.violations, []);
  assert.deepEqual(r.redeliveries.map((d) => [d.partition, d.offset, d.first.worker, d.again.worker, d.cause]), [
    [0, 1, 'a', 'b', 'afterKill'],
    [0, 2, 'a', 'b', 'afterKill'],
  ]);
});

test('NoCommittedRedelivery: a record processed again after a commit covering it was acknowledged', () => {
  const t = timeline();
  t.ev('a', assign([0]));
  t.ev('a', rec(0, 0));
  t.ev('a', rec(0, 1));
  t.ev('a', commit(0, 2));
  t.ev('a', revoke([0]));
  t.ev('b', assign([0]));
  t.ev('b', rec(0, 1));
  const r = checkGroupRun(t.events, t.marks, { partitions: 1 });
  assert.deepEqual(r.violations, ['NoCommittedRedelivery: partition 0 offset 1 processed again by b at 60 ms after a had a commit of offset 2 acknowledged at 30 ms']);
  assert.equal(r.redeliveries[0]?.cause, 'uncommitted');
});

test('a refused commit makes a redelivery legitimate (commitRefused); none at all is "uncommitted"', () => {
  const t = timeline();
  t.ev('a', assign([0]));
  t.ev('a', rec(0, 0));
  t.ev('a', { e: 'commitError', offsets: [[0, 1]], error: 'REBALANCE_IN_PROGRESS' });
  t.ev('a', revoke([0]));
  t.ev('b', assign([0]));
  t.ev('b', rec(0, 0));
  const r = checkGroupRun(t.events, t.marks, { partitions: 1 });
  assert.deepEqual(r.violations, []);
  assert.deepEqual([r.commitErrors, r.redeliveries[0]?.cause], [1, 'commitRefused']);
  t.ev('b', revoke([0]));
  t.ev('a', assign([0]));
  t.ev('a', rec(0, 0));
  assert.deepEqual(checkGroupRun(t.events, t.marks, { partitions: 1 }).redeliveries.map((d) => d.cause), ['commitRefused', 'uncommitted']);
});

test('MonotonicCommits: an acknowledged commit below the previous one', () => {
  const t = timeline();
  t.ev('a', assign([0]));
  t.ev('a', commit(0, 5));
  t.ev('a', revoke([0]));
  t.ev('b', assign([0]));
  t.ev('b', commit(0, 3));
  assert.deepEqual(checkGroupRun(t.events, t.marks, { partitions: 1 }).violations, [
    'MonotonicCommits: partition 0 commit went back from 5 (a at 10 ms) to 3 (b at 40 ms)',
  ]);
});

test('closed members and ignored members', () => {
  const t = timeline();
  t.ev('a', assign([0]));
  t.ev('other-group', assign([0]));
  t.ev('a', { e: 'closed' });
  t.ev('b', assign([0]));
  const r = checkGroupRun(t.events, t.marks, { partitions: 1, ignore: new Set(['other-group']) });
  assert.deepEqual(r.violations, []);
  assert.deepEqual(r.finalOwners, ['b']);
});

test('ranges', () => {
  assert.equal(ranges([]), '');
  assert.equal(ranges([3]), '3');
  assert.equal(ranges([1, 2, 3, 7, 9, 10]), '1-3, 7, 9-10');
});
