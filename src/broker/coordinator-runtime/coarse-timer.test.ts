import { test } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock } from '../../common/clock.js';
import { waitFor } from '../network/testing/test-client.js';
import { CoarseTimer } from './coarse-timer.js';

test('entries fire in due order from one Node timer; cancelled ones never fire', async () => {
  const timer = new CoarseTimer(systemClock, (e) => { throw e; });
  const fired: string[] = [];
  timer.add(30, () => fired.push('c'));
  timer.add(5, () => fired.push('a'));
  const cancelled = timer.add(10, () => fired.push('x'));
  timer.add(15, () => fired.push('b'));
  timer.cancel(cancelled);
  assert.equal(timer.size, 3);
  await waitFor(() => fired.length === 3, 5000, 'three entries to fire');
  assert.deepEqual(fired, ['a', 'b', 'c']);
  assert.equal(timer.size, 0);
  timer.stop();
});

test('an entry added from a firing one runs too; an error is reported and the rest still run', async () => {
  const errors: unknown[] = [];
  const timer = new CoarseTimer(systemClock, (e) => errors.push(e));
  const fired: string[] = [];
  timer.add(1, () => { throw new Error('boom'); });
  timer.add(2, () => { fired.push('first'); timer.add(5, () => fired.push('chained')); });
  await waitFor(() => fired.length === 2, 5000, 'the chained entry to fire');
  assert.deepEqual(fired, ['first', 'chained']);
  assert.equal(errors.length, 1);
  timer.stop();
});

test('rescheduling on every heartbeat keeps the heap bounded by the live deadlines', () => {
  const timer = new CoarseTimer(systemClock, (e) => { throw e; });
  let entry = timer.add(60_000, () => {});
  for (let i = 0; i < 100_000; i++) {
    timer.cancel(entry);
    entry = timer.add(60_000, () => {});
  }
  assert.equal(timer.size, 1);
  const heap = (timer as unknown as { heap: unknown[] }).heap;
  assert.ok(heap.length <= 2100, `heap of ${heap.length}`);
  timer.stop();
  assert.equal(timer.size, 0);
  const late = timer.add(1, () => assert.fail('a stopped timer fires nothing'));
  assert.equal(late.cancelled, true);
});
