/**
 * The bytes of a `__consumer_offsets` record. Key: int16 record type (the key schema's version)
 * then the key struct. Value: int16 value version then the value struct; null is a tombstone.
 *
 * Written versions are the ones Kafka 3.x/4.x writes (OffsetCommitValue v3, or v1 when the
 * commit carries an explicit expireTimestamp; GroupMetadataValue v3; consumer group values v0);
 * every valid version decodes.
 */
import { DecodeError } from '../../common/errors.js';
import { groupCoordinatorRecords as gcr, type MessageCodec, Reader, Writer } from '../../protocol/index.js';
import type { GroupRecord, GroupRecordType } from './records.js';

interface RecordFormat {
  readonly keyType: number;
  readonly key: MessageCodec<unknown>;
  readonly value: MessageCodec<unknown>;
}

const FORMATS: Readonly<Record<GroupRecordType, RecordFormat>> = {
  OffsetCommit: { keyType: 1, key: gcr.OffsetCommitKey, value: gcr.OffsetCommitValue },
  GroupMetadata: { keyType: 2, key: gcr.GroupMetadataKey, value: gcr.GroupMetadataValue },
  ConsumerGroupMetadata: { keyType: 3, key: gcr.ConsumerGroupMetadataKey, value: gcr.ConsumerGroupMetadataValue },
  ConsumerGroupPartitionMetadata: {
    keyType: 4, key: gcr.ConsumerGroupPartitionMetadataKey, value: gcr.ConsumerGroupPartitionMetadataValue,
  },
  ConsumerGroupMemberMetadata: {
    keyType: 5, key: gcr.ConsumerGroupMemberMetadataKey, value: gcr.ConsumerGroupMemberMetadataValue,
  },
  ConsumerGroupTargetAssignmentMetadata: {
    keyType: 6, key: gcr.ConsumerGroupTargetAssignmentMetadataKey, value: gcr.ConsumerGroupTargetAssignmentMetadataValue,
  },
  ConsumerGroupTargetAssignmentMember: {
    keyType: 7, key: gcr.ConsumerGroupTargetAssignmentMemberKey, value: gcr.ConsumerGroupTargetAssignmentMemberValue,
  },
  ConsumerGroupCurrentMemberAssignment: {
    keyType: 8, key: gcr.ConsumerGroupCurrentMemberAssignmentKey, value: gcr.ConsumerGroupCurrentMemberAssignmentValue,
  },
};

/** Record type → GroupRecord type; 0 is the old offset commit key, same layout as 1. */
const TYPES_BY_KEY = new Map<number, GroupRecordType>([[0, 'OffsetCommit']]);
for (const [type, format] of Object.entries(FORMATS)) TYPES_BY_KEY.set(format.keyType, type as GroupRecordType);

/** OffsetCommitValue v3 with a leader epoch; v1 (the only one with expireTimestamp) when it is set. */
export const OFFSET_COMMIT_VALUE_VERSION = 3;
export const OFFSET_COMMIT_VALUE_VERSION_WITH_EXPIRY = 1;
export const GROUP_METADATA_VALUE_VERSION = 3;

function valueVersion(record: GroupRecord): number {
  switch (record.type) {
    case 'OffsetCommit':
      return record.value !== null && record.value.expireTimestamp !== -1n
        ? OFFSET_COMMIT_VALUE_VERSION_WITH_EXPIRY
        : OFFSET_COMMIT_VALUE_VERSION;
    case 'GroupMetadata':
      return GROUP_METADATA_VALUE_VERSION;
    default:
      return 0;
  }
}

export function encodeGroupRecord(record: GroupRecord): { key: Buffer; value: Buffer | null } {
  const format = FORMATS[record.type];
  const kw = new Writer(64);
  kw.int16(format.keyType);
  format.key.encode(kw, format.keyType, record.key);
  if (record.value === null) return { key: kw.toBuffer(), value: null };
  const version = valueVersion(record);
  const vw = new Writer(128);
  vw.int16(version);
  format.value.encode(vw, version, record.value);
  return { key: kw.toBuffer(), value: vw.toBuffer() };
}

/** Null for record types this coordinator does not handle (share groups, future types). */
export function decodeGroupRecord(key: Buffer, value: Buffer | null): GroupRecord | null {
  const kr = new Reader(key);
  const keyType = kr.int16();
  const type = TYPES_BY_KEY.get(keyType);
  if (type === undefined) return null;
  const format = FORMATS[type];
  const decodedKey = format.key.decode(kr, keyType);
  if (kr.remaining !== 0) throw new DecodeError(`${format.key.name}: ${kr.remaining} bytes past the end of the key`);
  if (value === null) return { type, key: decodedKey, value: null } as GroupRecord;
  const vr = new Reader(value);
  const version = vr.int16();
  const valid = format.value.validVersions;
  if (version < valid.min || version > valid.max) {
    throw new DecodeError(`${format.value.name}: unknown version ${version}`);
  }
  const decodedValue = format.value.decode(vr, version);
  if (vr.remaining !== 0) throw new DecodeError(`${format.value.name}: ${vr.remaining} bytes past the end of the value`);
  return { type, key: decodedKey, value: decodedValue } as GroupRecord;
}
