import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type PermitWaiter, RequestLimiter } from './request-limiter.js';
import { ConnectionQuotas } from './connection-quotas.js';

function waiter(limiter: RequestLimiter, log: string[], name: string): PermitWaiter {
  const w: PermitWaiter = {
    onPermitAvailable: () => {
      if (limiter.tryAcquire(w)) log.push(name);
    },
  };
  return w;
}

test('permits run out, and released ones go to waiters in the order they asked', () => {
  const limiter = new RequestLimiter(2);
  const log: string[] = [];
  const a = waiter(limiter, log, 'a');
  const b = waiter(limiter, log, 'b');
  const c = waiter(limiter, log, 'c');
  assert.ok(limiter.tryAcquire(a));
  assert.ok(limiter.tryAcquire(a));
  assert.equal(limiter.tryAcquire(b), false);
  assert.equal(limiter.tryAcquire(c), false);
  limiter.release();
  assert.deepEqual(log, ['b']);
  limiter.release();
  assert.deepEqual(log, ['b', 'c']);
  assert.equal(limiter.permitsUsed, 2);
});

test('a forgotten waiter is not called', () => {
  const limiter = new RequestLimiter(1);
  const log: string[] = [];
  const a = waiter(limiter, log, 'a');
  const b = waiter(limiter, log, 'b');
  assert.ok(limiter.tryAcquire(a));
  assert.equal(limiter.tryAcquire(b), false);
  limiter.forget(b);
  limiter.release();
  assert.deepEqual(log, []);
  assert.equal(limiter.permitsUsed, 0);
});

test('releasing more permits than are used is a broken invariant', () => {
  const limiter = new RequestLimiter(1);
  assert.throws(() => limiter.release(), /released 1 permits/);
});

test('connection quotas: per-IP limit, overrides, global limit, release', () => {
  const quotas = new ConnectionQuotas(3, 1, new Map([['10.0.0.9', 2]]));
  assert.ok(quotas.tryAcquire('10.0.0.1').ok);
  assert.deepEqual(quotas.tryAcquire('::ffff:10.0.0.1'), { ok: false, reason: 'maxConnectionsPerIp', limit: 1 });
  assert.ok(quotas.tryAcquire('10.0.0.9').ok);
  assert.ok(quotas.tryAcquire('10.0.0.9').ok);
  assert.deepEqual(quotas.tryAcquire('10.0.0.2'), { ok: false, reason: 'maxConnections', limit: 3 });
  quotas.release('10.0.0.1');
  assert.equal(quotas.countFor('10.0.0.1'), 0);
  assert.ok(quotas.tryAcquire('10.0.0.2').ok);
  assert.equal(quotas.totalCount, 3);
});
