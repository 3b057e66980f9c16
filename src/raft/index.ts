/**
 * The metadata quorum (KRaft-style). Today a single voter: LocalMetadataLog keeps the
 * `__cluster_metadata` log on local disk. The MetadataLog interface is what the metadata module
 * uses, so a Raft quorum can replace the single writer without changes above it.
 */
export {
  type MetadataLog,
  type MetadataLogAppend,
  type MetadataLogBatch,
  MetadataLogError,
  type MetadataLogErrorCode,
} from './metadata-log.js';
export {
  CLUSTER_METADATA_TOPIC,
  DEFAULT_MAX_BATCH_SIZE_BYTES,
  LocalMetadataLog,
  type LocalMetadataLogOptions,
  segmentFileName,
} from './local-metadata-log.js';
export {
  API_MESSAGE_FRAME_VERSION,
  type ApiMessageFrame,
  type RecordSerde,
  expectFullyRead,
  readApiMessageFrame,
  writeApiMessageFrame,
} from './record-serde.js';
export {
  type ElectionState,
  QUORUM_STATE_FILE_NAME,
  quorumStateFromJson,
  quorumStateToJson,
  readQuorumState,
  writeQuorumState,
} from './quorum-state.js';
export { type BatchPosition, type SegmentRecovery, recoverSegment } from './segment-recovery.js';
