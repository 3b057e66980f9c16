/** Every API handler the broker registers; ApiVersions is computed from this list. */
import type { ApiHandler } from './api-handler.js';
import { produceHandler } from './000-produce.js';
import { fetchHandler } from './001-fetch.js';
import { listOffsetsHandler } from './002-list-offsets.js';
import { metadataHandler } from './003-metadata.js';
import { apiVersionsHandler } from './018-api-versions.js';
import { createTopicsHandler } from './019-create-topics.js';
import { deleteTopicsHandler } from './020-delete-topics.js';
import { createPartitionsHandler } from './037-create-partitions.js';
import { describeClusterHandler } from './060-describe-cluster.js';

export const BROKER_HANDLERS: readonly ApiHandler[] = [
  produceHandler,
  fetchHandler,
  listOffsetsHandler,
  metadataHandler,
  apiVersionsHandler,
  createTopicsHandler,
  deleteTopicsHandler,
  createPartitionsHandler,
  describeClusterHandler,
];

export { HandlerRegistry } from './registry.js';
