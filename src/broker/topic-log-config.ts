/**
 * A topic's storage settings: its overrides from the metadata image over the broker's
 * synonyms over Kafka's defaults, translated for the log layer.
 */
import type { LogConfig } from '../storage/index.js';
import type { MetadataImage } from '../metadata/index.js';
import { type BrokerConfigReader, resolveTopicConfig, topicLogConfig, type TopicLogConfig } from './config/index.js';

export function resolvedTopicLogConfig(config: BrokerConfigReader, image: MetadataImage, topic: string): TopicLogConfig {
  const overrides = image.topicConfigs.get(topic) ?? new Map<string, string>();
  return topicLogConfig(resolveTopicConfig(config, overrides).values);
}

export function storageLogConfig(t: TopicLogConfig): LogConfig {
  return {
    segmentBytes: t.segmentBytes,
    segmentMs: t.segmentMs,
    segmentJitterMs: t.segmentJitterMs,
    segmentIndexBytes: t.segmentIndexBytes,
    indexIntervalBytes: t.indexIntervalBytes,
    retentionMs: t.retentionMs,
    retentionBytes: t.retentionBytes,
    flushMessages: t.flushMessages,
    flushMs: t.flushMs,
    fileDeleteDelayMs: t.fileDeleteDelayMs,
    messageTimestampType: t.messageTimestampType,
    maxMessageBytes: t.maxMessageBytes,
    cleanupPolicy: [...(t.delete ? ['delete' as const] : []), ...(t.compact ? ['compact' as const] : [])],
    deleteRetentionMs: t.deleteRetentionMs,
    minCompactionLagMs: t.minCompactionLagMs,
    maxCompactionLagMs: Math.min(t.maxCompactionLagMs, Number.MAX_SAFE_INTEGER),
    minCleanableDirtyRatio: t.minCleanableDirtyRatio,
  };
}
