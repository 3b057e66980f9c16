/**
 * DeleteTopics (20): by name, or by topic id from v6; refused with TOPIC_DELETION_DISABLED when
 * delete.topic.enable is off. The partition logs go when the removal is published.
 */
import { ApiKey, ErrorCode, type DeleteTopicsRequest, type DeleteTopicsResponse, ZERO_UUID } from '../../protocol/index.js';
import { allVersions, defineHandler } from './api-handler.js';

export const deleteTopicsHandler = defineHandler<DeleteTopicsRequest, DeleteTopicsResponse>({
  apiKey: ApiKey.DeleteTopics,
  versions: allVersions(ApiKey.DeleteTopics),
  handle({ body, services }) {
    if (!services.settings.deleteTopicEnable) {
      return {
        throttleTimeMs: 0,
        // Before v6 the names come in topicNames; from v6 in topics (name or id).
        responses: [...body.topicNames.map((name) => ({ name, topicId: ZERO_UUID })), ...body.topics].map((t) => ({
          name: t.name, topicId: t.topicId, errorCode: ErrorCode.TOPIC_DELETION_DISABLED,
          errorMessage: 'Topic deletion is disabled.', _unknownTaggedFields: undefined,
        })),
        _unknownTaggedFields: undefined,
      };
    }
    return services.metadata.deleteTopics(body);
  },
});
