/**
 * Kafka's offset checkpoint files (`recovery-point-offset-checkpoint`,
 * `log-start-offset-checkpoint`, and the broker's `replication-offset-checkpoint`): text, a
 * version line `0`, a count line, then one `<topic> <partition> <offset>` line per partition.
 * Written whole through a temp file, fsync and rename, so a crash leaves the old or the new one.
 */
import { SamsaError } from '../common/errors.js';
import { type FileSystem, readSmallFile, writeFileAtomic } from '../common/fs.js';
import { type TopicPartition, topicPartitionKey } from './names.js';

export const OFFSET_CHECKPOINT_VERSION = 0;

export interface CheckpointEntry {
  topicPartition: TopicPartition;
  offset: bigint;
}

/** A checkpoint file that does not parse (Kafka fails the log dir; the log manager falls back to recovery). */
export class CorruptCheckpointError extends SamsaError {
  constructor(path: string, message: string) {
    super('SAMSA_ERR_CORRUPT_CHECKPOINT', `${path}: ${message}`);
  }
}

export function formatOffsetCheckpoint(entries: readonly CheckpointEntry[]): string {
  const lines = [String(OFFSET_CHECKPOINT_VERSION), String(entries.length)];
  for (const { topicPartition, offset } of entries) lines.push(`${topicPartition.topic} ${topicPartition.partition} ${offset}`);
  return lines.join('\n') + '\n';
}

export function parseOffsetCheckpoint(text: string, path = 'checkpoint'): CheckpointEntry[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const version = lines[0]?.trim();
  if (version !== String(OFFSET_CHECKPOINT_VERSION)) throw new CorruptCheckpointError(path, `unknown version ${JSON.stringify(version)}`);
  const countText = lines[1]?.trim() ?? '';
  if (!/^\d+$/.test(countText)) throw new CorruptCheckpointError(path, `bad entry count ${JSON.stringify(countText)}`);
  const count = Number(countText);
  const entries: CheckpointEntry[] = [];
  for (const line of lines.slice(2)) {
    const parts = line.trim().split(/\s+/);
    if (parts.length !== 3 || !/^\d+$/.test(parts[1]!) || !/^-?\d+$/.test(parts[2]!)) {
      throw new CorruptCheckpointError(path, `malformed line ${JSON.stringify(line)}`);
    }
    entries.push({ topicPartition: { topic: parts[0]!, partition: Number(parts[1]) }, offset: BigInt(parts[2]!) });
  }
  if (entries.length !== count) throw new CorruptCheckpointError(path, `expected ${count} entries, found ${entries.length}`);
  return entries;
}

/** One checkpoint file of a log dir. */
export class OffsetCheckpointFile {
  constructor(
    private readonly fs: FileSystem,
    readonly path: string,
  ) {}

  /** The offsets by `<topic>-<partition>`; empty when the file does not exist. */
  async read(): Promise<Map<string, bigint>> {
    const data = await readSmallFile(this.fs, this.path);
    const out = new Map<string, bigint>();
    if (data === null) return out;
    for (const e of parseOffsetCheckpoint(data.toString('utf8'), this.path)) out.set(topicPartitionKey(e.topicPartition), e.offset);
    return out;
  }

  async write(entries: readonly CheckpointEntry[]): Promise<void> {
    await writeFileAtomic(this.fs, this.path, formatOffsetCheckpoint(entries));
  }
}
