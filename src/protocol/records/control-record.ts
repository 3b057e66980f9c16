import { DecodeError, EncodeError } from '../../common/errors.js';
import { encodeRecordBatchSync } from './batch-encode.js';
import type { RecordBatch } from './batch-decode.js';
import { NO_PARTITION_LEADER_EPOCH, NO_SEQUENCE, TimestampType } from './constants.js';
import { CorruptRecordError } from './errors.js';
import type { DecodedRecord } from './record.js';

/**
 * Control records: the single record of a control batch. Key: version int16, type int16.
 * Transaction markers (abort 0, commit 1) have value: version int16, coordinatorEpoch int32.
 * The other types belong to the Raft metadata log; their values are generated messages.
 */

export const ControlRecordType = {
  Abort: 0,
  Commit: 1,
  LeaderChange: 2,
  SnapshotHeader: 3,
  SnapshotFooter: 4,
  KRaftVersion: 5,
  KRaftVoters: 6,
} as const;
export type ControlRecordType = (typeof ControlRecordType)[keyof typeof ControlRecordType];

export const CONTROL_RECORD_KEY_VERSION = 0;
export const END_TXN_MARKER_VERSION = 0;
const CONTROL_RECORD_KEY_SIZE = 4;
const END_TXN_MARKER_VALUE_SIZE = 6;

export interface ControlRecordKey {
  version: number;
  /** A ControlRecordType; unknown types are reported as read, for the caller to skip. */
  type: number;
}

export function encodeControlRecordKey(type: number, version = CONTROL_RECORD_KEY_VERSION): Buffer {
  const key = Buffer.alloc(CONTROL_RECORD_KEY_SIZE);
  key.writeInt16BE(version, 0);
  key.writeInt16BE(type, 2);
  return key;
}

/** Reads a control key; later versions may append fields, which are ignored. */
export function decodeControlRecordKey(key: Buffer | null): ControlRecordKey {
  if (key === null || key.length < CONTROL_RECORD_KEY_SIZE) throw new DecodeError(`control record key: ${key?.length ?? 'null'} bytes, needs 4`);
  const version = key.readInt16BE(0);
  if (version < 0) throw new CorruptRecordError('structure', `control record key version ${version}`);
  return { version, type: key.readInt16BE(2) };
}

export interface EndTxnMarker {
  type: typeof ControlRecordType.Abort | typeof ControlRecordType.Commit;
  coordinatorEpoch: number;
}

export function encodeEndTxnMarkerValue(coordinatorEpoch: number, version = END_TXN_MARKER_VERSION): Buffer {
  const value = Buffer.alloc(END_TXN_MARKER_VALUE_SIZE);
  value.writeInt16BE(version, 0);
  value.writeInt32BE(coordinatorEpoch, 2);
  return value;
}

/** The marker in a control record, or null when the record is another control type. */
export function decodeEndTxnMarker(record: Pick<DecodedRecord, 'key' | 'value'>): EndTxnMarker | null {
  const { type } = decodeControlRecordKey(record.key);
  if (type !== ControlRecordType.Abort && type !== ControlRecordType.Commit) return null;
  const value = record.value;
  if (value === null || value.length < END_TXN_MARKER_VALUE_SIZE) {
    throw new DecodeError(`transaction marker value: ${value?.length ?? 'null'} bytes, needs ${END_TXN_MARKER_VALUE_SIZE}`);
  }
  const version = value.readInt16BE(0);
  if (version < 0) throw new CorruptRecordError('structure', `transaction marker version ${version}`);
  return { type, coordinatorEpoch: value.readInt32BE(2) };
}

export interface EndTxnMarkerBatchInput {
  producerId: bigint;
  producerEpoch: number;
  coordinatorEpoch: number;
  /** true writes a commit marker, false an abort marker. */
  committed: boolean;
  timestamp: bigint;
  baseOffset?: bigint;
  partitionLeaderEpoch?: number;
}

/**
 * A commit or abort marker batch as the broker appends it for WriteTxnMarkers: transactional,
 * control, uncompressed, CreateTime, no sequence, one record.
 */
export function buildEndTxnMarkerBatch(input: EndTxnMarkerBatchInput): Buffer {
  if (input.producerId < 0n) throw new EncodeError(`a transaction marker needs a producerId, got ${input.producerId}`);
  const type = input.committed ? ControlRecordType.Commit : ControlRecordType.Abort;
  return encodeRecordBatchSync({
    baseOffset: input.baseOffset ?? 0n,
    partitionLeaderEpoch: input.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH,
    timestampType: TimestampType.CreateTime,
    isTransactional: true,
    isControl: true,
    producerId: input.producerId,
    producerEpoch: input.producerEpoch,
    baseSequence: NO_SEQUENCE,
    records: [{ timestamp: input.timestamp, key: encodeControlRecordKey(type), value: encodeEndTxnMarkerValue(input.coordinatorEpoch) }],
  });
}

/** The marker of a decoded control batch, or null if it is not a transaction marker batch. */
export function endTxnMarkerOfBatch(batch: RecordBatch): EndTxnMarker | null {
  if (!batch.isControl) return null;
  // Compaction can leave a control batch empty; it is kept for producer state.
  const record = batch.records[0];
  if (record === undefined) return null;
  if (batch.records.length > 1) throw new CorruptRecordError('structure', `control batch with ${batch.records.length} records`);
  return decodeEndTxnMarker(record);
}
