/** Every API handler the broker registers; ApiVersions is computed from this list. */
import type { ApiHandler } from './api-handler.js';
import { produceHandler } from './000-produce.js';
import { fetchHandler } from './001-fetch.js';
import { listOffsetsHandler } from './002-list-offsets.js';
import { metadataHandler } from './003-metadata.js';
import { offsetCommitHandler } from './008-offset-commit.js';
import { offsetFetchHandler } from './009-offset-fetch.js';
import { findCoordinatorHandler } from './010-find-coordinator.js';
import { joinGroupHandler } from './011-join-group.js';
import { heartbeatHandler } from './012-heartbeat.js';
import { leaveGroupHandler } from './013-leave-group.js';
import { syncGroupHandler } from './014-sync-group.js';
import { describeGroupsHandler } from './015-describe-groups.js';
import { listGroupsHandler } from './016-list-groups.js';
import { apiVersionsHandler } from './018-api-versions.js';
import { createTopicsHandler } from './019-create-topics.js';
import { deleteTopicsHandler } from './020-delete-topics.js';
import { deleteRecordsHandler } from './021-delete-records.js';
import { initProducerIdHandler } from './022-init-producer-id.js';
import { addPartitionsToTxnHandler } from './024-add-partitions-to-txn.js';
import { addOffsetsToTxnHandler } from './025-add-offsets-to-txn.js';
import { endTxnHandler } from './026-end-txn.js';
import { writeTxnMarkersHandler } from './027-write-txn-markers.js';
import { txnOffsetCommitHandler } from './028-txn-offset-commit.js';
import { describeConfigsHandler } from './032-describe-configs.js';
import { alterConfigsHandler } from './033-alter-configs.js';
import { describeLogDirsHandler } from './035-describe-log-dirs.js';
import { createPartitionsHandler } from './037-create-partitions.js';
import { deleteGroupsHandler } from './042-delete-groups.js';
import { incrementalAlterConfigsHandler } from './044-incremental-alter-configs.js';
import { offsetDeleteHandler } from './047-offset-delete.js';
import { describeClusterHandler } from './060-describe-cluster.js';
import { describeProducersHandler } from './061-describe-producers.js';
import { describeTransactionsHandler } from './065-describe-transactions.js';
import { listTransactionsHandler } from './066-list-transactions.js';
import { consumerGroupHeartbeatHandler } from './068-consumer-group-heartbeat.js';
import { consumerGroupDescribeHandler } from './069-consumer-group-describe.js';
import { describeTopicPartitionsHandler } from './075-describe-topic-partitions.js';

export const BROKER_HANDLERS: readonly ApiHandler[] = [
  produceHandler,
  fetchHandler,
  listOffsetsHandler,
  metadataHandler,
  offsetCommitHandler,
  offsetFetchHandler,
  findCoordinatorHandler,
  joinGroupHandler,
  heartbeatHandler,
  leaveGroupHandler,
  syncGroupHandler,
  describeGroupsHandler,
  listGroupsHandler,
  apiVersionsHandler,
  createTopicsHandler,
  deleteTopicsHandler,
  deleteRecordsHandler,
  initProducerIdHandler,
  addPartitionsToTxnHandler,
  addOffsetsToTxnHandler,
  endTxnHandler,
  writeTxnMarkersHandler,
  txnOffsetCommitHandler,
  describeConfigsHandler,
  alterConfigsHandler,
  describeLogDirsHandler,
  createPartitionsHandler,
  deleteGroupsHandler,
  incrementalAlterConfigsHandler,
  offsetDeleteHandler,
  describeClusterHandler,
  describeProducersHandler,
  describeTransactionsHandler,
  listTransactionsHandler,
  consumerGroupHeartbeatHandler,
  consumerGroupDescribeHandler,
  describeTopicPartitionsHandler,
];

/** The KIP-848 consumer group APIs: served only with the "consumer" rebalance protocol enabled. */
const CONSUMER_PROTOCOL_APIS: ReadonlySet<number> = new Set([consumerGroupHeartbeatHandler.apiKey, consumerGroupDescribeHandler.apiKey]);

/** The handlers a broker with these group.coordinator.rebalance.protocols serves. */
export function brokerHandlers(rebalanceProtocols: readonly string[]): readonly ApiHandler[] {
  if (rebalanceProtocols.includes('consumer')) return BROKER_HANDLERS;
  return BROKER_HANDLERS.filter((h) => !CONSUMER_PROTOCOL_APIS.has(h.apiKey));
}

export { HandlerRegistry } from './registry.js';
