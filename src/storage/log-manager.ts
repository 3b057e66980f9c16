/**
 * The log manager: every partition log of the broker across log.dirs. It loads what is on disk at
 * start (in parallel, bounded per dir), creates and deletes partitions, runs the periodic tasks
 * (retention, flush.ms, checkpoints, delayed file deletion) from one coarse timer, and shuts down
 * cleanly (flush, checkpoints, `.kafka_cleanshutdown`). An I/O error takes its whole dir offline.
 */
import { join } from 'node:path';
import { type Clock, systemClock } from '../common/clock.js';
import type { FileSystem } from '../common/fs.js';
import { type Random, systemRandom } from '../common/random.js';
import { mapBounded } from './bounded.js';
import type { LogConfig } from './config.js';
import { KafkaStorageError } from './errors.js';
import { LogDir } from './log-dir.js';
import { MetaPropertiesError } from './meta-properties.js';
import { type PeriodicSettings, PeriodicTasks } from './log-manager-tasks.js';
import { isValidTopicName, partitionDirName, type TopicPartition, topicPartitionKey } from './names.js';
import { PartitionLog } from './partition-log.js';

export interface LogManagerOptions extends Partial<PeriodicSettings> {
  fs: FileSystem;
  /** log.dirs */
  logDirs: readonly string[];
  nodeId: number;
  clusterId: string;
  /** The LogConfig of a topic: the broker's topic overrides over its defaults. */
  configFor: (topic: string) => LogConfig;
  clock?: Clock;
  random?: Random;
  /** num.recovery.threads.per.data.dir: partitions loaded at once per dir (default 2). */
  recoveryThreadsPerDataDir?: number;
  /** Per-partition bytes of recent appends kept in memory (default 1 MiB). */
  tailCacheBytes?: number;
  /** producer.id.expiration.ms: producers idle this long are forgotten (default 86400000). */
  producerIdExpirationMs?: number;
  /** Milliseconds between two runs of the periodic tasks (default 1000; 0: no timer, call tick()). */
  tickMs?: number;
  onWarning?: (message: string) => void;
  /** A log dir went offline; its partitions are gone from the manager. */
  onLogDirFailure?: (dir: string, err: unknown) => void;
}

export class LogManager {
  private readonly logs = new Map<string, { log: PartitionLog; dir: LogDir }>();
  private readonly creating = new Map<string, Promise<PartitionLog>>();
  private readonly dirs: LogDir[];
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly warn: (message: string) => void;
  private readonly tasks: PeriodicTasks;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  private constructor(private readonly o: LogManagerOptions) {
    this.clock = o.clock ?? systemClock;
    this.random = o.random ?? systemRandom;
    this.warn = o.onWarning ?? (() => {});
    this.dirs = o.logDirs.map((path) => new LogDir(o.fs, path));
    this.tasks = new PeriodicTasks(this.clock, o, {
      fs: o.fs,
      warn: this.warn,
      logs: () => this.allLogs(),
      checkpointRecoveryPoints: () => this.checkpointRecoveryPoints(),
      checkpointLogStartOffsets: () => this.checkpointLogStartOffsets(),
    });
  }

  /** Prepares every log dir, loads its partitions (recovering after an unclean stop) and starts the timer. */
  static async start(o: LogManagerOptions): Promise<LogManager> {
    const manager = new LogManager(o);
    await manager.load();
    const tickMs = o.tickMs ?? 1000;
    if (tickMs > 0) {
      manager.timer = setInterval(() => void manager.tick(), tickMs);
      manager.timer.unref();
    }
    return manager;
  }

  private async load(): Promise<void> {
    for (const dir of this.dirs) {
      let loaded: PartitionLog[] = [];
      try {
        await dir.prepare({ nodeId: this.o.nodeId, clusterId: this.o.clusterId }, this.random, this.clock.nowMs());
        // Nothing takes requests yet: plain system calls beat a thread-pool round trip per call.
        const fs = this.o.fs;
        loaded = fs.withBlockingCalls ? await fs.withBlockingCalls(() => this.loadDir(dir)) : await this.loadDir(dir);
      } catch (err) {
        if (err instanceof MetaPropertiesError) throw err;
        this.dirFailed(dir, err);
        continue;
      }
      for (const log of loaded) {
        const key = topicPartitionKey(log.topicPartition);
        const other = this.logs.get(key);
        if (other) throw new KafkaStorageError(`duplicate log directories for ${key}: ${other.log.dir} and ${log.dir}`);
        this.logs.set(key, { log, dir });
      }
      try {
        await this.writeCheckpoints(dir);
        await dir.clearCleanShutdown();
      } catch (err) {
        this.dirFailed(dir, err);
      }
    }
    if (this.dirs.every((d) => !d.online)) throw new KafkaStorageError('no log dir is online');
  }

  private async loadDir(dir: LogDir): Promise<PartitionLog[]> {
    const hadCleanShutdown = await dir.hadCleanShutdown();
    const recoveryPoints = await dir.readCheckpoint(dir.recoveryCheckpoint, this.warn);
    const startOffsets = await dir.readCheckpoint(dir.startOffsetCheckpoint, this.warn);
    const partitions = await dir.partitions(this.warn);
    return mapBounded(partitions, this.o.recoveryThreadsPerDataDir ?? 2, ({ tp, dir: path }) => {
      const key = topicPartitionKey(tp);
      return this.openLog(dir, tp, path, { recoveryPoint: recoveryPoints.get(key) ?? 0n, logStartOffset: startOffsets.get(key) ?? null, hadCleanShutdown });
    });
  }

  private openLog(
    dir: LogDir,
    tp: TopicPartition,
    path: string,
    state: { recoveryPoint: bigint; logStartOffset: bigint | null; hadCleanShutdown: boolean },
  ): Promise<PartitionLog> {
    return PartitionLog.open({
      fs: this.o.fs,
      dir: path,
      topicPartition: tp,
      config: this.o.configFor(tp.topic),
      clock: this.clock,
      random: this.random,
      ...state,
      ...(this.o.tailCacheBytes !== undefined ? { tailCacheBytes: this.o.tailCacheBytes } : {}),
      ...(this.o.producerIdExpirationMs !== undefined ? { producerIdExpirationMs: this.o.producerIdExpirationMs } : {}),
      onWarning: this.warn,
      onFailure: (err) => this.dirFailed(dir, err),
      onRecoveryPointLowered: () => this.writeCheckpoints(dir),
    });
  }

  getLog(tp: TopicPartition): PartitionLog | undefined {
    return this.logs.get(topicPartitionKey(tp))?.log;
  }

  allLogs(): PartitionLog[] {
    return [...this.logs.values()].map((e) => e.log);
  }

  get offlineLogDirs(): string[] {
    return this.dirs.filter((d) => !d.online).map((d) => d.path);
  }

  /** The partition's log, created in the online dir holding the fewest partitions when missing. */
  async getOrCreateLog(tp: TopicPartition, config?: LogConfig): Promise<PartitionLog> {
    const key = topicPartitionKey(tp);
    const existing = this.logs.get(key)?.log ?? this.creating.get(key);
    if (existing) return existing;
    if (this.stopped) throw new KafkaStorageError('the log manager is shut down');
    if (!isValidTopicName(tp.topic) || !Number.isInteger(tp.partition) || tp.partition < 0) throw new RangeError(`invalid partition ${key}`);
    const online = this.dirs.filter((d) => d.online);
    let dir = online[0];
    if (online.length > 1) {
      // Counting is a pass over every log: only worth it when there is a choice.
      const counts = new Map(this.dirs.map((d) => [d, 0]));
      for (const e of this.logs.values()) counts.set(e.dir, (counts.get(e.dir) ?? 0) + 1);
      dir = online.sort((a, b) => counts.get(a)! - counts.get(b)!)[0];
    }
    if (!dir) throw new KafkaStorageError('no log dir is online');
    const creating = (async () => {
      const log = await this.openLog(dir, tp, join(dir.path, partitionDirName(tp)), { recoveryPoint: 0n, logStartOffset: null, hadCleanShutdown: false });
      if (config) log.updateConfig(config);
      await this.o.fs.syncDir(dir.path);
      this.logs.set(key, { log, dir });
      return log;
    })().finally(() => this.creating.delete(key));
    this.creating.set(key, creating);
    return creating;
  }

  /** Deletes a partition's log and its directory. */
  async deleteLog(tp: TopicPartition): Promise<void> {
    const key = topicPartitionKey(tp);
    const entry = this.logs.get(key);
    if (!entry) return;
    this.logs.delete(key);
    await entry.log.delete();
    if (entry.dir.online) await this.writeCheckpoints(entry.dir).catch((err: unknown) => this.dirFailed(entry.dir, err));
  }

  /** A topic's configs changed: applied to every live partition of it. */
  updateTopicConfig(topic: string, config: LogConfig): void {
    for (const { log } of this.logs.values()) if (log.topicPartition.topic === topic) log.updateConfig(config);
  }

  /** The log cleaner (compaction), run from the periodic tasks. */
  get cleaner(): PeriodicTasks['cleaner'] {
    return this.tasks.cleaner;
  }

  /** Runs the periodic tasks that are due (the timer calls this; tests call it after moving a ManualClock). */
  async tick(): Promise<void> {
    if (!this.stopped) await this.tasks.runDue();
  }

  async checkpointRecoveryPoints(): Promise<void> {
    for (const dir of this.dirs.filter((d) => d.online)) {
      await this.writeRecoveryCheckpoint(dir).catch((err: unknown) => this.dirFailed(dir, err));
    }
  }

  /** Writes a dir's recovery-point checkpoint, then lets each log drop the snapshots it no longer needs. */
  private async writeRecoveryCheckpoint(dir: LogDir): Promise<void> {
    const written = await dir.writeRecoveryCheckpoint(this.logsIn(dir));
    for (const [log, recoveryPoint] of written) await log.deleteSnapshotsAfterRecoveryPointCheckpoint(recoveryPoint);
  }

  async checkpointLogStartOffsets(): Promise<void> {
    for (const dir of this.dirs.filter((d) => d.online)) {
      await dir.writeStartOffsetCheckpoint(this.logsIn(dir)).catch((err: unknown) => this.dirFailed(dir, err));
    }
  }

  private logsIn(dir: LogDir): PartitionLog[] {
    return [...this.logs.values()].filter((e) => e.dir === dir).map((e) => e.log);
  }

  private async writeCheckpoints(dir: LogDir): Promise<void> {
    await this.writeRecoveryCheckpoint(dir);
    await dir.writeStartOffsetCheckpoint(this.logsIn(dir));
  }

  private dirFailed(dir: LogDir, err: unknown): void {
    if (!dir.online) return;
    dir.online = false;
    this.warn(`log dir ${dir.path} is offline: ${err instanceof Error ? err.message : String(err)}`);
    for (const [key, entry] of this.logs) {
      if (entry.dir !== dir) continue;
      this.logs.delete(key);
      void entry.log.close().catch(() => {});
    }
    this.o.onLogDirFailure?.(dir.path, err);
  }

  /** Flushes and closes every log, writes the checkpoints and marks each healthy dir cleanly shut down. */
  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.tasks.idle();
    await Promise.allSettled([...this.creating.values()]);
    for (const dir of this.dirs.filter((d) => d.online)) {
      const logs = this.logsIn(dir);
      await mapBounded(logs, this.o.recoveryThreadsPerDataDir ?? 2, (log) => log.close());
      if (!dir.online || logs.some((log) => log.isOffline)) continue;
      try {
        await this.writeCheckpoints(dir);
        await dir.markCleanShutdown();
      } catch (err) {
        this.dirFailed(dir, err);
      }
    }
    this.logs.clear();
  }
}
