/** The broker side of consumer groups: the runtime that drives the group coordinator shards. */
export { type CoordinatorNode, GroupCoordinator, type GroupCoordinatorOptions } from './coordinator.js';
export { type GroupRuntimeConfig, groupRuntimeConfig } from './config.js';
export { type CoordinatorLog, replicaCoordinatorLog } from './coordinator-log.js';
export { type GroupRecordSerde, type LoadStats } from './loader.js';
export { javaStringHashCode, kafkaAbs, partitionForGroup } from './partition-for.js';
export type { LoadReport, ShardState } from './shard-runtime.js';
