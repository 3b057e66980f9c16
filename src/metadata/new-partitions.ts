import { ErrorCode, type Uuid } from '../protocol/index.js';
import type { ApiError } from './controller-context.js';
import { type MetadataImage, NO_LEADER, usableBrokerIds } from './image.js';
import { type MetadataRecordOf, metadataRecord } from './records.js';
import { manualAssignmentError } from './replica-placement.js';

/**
 * What creating a topic and adding partitions share: checking manual assignments and turning
 * replica lists into PartitionRecords.
 */

/**
 * Checks manual assignments in order: each well-formed and with the replication factor of the
 * ones before (or `replicationFactor` when given), and each with at least one usable replica.
 * `partitionIdOf(i)` names the i-th assignment's partition for messages.
 */
export function checkManualAssignments(
  image: MetadataImage,
  assignments: readonly (readonly number[])[],
  replicationFactor: number | undefined,
  partitionIdOf: (index: number) => number,
): ApiError | null {
  const usable = new Set(usableBrokerIds(image));
  let expected = replicationFactor;
  for (let i = 0; i < assignments.length; i++) {
    const brokerIds = assignments[i]!;
    const message = manualAssignmentError(brokerIds, (id) => image.brokers.has(id), expected);
    if (message !== null) return { code: ErrorCode.INVALID_REPLICA_ASSIGNMENT, message };
    expected = brokerIds.length;
    if (!brokerIds.some((id) => usable.has(id))) {
      return {
        code: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        message: `All brokers specified in the manual partition assignment for partition ${partitionIdOf(i)} are fenced or in controlled shutdown.`,
      };
    }
  }
  return null;
}

/**
 * PartitionRecords for new partitions: the ISR is the usable replicas, the leader the first of
 * the replicas in the ISR, leaderEpoch and partitionEpoch 0.
 */
export function partitionRecords(
  image: MetadataImage,
  topicId: Uuid,
  firstPartitionId: number,
  replicas: readonly number[][],
): MetadataRecordOf<'PartitionRecord'>[] {
  const usable = new Set(usableBrokerIds(image));
  return replicas.map((assignment, i) => {
    const isr = assignment.filter((id) => usable.has(id));
    return metadataRecord('PartitionRecord', {
      partitionId: firstPartitionId + i,
      topicId,
      replicas: [...assignment],
      isr,
      removingReplicas: [],
      addingReplicas: [],
      leader: isr[0] ?? NO_LEADER,
      leaderRecoveryState: 0,
      leaderEpoch: 0,
      partitionEpoch: 0,
      directories: [],
      eligibleLeaderReplicas: null,
      lastKnownElr: null,
    });
  });
}
