/**
 * ListOffsets lookups: the first offset whose timestamp is >= a target, found with the time index
 * then the offset index then a walk over the batches; and Kafka's special timestamps.
 */
import { PARTITION_LEADER_EPOCH_OFFSET } from '../protocol/records/index.js';
import { scanBatches } from './file-batches.js';
import { recordTimestamps } from './record-timestamps.js';
import type { LogSegment } from './segment.js';

/** ListOffsets' special timestamps. */
export const LATEST_TIMESTAMP = -1n;
export const EARLIEST_TIMESTAMP = -2n;
export const MAX_TIMESTAMP = -3n;
export const EARLIEST_LOCAL_TIMESTAMP = -4n;

export interface TimestampAndOffset {
  timestamp: bigint;
  offset: bigint;
  /** The partition leader epoch of the batch found, or -1 when unknown. */
  leaderEpoch: number;
}

export interface TimestampLookupView {
  segments: readonly LogSegment[];
  logStartOffset: bigint;
  logEndOffset: bigint;
  /** Leader epoch of the last batch appended, -1 when unknown. */
  latestEpoch: number;
}

/** In `segment`, the first record at or after `startOffset` with a timestamp >= `target`. */
async function searchSegment(segment: LogSegment, target: bigint, startOffset: bigint): Promise<TimestampAndOffset | null> {
  const position = await segment.withIndexes(() => {
    const indexed = segment.timeIndex.lookup(target);
    return segment.offsetIndex.lookup(indexed.offset > startOffset ? indexed.offset : startOffset).position;
  });
  for await (const { info, bytes } of scanBatches(segment.log, position, segment.writtenSize, true)) {
    if (info.maxTimestamp < target || info.lastOffset < startOffset) continue;
    for (const record of await recordTimestamps(bytes!)) {
      if (record.timestamp >= target && record.offset >= startOffset) {
        return { ...record, leaderEpoch: bytes!.readInt32BE(PARTITION_LEADER_EPOCH_OFFSET) };
      }
    }
  }
  return null;
}

/** The record with the largest timestamp (Kafka's MAX_TIMESTAMP, -3): the first one holding it. */
async function maxTimestampOffset(segments: readonly LogSegment[]): Promise<TimestampAndOffset | null> {
  let best: LogSegment | null = null;
  for (const s of segments) if (!best || s.maxTimestampSoFar > best.maxTimestampSoFar) best = s;
  if (!best || best.maxTimestampSoFar < 0n) return null;
  const target = best.maxTimestampSoFar;
  const position = await best.withIndexes(() => best.offsetIndex.lookup(best.offsetOfMaxTimestampSoFar).position);
  for await (const { info, bytes } of scanBatches(best.log, position, best.writtenSize, true)) {
    if (info.maxTimestamp !== target) continue;
    const leaderEpoch = bytes!.readInt32BE(PARTITION_LEADER_EPOCH_OFFSET);
    const record = (await recordTimestamps(bytes!)).find((r) => r.timestamp === target);
    return { timestamp: target, offset: record?.offset ?? info.baseOffset, leaderEpoch };
  }
  return null;
}

/**
 * Kafka's fetchOffsetByTimestamp: for a timestamp >= 0 the first offset at or after the log start
 * whose record timestamp is >= it (null when none); LATEST (-1) the log end offset; EARLIEST
 * (-2) and EARLIEST_LOCAL (-4) the log start offset; MAX_TIMESTAMP (-3) the offset of the
 * record with the largest timestamp. Other negative values give null.
 */
export async function offsetForTimestamp(view: TimestampLookupView, timestamp: bigint): Promise<TimestampAndOffset | null> {
  if (timestamp === LATEST_TIMESTAMP) return { timestamp: -1n, offset: view.logEndOffset, leaderEpoch: view.latestEpoch };
  if (timestamp === EARLIEST_TIMESTAMP || timestamp === EARLIEST_LOCAL_TIMESTAMP) {
    return { timestamp: -1n, offset: view.logStartOffset, leaderEpoch: -1 };
  }
  if (timestamp === MAX_TIMESTAMP) return maxTimestampOffset(view.segments);
  if (timestamp < 0n) return null;
  for (const segment of view.segments) {
    if (segment.maxTimestampSoFar < timestamp) continue;
    const found = await searchSegment(segment, timestamp, view.logStartOffset);
    if (found) return found;
  }
  return null;
}
