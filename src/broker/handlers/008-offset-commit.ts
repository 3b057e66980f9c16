/**
 * OffsetCommit (8): partitions of topics or partitions the cluster does not know are answered
 * here with UNKNOWN_TOPIC_OR_PARTITION (as Kafka's KafkaApis does); the rest go to the shard
 * owning the group, and the two answers are merged. When the shard cannot take the commit, every
 * partition gets its error.
 */
import {
  ApiKey, ErrorCode, type OffsetCommitRequest, type OffsetCommitRequestTopic, type OffsetCommitResponse, type OffsetCommitResponseTopic,
} from '../../protocol/index.js';
import { allVersions, defineHandler } from './api-handler.js';
import { groupRequestContext } from './group-support.js';

function allPartitions(topics: readonly OffsetCommitRequestTopic[], errorCode: number): OffsetCommitResponseTopic[] {
  return topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) }));
}

/** `extra` folded into `topics`, partitions of a topic named in both added to its entry. */
function merge(topics: readonly OffsetCommitResponseTopic[], extra: readonly OffsetCommitResponseTopic[]): OffsetCommitResponseTopic[] {
  const out = topics.map((t) => ({ ...t, partitions: [...t.partitions] }));
  for (const t of extra) {
    const same = out.find((x) => x.name === t.name);
    if (same) same.partitions.push(...t.partitions);
    else out.push(t);
  }
  return out;
}

export const offsetCommitHandler = defineHandler<OffsetCommitRequest, OffsetCommitResponse>({
  apiKey: ApiKey.OffsetCommit,
  versions: allVersions(ApiKey.OffsetCommit),
  async handle({ body, apiVersion, services, request }) {
    const image = services.metadata.image;
    const unknown: OffsetCommitResponseTopic[] = [];
    const known: OffsetCommitRequestTopic[] = [];
    for (const topic of body.topics) {
      const partitions = image.topicsByName.get(topic.name)?.partitions;
      const valid = topic.partitions.filter((p) => partitions?.has(p.partitionIndex));
      const invalid = topic.partitions.filter((p) => !partitions?.has(p.partitionIndex));
      if (valid.length > 0) known.push({ ...topic, partitions: valid });
      if (invalid.length > 0) unknown.push(...allPartitions([{ ...topic, partitions: invalid }], ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
    }
    if (known.length === 0) return { throttleTimeMs: 0, topics: unknown };
    const commit: OffsetCommitRequest = { ...body, topics: known };
    const ctx = groupRequestContext(request, apiVersion);
    const response = await services.groupCoordinator.write(
      body.groupId,
      (shard) => shard.offsetCommit(ctx, commit),
      (errorCode): OffsetCommitResponse => ({ throttleTimeMs: 0, topics: allPartitions(known, errorCode) }),
    );
    return { ...response, topics: merge(response.topics, unknown) };
  },
});
