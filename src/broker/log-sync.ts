/**
 * Keeps the partition logs in step with the metadata image: a log for every partition this node
 * hosts, created when its topic appears, deleted when the topic goes; topic config changes reach
 * the live logs. Logs found on disk for topics the image does not know are left alone, with a
 * warning (Kafka calls them stray replicas).
 */
import type { MetadataPublisher, MetadataUpdate } from '../metadata/index.js';
import { type LogManager, mapBounded } from '../storage/index.js';
import type { BrokerLogger } from './logger.js';

/** New partitions' logs created at once when a metadata update brings many. */
const CREATE_LOGS_CONCURRENCY = 16;

export class LogSync implements MetadataPublisher {
  readonly name = 'log-sync';

  constructor(
    private readonly logs: LogManager,
    private readonly nodeId: number,
    private readonly logger: BrokerLogger,
    private readonly configFor: (topic: string) => Parameters<LogManager['updateTopicConfig']>[1],
  ) {}

  /**
   * Acts on what the update changed (the first update, from an empty image, names everything):
   * deleted topics lose their logs, created or changed partitions hosted here get one.
   */
  async onMetadataUpdate(u: MetadataUpdate): Promise<void> {
    const { previous, image, changes } = u;
    for (const topic of changes.deletedTopics.values()) {
      for (const partition of topic.partitions.keys()) await this.logs.deleteLog({ topic: topic.name, partition });
    }
    const missing: Array<{ tp: { topic: string; partition: number }; topic: string }> = [];
    for (const [topicId, partitions] of changes.changedPartitions) {
      const topic = image.topicsById.get(topicId);
      if (!topic) continue;
      for (const partitionId of partitions) {
        const p = topic.partitions.get(partitionId);
        const tp = { topic: topic.name, partition: partitionId };
        if (p?.replicas.includes(this.nodeId) && !this.logs.getLog(tp)) missing.push({ tp, topic: topic.name });
      }
    }
    // Each new log is a dozen file-system calls, mostly waiting: several at a time keep the thread pool busy.
    await mapBounded(missing, CREATE_LOGS_CONCURRENCY, ({ tp, topic }) => this.logs.getOrCreateLog(tp, this.configFor(topic)));
    for (const topic of changes.changedTopicConfigs) {
      if (image.topicsByName.has(topic)) this.logs.updateTopicConfig(topic, this.configFor(topic));
    }
    if (previous.offset < 0n) {
      this.warnAboutStrays(u);
      this.restoreHighWatermarks(u);
    }
  }

  /**
   * At start-up nothing is in flight, and where this node is the whole ISR everything in the log
   * is as replicated as it will be: the high watermark is the log end offset.
   */
  private restoreHighWatermarks(u: MetadataUpdate): void {
    for (const log of this.logs.allLogs()) {
      const { topic, partition } = log.topicPartition;
      const isr = u.image.topicsByName.get(topic)?.partitions.get(partition)?.isr ?? [];
      if (isr.length === 1 && isr[0] === this.nodeId) log.updateHighWatermark(log.logEndOffset);
    }
  }

  private warnAboutStrays(u: MetadataUpdate): void {
    for (const log of this.logs.allLogs()) {
      const { topic, partition } = log.topicPartition;
      if (!u.image.topicsByName.get(topic)?.partitions.has(partition)) {
        this.logger.warn(`log ${topic}-${partition} is on disk but not in the cluster metadata; left as it is`);
      }
    }
  }
}
