/**
 * Reading a partition log: stored bytes, whole batches, never decoded. Recent batches come from
 * the tail cache; older ones from the segment found by base offset, at the position the sparse
 * offset index points near (then a short walk over batch headers).
 */
import { batchesIn } from './file-batches.js';
import type { LogSegment } from './segment.js';
import type { TailCache } from './tail-cache.js';

export interface ReadOptions {
  /** Return the first batch whole even when it is larger than maxBytes (Kafka's minOneMessage). */
  minOneBatch: boolean;
  /** Stop before the batch that holds this offset (e.g. the high watermark for consumers). */
  maxOffset?: bigint;
  /**
   * Where bytes read from a file go (a buffer of at least the size asked for); the result's
   * `fileBuffer` is that buffer, for the caller to recycle once the records are sent.
   */
  allocate?: (size: number) => Buffer;
}

/** Where the log stood when a read was answered. */
export interface LogOffsets {
  logStartOffset: bigint;
  logEndOffset: bigint;
  highWatermark: bigint;
}

export type LogReadResult =
  | (LogOffsets & {
      kind: 'records';
      /** Whole batches as stored, possibly none. */
      records: Buffer;
      /** Served from the in-memory tail rather than the file. */
      fromCache: boolean;
      /** No batch returned because the first one is larger than maxBytes (and minOneBatch was off). */
      firstBatchTooLarge: boolean;
      /** The buffer from `allocate` the records were read into (a view of it), when they came from a file. */
      fileBuffer?: Buffer;
    })
  | (LogOffsets & { kind: 'offsetOutOfRange' });

/** The index of the last segment whose base offset is <= `offset`, or -1. */
export function floorSegmentIndex(segments: readonly LogSegment[], offset: bigint): number {
  let lo = 0;
  let hi = segments.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (segments[mid]!.baseOffset <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

const EMPTY = Buffer.alloc(0);

/** The leading whole batches of `buf` that end before `limit` (an offset). */
function cutAtLimit(buf: Buffer, limit: bigint): Buffer {
  let end = 0;
  for (const { info } of batchesIn(buf)) {
    if (info.lastOffset >= limit) break;
    end += info.size;
  }
  return buf.subarray(0, end);
}

/**
 * Reads from `fetchOffset`: OFFSET_OUT_OF_RANGE outside [logStartOffset, logEndOffset], else
 * the batches from the one holding `fetchOffset`, within maxBytes and below the limit.
 */
export async function readLog(
  segments: readonly LogSegment[],
  tail: TailCache,
  offsets: LogOffsets,
  fetchOffset: bigint,
  maxBytes: number,
  options: ReadOptions,
): Promise<LogReadResult> {
  if (fetchOffset < offsets.logStartOffset || fetchOffset > offsets.logEndOffset) return { kind: 'offsetOutOfRange', ...offsets };
  const limit = options.maxOffset !== undefined && options.maxOffset < offsets.logEndOffset ? options.maxOffset : offsets.logEndOffset;
  const answer = (records: Buffer, fromCache: boolean, firstBatchTooLarge = false, fileBuffer?: Buffer): LogReadResult => ({
    kind: 'records',
    records,
    fromCache,
    firstBatchTooLarge,
    ...(fileBuffer ? { fileBuffer } : {}),
    ...offsets,
  });
  if (fetchOffset >= limit) return answer(EMPTY, false);
  const cached = tail.read(fetchOffset, maxBytes, options.minOneBatch, limit);
  if (cached) return answer(cached, true);
  for (let i = Math.max(0, floorSegmentIndex(segments, fetchOffset)); i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.baseOffset >= limit) break;
    const batch = await segment.translateOffset(fetchOffset);
    if (!batch) continue;
    if (batch.lastOffset >= limit) break;
    const want = options.minOneBatch ? Math.max(maxBytes, batch.size) : maxBytes;
    if (want < batch.size) return answer(EMPTY, false, true);
    let fileBuffer: Buffer | undefined;
    const allocate = options.allocate ? (size: number): Buffer => (fileBuffer = options.allocate!(size)) : undefined;
    const records = cutAtLimit(await segment.read(batch.position, want, allocate), limit);
    return answer(records, false, false, fileBuffer);
  }
  return answer(EMPTY, false);
}
