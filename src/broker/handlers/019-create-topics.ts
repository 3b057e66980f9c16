/**
 * CreateTopics (19): delegated to the controller, which validates names, counts, assignments and
 * configs and commits the records; the answer carries Kafka's per-topic error codes.
 */
import { ApiKey, type CreateTopicsRequest, type CreateTopicsResponse } from '../../protocol/index.js';
import { allVersions, defineHandler } from './api-handler.js';

export const createTopicsHandler = defineHandler<CreateTopicsRequest, CreateTopicsResponse>({
  apiKey: ApiKey.CreateTopics,
  versions: allVersions(ApiKey.CreateTopics),
  handle({ body, services }) {
    return services.metadata.createTopics(body);
  },
});
