/**
 * What one flush does: fsync the data of every segment from the one holding the recovery point.
 * A finished (rolled) segment is flushed whole, indexes included, once. The active segment's
 * indexes are not fsynced (its `.log` is): after a crash, recovery rebuilds the active segment,
 * so the recovery point stops at its base offset. New segment files get their directory synced.
 */
import type { FileSystem } from '../common/fs.js';
import { floorSegmentIndex } from './log-read.js';
import type { LogSegment } from './segment.js';

/**
 * Flushes `segments` from `recoveryPoint` and returns the new recovery point: `target` (the log
 * end offset when the flush began) or the base of the first segment not flushed whole.
 */
export async function flushSegments(
  fs: FileSystem,
  dir: string,
  segments: readonly LogSegment[],
  recoveryPoint: bigint,
  target: bigint,
): Promise<bigint> {
  let recoveryLimit = target;
  const created: LogSegment[] = [];
  for (let i = Math.max(0, floorSegmentIndex(segments, recoveryPoint)); i < segments.length; i++) {
    const s = segments[i]!;
    if (!s.isOpen || s.deleted) continue;
    try {
      if (s.finished && i < segments.length - 1) {
        if (!s.flushedFully) await s.flush();
        s.flushedFully = true;
      } else {
        await s.log.sync();
        if (s.baseOffset < recoveryLimit) recoveryLimit = s.baseOffset;
      }
    } catch (err) {
      // A segment deleted by retention meanwhile may have closed its files; that is no failure.
      if (s.deleted) continue;
      throw err;
    }
    if (s.needsDirSync) created.push(s);
  }
  if (created.length > 0) {
    await fs.syncDir(dir);
    for (const s of created) s.needsDirSync = false;
  }
  return recoveryLimit;
}
