import type { FileHandle } from '../common/fs.js';
import {
  BATCH_LENGTH_OFFSET,
  LOG_OVERHEAD,
  MIN_BATCH_LENGTH,
  readRecordBatchHeader,
  validateRecordBatch,
} from '../protocol/records/index.js';

/**
 * Recovery of a metadata log segment after an unclean stop: walk the batches from the start,
 * keep the longest prefix of whole, CRC-valid batches with contiguous offsets, and cut the file
 * there. What follows the cut is a write torn by a crash (or damage); Kafka truncates it the same
 * way. Only headers are read here: records are decoded when the log is read.
 */

/** Where a batch sits in the segment file. */
export interface BatchPosition {
  readonly baseOffset: bigint;
  readonly lastOffset: bigint;
  readonly leaderEpoch: number;
  /** Byte position in the file. */
  readonly position: number;
  readonly size: number;
}

export interface SegmentRecovery {
  readonly batches: BatchPosition[];
  /** Bytes of valid batches: the file's size after truncation. */
  readonly validSize: number;
  /** Bytes cut from the end, 0 after a clean stop. */
  readonly truncatedBytes: number;
  /** Why the scan stopped before the end of the file, when it did. */
  readonly truncationReason: string | null;
}

const CHUNK_SIZE = 1 << 20;

/** Reads a file front to back with one large read per chunk rather than one per batch. */
class ChunkedReader {
  private chunk: Buffer = Buffer.alloc(0);
  private chunkStart = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly fileSize: number,
  ) {}

  /** `length` bytes at `position`, or fewer when the file ends first. */
  async read(position: number, length: number): Promise<Buffer> {
    const end = Math.min(position + length, this.fileSize);
    if (position < this.chunkStart || end > this.chunkStart + this.chunk.length) {
      this.chunk = await this.handle.read(position, Math.max(end - position, Math.min(CHUNK_SIZE, this.fileSize - position)));
      this.chunkStart = position;
    }
    return this.chunk.subarray(position - this.chunkStart, end - this.chunkStart);
  }
}

/**
 * Scans the segment whose first offset is `baseOffset` and truncates a torn tail. Batches larger
 * than `maxBatchSize` bytes are treated as damage: no writer of this log produces them.
 */
export async function recoverSegment(handle: FileHandle, baseOffset: bigint, maxBatchSize: number): Promise<SegmentRecovery> {
  const fileSize = await handle.size();
  const reader = new ChunkedReader(handle, fileSize);
  const batches: BatchPosition[] = [];
  let position = 0;
  let nextOffset = baseOffset;
  let reason: string | null = null;
  while (position < fileSize) {
    const head = await reader.read(position, LOG_OVERHEAD);
    if (head.length < LOG_OVERHEAD) {
      reason = `${head.length} byte(s) of a batch header at position ${position}`;
      break;
    }
    const batchLength = head.readInt32BE(BATCH_LENGTH_OFFSET);
    const size = LOG_OVERHEAD + batchLength;
    if (batchLength < MIN_BATCH_LENGTH || size > maxBatchSize) {
      reason = `batchLength ${batchLength} at position ${position}`;
      break;
    }
    const batch = await reader.read(position, size);
    if (batch.length < size) {
      reason = `batch at position ${position} needs ${size} bytes, ${batch.length} present`;
      break;
    }
    try {
      validateRecordBatch(batch);
    } catch (err) {
      reason = `batch at position ${position}: ${(err as Error).message}`;
      break;
    }
    const header = readRecordBatchHeader(batch);
    if (header.baseOffset !== nextOffset || header.lastOffsetDelta < 0) {
      reason = `batch at position ${position} has offsets ${header.baseOffset}+${header.lastOffsetDelta}, expected ${nextOffset}`;
      break;
    }
    const lastOffset = header.baseOffset + BigInt(header.lastOffsetDelta);
    batches.push({ baseOffset: header.baseOffset, lastOffset, leaderEpoch: header.partitionLeaderEpoch, position, size });
    nextOffset = lastOffset + 1n;
    position += size;
  }
  if (position < fileSize) {
    await handle.truncate(position);
    await handle.sync();
  }
  return { batches, validSize: position, truncatedBytes: fileSize - position, truncationReason: reason };
}
