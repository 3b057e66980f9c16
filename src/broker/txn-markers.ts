/**
 * Writing one transaction marker to one partition, wherever it lives on this broker: a
 * `__consumer_offsets` partition goes through the group coordinator (its shard must see the
 * marker in turn with its own writes, to apply or drop the transaction's pending offsets);
 * any other partition is appended by the replica manager. Used by WriteTxnMarkers (027) and by
 * the transaction coordinator's in-process marker writer.
 */
import { ErrorCode } from '../protocol/index.js';
import type { TxnMarker } from '../storage/index.js';
import type { GroupCoordinator } from './group-coordinator/index.js';
import { CONSUMER_OFFSETS_TOPIC } from './internal-topics.js';
import type { ReplicaManager } from './replica-manager.js';

export interface TxnMarkerDeps {
  readonly replicas: Pick<ReplicaManager, 'lookup' | 'appendTxnMarker'>;
  readonly groupCoordinator: Pick<GroupCoordinator, 'writeTxnMarker'>;
}

/**
 * The marker's error code for the partition. As Kafka's WriteTxnMarkers, the group
 * coordinator's "not here / not ready" codes become NOT_LEADER_OR_FOLLOWER, the code a
 * transaction coordinator expects (and retries) from a partition that is not ready.
 */
export async function writeTxnMarker(deps: TxnMarkerDeps, topic: string, partition: number, marker: TxnMarker): Promise<number> {
  if (topic !== CONSUMER_OFFSETS_TOPIC) return (await deps.replicas.appendTxnMarker(topic, partition, marker)).errorCode;
  const found = deps.replicas.lookup(topic, partition);
  if (found.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) return found.errorCode;
  const errorCode = await deps.groupCoordinator.writeTxnMarker(partition, marker);
  switch (errorCode) {
    case ErrorCode.NOT_COORDINATOR:
    case ErrorCode.COORDINATOR_LOAD_IN_PROGRESS:
    case ErrorCode.COORDINATOR_NOT_AVAILABLE:
      return ErrorCode.NOT_LEADER_OR_FOLLOWER;
    default:
      return errorCode;
  }
}
