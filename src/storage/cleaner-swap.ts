/**
 * Swapping cleaned segments into a log, Kafka's way, and finishing an interrupted swap at load.
 *
 * Each cleaned segment replaces exactly one old segment with the same base offset. Under the
 * log's exclusive barrier: every `<base>.log.cleaned` (data already fsynced) is renamed to
 * `<base>.log.swap`, oldest first, and the directory synced: from here a crash completes the
 * swap. Then each old segment's files become `.deleted` (open handles keep serving reads in
 * flight) except its `.txnindex`, which stays for the new segment (same offsets), each `.swap`
 * becomes `<base>.log`, the directory is synced again, and the new segment's indexes are rebuilt
 * from its data and fsynced.
 *
 * At load, a `<base>.log.swap` means the swap was committed: the old `<base>` files are removed
 * (the `.txnindex` stays) and the swap file takes the final name (its indexes are rebuilt by the
 * loader). A `.cleaned`
 * file is a swap that never started and is removed by the loader's sweep.
 */
import { join } from 'node:path';
import { type FileSystem, unlinkIfExists } from '../common/fs.js';
import {
  CLEANED_FILE_SUFFIX,
  INDEX_FILE_SUFFIX,
  LOG_FILE_SUFFIX,
  parseSegmentFileName,
  segmentFilePath,
  SWAP_FILE_SUFFIX,
  TIME_INDEX_FILE_SUFFIX,
} from './names.js';
import { LogSegment } from './segment.js';
import { recoverSegment } from './segment-recovery.js';

export interface CleanedSegment {
  /** The segment it replaces (same base offset). */
  old: LogSegment;
  /** `<base>.log.cleaned`, written and fsynced. */
  path: string;
}

export const cleanedPath = (dir: string, baseOffset: bigint): string => segmentFilePath(dir, baseOffset, LOG_FILE_SUFFIX + CLEANED_FILE_SUFFIX);
const swapPath = (dir: string, baseOffset: bigint): string => segmentFilePath(dir, baseOffset, LOG_FILE_SUFFIX + SWAP_FILE_SUFFIX);

/**
 * Opens a swapped-in segment: indexes rebuilt from its data, trimmed and fsynced, marked
 * finished. The old segment's `.txnindex` stays in place and is the new one's: offsets are
 * unchanged, and the aborted transactions it lists are still aborted.
 */
async function openSwapped(old: LogSegment): Promise<LogSegment> {
  const segment = new LogSegment({
    fs: old.fs,
    dir: old.dir,
    baseOffset: old.baseOffset,
    indexBytes: Math.max(old.offsetIndex.maxEntries * 8, 12),
    indexIntervalBytes: old.indexIntervalBytes,
    createdMs: old.createdMs,
    rollJitterMs: old.rollJitterMs,
  });
  await segment.openLog();
  if (old.txnIndex.fileExists) segment.txnIndex.attachFile();
  await segment.offsetIndex.create();
  await segment.timeIndex.create();
  await recoverSegment(segment);
  await segment.finishIndexes();
  await segment.flush();
  segment.finished = segment.flushedFully = true;
  return segment;
}

/**
 * Swaps `cleaned` into `segments` (the log's current list); returns the new list and the old
 * segments (renamed `.deleted`, to be deleted later), or null when an old segment is gone from
 * the log (retention or truncation ran meanwhile): then the cleaned files are removed.
 */
export async function swapCleanedSegments(
  fs: FileSystem,
  dir: string,
  segments: readonly LogSegment[],
  cleaned: readonly CleanedSegment[],
): Promise<{ segments: LogSegment[]; retired: LogSegment[] } | null> {
  const live = new Set(segments);
  if (cleaned.length === 0 || cleaned.some((c) => !live.has(c.old) || c.old.deleted)) {
    for (const c of cleaned) await unlinkIfExists(fs, c.path);
    return null;
  }
  for (const c of cleaned) await fs.rename(c.path, swapPath(dir, c.old.baseOffset));
  await fs.syncDir(dir);
  for (const c of cleaned) {
    await c.old.renameForDeletion(true);
    await fs.rename(swapPath(dir, c.old.baseOffset), segmentFilePath(dir, c.old.baseOffset, LOG_FILE_SUFFIX));
  }
  await fs.syncDir(dir);
  const replacements = new Map<LogSegment, LogSegment>();
  for (const c of cleaned) replacements.set(c.old, await openSwapped(c.old));
  await fs.syncDir(dir);
  return { segments: segments.map((s) => replacements.get(s) ?? s), retired: cleaned.map((c) => c.old) };
}

/** At load: completes the swaps a crash interrupted (see the file comment); returns how many. */
export async function recoverSwapFiles(fs: FileSystem, dir: string): Promise<number> {
  const names = await fs.readdir(dir);
  let completed = 0;
  for (const name of names.sort()) {
    if (!name.endsWith(SWAP_FILE_SUFFIX)) continue;
    const parsed = parseSegmentFileName(name);
    if (!parsed || parsed.suffix !== LOG_FILE_SUFFIX + SWAP_FILE_SUFFIX) {
      await unlinkIfExists(fs, join(dir, name));
      continue;
    }
    for (const suffix of [LOG_FILE_SUFFIX, INDEX_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX]) {
      await unlinkIfExists(fs, segmentFilePath(dir, parsed.baseOffset, suffix));
    }
    await fs.rename(join(dir, name), segmentFilePath(dir, parsed.baseOffset, LOG_FILE_SUFFIX));
    completed++;
  }
  if (completed > 0) await fs.syncDir(dir);
  return completed;
}
