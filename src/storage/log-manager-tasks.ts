/**
 * The log manager's periodic work, on one coarse timer: retention (log.retention.check.interval.ms),
 * the flush.ms scheduler (log.flush.scheduler.interval.ms), the two checkpoints, the expiry of
 * idle producers (producer.id.expiration.check.interval.ms), and removing `.deleted` files whose
 * file.delete.delay.ms has passed. Intervals are measured on the clock's
 * monotonic time, retention on its wall time; a run never overlaps the previous one.
 */
import type { Clock } from '../common/clock.js';
import type { FileSystem } from '../common/fs.js';
import { NO_LIMIT } from './config.js';
import { type CleanerSettings, DEFAULT_CLEANER_SETTINGS, LogCleaner } from './log-cleaner.js';
import type { PartitionLog } from './partition-log.js';

/** Broker settings of the periodic tasks, Kafka's names and defaults. */
export interface PeriodicSettings extends CleanerSettings {
  /** log.retention.check.interval.ms (default 300000). */
  retentionCheckIntervalMs: number;
  /** log.flush.scheduler.interval.ms: how often flush.ms is checked (default never, as Kafka). */
  flushSchedulerIntervalMs: number;
  /** log.flush.offset.checkpoint.interval.ms (default 60000). */
  flushRecoveryPointCheckpointIntervalMs: number;
  /** log.flush.start.offset.checkpoint.interval.ms (default 60000). */
  flushStartOffsetCheckpointIntervalMs: number;
  /** log.initial.task.delay.ms: before the first run of each task (default 30000). */
  initialTaskDelayMs: number;
  /** producer.id.expiration.check.interval.ms: how often idle producers are expired (default 600000). */
  producerIdExpirationCheckIntervalMs: number;
}

export const DEFAULT_PERIODIC_SETTINGS: Readonly<PeriodicSettings> = Object.freeze({
  retentionCheckIntervalMs: 300_000,
  flushSchedulerIntervalMs: NO_LIMIT,
  flushRecoveryPointCheckpointIntervalMs: 60_000,
  flushStartOffsetCheckpointIntervalMs: 60_000,
  initialTaskDelayMs: 30_000,
  producerIdExpirationCheckIntervalMs: 600_000,
  ...DEFAULT_CLEANER_SETTINGS,
});

export interface PeriodicTargets {
  fs: FileSystem;
  warn: (message: string) => void;
  logs(): PartitionLog[];
  checkpointRecoveryPoints(): Promise<void>;
  checkpointLogStartOffsets(): Promise<void>;
}

interface Task {
  intervalMs: number;
  dueMs: number;
  run: () => Promise<void>;
}

/** Runs `work` on each log; a failing log has already taken itself (and its dir) offline. */
async function eachLog(logs: PartitionLog[], work: (log: PartitionLog) => Promise<unknown>): Promise<void> {
  for (const log of logs) await work(log).catch(() => {});
}

export class PeriodicTasks {
  private readonly tasks: Task[];
  private running: Promise<void> | null = null;
  /** The log cleaner: started from each run, cleaning in the background. */
  readonly cleaner: LogCleaner;

  constructor(
    private readonly clock: Clock,
    settings: Partial<PeriodicSettings>,
    private readonly targets: PeriodicTargets,
  ) {
    const s = { ...DEFAULT_PERIODIC_SETTINGS, ...settings };
    const start = clock.monotonicMs() + s.initialTaskDelayMs;
    const task = (intervalMs: number, run: () => Promise<void>): Task => ({ intervalMs, dueMs: start, run });
    this.cleaner = new LogCleaner(targets.fs, clock, s, () => targets.logs(), targets.warn);
    this.tasks = [
      task(s.retentionCheckIntervalMs, () => eachLog(targets.logs(), (log) => log.deleteOldSegments(this.clock.nowMs()))),
      task(s.flushSchedulerIntervalMs, () => eachLog(targets.logs(), (log) => log.maybeFlush(this.clock.nowMs()))),
      task(s.flushRecoveryPointCheckpointIntervalMs, () => targets.checkpointRecoveryPoints()),
      task(s.flushStartOffsetCheckpointIntervalMs, () => targets.checkpointLogStartOffsets()),
      task(s.producerIdExpirationCheckIntervalMs, () => eachLog(targets.logs(), async (log) => log.removeExpiredProducers(this.clock.nowMs()))),
    ];
  }

  /** Runs every task that is due, then the file deletions that are due; skipped while a run is going. */
  runDue(): Promise<void> {
    this.cleaner.maybeStart();
    if (this.running) return this.running;
    this.running = this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<void> {
    for (const task of this.tasks) {
      const now = this.clock.monotonicMs();
      if (task.intervalMs >= NO_LIMIT || now < task.dueMs) continue;
      task.dueMs = now + task.intervalMs;
      await task.run();
    }
    await eachLog(this.targets.logs(), (log) => log.deleteDueFiles(this.clock.nowMs()));
  }

  /** At shutdown: resolves once no run is going and the cleaner has stopped. */
  async idle(): Promise<void> {
    await this.running?.catch(() => {});
    await this.cleaner.stop();
  }
}
