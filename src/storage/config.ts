/**
 * The per-topic settings the log needs, under Kafka's topic config names (camelCased). The
 * broker's config layer resolves topic overrides over broker defaults and hands the log a
 * complete LogConfig; a change is applied to a live log with PartitionLog.updateConfig.
 */

export type CleanupPolicy = 'delete' | 'compact';
export type MessageTimestampType = 'CreateTime' | 'LogAppendTime';

/** Kafka's "no limit" for long settings (Long.MAX_VALUE), kept as the largest exact number. */
export const NO_LIMIT = Number.MAX_SAFE_INTEGER;

export interface LogConfig {
  /** segment.bytes: roll when the active segment would grow past this size. */
  segmentBytes: number;
  /** segment.ms: roll when the active segment's first timestamp is this old. */
  segmentMs: number;
  /** segment.jitter.ms: random reduction of segment.ms per segment, to spread rolls. */
  segmentJitterMs: number;
  /** segment.index.bytes: size of the offset and time index files (preallocated). */
  segmentIndexBytes: number;
  /** index.interval.bytes: bytes of log between two index entries. */
  indexIntervalBytes: number;
  /** retention.ms: delete segments whose largest timestamp is older; -1 keeps forever. */
  retentionMs: number;
  /** retention.bytes: delete old segments while the partition is larger; -1 for no limit. */
  retentionBytes: number;
  /** flush.messages: fsync once this many messages are unflushed (NO_LIMIT: leave it to the OS). */
  flushMessages: number;
  /** flush.ms: fsync when the last flush is this old (checked by the log manager's flush scheduler). */
  flushMs: number;
  /** file.delete.delay.ms: how long a deleted segment stays as `.deleted` before removal. */
  fileDeleteDelayMs: number;
  /** message.timestamp.type */
  messageTimestampType: MessageTimestampType;
  /** max.message.bytes: largest record batch accepted. */
  maxMessageBytes: number;
  /** cleanup.policy: retention deletes only with `delete`; `compact` is kept for the cleaner. */
  cleanupPolicy: readonly CleanupPolicy[];
  /** delete.retention.ms: how long a tombstone stays after the cleaner first saw it (its batch's delete horizon). */
  deleteRetentionMs: number;
  /** min.compaction.lag.ms: records younger than this stay uncompacted. */
  minCompactionLagMs: number;
  /** max.compaction.lag.ms: a dirty record this old makes the log cleanable whatever its dirty ratio. */
  maxCompactionLagMs: number;
  /** min.cleanable.dirty.ratio: dirty bytes / (clean + dirty) bytes needed before the cleaner runs. */
  minCleanableDirtyRatio: number;
}

/** Kafka's defaults for the topic configs above. */
export const DEFAULT_LOG_CONFIG: Readonly<LogConfig> = Object.freeze({
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * 24 * 60 * 60 * 1000,
  segmentJitterMs: 0,
  segmentIndexBytes: 10 * 1024 * 1024,
  indexIntervalBytes: 4096,
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  retentionBytes: -1,
  flushMessages: NO_LIMIT,
  flushMs: NO_LIMIT,
  fileDeleteDelayMs: 60_000,
  messageTimestampType: 'CreateTime',
  maxMessageBytes: 1024 * 1024 + 12,
  cleanupPolicy: Object.freeze(['delete'] as CleanupPolicy[]),
  deleteRetentionMs: 24 * 60 * 60 * 1000,
  minCompactionLagMs: 0,
  maxCompactionLagMs: NO_LIMIT,
  minCleanableDirtyRatio: 0.5,
});

/** The smallest segment.index.bytes that holds one entry of each index. */
export const MIN_SEGMENT_INDEX_BYTES = 12;
/** The smallest segment.bytes that holds one record batch header. */
export const MIN_SEGMENT_BYTES = 61;

export class InvalidLogConfigError extends RangeError {
  readonly code = 'SAMSA_ERR_INVALID_LOG_CONFIG';
}

function check(ok: boolean, name: string, value: unknown, rule: string): void {
  if (!ok) throw new InvalidLogConfigError(`invalid ${name}=${String(value)}: ${rule}`);
}

const isInt = (v: number): boolean => Number.isSafeInteger(v);

/** Throws InvalidLogConfigError when a value is out of Kafka's range (segment sizes relaxed for tests). */
export function validateLogConfig(c: LogConfig): void {
  check(isInt(c.segmentBytes) && c.segmentBytes >= MIN_SEGMENT_BYTES && c.segmentBytes <= 2 ** 31 - 1, 'segment.bytes', c.segmentBytes, `an int >= ${MIN_SEGMENT_BYTES}`);
  check(isInt(c.segmentMs) && c.segmentMs >= 1, 'segment.ms', c.segmentMs, 'at least 1');
  check(isInt(c.segmentJitterMs) && c.segmentJitterMs >= 0, 'segment.jitter.ms', c.segmentJitterMs, 'at least 0');
  check(
    isInt(c.segmentIndexBytes) && c.segmentIndexBytes >= MIN_SEGMENT_INDEX_BYTES && c.segmentIndexBytes <= 2 ** 31 - 1,
    'segment.index.bytes',
    c.segmentIndexBytes,
    `an int >= ${MIN_SEGMENT_INDEX_BYTES}`,
  );
  check(isInt(c.indexIntervalBytes) && c.indexIntervalBytes >= 0, 'index.interval.bytes', c.indexIntervalBytes, 'at least 0');
  check(isInt(c.retentionMs) && c.retentionMs >= -1, 'retention.ms', c.retentionMs, 'at least -1');
  check(isInt(c.retentionBytes), 'retention.bytes', c.retentionBytes, 'an integer');
  check(isInt(c.flushMessages) && c.flushMessages >= 1, 'flush.messages', c.flushMessages, 'at least 1');
  check(isInt(c.flushMs) && c.flushMs >= 0, 'flush.ms', c.flushMs, 'at least 0');
  check(isInt(c.fileDeleteDelayMs) && c.fileDeleteDelayMs >= 0, 'file.delete.delay.ms', c.fileDeleteDelayMs, 'at least 0');
  check(isInt(c.maxMessageBytes) && c.maxMessageBytes >= 0, 'max.message.bytes', c.maxMessageBytes, 'at least 0');
  check(
    c.messageTimestampType === 'CreateTime' || c.messageTimestampType === 'LogAppendTime',
    'message.timestamp.type',
    c.messageTimestampType,
    'CreateTime or LogAppendTime',
  );
  check(
    c.cleanupPolicy.length > 0 && c.cleanupPolicy.every((p) => p === 'delete' || p === 'compact'),
    'cleanup.policy',
    c.cleanupPolicy.join(','),
    'delete and/or compact',
  );
  check(isInt(c.deleteRetentionMs) && c.deleteRetentionMs >= 0, 'delete.retention.ms', c.deleteRetentionMs, 'at least 0');
  check(isInt(c.minCompactionLagMs) && c.minCompactionLagMs >= 0, 'min.compaction.lag.ms', c.minCompactionLagMs, 'at least 0');
  check(isInt(c.maxCompactionLagMs) && c.maxCompactionLagMs >= 1, 'max.compaction.lag.ms', c.maxCompactionLagMs, 'at least 1');
  check(c.minCleanableDirtyRatio >= 0 && c.minCleanableDirtyRatio <= 1, 'min.cleanable.dirty.ratio', c.minCleanableDirtyRatio, 'between 0 and 1');
}

/** Kafka's defaults with `overrides` on top, validated. */
export function logConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  const config: LogConfig = { ...DEFAULT_LOG_CONFIG, ...overrides };
  validateLogConfig(config);
  return config;
}

/** A random jitter in [0, min(segmentJitterMs, segmentMs)), drawn once per segment as Kafka does. */
export function randomSegmentJitterMs(config: LogConfig, randomInt: (maxExclusive: number) => number): number {
  const bound = Math.min(config.segmentJitterMs, config.segmentMs);
  return bound <= 0 ? 0 : randomInt(Math.min(bound, 2 ** 31 - 1));
}
