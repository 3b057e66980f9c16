import { SamsaError } from '../common/errors.js';

/**
 * The replicated metadata log as the layers above see it (Kafka's `RaftClient` reduced to what
 * one writer needs). Today one node is the only voter and `LocalMetadataLog` implements it; a Raft
 * quorum will implement the same interface, so the metadata module never learns which one it has.
 */

/** One committed batch: records the writer appended together, in order. */
export interface MetadataLogBatch<T> {
  /** Offset of the first record. */
  readonly baseOffset: bigint;
  /** Offset of the last record. */
  readonly lastOffset: bigint;
  /** Leader epoch the batch was written in (the batch header's partitionLeaderEpoch). */
  readonly leaderEpoch: number;
  /** When the leader appended it, milliseconds since the epoch. */
  readonly appendTimestampMs: bigint;
  /** Size of the batch in the log, bytes. */
  readonly sizeInBytes: number;
  readonly records: readonly T[];
}

/** Where an append landed. */
export interface MetadataLogAppend {
  readonly baseOffset: bigint;
  readonly lastOffset: bigint;
  readonly leaderEpoch: number;
}

export interface MetadataLog<T> {
  /** This node's id in the quorum. */
  readonly nodeId: number;
  /** The current leader epoch; appends carry it. */
  readonly leaderEpoch: number;
  /** Offset the next appended record gets (the log end offset). */
  readonly endOffset: bigint;
  /**
   * Records below this offset are committed: durable on a majority of voters. For the single
   * voter it is the end offset once the last append was fsync'd.
   */
  readonly highWatermark: bigint;
  /**
   * Appends `records` as one batch (they commit together or not at all) and resolves once the
   * batch is committed. Appends are ordered: call it again before the last one resolved and the
   * second batch follows the first. Empty or oversized batches are refused (RangeError) without
   * harm; a failed write makes the log refuse every later append (MetadataLogError
   * NOT_WRITABLE) until it is reopened and recovery has shown what reached the disk.
   */
  append(records: readonly T[]): Promise<MetadataLogAppend>;
  /** Committed batches whose last offset is at least `fromOffset`, in offset order. */
  read(fromOffset: bigint): AsyncIterable<MetadataLogBatch<T>>;
  /** Waits for appends in flight and releases the files. */
  close(): Promise<void>;
}

export type MetadataLogErrorCode = 'SAMSA_ERR_METADATA_LOG_NOT_WRITABLE' | 'SAMSA_ERR_METADATA_LOG_CORRUPT';

/**
 * A library error of the metadata log: `SAMSA_ERR_METADATA_LOG_NOT_WRITABLE` when the log is
 * closed or an earlier write failed (reopen it), `SAMSA_ERR_METADATA_LOG_CORRUPT` when the
 * directory holds what this version cannot read (bytes past a valid prefix are truncated instead).
 */
export class MetadataLogError extends SamsaError {
  constructor(code: MetadataLogErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
