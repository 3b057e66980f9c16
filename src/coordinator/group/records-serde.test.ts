import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../../common/errors.js';
import { SeededRandom } from '../../common/random.js';
import { groupCoordinatorRecords as gcr, Writer } from '../../protocol/index.js';
import type { GroupRecord } from './records.js';
import { decodeGroupRecord, encodeGroupRecord } from './records-serde.js';

const TOPIC_ID = 'AAECAwQFBgcICQoLDA0ODw';

/** Drops properties whose value is undefined (decoders set `_unknownTaggedFields: undefined`). */
function defined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(defined);
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, defined(v)]));
}

function samples(): GroupRecord[] {
  return [
    {
      type: 'OffsetCommit',
      key: { group: 'g', topic: 't', partition: 3 },
      value: { offset: 42n, leaderEpoch: 7, metadata: 'm', commitTimestamp: 1000n, expireTimestamp: -1n },
    },
    {
      type: 'GroupMetadata',
      key: { group: 'g' },
      value: {
        protocolType: 'consumer', generation: 4, protocol: 'range', leader: 'c-1', currentStateTimestamp: 99n,
        members: [{
          memberId: 'c-1', groupInstanceId: 'i-1', clientId: 'c', clientHost: '/1.2.3.4', rebalanceTimeout: 30000,
          sessionTimeout: 10000, subscription: Buffer.from([0, 1]), assignment: Buffer.from([2, 3]),
        }],
      },
    },
    { type: 'ConsumerGroupMetadata', key: { groupId: 'cg' }, value: { epoch: 5 } },
    {
      type: 'ConsumerGroupPartitionMetadata',
      key: { groupId: 'cg' },
      value: { topics: [{ topicId: TOPIC_ID, topicName: 't', numPartitions: 2, partitionMetadata: [{ partition: 0, racks: ['r'] }] }] },
    },
    {
      type: 'ConsumerGroupMemberMetadata',
      key: { groupId: 'cg', memberId: 'm' },
      value: {
        instanceId: null, rackId: 'r', clientId: 'c', clientHost: 'h', subscribedTopicNames: ['t'],
        subscribedTopicRegex: null, rebalanceTimeoutMs: 5000, serverAssignor: 'uniform', classicMemberMetadata: null,
      },
    },
    { type: 'ConsumerGroupTargetAssignmentMetadata', key: { groupId: 'cg' }, value: { assignmentEpoch: 5 } },
    {
      type: 'ConsumerGroupTargetAssignmentMember',
      key: { groupId: 'cg', memberId: 'm' },
      value: { topicPartitions: [{ topicId: TOPIC_ID, partitions: [0, 1] }] },
    },
    {
      type: 'ConsumerGroupCurrentMemberAssignment',
      key: { groupId: 'cg', memberId: 'm' },
      value: {
        memberEpoch: 5, previousMemberEpoch: 4, state: 0,
        assignedPartitions: [{ topicId: TOPIC_ID, partitions: [1] }], partitionsPendingRevocation: [],
      },
    },
  ];
}

test('every record type round-trips, with its Kafka key type and written value version', () => {
  const expected: Record<string, [number, number]> = {
    OffsetCommit: [1, 3], GroupMetadata: [2, 3], ConsumerGroupMetadata: [3, 0], ConsumerGroupPartitionMetadata: [4, 0],
    ConsumerGroupMemberMetadata: [5, 0], ConsumerGroupTargetAssignmentMetadata: [6, 0],
    ConsumerGroupTargetAssignmentMember: [7, 0], ConsumerGroupCurrentMemberAssignment: [8, 0],
  };
  for (const record of samples()) {
    const { key, value } = encodeGroupRecord(record);
    assert.ok(value);
    assert.deepEqual([key.readInt16BE(0), value.readInt16BE(0)], expected[record.type], record.type);
    assert.deepEqual(defined(decodeGroupRecord(key, value)), record, record.type);
  }
});

test('tombstones keep their key and have a null value', () => {
  for (const record of samples()) {
    const tombstone = { ...record, value: null } as GroupRecord;
    const { key, value } = encodeGroupRecord(tombstone);
    assert.equal(value, null);
    assert.deepEqual(decodeGroupRecord(key, null), tombstone);
  }
});

test('an offset commit with an expire timestamp is written as value v1 (no leader epoch)', () => {
  const record: GroupRecord = {
    type: 'OffsetCommit',
    key: { group: 'g', topic: 't', partition: 0 },
    value: { offset: 5n, leaderEpoch: 3, metadata: '', commitTimestamp: 10n, expireTimestamp: 500n },
  };
  const { key, value } = encodeGroupRecord(record);
  assert.equal(value!.readInt16BE(0), 1);
  const decoded = decodeGroupRecord(key, value);
  assert.ok(decoded && decoded.type === 'OffsetCommit' && decoded.value);
  assert.equal(decoded.value.expireTimestamp, 500n);
  assert.equal(decoded.value.leaderEpoch, -1);
});

test('old offset commit keys (type 0) and every valid value version decode', () => {
  const kw = new Writer();
  kw.int16(0);
  gcr.OffsetCommitKey.encode(kw, 0, { group: 'old', topic: 't', partition: 1 });
  for (let version = 0; version <= 4; version++) {
    const vw = new Writer();
    vw.int16(version);
    const value = { offset: 9n, leaderEpoch: version >= 3 ? 2 : -1, metadata: 'x', commitTimestamp: 77n, expireTimestamp: version === 1 ? 88n : -1n };
    gcr.OffsetCommitValue.encode(vw, version, value);
    const decoded = decodeGroupRecord(kw.toBuffer(), vw.toBuffer());
    assert.ok(decoded && decoded.type === 'OffsetCommit');
    assert.deepEqual(decoded.key, { group: 'old', topic: 't', partition: 1 });
    assert.deepEqual(defined(decoded.value), value, `v${version}`);
  }
  for (let version = 0; version <= 4; version++) {
    const gk = new Writer();
    gk.int16(2);
    gcr.GroupMetadataKey.encode(gk, 2, { group: 'g' });
    const gv = new Writer();
    gv.int16(version);
    const value = {
      protocolType: 'consumer', generation: 1, protocol: 'range', leader: 'a', currentStateTimestamp: version >= 2 ? 5n : -1n,
      members: [{
        memberId: 'a', groupInstanceId: version >= 3 ? 'i' : null, clientId: 'c', clientHost: 'h',
        rebalanceTimeout: version >= 1 ? 300 : -1, sessionTimeout: 100, subscription: Buffer.from([1]), assignment: Buffer.from([2]),
      }],
    };
    gcr.GroupMetadataValue.encode(gv, version, value);
    const decoded = decodeGroupRecord(gk.toBuffer(), gv.toBuffer());
    assert.ok(decoded && decoded.type === 'GroupMetadata' && decoded.value);
    assert.equal(decoded.value.currentStateTimestamp, value.currentStateTimestamp, `v${version}`);
    assert.equal(decoded.value.members[0]!.rebalanceTimeout, value.members[0]!.rebalanceTimeout);
    assert.equal(decoded.value.members[0]!.groupInstanceId, value.members[0]!.groupInstanceId);
  }
});

test('share group and unknown record types decode to null', () => {
  for (const keyType of [9, 10, 11, 12, 13, 14, 15, 16, 1000, -1]) {
    const kw = new Writer();
    kw.int16(keyType);
    kw.string('g');
    assert.equal(decodeGroupRecord(kw.toBuffer(), Buffer.from([0, 0])), null, `type ${keyType}`);
  }
});

test('corrupt bytes are a DecodeError', () => {
  const { key, value } = encodeGroupRecord(samples()[1]!);
  assert.throws(() => decodeGroupRecord(Buffer.from([0]), null), DecodeError);
  assert.throws(() => decodeGroupRecord(key.subarray(0, key.length - 1), value), DecodeError);
  assert.throws(() => decodeGroupRecord(Buffer.concat([key, Buffer.from([0])]), value), DecodeError);
  assert.throws(() => decodeGroupRecord(key, value!.subarray(0, value!.length - 2)), DecodeError);
  const badVersion = Buffer.from(value!);
  badVersion.writeInt16BE(9, 0);
  assert.throws(() => decodeGroupRecord(key, badVersion), DecodeError);
});

test('random bytes never escape as anything but a record, null or a DecodeError', () => {
  const random = new SeededRandom(848);
  const originals = samples().map(encodeGroupRecord);
  for (let i = 0; i < 2000; i++) {
    const base = originals[random.int(originals.length)]!;
    const key = Buffer.from(base.key);
    const value = Buffer.from(base.value!);
    const target = random.int(2) === 0 ? key : value;
    for (let flips = 1 + random.int(3); flips > 0; flips--) target[random.int(target.length)] = random.int(256);
    try {
      decodeGroupRecord(key, value.subarray(0, random.int(value.length + 1)));
    } catch (err) {
      assert.ok(err instanceof DecodeError, String(err));
    }
  }
});
