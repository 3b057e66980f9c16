import { test } from 'node:test';
import assert from 'node:assert/strict';
import { javaStringHashCode, kafkaAbs, partitionForKey } from './partition-for.js';

test('String.hashCode as Java computes it: UTF-16 code units, 32-bit wrap', () => {
  assert.equal(javaStringHashCode(''), 0);
  assert.equal(javaStringHashCode('a'), 97);
  assert.equal(javaStringHashCode('hello'), 99162322);
  assert.equal(javaStringHashCode('Aa'), javaStringHashCode('BB'));
  // A surrogate pair hashes as its two code units.
  assert.equal(javaStringHashCode('\u{1F600}'), 31 * 0xd83d + 0xde00);
  assert.equal(javaStringHashCode('polygenelubricants'), -2147483648);
  assert.equal(javaStringHashCode('test-group'), 627841412);
  assert.equal(javaStringHashCode('x'.repeat(100)), 1680682496);
});

test('Utils.abs maps Integer.MIN_VALUE to 0, so such a group lands on partition 0', () => {
  assert.equal(kafkaAbs(-5), 5);
  assert.equal(kafkaAbs(-2147483648), 0);
  assert.equal(partitionForKey('polygenelubricants', 50), 0);
  assert.equal(partitionForKey('', 50), 0);
  assert.equal(partitionForKey('hello', 50), 99162322 % 50);
  assert.equal(partitionForKey('test-group', 50), 12);
  assert.equal(partitionForKey('console-consumer-12345', 50), 6);
  for (const id of ['group-1', 'kafkajs', 'ÅÄÖ', 'a'.repeat(300)]) {
    const p = partitionForKey(id, 50);
    assert.ok(Number.isInteger(p) && p >= 0 && p < 50, `${id} → ${p}`);
  }
});
