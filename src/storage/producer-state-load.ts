/**
 * Loading a partition's producer state (Kafka's UnifiedLog.rebuildProducerState, LogLoader):
 *
 * - after a clean shutdown, the snapshot at the log end offset is the state;
 * - otherwise (or when that snapshot is missing or corrupt: deleted with a warning) the newest
 *   snapshot at or below the recovery point and below every segment recovery re-validated is
 *   loaded (none: empty), and the batches from there to the log end are replayed: data batch
 *   headers and the markers of control batches, nothing else. The `.txnindex` of every segment
 *   recovery re-validated (or whose `.txnindex` fails its check) is rebuilt on the way, and the
 *   rebuilt state is written as a snapshot at the log end (later snapshots were never verified
 *   against the recovered log: they are deleted);
 * - a clean shutdown with no snapshot at all is a log written before producer state existed:
 *   its state is empty (Kafka's upgrade shortcut), and a snapshot at the log end records that.
 *
 * After a truncation the state is reloaded the same way from the newest snapshot at or below
 * the new log end.
 */
import type { FileSystem } from '../common/fs.js';
import { PRODUCER_ID_OFFSET, readRecordBatchHeader } from '../protocol/records/index.js';
import { CorruptIndexError, CorruptSnapshotError } from './errors.js';
import { scanBatchHeaders } from './file-batches.js';
import { floorSegmentIndex } from './log-read.js';
import { producerBatchOf } from './producer-batches.js';
import { decodeProducerSnapshot, encodeProducerSnapshot } from './producer-snapshot.js';
import type { ProducerSnapshots } from './producer-snapshots.js';
import type { ProducerStateManager } from './producer-state.js';
import type { LogSegment } from './segment.js';
import type { AbortedTxn } from './transactions-api.js';

export interface ProducerStateSource {
  fs: FileSystem;
  dir: string;
  /** The log's segments, the active one last. */
  segments: readonly LogSegment[];
  logEndOffset: bigint;
  producers: ProducerStateManager;
  snapshots: ProducerSnapshots;
  nowMs: number;
  producerIdExpirationMs: number;
  warn: (message: string) => void;
}

export interface OpenState {
  hadCleanShutdown: boolean;
  /** The checkpointed recovery point. */
  recoveryPoint: bigint;
  /** Base offset of the first segment recovery re-validated after an unclean stop, or null. */
  recoveredFrom: bigint | null;
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** Loads the newest readable snapshot at or below `limit` into the state; its offset, or null (empty state). */
async function loadNewestSnapshot(s: ProducerStateSource, limit: bigint): Promise<bigint | null> {
  for (;;) {
    const offset = s.snapshots.newestAtOrBelow(limit);
    if (offset === null) {
      s.producers.clear();
      return null;
    }
    try {
      const bytes = await s.snapshots.read(offset);
      if (bytes === null) throw new CorruptSnapshotError('the file is gone');
      s.producers.load(decodeProducerSnapshot(bytes), s.nowMs, s.producerIdExpirationMs);
      return offset;
    } catch (err) {
      if (!(err instanceof CorruptSnapshotError)) throw err;
      s.warn(`${s.snapshots.path(offset)}: ${err.message}; deleting it and rebuilding producer state from the log`);
      await s.snapshots.delete(offset);
    }
  }
}

/**
 * Replays the batches from `from` to the log end into the state; returns, for each segment at or
 * after `rebuildFrom`, the aborted transactions its `.txnindex` should hold.
 */
async function replay(s: ProducerStateSource, from: bigint, rebuildFrom: bigint | null): Promise<Map<LogSegment, AbortedTxn[]>> {
  const rebuilt = new Map<LogSegment, AbortedTxn[]>();
  for (let i = Math.max(0, floorSegmentIndex(s.segments, from)); i < s.segments.length; i++) {
    const segment = s.segments[i]!;
    const aborted: AbortedTxn[] | null = rebuildFrom !== null && segment.baseOffset >= rebuildFrom ? [] : null;
    if (aborted) rebuilt.set(segment, aborted);
    const start = from > segment.baseOffset ? ((await segment.translateOffset(from))?.position ?? segment.writtenSize) : 0;
    for await (const { info, header, control } of scanBatchHeaders(segment.log, start, segment.writtenSize)) {
      if (info.lastOffset < from || header.readBigInt64BE(PRODUCER_ID_OFFSET) < 0n) continue;
      const batch = producerBatchOf(readRecordBatchHeader(header), control, info.baseOffset, info.maxTimestamp);
      if (!batch) continue;
      const prepared = s.producers.prepare([batch], 'replication');
      if (prepared.kind !== 'plan') continue;
      const completed = s.producers.apply(prepared.plan);
      if (aborted) aborted.push(...completed);
    }
  }
  return rebuilt;
}

/** The base of the first segment whose `.txnindex` fails its check, or null; the others' entries are released again. */
async function firstDamagedTxnIndex(s: ProducerStateSource): Promise<bigint | null> {
  for (const segment of s.segments) {
    if (!segment.txnIndex.fileExists) continue;
    try {
      await segment.txnIndex.load();
      if (segment.finished) segment.txnIndex.unload();
    } catch (err) {
      if (!(err instanceof CorruptIndexError)) throw err;
      s.warn(`${err.message}; rebuilding it`);
      return segment.baseOffset;
    }
  }
  return null;
}

async function writeSnapshotAtEnd(s: ProducerStateSource): Promise<void> {
  await s.snapshots.write(s.logEndOffset, encodeProducerSnapshot(s.producers.snapshotEntries()));
}

/** At open: see the file comment. */
export async function loadProducerState(s: ProducerStateSource, open: OpenState): Promise<void> {
  await s.snapshots.scan();
  await s.snapshots.deleteAbove(s.logEndOffset);
  const damaged = await firstDamagedTxnIndex(s);
  const rebuildFrom = open.recoveredFrom === null ? damaged : damaged === null ? open.recoveredFrom : min(damaged, open.recoveredFrom);
  const firstBase = s.segments[0]!.baseOffset;
  let loaded: bigint | null;
  if (open.hadCleanShutdown && rebuildFrom === null) {
    if (s.snapshots.all.length === 0) {
      s.producers.clear();
      if (s.logEndOffset > firstBase) await writeSnapshotAtEnd(s);
      return;
    }
    loaded = await loadNewestSnapshot(s, s.logEndOffset);
    if (loaded === s.logEndOffset) return;
  } else {
    let limit = open.hadCleanShutdown ? s.logEndOffset : min(open.recoveryPoint, s.logEndOffset);
    if (rebuildFrom !== null) limit = min(limit, rebuildFrom);
    loaded = await loadNewestSnapshot(s, limit);
  }
  const from = loaded !== null && loaded > firstBase ? loaded : firstBase;
  const rebuilt = await replay(s, from, rebuildFrom);
  for (const [segment, aborted] of rebuilt) await segment.txnIndex.replace(aborted);
  if (rebuilt.size > 0) await s.fs.syncDir(s.dir);
  if (from < s.logEndOffset) {
    await s.snapshots.deleteAbove(from);
    await writeSnapshotAtEnd(s);
  }
}

/** After a truncation: snapshots past the new end deleted, the state reloaded from the newest one left. */
export async function reloadProducerState(s: ProducerStateSource): Promise<void> {
  await s.snapshots.deleteAbove(s.logEndOffset);
  const loaded = await loadNewestSnapshot(s, s.logEndOffset);
  const firstBase = s.segments[0]!.baseOffset;
  await replay(s, loaded !== null && loaded > firstBase ? loaded : firstBase, null);
}
