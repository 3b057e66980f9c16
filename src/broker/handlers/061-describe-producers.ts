/**
 * DescribeProducers (61, KIP-664): the producers a partition's leader keeps state for (its
 * producer id, epoch, last sequence and timestamp, coordinator epoch, and the first offset of
 * its ongoing transaction, -1 when none). Per partition, as Kafka: an unknown partition gets
 * UNKNOWN_TOPIC_OR_PARTITION, one led elsewhere NOT_LEADER_OR_FOLLOWER, an offline log
 * KAFKA_STORAGE_ERROR.
 */
import {
  ApiKey, type DescribeProducersRequest, type DescribeProducersResponse, type DescribeProducersResponsePartitionResponse,
  ErrorCode,
} from '../../protocol/index.js';
import type { ReplicaManager } from '../replica-manager.js';
import { allVersions, defineHandler } from './api-handler.js';

function describePartition(replicas: ReplicaManager, topic: string, partitionIndex: number): DescribeProducersResponsePartitionResponse {
  const found = replicas.lookup(topic, partitionIndex);
  if (!found.log) return { partitionIndex, errorCode: found.errorCode, errorMessage: null, activeProducers: [], _unknownTaggedFields: undefined };
  const activeProducers = found.log.producerStates().map((p) => ({
    producerId: p.producerId,
    producerEpoch: p.producerEpoch,
    lastSequence: p.lastSequence,
    lastTimestamp: p.lastTimestamp,
    coordinatorEpoch: p.coordinatorEpoch,
    currentTxnStartOffset: p.currentTxnStartOffset,
    _unknownTaggedFields: undefined,
  }));
  return { partitionIndex, errorCode: ErrorCode.NONE, errorMessage: null, activeProducers, _unknownTaggedFields: undefined };
}

export const describeProducersHandler = defineHandler<DescribeProducersRequest, DescribeProducersResponse>({
  apiKey: ApiKey.DescribeProducers,
  versions: allVersions(ApiKey.DescribeProducers),
  handle({ body, services }) {
    const topics = body.topics.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((p) => describePartition(services.replicas, t.name, p)),
      _unknownTaggedFields: undefined,
    }));
    return { throttleTimeMs: 0, topics, _unknownTaggedFields: undefined };
  },
});
