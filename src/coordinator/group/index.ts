/**
 * The group coordinator: one GroupCoordinatorShard per `__consumer_offsets` partition, driven by
 * a runtime through GroupCoordinatorShardApi, persisting GroupRecords.
 */
export { GroupCoordinatorShard, OFFSET_EXPIRY_KEY, type ConsumerGroupsFactory } from './shard.js';
export {
  type CoordinatorResult,
  type CoordinatorTimer,
  DEFAULT_GROUP_COORDINATOR_CONFIG,
  DeferredResponse,
  type GroupCoordinatorConfig,
  type GroupCoordinatorShardApi,
  type GroupShardOptions,
  type OffsetFetchGroupRequest,
  type RequestContext,
} from './shard-api.js';
export type { GroupRecord, GroupRecordType } from './records.js';
export { decodeGroupRecord, encodeGroupRecord } from './records-serde.js';
export type { ConsumerGroupsApi, ConsumerGroupsOptions, ListedGroupView } from './consumer-groups-api.js';
