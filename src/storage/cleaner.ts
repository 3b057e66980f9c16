/**
 * Cleaning one partition log (Kafka's Cleaner): which part is cleanable, the key → last offset
 * map over its dirty part, and the rewrite of every cleanable segment into `.cleaned` files that
 * cleaner-swap.ts swaps in. Only finished, fsynced segments wholly below the last stable offset
 * (so below the high watermark and every undecided transaction) and older than
 * min.compaction.lag.ms are cleanable; the active segment is never touched. Records of aborted
 * transactions are dropped and never enter the map; control batches are kept.
 */
import type { FileSystem } from '../common/fs.js';
import { decodeRecordBatch, readRecordBatchHeader } from '../protocol/records/index.js';
import { filterBatch } from './cleaner-batches.js';
import { AbortedTxnTracker } from './cleaner-txns.js';
import { CleanerOffsetMap } from './cleaner-offset-map.js';
import { type CleanedSegment, cleanedPath, swapCleanedSegments } from './cleaner-swap.js';
import { scanBatches } from './file-batches.js';
import type { PartitionLog } from './partition-log.js';
import type { LogSegment } from './segment.js';
import type { AbortedTxn } from './transactions-api.js';

export interface CleanablePart {
  /** Segments the cleaner may rewrite, oldest first. */
  segments: LogSegment[];
  firstDirtyOffset: bigint;
  /** One past the last cleanable offset. */
  endOffset: bigint;
  dirtyBytes: number;
  totalBytes: number;
  dirtyRatio: number;
}

const segmentEnd = (segments: readonly LogSegment[], i: number): bigint => segments[i + 1]!.baseOffset;

/** The cleanable part of `log` given its cleaner checkpoint (null: never cleaned). */
export function cleanablePart(log: PartitionLog, checkpoint: bigint | null, nowMs: number): CleanablePart {
  const all = log.currentSegments;
  const minLag = log.config.minCompactionLagMs;
  const segments: LogSegment[] = [];
  for (let i = 0; i < all.length - 1; i++) {
    const s = all[i]!;
    if (!s.finished || !s.flushedFully || segmentEnd(all, i) > log.lastStableOffset) break;
    if (minLag > 0 && s.largestTimestamp > nowMs - minLag) break;
    segments.push(s);
  }
  const endOffset = segments.length > 0 ? segmentEnd(all, segments.length - 1) : (all[0]?.baseOffset ?? 0n);
  let firstDirtyOffset = checkpoint ?? log.logStartOffset;
  if (firstDirtyOffset < log.logStartOffset || firstDirtyOffset > log.logEndOffset) firstDirtyOffset = log.logStartOffset;
  let dirtyBytes = 0;
  let totalBytes = 0;
  segments.forEach((s, i) => {
    totalBytes += s.size;
    if (segmentEnd(all, i) > firstDirtyOffset) dirtyBytes += s.size;
  });
  return { segments, firstDirtyOffset, endOffset, dirtyBytes, totalBytes, dirtyRatio: totalBytes > 0 ? dirtyBytes / totalBytes : 0 };
}

/** maxTimestamp of the first dirty batch, or null (max.compaction.lag.ms measures from it). */
export async function firstDirtyTimestamp(part: CleanablePart): Promise<bigint | null> {
  for (const s of part.segments) {
    for await (const { info } of scanBatches(s.log, 0, s.writtenSize, false)) {
      if (info.lastOffset >= part.firstDirtyOffset) return info.maxTimestamp;
    }
  }
  return null;
}

/** Fills `map` from the dirty part (aborted records left out); returns the offset up to which it is complete. */
async function buildOffsetMap(part: CleanablePart, map: CleanerOffsetMap, aborted: readonly AbortedTxn[]): Promise<bigint> {
  const txns = new AbortedTxnTracker(aborted);
  for (const s of part.segments) {
    for await (const { info, bytes } of scanBatches(s.log, 0, s.writtenSize, true)) {
      const header = readRecordBatchHeader(bytes!);
      if (txns.isAborted(header) || info.lastOffset < part.firstDirtyOffset || header.isControl) continue;
      const batch = await decodeRecordBatch(bytes!, { maxUncompressedBytes: 256 * 1024 * 1024, validate: false });
      for (const r of batch.records) {
        if (r.key === null || r.offset < part.firstDirtyOffset) continue;
        if (!map.put(r.key, r.offset)) return info.baseOffset > part.firstDirtyOffset ? info.baseOffset : part.firstDirtyOffset;
      }
    }
  }
  return part.endOffset;
}

export interface CleanResult {
  /** The new cleaner checkpoint. */
  cleanedTo: bigint;
  /** Old segments swapped out (renamed `.deleted`): delete after file.delete.delay.ms. */
  retired: LogSegment[];
  /** The earliest delete horizon of the tombstones kept, or null. */
  nextDeleteHorizonMs: bigint | null;
  recordsRemoved: number;
}

/** Writes the cleaned copy of `s` to `<base>.log.cleaned` and fsyncs it. */
async function writeCleaned(
  fs: FileSystem,
  s: LogSegment,
  ctx: Parameters<typeof filterBatch>[1],
  txns: AbortedTxnTracker,
  acc: { horizon: bigint | null; removed: number },
): Promise<string> {
  const path = cleanedPath(s.dir, s.baseOffset);
  const out = await fs.open(path, 'create');
  try {
    await out.truncate(0);
    let position = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async (): Promise<void> => {
      if (pendingBytes === 0) return;
      await out.write(pending, position);
      position += pendingBytes;
      pending = [];
      pendingBytes = 0;
    };
    for await (const { bytes } of scanBatches(s.log, 0, s.writtenSize, true)) {
      const filtered = await filterBatch(bytes!, ctx, txns.isAborted(readRecordBatchHeader(bytes!)));
      acc.removed += filtered.recordsRemoved;
      if (filtered.deleteHorizonMs !== null && (acc.horizon === null || filtered.deleteHorizonMs < acc.horizon)) acc.horizon = filtered.deleteHorizonMs;
      if (!filtered.bytes) continue;
      pending.push(filtered.bytes === bytes ? Buffer.from(bytes) : filtered.bytes);
      pendingBytes += filtered.bytes.length;
      if (pendingBytes >= 1024 * 1024) await flush();
    }
    await flush();
    await out.sync();
  } finally {
    await out.close();
  }
  return path;
}

/**
 * Cleans `part` of `log` with `map` (emptied first): rewrites every cleanable segment below the
 * mapped end, then swaps them in. Null when the log changed under the cleaner (nothing swapped).
 */
export async function cleanLog(fs: FileSystem, log: PartitionLog, part: CleanablePart, map: CleanerOffsetMap, nowMs: number): Promise<CleanResult | null> {
  map.clear();
  const aborted = part.segments.length > 0 ? await log.abortedTransactions(part.segments[0]!.baseOffset, part.endOffset) : [];
  const endOffset = await buildOffsetMap(part, map, aborted);
  const ctx = { map, endOffset, nowMs: BigInt(nowMs), deleteRetentionMs: BigInt(log.config.deleteRetentionMs) };
  const acc = { horizon: null as bigint | null, removed: 0 };
  const cleaned: CleanedSegment[] = [];
  const txns = new AbortedTxnTracker(aborted);
  try {
    for (const s of part.segments) {
      if (s.baseOffset >= endOffset && cleaned.length > 0) break;
      cleaned.push({ old: s, path: await writeCleaned(fs, s, ctx, txns, acc) });
    }
  } catch (err) {
    for (const c of cleaned) await fs.unlink(c.path).catch(() => {});
    throw err;
  }
  let swapped: Awaited<ReturnType<typeof swapCleanedSegments>> = null;
  const ok = await log.swapSegments(async (segments) => {
    swapped = await swapCleanedSegments(fs, log.dir, segments, cleaned);
    return swapped?.segments ?? null;
  });
  const result = swapped as Awaited<ReturnType<typeof swapCleanedSegments>>;
  if (!ok || !result) return null;
  return { cleanedTo: endOffset, retired: result.retired, nextDeleteHorizonMs: acc.horizon, recordsRemoved: acc.removed };
}
