/**
 * ConsumerGroupHeartbeat (68): the KIP-848 consumer protocol, where the coordinator assigns
 * partitions. Served only when group.coordinator.rebalance.protocols includes "consumer" (the
 * broker leaves the API out of ApiVersions otherwise). v1 is still marked unstable upstream;
 * Kafka 4.0 serves v0-1, and so does Samsa. The shard validates the request itself.
 */
import { ApiKey, type ConsumerGroupHeartbeatRequest, type ConsumerGroupHeartbeatResponse } from '../../protocol/index.js';
import { defineHandler } from './api-handler.js';
import { groupRequestContext } from './group-support.js';

export const consumerGroupHeartbeatHandler = defineHandler<ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse>({
  apiKey: ApiKey.ConsumerGroupHeartbeat,
  versions: { min: 0, max: 1 },
  handle({ body, apiVersion, services, request }) {
    const ctx = groupRequestContext(request, apiVersion);
    return services.groupCoordinator.write(
      body.groupId,
      (shard) => shard.consumerGroupHeartbeat(ctx, body),
      (errorCode): ConsumerGroupHeartbeatResponse => ({
        throttleTimeMs: 0, errorCode, errorMessage: null, memberId: null, memberEpoch: 0, heartbeatIntervalMs: 0, assignment: null,
      }),
    );
  },
});
