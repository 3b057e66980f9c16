/**
 * The log cleaner (Kafka's LogCleaner with one thread): in the background, one partition at a
 * time, it picks the compacted log with the highest dirty ratio among those at or above their
 * min.cleanable.dirty.ratio (or forced by max.compaction.lag.ms, or holding tombstones whose
 * delete horizon has passed), cleans it (cleaner.ts), and records how far in the log dir's
 * `cleaner-offset-checkpoint`. With nothing to clean it waits log.cleaner.backoff.ms. Swapped-out
 * segments are deleted after file.delete.delay.ms.
 */
import { dirname, join } from 'node:path';
import type { Clock } from '../common/clock.js';
import type { FileSystem } from '../common/fs.js';
import { OffsetCheckpointFile } from './checkpoint-file.js';
import { type CleanablePart, cleanablePart, cleanLog, firstDirtyTimestamp } from './cleaner.js';
import { CleanerOffsetMap } from './cleaner-offset-map.js';
import { topicPartitionKey } from './names.js';
import type { PartitionLog } from './partition-log.js';
import type { LogSegment } from './segment.js';

export const CLEANER_OFFSET_CHECKPOINT_FILE = 'cleaner-offset-checkpoint';

export interface CleanerSettings {
  /** log.cleaner.enable (default true). */
  cleanerEnable: boolean;
  /** log.cleaner.backoff.ms: the wait when no log needs cleaning (default 15000). */
  cleanerBackoffMs: number;
  /** log.cleaner.dedupe.buffer.size: bounds the key → offset map (default 128 MiB). */
  cleanerDedupeBufferSize: number;
}

export const DEFAULT_CLEANER_SETTINGS: Readonly<CleanerSettings> = Object.freeze({
  cleanerEnable: true,
  cleanerBackoffMs: 15_000,
  cleanerDedupeBufferSize: 128 * 1024 * 1024,
});

export class LogCleaner {
  private readonly checkpoints = new Map<string, Map<string, bigint>>();
  private readonly horizons = new WeakMap<PartitionLog, bigint>();
  private pendingDeletes: Array<{ dueMs: number; segment: LogSegment }> = [];
  private readonly map: CleanerOffsetMap;
  private running: Promise<void> | null = null;
  private nextRunMs = 0;
  private stopped = false;
  /** Partitions cleaned so far (for tests and metrics). */
  cleanings = 0;

  constructor(
    private readonly fs: FileSystem,
    private readonly clock: Clock,
    private readonly settings: CleanerSettings,
    private readonly logs: () => PartitionLog[],
    private readonly warn: (message: string) => void,
  ) {
    this.map = new CleanerOffsetMap(settings.cleanerDedupeBufferSize);
  }

  /** Starts a cleaning round in the background when enabled, idle and due; never waits for it. */
  maybeStart(): void {
    if (!this.settings.cleanerEnable || this.stopped || this.running || this.clock.monotonicMs() < this.nextRunMs) return;
    this.running = this.runOnce()
      .then((cleaned) => void (this.nextRunMs = this.clock.monotonicMs() + (cleaned ? 0 : this.settings.cleanerBackoffMs)))
      .catch((err: unknown) => {
        this.nextRunMs = this.clock.monotonicMs() + this.settings.cleanerBackoffMs;
        this.warn(`log cleaner: ${err instanceof Error ? err.message : String(err)}`);
      })
      .finally(() => (this.running = null));
  }

  /** One round: deletes due swapped-out files, then cleans the filthiest log; true when one was cleaned. */
  async runOnce(): Promise<boolean> {
    await this.deleteDueFiles();
    const nowMs = this.clock.nowMs();
    let best: { log: PartitionLog; part: CleanablePart } | null = null;
    for (const log of this.logs()) {
      if (!log.config.cleanupPolicy.includes('compact') || log.isOffline) continue;
      const part = cleanablePart(log, (await this.checkpointsOf(log)).get(topicPartitionKey(log.topicPartition)) ?? null, nowMs);
      if (part.segments.length === 0 || !(await this.needsCleaning(log, part, nowMs))) continue;
      if (!best || part.dirtyRatio > best.part.dirtyRatio) best = { log, part };
    }
    if (!best) return false;
    const { log, part } = best;
    const result = await cleanLog(this.fs, log, part, this.map, nowMs);
    this.map.clear();
    if (!result) return false;
    this.cleanings++;
    if (result.nextDeleteHorizonMs !== null) this.horizons.set(log, result.nextDeleteHorizonMs);
    else this.horizons.delete(log);
    for (const segment of result.retired) this.pendingDeletes.push({ dueMs: nowMs + log.config.fileDeleteDelayMs, segment });
    await this.deleteDueFiles();
    await this.writeCheckpoint(log, result.cleanedTo);
    return true;
  }

  private async needsCleaning(log: PartitionLog, part: CleanablePart, nowMs: number): Promise<boolean> {
    const horizon = this.horizons.get(log);
    if (horizon !== undefined && BigInt(nowMs) >= horizon) return true;
    if (part.dirtyBytes === 0) return false;
    if (part.dirtyRatio >= log.config.minCleanableDirtyRatio) return true;
    const first = await firstDirtyTimestamp(part);
    return first !== null && first >= 0n && BigInt(nowMs) - first > BigInt(log.config.maxCompactionLagMs);
  }

  private async checkpointsOf(log: PartitionLog): Promise<Map<string, bigint>> {
    const dir = dirname(log.dir);
    let entries = this.checkpoints.get(dir);
    if (!entries) {
      entries = await new OffsetCheckpointFile(this.fs, join(dir, CLEANER_OFFSET_CHECKPOINT_FILE)).read().catch((err: unknown) => {
        this.warn(`${dir}: ignoring ${CLEANER_OFFSET_CHECKPOINT_FILE}: ${err instanceof Error ? err.message : String(err)}`);
        return new Map<string, bigint>();
      });
      this.checkpoints.set(dir, entries);
    }
    return entries;
  }

  /** Records `offset` for the log and rewrites its dir's checkpoint (entries of logs gone from the dir are dropped). */
  private async writeCheckpoint(log: PartitionLog, offset: bigint): Promise<void> {
    const dir = dirname(log.dir);
    const entries = await this.checkpointsOf(log);
    entries.set(topicPartitionKey(log.topicPartition), offset);
    const live = new Map(this.logs().filter((l) => dirname(l.dir) === dir).map((l) => [topicPartitionKey(l.topicPartition), l.topicPartition]));
    for (const key of [...entries.keys()]) if (!live.has(key)) entries.delete(key);
    const list = [...entries].map(([key, o]) => ({ topicPartition: live.get(key)!, offset: o }));
    await new OffsetCheckpointFile(this.fs, join(dir, CLEANER_OFFSET_CHECKPOINT_FILE)).write(list);
  }

  private async deleteDueFiles(force = false): Promise<void> {
    const nowMs = this.clock.nowMs();
    const due = this.pendingDeletes.filter((d) => force || d.dueMs <= nowMs);
    this.pendingDeletes = this.pendingDeletes.filter((d) => !due.includes(d));
    for (const { segment } of due) await segment.deleteFiles().catch(() => {});
  }

  /** Stops: waits for a round in flight, then deletes every swapped-out segment. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    await this.deleteDueFiles(true);
  }
}
