import { test } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import { murmur2, partitionForKey, toPositive } from './murmur2.js';

// Vectors from the Java client's own murmur2 tests (facts: inputs and their hashes).
const VECTORS: Array<[Buffer, number]> = [
  [Buffer.from('21'), -973932308],
  [Buffer.from('foobar'), -790332482],
  [Buffer.from('a-little-bit-long-string'), -985981536],
  [Buffer.from('a-little-bit-longer-string'), -1486304829],
  [Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'), -58897971],
  [Buffer.from('abc'), 479470107],
];

test('murmur2 matches the Java client on its known vectors', () => {
  for (const [input, expected] of VECTORS) assert.equal(murmur2(input), expected, input.toString());
});

test('toPositive clears the sign bit', () => {
  assert.equal(toPositive(-1), 0x7fffffff);
  assert.equal(toPositive(-2147483648), 0);
  assert.equal(toPositive(5), 5);
});

test('partitionForKey agrees with KafkaJS\'s Java-compatible partitioner for 5,000 keys', () => {
  const partitioner = kafkajs.Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: 12 }, (_, i) => ({ partitionId: i, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
  for (let i = 0; i < 5000; i++) {
    const key = Buffer.from(`key-${i}-${'x'.repeat(i % 7)}`);
    const theirs = partitioner({ topic: 't', partitionMetadata, message: { key, value: null } });
    assert.equal(partitionForKey(key, 12), theirs, key.toString());
  }
});
