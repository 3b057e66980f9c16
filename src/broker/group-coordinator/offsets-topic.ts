/**
 * Creating `__consumer_offsets` on first use, as Kafka's AutoTopicCreationManager does for
 * internal topics: offsets.topic.num.partitions partitions, replication factor
 * offsets.topic.replication.factor capped by the live brokers, compacted, with the producer's
 * compression kept and offsets.topic.segment.bytes segments.
 */
import { type MetadataManager, usableBrokerIds } from '../../metadata/index.js';
import { ErrorCode } from '../../protocol/index.js';
import { CONSUMER_OFFSETS_TOPIC } from '../internal-topics.js';
import type { BrokerLogger } from '../logger.js';
import type { GroupRuntimeConfig } from './config.js';

/** NONE once the topic exists (created now or already there), else the reason it does not. */
export async function createOffsetsTopic(metadata: MetadataManager, config: GroupRuntimeConfig, logger: BrokerLogger): Promise<number> {
  if (metadata.image.topicsByName.has(CONSUMER_OFFSETS_TOPIC)) return ErrorCode.NONE;
  const liveBrokers = usableBrokerIds(metadata.image).length;
  if (liveBrokers === 0) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  try {
    const response = await metadata.createTopics({
      topics: [{
        name: CONSUMER_OFFSETS_TOPIC,
        numPartitions: config.offsetsTopicNumPartitions,
        replicationFactor: Math.min(config.offsetsTopicReplicationFactor, liveBrokers),
        assignments: [],
        configs: [
          { name: 'cleanup.policy', value: 'compact' },
          { name: 'compression.type', value: 'producer' },
          { name: 'segment.bytes', value: String(config.offsetsTopicSegmentBytes) },
        ],
      }],
      timeoutMs: 30_000,
      validateOnly: false,
    });
    const result = response.topics[0];
    const code = result?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR;
    if (code === ErrorCode.NONE || code === ErrorCode.TOPIC_ALREADY_EXISTS) return ErrorCode.NONE;
    logger.warn(`creating ${CONSUMER_OFFSETS_TOPIC} failed with error ${code}: ${result?.errorMessage ?? ''}`);
  } catch (e) {
    logger.error(`creating ${CONSUMER_OFFSETS_TOPIC} failed`, e);
  }
  return ErrorCode.COORDINATOR_NOT_AVAILABLE;
}
