/**
 * DeleteRecords (21): moves a partition's log start offset up to the offset given (-1: the high
 * watermark), so nothing below it can be fetched again; segments wholly below it are deleted.
 * Per partition, as Kafka: an unknown partition gets UNKNOWN_TOPIC_OR_PARTITION, an internal
 * topic INVALID_TOPIC_EXCEPTION, a compact-only topic POLICY_VIOLATION, an offset past the high
 * watermark (or below -1) OFFSET_OUT_OF_RANGE; success answers the new log start offset as
 * lowWatermark. A partition named twice is answered once, for the last offset given (Kafka keys
 * the request by partition). On a single node the low watermark is the leader's log start
 * offset at once, so the request never waits for its timeout.
 */
import { ApiKey, type DeleteRecordsRequest, type DeleteRecordsResponse, type DeleteRecordsResponseDeleteRecordsTopicResult } from '../../protocol/index.js';
import { allVersions, defineHandler } from './api-handler.js';

export const deleteRecordsHandler = defineHandler<DeleteRecordsRequest, DeleteRecordsResponse>({
  apiKey: ApiKey.DeleteRecords,
  versions: allVersions(ApiKey.DeleteRecords),
  async handle({ body, services }) {
    const requested = new Map<string, Map<number, bigint>>();
    for (const t of body.topics) {
      let partitions = requested.get(t.name);
      if (!partitions) requested.set(t.name, (partitions = new Map()));
      for (const p of t.partitions) partitions.set(p.partitionIndex, p.offset);
    }
    const topics: DeleteRecordsResponseDeleteRecordsTopicResult[] = [];
    for (const [name, offsets] of requested) {
      const partitions = [];
      for (const [partitionIndex, offset] of offsets) {
        const { errorCode, lowWatermark } = await services.replicas.deleteRecords(name, partitionIndex, offset);
        partitions.push({ partitionIndex, lowWatermark, errorCode, _unknownTaggedFields: undefined });
      }
      topics.push({ name, partitions, _unknownTaggedFields: undefined });
    }
    return { throttleTimeMs: 0, topics, _unknownTaggedFields: undefined };
  },
});
