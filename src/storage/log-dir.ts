/** The directory of the KRaft metadata log (`__cluster_metadata-0`). */
export const METADATA_LOG_DIR_NAME = '__cluster_metadata-0';

/**
 * One entry of log.dirs: its meta.properties, its checkpoint files, its clean-shutdown marker and
 * the partition directories it holds. A dir goes offline on an I/O error and stays so.
 */
import { join } from 'node:path';
import { type FileSystem, unlinkIfExists, writeFileAtomic } from '../common/fs.js';
import type { Random } from '../common/random.js';
import { type CheckpointEntry, CorruptCheckpointError, OffsetCheckpointFile } from './checkpoint-file.js';
import { ensureMetaProperties, type MetaProperties } from './meta-properties.js';
import {
  CLEAN_SHUTDOWN_FILE,
  isDeleteDirName,
  LOG_START_OFFSET_CHECKPOINT_FILE,
  parsePartitionDirName,
  RECOVERY_POINT_CHECKPOINT_FILE,
  type TopicPartition,
} from './names.js';
import type { PartitionLog } from './partition-log.js';

export class LogDir {
  online = true;
  meta: MetaProperties | null = null;
  readonly recoveryCheckpoint: OffsetCheckpointFile;
  readonly startOffsetCheckpoint: OffsetCheckpointFile;

  constructor(
    private readonly fs: FileSystem,
    readonly path: string,
  ) {
    this.recoveryCheckpoint = new OffsetCheckpointFile(fs, join(path, RECOVERY_POINT_CHECKPOINT_FILE));
    this.startOffsetCheckpoint = new OffsetCheckpointFile(fs, join(path, LOG_START_OFFSET_CHECKPOINT_FILE));
  }

  /** Creates the dir when missing and checks (or writes) its meta.properties. */
  async prepare(expected: { nodeId: number; clusterId: string }, random: Random, nowMs: number): Promise<void> {
    await this.fs.mkdirp(this.path);
    this.meta = await ensureMetaProperties(this.fs, this.path, expected, random, nowMs);
  }

  /** A checkpoint's offsets; a corrupt file counts as empty (full recovery), with a warning. */
  async readCheckpoint(file: OffsetCheckpointFile, warn: (message: string) => void): Promise<Map<string, bigint>> {
    try {
      return await file.read();
    } catch (err) {
      if (!(err instanceof CorruptCheckpointError)) throw err;
      warn(`${err.message}; ignoring it`);
      return new Map();
    }
  }

  async hadCleanShutdown(): Promise<boolean> {
    return (await this.fs.stat(join(this.path, CLEAN_SHUTDOWN_FILE))) !== null;
  }

  /** The partitions held; directories renamed for deletion are removed on the way. */
  async partitions(warn: (message: string) => void): Promise<Array<{ tp: TopicPartition; dir: string }>> {
    const out: Array<{ tp: TopicPartition; dir: string }> = [];
    for (const name of await this.fs.readdir(this.path)) {
      const path = join(this.path, name);
      if (isDeleteDirName(name)) {
        await this.fs.removeTree(path);
        continue;
      }
      const stat = await this.fs.stat(path);
      if (!stat?.isDirectory) continue;
      // The KRaft metadata log lives beside the partitions when metadata.log.dir is unset; it
      // belongs to the raft module, never to the log manager (no retention, no recovery here).
      if (name === METADATA_LOG_DIR_NAME) continue;
      const tp = parsePartitionDirName(name);
      if (tp) out.push({ tp, dir: path });
      else warn(`${this.path}: ignoring directory ${name}`);
    }
    return out;
  }

  /** Writes recovery-point-offset-checkpoint for `logs`; returns the recovery point written for each. */
  async writeRecoveryCheckpoint(logs: readonly PartitionLog[]): Promise<Map<PartitionLog, bigint>> {
    const points = new Map(logs.map((log) => [log, log.recoveryPoint]));
    await this.recoveryCheckpoint.write(logs.map((log) => ({ topicPartition: log.topicPartition, offset: points.get(log)! })));
    return points;
  }

  /** Writes log-start-offset-checkpoint: as Kafka, only logs whose start is past their first segment. */
  async writeStartOffsetCheckpoint(logs: readonly PartitionLog[]): Promise<void> {
    const entries: CheckpointEntry[] = [];
    for (const log of logs) {
      const first = log.segmentBaseOffsets[0];
      if (first !== undefined && log.logStartOffset > first) entries.push({ topicPartition: log.topicPartition, offset: log.logStartOffset });
    }
    await this.startOffsetCheckpoint.write(entries);
  }

  async markCleanShutdown(): Promise<void> {
    await writeFileAtomic(this.fs, join(this.path, CLEAN_SHUTDOWN_FILE), '');
  }

  async clearCleanShutdown(): Promise<void> {
    if (await unlinkIfExists(this.fs, join(this.path, CLEAN_SHUTDOWN_FILE))) await this.fs.syncDir(this.path);
  }
}
