/**
 * OffsetDelete (47): as OffsetCommit, partitions the cluster does not know are answered here
 * (UNKNOWN_TOPIC_OR_PARTITION); the shard deletes the rest (GROUP_SUBSCRIBED_TO_TOPIC for a
 * topic the group still consumes) and answers group errors at the top level.
 */
import {
  ApiKey, ErrorCode, type OffsetDeleteRequest, type OffsetDeleteRequestTopic, type OffsetDeleteResponse, type OffsetDeleteResponseTopic,
} from '../../protocol/index.js';
import { allVersions, defineHandler } from './api-handler.js';
import { groupRequestContext } from './group-support.js';

export const offsetDeleteHandler = defineHandler<OffsetDeleteRequest, OffsetDeleteResponse>({
  apiKey: ApiKey.OffsetDelete,
  versions: allVersions(ApiKey.OffsetDelete),
  async handle({ body, apiVersion, services, request }) {
    if (body.groupId === '') return { errorCode: ErrorCode.INVALID_GROUP_ID, throttleTimeMs: 0, topics: [] };
    const image = services.metadata.image;
    const unknown: OffsetDeleteResponseTopic[] = [];
    const known: OffsetDeleteRequestTopic[] = [];
    for (const topic of body.topics) {
      const partitions = image.topicsByName.get(topic.name)?.partitions;
      const valid = topic.partitions.filter((p) => partitions?.has(p.partitionIndex));
      const invalid = topic.partitions.filter((p) => !partitions?.has(p.partitionIndex));
      if (valid.length > 0) known.push({ ...topic, partitions: valid });
      if (invalid.length > 0) {
        unknown.push({ name: topic.name, partitions: invalid.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION })) });
      }
    }
    const ctx = groupRequestContext(request, apiVersion);
    const response = await services.groupCoordinator.write(
      body.groupId,
      (shard) => shard.offsetDelete(ctx, { ...body, topics: known }),
      (errorCode): OffsetDeleteResponse => ({ errorCode, throttleTimeMs: 0, topics: [] }),
    );
    if (response.errorCode !== ErrorCode.NONE) return response;
    const topics = response.topics.map((t) => ({ ...t, partitions: [...t.partitions] }));
    for (const t of unknown) {
      const same = topics.find((x) => x.name === t.name);
      if (same) same.partitions.push(...t.partitions);
      else topics.push(t);
    }
    return { ...response, topics };
  },
});
