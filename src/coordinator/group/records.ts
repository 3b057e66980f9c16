/**
 * The records a group coordinator persists in `__consumer_offsets`, in Kafka's formats
 * (`group-coordinator-records/`). The record key is an int16 record type (the key schema's
 * version: 0/1 offset commit, 2 classic group, 3-8 consumer group) followed by the key struct;
 * the value is an int16 version followed by the value struct; a null value is a tombstone.
 */
import type { groupCoordinatorRecords as gcr } from '../../protocol/index.js';

export type GroupRecord =
  | { readonly type: 'OffsetCommit'; readonly key: gcr.OffsetCommitKey; readonly value: gcr.OffsetCommitValue | null }
  | { readonly type: 'GroupMetadata'; readonly key: gcr.GroupMetadataKey; readonly value: gcr.GroupMetadataValue | null }
  | { readonly type: 'ConsumerGroupMetadata'; readonly key: gcr.ConsumerGroupMetadataKey; readonly value: gcr.ConsumerGroupMetadataValue | null }
  | { readonly type: 'ConsumerGroupPartitionMetadata'; readonly key: gcr.ConsumerGroupPartitionMetadataKey; readonly value: gcr.ConsumerGroupPartitionMetadataValue | null }
  | { readonly type: 'ConsumerGroupMemberMetadata'; readonly key: gcr.ConsumerGroupMemberMetadataKey; readonly value: gcr.ConsumerGroupMemberMetadataValue | null }
  | { readonly type: 'ConsumerGroupTargetAssignmentMetadata'; readonly key: gcr.ConsumerGroupTargetAssignmentMetadataKey; readonly value: gcr.ConsumerGroupTargetAssignmentMetadataValue | null }
  | { readonly type: 'ConsumerGroupTargetAssignmentMember'; readonly key: gcr.ConsumerGroupTargetAssignmentMemberKey; readonly value: gcr.ConsumerGroupTargetAssignmentMemberValue | null }
  | { readonly type: 'ConsumerGroupCurrentMemberAssignment'; readonly key: gcr.ConsumerGroupCurrentMemberAssignmentKey; readonly value: gcr.ConsumerGroupCurrentMemberAssignmentValue | null };

export type GroupRecordType = GroupRecord['type'];

/*
 * Serialization lives in records-serde.ts:
 *   encodeGroupRecord(record: GroupRecord): { key: Buffer; value: Buffer | null }
 *   decodeGroupRecord(key: Buffer, value: Buffer | null): GroupRecord | null  (null: a record type
 *   this coordinator does not handle, e.g. share groups; throws DecodeError on corrupt bytes)
 */
