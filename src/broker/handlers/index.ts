/** Every API handler the broker registers; ApiVersions is computed from this list. */
import type { ApiHandler } from './api-handler.js';
import { produceHandler } from './000-produce.js';
import { fetchHandler } from './001-fetch.js';
import { listOffsetsHandler } from './002-list-offsets.js';
import { metadataHandler } from './003-metadata.js';
import { apiVersionsHandler } from './018-api-versions.js';
import { createTopicsHandler } from './019-create-topics.js';
import { deleteTopicsHandler } from './020-delete-topics.js';
import { deleteRecordsHandler } from './021-delete-records.js';
import { describeConfigsHandler } from './032-describe-configs.js';
import { alterConfigsHandler } from './033-alter-configs.js';
import { describeLogDirsHandler } from './035-describe-log-dirs.js';
import { createPartitionsHandler } from './037-create-partitions.js';
import { incrementalAlterConfigsHandler } from './044-incremental-alter-configs.js';
import { describeClusterHandler } from './060-describe-cluster.js';
import { describeTopicPartitionsHandler } from './075-describe-topic-partitions.js';

export const BROKER_HANDLERS: readonly ApiHandler[] = [
  produceHandler,
  fetchHandler,
  listOffsetsHandler,
  metadataHandler,
  apiVersionsHandler,
  createTopicsHandler,
  deleteTopicsHandler,
  deleteRecordsHandler,
  describeConfigsHandler,
  alterConfigsHandler,
  describeLogDirsHandler,
  createPartitionsHandler,
  incrementalAlterConfigsHandler,
  describeClusterHandler,
  describeTopicPartitionsHandler,
];

export { HandlerRegistry } from './registry.js';
