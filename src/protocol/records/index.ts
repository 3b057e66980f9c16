export * from './constants.js';
export { CorruptRecordError, type CorruptRecordReason } from './errors.js';
export {
  type RecordBatchHeader,
  batchLastOffset,
  computeRecordBatchCrc,
  readRecordBatchHeader,
  recordBatchSize,
  setBatchBaseOffset,
  setBatchMaxTimestamp,
  setBatchPartitionLeaderEpoch,
  validateRecordBatch,
} from './batch-header.js';
export { type SplitRecords, entryMagic, splitCompleteRecordBatches, splitRecordBatches } from './log-entries.js';
export type { DecodedRecord, RecordHeader, SimpleRecord } from './record.js';
export { type RecordBatchInput, encodeRecordBatch, encodeRecordBatchSync } from './batch-encode.js';
export { type DecodeRecordBatchOptions, type RecordBatch, decodeRecordBatch, decodeRecordBatchSync } from './batch-decode.js';
export {
  CONTROL_RECORD_KEY_VERSION,
  type ControlRecordKey,
  ControlRecordType,
  END_TXN_MARKER_VERSION,
  type EndTxnMarker,
  type EndTxnMarkerBatchInput,
  buildEndTxnMarkerBatch,
  decodeControlRecordKey,
  decodeEndTxnMarker,
  encodeControlRecordKey,
  encodeEndTxnMarkerValue,
  endTxnMarkerOfBatch,
} from './control-record.js';
export { type LegacyMagic, type LegacyMessage, readLegacyMessage } from './legacy-message.js';
export {
  type DecodeLegacyOptions,
  type LegacyRecord,
  decodeLegacyEntry,
  decodeLegacyEntrySync,
  decodeLegacyMessageSet,
  decodeLegacyMessageSetSync,
} from './legacy-message-set.js';
export { type LegacyMessageSetInput, type LegacyRecordInput, encodeLegacyMessageSet, encodeLegacyMessageSetSync } from './legacy-encode.js';
export {
  downConvertRecordBatches,
  downConvertRecordBatchesSync,
  legacyRecordsToRecordBatchInput,
  recordBatchToLegacyInput,
} from './format-conversion.js';
