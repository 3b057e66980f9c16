import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppendWaiters } from './append-waiters.js';

test('a waiter wakes on an append to a watched partition and is then forgotten', async () => {
  const waiters = new AppendWaiters();
  let woken = false;
  const waiting = waiters.wait(['a-0', 'b-1'], 60_000).then(() => { woken = true; });
  waiters.notify('c-0');
  await new Promise((r) => setImmediate(r));
  assert.equal(woken, false);
  waiters.notify('b-1');
  await waiting;
  assert.equal(woken, true);
  waiters.notify('a-0');
});

test('waiting on nothing waits out the time instead of returning at once', async () => {
  const waiters = new AppendWaiters();
  const started = performance.now();
  await waiters.wait([], 50);
  assert.ok(performance.now() - started >= 40);
});

test('wakeAll releases every waiter', async () => {
  const waiters = new AppendWaiters();
  const all = Promise.all([waiters.wait(['x-0'], 60_000), waiters.wait(['y-0'], 60_000)]);
  waiters.wakeAll();
  await all;
});
