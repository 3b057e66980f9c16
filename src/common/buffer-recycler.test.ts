import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BufferRecycler } from './buffer-recycler.js';

test('a released buffer comes back for the next request of its size class; small and huge ones are plain allocations', () => {
  const r = new BufferRecycler(4 * 1024 * 1024);
  const a = r.acquire(100_000);
  assert.equal(a.length, 131_072);
  r.release(a);
  assert.equal(r.sizeBytes, 131_072);
  assert.equal(r.acquire(70_000), a, 'same class (128 KiB) reuses the buffer');
  assert.equal(r.sizeBytes, 0);
  assert.notEqual(r.acquire(70_000), a, 'nothing released: a new buffer');
  const small = r.acquire(1000);
  assert.equal(small.length, 1000);
  r.release(small);
  assert.equal(r.sizeBytes, 0, 'small buffers are not kept');
});

test('slices, foreign buffers and anything past maxPooledBytes are not kept', () => {
  const r = new BufferRecycler(256 * 1024);
  const a = r.acquire(128 * 1024);
  r.release(a.subarray(0, 1000));
  r.release(Buffer.alloc(128 * 1024).subarray(0, 65_536 + 1));
  assert.equal(r.sizeBytes, 0);
  r.release(a);
  r.release(r.acquire(200_000)); // 256 KiB would pass the bound
  assert.equal(r.sizeBytes, 128 * 1024);
});
