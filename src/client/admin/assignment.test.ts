import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsumerProtocolAssignment, Writer } from '../../protocol/index.js';
import { decodeConsumerAssignment } from './assignment.js';

function assignmentBytes(version: number, partitions: Array<{ topic: string; partitions: number[] }>, trailing = Buffer.alloc(0)): Buffer {
  const w = new Writer();
  w.int16(version);
  ConsumerProtocolAssignment.encode(w, Math.min(version, ConsumerProtocolAssignment.validVersions.max), { assignedPartitions: partitions, userData: null });
  return Buffer.concat([w.toBuffer(), trailing]);
}

test('decodes a member assignment into sorted topic-partitions', () => {
  const bytes = assignmentBytes(0, [{ topic: 'b', partitions: [1, 0] }, { topic: 'a', partitions: [2] }]);
  assert.deepEqual(decodeConsumerAssignment(bytes), [{ topic: 'a', partition: 2 }, { topic: 'b', partition: 0 }, { topic: 'b', partition: 1 }]);
});

test('empty bytes are no assignment; a newer version is read as the newest known', () => {
  assert.deepEqual(decodeConsumerAssignment(Buffer.alloc(0)), []);
  const newer = assignmentBytes(ConsumerProtocolAssignment.validVersions.max + 1, [{ topic: 't', partitions: [0] }], Buffer.from([1, 2, 3]));
  assert.deepEqual(decodeConsumerAssignment(newer), [{ topic: 't', partition: 0 }]);
});

test('truncated bytes throw a DecodeError', () => {
  const bytes = assignmentBytes(1, [{ topic: 'topic', partitions: [0, 1] }]);
  assert.throws(() => decodeConsumerAssignment(bytes.subarray(0, bytes.length - 6)), { code: 'SAMSA_ERR_DECODE' });
});
