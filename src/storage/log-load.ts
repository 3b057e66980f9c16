/**
 * Opening a partition directory: leftovers removed, segments opened, and after an unclean stop
 * every segment from the one holding the recovery point re-validated batch by batch (a torn or
 * corrupt tail cut, later segments dropped, indexes rebuilt). Indexes that are missing or fail
 * their sanity check are rebuilt whatever the shutdown. Recovered data is fsynced, so the
 * recovery point can move to the log end offset.
 */
import type { FileSystem } from '../common/fs.js';
import { unlinkIfExists } from '../common/fs.js';
import { join } from 'node:path';
import { type LogConfig, randomSegmentJitterMs } from './config.js';
import { CorruptIndexError } from './errors.js';
import { floorSegmentIndex } from './log-read.js';
import {
  CLEANED_FILE_SUFFIX,
  DELETED_FILE_SUFFIX,
  INDEX_FILE_SUFFIX,
  LOG_FILE_SUFFIX,
  parseSegmentFileName,
  TIME_INDEX_FILE_SUFFIX,
  TXN_INDEX_FILE_SUFFIX,
} from './names.js';
import { recoverSwapFiles } from './cleaner-swap.js';
import { LogSegment } from './segment.js';
import { recoverSegment, rescanTail } from './segment-recovery.js';

export interface LoadSettings {
  fs: FileSystem;
  dir: string;
  config: LogConfig;
  nowMs: number;
  randomInt: (maxExclusive: number) => number;
  recoveryPoint: bigint;
  /** From log-start-offset-checkpoint, when the partition has an entry. */
  logStartOffset: bigint | null;
  hadCleanShutdown: boolean;
  warn: (message: string) => void;
}

export interface LoadedLog {
  segments: LogSegment[];
  logStartOffset: bigint;
  logEndOffset: bigint;
  recoveryPoint: bigint;
  /** Base offset of the first segment re-validated after an unclean stop (its `.txnindex` and later ones need rebuilding), or null. */
  recoveredFrom: bigint | null;
}

function newSegment(s: LoadSettings, baseOffset: bigint): LogSegment {
  return new LogSegment({
    fs: s.fs,
    dir: s.dir,
    baseOffset,
    indexBytes: s.config.segmentIndexBytes,
    indexIntervalBytes: s.config.indexIntervalBytes,
    createdMs: s.nowMs,
    rollJitterMs: randomSegmentJitterMs(s.config, s.randomInt),
  });
}

const INDEX_SUFFIXES = new Set([INDEX_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX, TXN_INDEX_FILE_SUFFIX]);

/**
 * Removes `.deleted`, `.cleaned` and `.tmp` leftovers and indexes without a log; returns the
 * segments' base offsets and those that have a `.txnindex`.
 */
async function sweep(s: LoadSettings): Promise<{ bases: bigint[]; withTxnIndex: Set<bigint> }> {
  if ((await recoverSwapFiles(s.fs, s.dir)) > 0) s.warn(`${s.dir}: completed an interrupted compaction swap`);
  const names = await s.fs.readdir(s.dir);
  const logs = new Set<bigint>();
  const withTxnIndex = new Set<bigint>();
  for (const name of names) {
    const parsed = parseSegmentFileName(name);
    if (parsed?.suffix === LOG_FILE_SUFFIX) logs.add(parsed.baseOffset);
  }
  for (const name of names) {
    const parsed = parseSegmentFileName(name);
    if (name.endsWith(DELETED_FILE_SUFFIX) || name.endsWith(CLEANED_FILE_SUFFIX) || name.endsWith('.tmp')) {
      await unlinkIfExists(s.fs, join(s.dir, name));
    } else if (parsed && INDEX_SUFFIXES.has(parsed.suffix)) {
      if (!logs.has(parsed.baseOffset)) await unlinkIfExists(s.fs, join(s.dir, name));
      else if (parsed.suffix === TXN_INDEX_FILE_SUFFIX) withTxnIndex.add(parsed.baseOffset);
    }
  }
  return { bases: [...logs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), withTxnIndex };
}

/** Opens a segment's indexes; false when they are missing or malformed (fresh empty ones are created). */
async function openIndexes(segment: LogSegment, inactive: boolean, nextBase: bigint | null): Promise<boolean> {
  try {
    await segment.offsetIndex.open();
    await segment.timeIndex.open();
    const first = await segment.offsetIndex.readEntryAt(0);
    const last = await segment.offsetIndex.readEntryAt(segment.offsetIndex.entries - 1);
    if (first && last && (last.position >= segment.size || last.offset < first.offset || (nextBase !== null && last.offset >= nextBase))) {
      throw new CorruptIndexError(`${segment.offsetIndex.path}: entries outside the segment or out of order`);
    }
    const firstTime = await segment.timeIndex.readEntryAt(0);
    const lastTime = await segment.timeIndex.readEntryAt(segment.timeIndex.entries - 1);
    if (firstTime && lastTime && (lastTime.timestamp < firstTime.timestamp || lastTime.offset < firstTime.offset || (nextBase !== null && lastTime.offset >= nextBase))) {
      throw new CorruptIndexError(`${segment.timeIndex.path}: entries outside the segment or out of order`);
    }
    if (inactive && lastTime) {
      segment.maxTimestampSoFar = lastTime.timestamp;
      segment.offsetOfMaxTimestampSoFar = lastTime.offset;
    }
    return true;
  } catch (err) {
    if (!(err instanceof CorruptIndexError) && (err as { code?: string }).code !== 'ENOENT') throw err;
    await segment.offsetIndex.close();
    await segment.timeIndex.close();
    await segment.offsetIndex.create();
    await segment.timeIndex.create();
    return false;
  }
}

/** Writes a recovered segment's indexes out, trimmed (inactive) or preallocated (active), and fsyncs it. */
async function persistRecovered(segment: LogSegment, active: boolean): Promise<void> {
  if (active) {
    await segment.offsetIndex.writeOut();
    await segment.timeIndex.writeOut();
    await segment.offsetIndex.preallocate();
    await segment.timeIndex.preallocate();
  } else {
    await segment.finishIndexes();
  }
  await segment.flush();
}

export async function loadLog(s: LoadSettings): Promise<LoadedLog> {
  await s.fs.mkdirp(s.dir);
  const { bases, withTxnIndex } = await sweep(s);
  let segments: LogSegment[] = [];
  const needsRebuild = new Set<LogSegment>();
  for (let i = 0; i < bases.length; i++) {
    const segment = newSegment(s, bases[i]!);
    await segment.openLog();
    if (withTxnIndex.has(segment.baseOffset)) segment.txnIndex.attachFile();
    if (!(await openIndexes(segment, i < bases.length - 1, bases[i + 1] ?? null))) needsRebuild.add(segment);
    segments.push(segment);
  }
  const recoverFrom = s.hadCleanShutdown ? segments.length : Math.max(0, floorSegmentIndex(segments, s.recoveryPoint));
  const recoveredFrom = segments[recoverFrom]?.baseOffset ?? null;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const isLast = i === segments.length - 1;
    if (i < recoverFrom && !needsRebuild.has(segment)) continue;
    const result = await recoverSegment(segment);
    if (result.problem) s.warn(`${s.dir}: segment ${segment.baseOffset}: ${result.problem}; cut ${result.truncatedBytes} bytes`);
    if (result.truncatedBytes > 0 && !isLast) {
      for (const later of segments.slice(i + 1)) {
        s.warn(`${s.dir}: deleting segment ${later.baseOffset} after a corrupt one`);
        await later.deleteFiles();
      }
      segments = segments.slice(0, i + 1);
    }
    await persistRecovered(segment, i === segments.length - 1);
    needsRebuild.delete(segment);
  }
  if (segments.length === 0) {
    const segment = newSegment(s, s.logStartOffset ?? 0n);
    await segment.createFiles();
    segments.push(segment);
  }
  const active = segments[segments.length - 1]!;
  try {
    await rescanTail(active);
  } catch (err) {
    if (!(err instanceof CorruptIndexError)) throw err;
    s.warn(`${s.dir}: ${err.message}; rebuilding`);
    await recoverSegment(active);
    await persistRecovered(active, true);
  }
  await active.offsetIndex.preallocate();
  await active.timeIndex.preallocate();
  await s.fs.syncDir(s.dir);
  const logEndOffset = active.nextOffset;
  let logStartOffset = s.logStartOffset ?? 0n;
  if (logStartOffset < segments[0]!.baseOffset) logStartOffset = segments[0]!.baseOffset;
  if (logStartOffset > logEndOffset) logStartOffset = logEndOffset;
  return { segments, logStartOffset, logEndOffset, recoveryPoint: logEndOffset, recoveredFrom };
}
