/**
 * CreatePartitions (37): grow a topic's partition count (never shrink), delegated to the
 * controller.
 */
import { ApiKey, type CreatePartitionsRequest, type CreatePartitionsResponse } from '../../protocol/index.js';
import { allVersions, defineHandler } from './api-handler.js';

export const createPartitionsHandler = defineHandler<CreatePartitionsRequest, CreatePartitionsResponse>({
  apiKey: ApiKey.CreatePartitions,
  versions: allVersions(ApiKey.CreatePartitions),
  handle({ body, services }) {
    return services.metadata.createPartitions(body);
  },
});
