/**
 * Rebuilding a segment's bookkeeping from its `.log`: full recovery after an unclean stop (every
 * batch re-validated, the file cut at the first bad one, indexes rebuilt), the cheaper rescan of
 * an active segment's tail after a clean open, and truncation to an offset.
 */
import { validateRecordBatch } from '../protocol/records/index.js';
import { scanBatches } from './file-batches.js';
import type { LogSegment } from './segment.js';

/** Why a stored batch failed recovery's checks, or null when it passes. */
function storedBatchProblem(bytes: Buffer, baseOffset: bigint, lastOffset: bigint, previousLast: bigint, segmentBase: bigint): string | null {
  try {
    validateRecordBatch(bytes);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  if (baseOffset <= previousLast) return `offset ${baseOffset} does not follow ${previousLast}`;
  if (lastOffset < baseOffset) return `last offset ${lastOffset} before base offset ${baseOffset}`;
  if (baseOffset < segmentBase || lastOffset - segmentBase > 0x7fffffffn) return `offset ${baseOffset} outside the segment`;
  return null;
}

export interface SegmentRecovery {
  /** Bytes cut from the end of the file. */
  truncatedBytes: number;
  /** What was wrong with the first bad batch, when one was found. */
  problem: string | null;
}

/**
 * Re-validates every batch (CRC, sizes, offsets increasing and within the segment), rebuilding
 * the indexes in memory as appends would have built them; cuts the file at the first batch that
 * fails. The caller writes the indexes out.
 */
export async function recoverSegment(segment: LogSegment): Promise<SegmentRecovery> {
  segment.resetTracking();
  let validBytes = 0;
  let previousLast = segment.baseOffset - 1n;
  let problem: string | null = null;
  const fileSize = await segment.log.size();
  for await (const { info, bytes } of scanBatches(segment.log, 0, fileSize, true)) {
    problem = storedBatchProblem(bytes!, info.baseOffset, info.lastOffset, previousLast, segment.baseOffset);
    if (problem) break;
    segment.trackBatch(info, info.position);
    validBytes = info.position + info.size;
    previousLast = info.lastOffset;
  }
  const truncatedBytes = fileSize - validBytes;
  if (truncatedBytes > 0) {
    problem ??= `torn batch at byte ${validBytes}`;
    await segment.log.truncate(validBytes);
  }
  segment.size = segment.writtenSize = validBytes;
  return { truncatedBytes, problem };
}

/**
 * Recomputes the next offset and largest timestamp of a segment whose indexes are sound, by
 * walking batch headers from the last time index entry to the end (the index covers the rest).
 */
export async function rescanTail(segment: LogSegment): Promise<void> {
  await segment.loadIndexes();
  const last = segment.timeIndex.lastEntry;
  segment.maxTimestampSoFar = last.timestamp;
  segment.offsetOfMaxTimestampSoFar = last.offset;
  const lastIndexed = segment.offsetIndex.lastOffset;
  segment.nextOffset = segment.offsetIndex.entries > 0 ? lastIndexed + 1n : segment.baseOffset;
  const start = segment.offsetIndex.lookup(last.offset < lastIndexed ? last.offset : lastIndexed).position;
  segment.firstBatchMaxTimestamp = null;
  for await (const { info } of scanBatches(segment.log, start, segment.writtenSize, false)) {
    if (info.maxTimestamp > segment.maxTimestampSoFar) {
      segment.maxTimestampSoFar = info.maxTimestamp;
      segment.offsetOfMaxTimestampSoFar = info.lastOffset;
    }
    if (info.position === 0) segment.firstBatchMaxTimestamp = info.maxTimestamp;
    if (info.lastOffset >= segment.nextOffset) segment.nextOffset = info.lastOffset + 1n;
  }
  if (segment.firstBatchMaxTimestamp === null && segment.writtenSize > 0) {
    for await (const { info } of scanBatches(segment.log, 0, segment.writtenSize, false)) {
      segment.firstBatchMaxTimestamp = info.maxTimestamp;
      break;
    }
  }
}

/**
 * Removes every batch whose last offset is >= `offset` (a batch holding `offset` goes whole) and
 * the index entries past it (aborted transactions whose marker is cut included). Returns the
 * bytes removed. Needs no writes in flight.
 */
export async function truncateSegment(segment: LogSegment, offset: bigint): Promise<number> {
  const batch = await segment.translateOffset(offset);
  if (!batch) return 0;
  await segment.timeIndex.load();
  segment.offsetIndex.truncateTo(offset);
  segment.timeIndex.truncateTo(offset);
  await segment.log.truncate(batch.position);
  await segment.txnIndex.truncateTo(batch.baseOffset);
  const removed = segment.writtenSize - batch.position;
  segment.size = segment.writtenSize = batch.position;
  await rescanTail(segment);
  return removed;
}
