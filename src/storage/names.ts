/**
 * Kafka's on-disk names: partition directories `<topic>-<partition>`, segment files named by the
 * 20-digit zero-padded base offset, the suffixes of deleted and temporary files, and the per-dir
 * checkpoint and marker files.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

export const LOG_FILE_SUFFIX = '.log';
export const INDEX_FILE_SUFFIX = '.index';
export const TIME_INDEX_FILE_SUFFIX = '.timeindex';
export const TXN_INDEX_FILE_SUFFIX = '.txnindex';
/** Producer-state snapshots: `<20-digit offset>.snapshot` in the partition directory. */
export const PRODUCER_SNAPSHOT_FILE_SUFFIX = '.snapshot';
/** Appended to a segment's files once deleted, until file.delete.delay.ms has passed. */
export const DELETED_FILE_SUFFIX = '.deleted';
/** Files of the log cleaner (compaction): a rewritten segment, and one being swapped in. */
export const CLEANED_FILE_SUFFIX = '.cleaned';
export const SWAP_FILE_SUFFIX = '.swap';
/** Suffix of a partition directory renamed for deletion: `<topic>-<partition>.<uuid>-delete`. */
export const DELETE_DIR_SUFFIX = '-delete';

export const RECOVERY_POINT_CHECKPOINT_FILE = 'recovery-point-offset-checkpoint';
export const LOG_START_OFFSET_CHECKPOINT_FILE = 'log-start-offset-checkpoint';
export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';
export const META_PROPERTIES_FILE = 'meta.properties';

export interface TopicPartition {
  topic: string;
  partition: number;
}

export const topicPartitionKey = (tp: TopicPartition): string => `${tp.topic}-${tp.partition}`;

/** `00000000000000000042` for 42n. */
export function offsetFileStem(offset: bigint): string {
  return offset.toString().padStart(20, '0');
}

export function segmentFilePath(dir: string, baseOffset: bigint, suffix: string): string {
  return join(dir, offsetFileStem(baseOffset) + suffix);
}

/** The base offset and suffix of a segment file name, or null when the name is not one. */
export function parseSegmentFileName(name: string): { baseOffset: bigint; suffix: string } | null {
  const match = /^(\d{20})(\.[a-z]+(?:\.(?:deleted|cleaned|swap))?)$/.exec(name);
  if (!match) return null;
  return { baseOffset: BigInt(match[1]!), suffix: match[2]! };
}

/** The directory name of a partition's log. */
export function partitionDirName(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

/** Parses `<topic>-<partition>`; null for anything else (delete dirs, stray files). */
export function parsePartitionDirName(name: string): TopicPartition | null {
  const dash = name.lastIndexOf('-');
  if (dash <= 0) return null;
  const digits = name.slice(dash + 1);
  if (!/^\d+$/.test(digits) || digits.length > 10) return null;
  const partition = Number(digits);
  if (partition > 2 ** 31 - 1) return null;
  const topic = name.slice(0, dash);
  if (!/^[a-zA-Z0-9._-]+$/.test(topic)) return null;
  return { topic, partition };
}

/**
 * `<topic>-<partition>.<uuid without dashes>-delete`, the topic cut so the name fits in 255
 * bytes, as Kafka names a partition directory scheduled for deletion.
 */
export function deleteDirName(tp: TopicPartition, uniqueId: string = randomUUID().replaceAll('-', '')): string {
  const suffix = `-${tp.partition}.${uniqueId}${DELETE_DIR_SUFFIX}`;
  return tp.topic.slice(0, Math.max(0, 255 - suffix.length)) + suffix;
}

export function isDeleteDirName(name: string): boolean {
  return /\.[0-9a-f]{32}-delete$/.test(name);
}

const LEGAL_TOPIC = /^[a-zA-Z0-9._-]+$/;

/** Kafka's topic name rule: 1-249 characters of [a-zA-Z0-9._-], not `.` or `..`. */
export function isValidTopicName(topic: string): boolean {
  return topic.length > 0 && topic.length <= 249 && topic !== '.' && topic !== '..' && LEGAL_TOPIC.test(topic);
}
