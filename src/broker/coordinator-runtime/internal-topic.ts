/**
 * Creating a coordinator's internal topic on first use, as Kafka's AutoTopicCreationManager does
 * for `__consumer_offsets` and `__transaction_state`: the configured partitions, the replication
 * factor capped by the live brokers, the coordinator's topic configs.
 */
import { type MetadataManager, usableBrokerIds } from '../../metadata/index.js';
import { ErrorCode } from '../../protocol/index.js';
import type { BrokerLogger } from '../logger.js';
import type { InternalTopicSpec } from './service-api.js';

/** NONE once the topic exists (created now or already there), else COORDINATOR_NOT_AVAILABLE. */
export async function createInternalTopic(metadata: MetadataManager, spec: InternalTopicSpec, logger: BrokerLogger): Promise<number> {
  if (metadata.image.topicsByName.has(spec.name)) return ErrorCode.NONE;
  const liveBrokers = usableBrokerIds(metadata.image).length;
  if (liveBrokers === 0) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  try {
    const response = await metadata.createTopics({
      topics: [{
        name: spec.name,
        numPartitions: spec.numPartitions,
        replicationFactor: Math.min(spec.replicationFactor, liveBrokers),
        assignments: [],
        configs: spec.configs.map((c) => ({ name: c.name, value: c.value })),
      }],
      timeoutMs: 30_000,
      validateOnly: false,
    });
    const result = response.topics[0];
    const code = result?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR;
    if (code === ErrorCode.NONE || code === ErrorCode.TOPIC_ALREADY_EXISTS) return ErrorCode.NONE;
    logger.warn(`creating ${spec.name} failed with error ${code}: ${result?.errorMessage ?? ''}`);
  } catch (e) {
    logger.error(`creating ${spec.name} failed`, e);
  }
  return ErrorCode.COORDINATOR_NOT_AVAILABLE;
}
