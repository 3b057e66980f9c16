/**
 * Which old segments retention may delete, Kafka's way: a prefix of the segment list, each wholly
 * below the high watermark, that is below the log start offset, or (with cleanup.policy=delete)
 * older than retention.ms by its largest timestamp, or in excess of retention.bytes.
 */
import type { LogConfig } from './config.js';
import type { LogSegment } from './segment.js';

export type RetentionReason = 'logStartOffset' | 'retentionMs' | 'retentionBytes';

export interface RetentionView {
  segments: readonly LogSegment[];
  logStartOffset: bigint;
  logEndOffset: bigint;
  highWatermark: bigint;
}

export interface Deletable {
  /** How many segments, from the oldest, to delete. */
  count: number;
  reasons: Set<RetentionReason>;
}

/** The oldest segments retention deletes now (possibly every one: then the log rolls first). */
export function deletableSegments(view: RetentionView, config: LogConfig, nowMs: number): Deletable {
  const reasons = new Set<RetentionReason>();
  const retentionApplies = config.cleanupPolicy.includes('delete');
  const totalSize = view.segments.reduce((sum, s) => sum + s.size, 0);
  let sizeExcess = retentionApplies && config.retentionBytes >= 0 ? totalSize - config.retentionBytes : -1;
  let count = 0;
  for (let i = 0; i < view.segments.length; i++) {
    const segment = view.segments[i]!;
    const next = view.segments[i + 1];
    if (!next && segment.size === 0) break;
    const upperBound = next ? next.baseOffset : view.logEndOffset;
    if (upperBound > view.highWatermark) break;
    const byStart = next !== undefined && next.baseOffset <= view.logStartOffset;
    const byTime = retentionApplies && config.retentionMs >= 0 && nowMs - segment.largestTimestamp > config.retentionMs;
    const bySize = sizeExcess >= segment.size;
    if (!byStart && !byTime && !bySize) break;
    if (byStart) reasons.add('logStartOffset');
    else if (byTime) reasons.add('retentionMs');
    else reasons.add('retentionBytes');
    sizeExcess -= segment.size;
    count++;
  }
  return { count, reasons };
}
