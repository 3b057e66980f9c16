/** The broker side of consumer groups: the group coordinator over the generic coordinator runtime. */
export { GroupCoordinator, type GroupCoordinatorOptions } from './coordinator.js';
export { type GroupRuntimeConfig, groupRuntimeConfig, offsetsTopicSpec } from './config.js';
export { replicaCoordinatorLog } from '../coordinator-runtime/coordinator-log.js';
export type { CoordinatorLogApi, CoordinatorNode } from '../coordinator-runtime/service-api.js';
export type { LoadReport, ShardState } from '../coordinator-runtime/shard-runtime.js';
export { javaStringHashCode, kafkaAbs, partitionForKey as partitionForGroup } from '../coordinator-runtime/partition-for.js';
