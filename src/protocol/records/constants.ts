/**
 * Layout constants of Kafka's log entries. Every entry, whatever its magic, starts with
 * offset (int64) and size (int32), and has its magic byte at position 16; that is what lets a
 * reader split a records buffer before knowing each entry's format.
 */

export const MAGIC_V0 = 0;
export const MAGIC_V1 = 1;
export const MAGIC_V2 = 2;
export const CURRENT_MAGIC = MAGIC_V2;

/** offset int64 + size int32, ahead of every batch or legacy message. */
export const LOG_OVERHEAD = 12;
export const MAGIC_OFFSET = 16;

// Record batch (magic v2) header fields, as byte positions from the batch start.
export const BASE_OFFSET_OFFSET = 0;
export const BATCH_LENGTH_OFFSET = 8;
export const PARTITION_LEADER_EPOCH_OFFSET = 12;
export const CRC_OFFSET = 17;
export const ATTRIBUTES_OFFSET = 21;
export const LAST_OFFSET_DELTA_OFFSET = 23;
export const BASE_TIMESTAMP_OFFSET = 27;
export const MAX_TIMESTAMP_OFFSET = 35;
export const PRODUCER_ID_OFFSET = 43;
export const PRODUCER_EPOCH_OFFSET = 51;
export const BASE_SEQUENCE_OFFSET = 53;
export const RECORDS_COUNT_OFFSET = 57;
/** Size of the batch header; the records (or their compressed form) follow. */
export const RECORD_BATCH_OVERHEAD = 61;
/** Smallest legal batchLength: the header after the batchLength field. */
export const MIN_BATCH_LENGTH = RECORD_BATCH_OVERHEAD - LOG_OVERHEAD;

// Batch attributes (int16); bits 0-2 are the codec (COMPRESSION_CODEC_MASK in compression/).
export const TIMESTAMP_TYPE_MASK = 0x08;
export const TRANSACTIONAL_FLAG_MASK = 0x10;
export const CONTROL_FLAG_MASK = 0x20;
export const DELETE_HORIZON_FLAG_MASK = 0x40;

/** Smallest encoded record: length, attributes, timestampDelta, offsetDelta, key, value, headers. */
export const MIN_RECORD_SIZE = 7;

// Legacy messages (magic v0 and v1), positions from the entry start.
export const LEGACY_CRC_OFFSET = 12;
export const LEGACY_ATTRIBUTES_OFFSET = 17;
export const LEGACY_TIMESTAMP_OFFSET = 18;
/** crc + magic + attributes + key size + value size. */
export const LEGACY_RECORD_OVERHEAD_V0 = 14;
/** v0 overhead + timestamp. */
export const LEGACY_RECORD_OVERHEAD_V1 = 22;
/** Codec bits and (v1) the timestamp type bit of legacy message attributes (int8). */
export const LEGACY_TIMESTAMP_TYPE_MASK = 0x08;

export const NO_PRODUCER_ID = -1n;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
export const NO_PARTITION_LEADER_EPOCH = -1;
export const NO_TIMESTAMP = -1n;

/** Kafka's timestamp types; v2 batches carry CreateTime or LogAppendTime, v0 messages none. */
export const TimestampType = {
  NoTimestampType: -1,
  CreateTime: 0,
  LogAppendTime: 1,
} as const;
export type TimestampType = (typeof TimestampType)[keyof typeof TimestampType];
