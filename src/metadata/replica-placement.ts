import type { Random } from '../common/random.js';

/**
 * Where new partitions' replicas go. Kafka's rack-unaware assignment: the first replica of
 * partition p goes to broker (start + p) mod n, the others follow at a shift that grows by one
 * every n partitions, so leaders and followers both spread evenly. `start` and the initial shift
 * come from the injected Random, so a seeded Random gives the same placement every time.
 */

export type PlacementResult = { ok: true; replicas: number[][] } | { ok: false; message: string };

/**
 * Places `count` partitions numbered from `firstPartitionId` on `brokerIds` (the usable brokers,
 * sorted), `replicationFactor` replicas each.
 */
export function placeReplicas(
  brokerIds: readonly number[],
  firstPartitionId: number,
  count: number,
  replicationFactor: number,
  random: Random,
): PlacementResult {
  const n = brokerIds.length;
  if (n === 0) return { ok: false, message: 'All brokers are currently fenced.' };
  if (replicationFactor > n) {
    return {
      ok: false,
      message: `The target replication factor of ${replicationFactor} cannot be reached because only ${n} broker(s) are registered.`,
    };
  }
  const start = random.int(n);
  let shift = random.int(n);
  const replicas: number[][] = [];
  for (let p = firstPartitionId; p < firstPartitionId + count; p++) {
    if (p > 0 && p % n === 0) shift++;
    const first = (p + start) % n;
    const assignment = [brokerIds[first]!];
    for (let j = 0; j < replicationFactor - 1; j++) {
      const step = 1 + ((shift + j) % (n - 1));
      assignment.push(brokerIds[(first + step) % n]!);
    }
    replicas.push(assignment);
  }
  return { ok: true, replicas };
}

/**
 * Checks a manual assignment of one partition (Kafka's validateManualPartitionAssignment):
 * not empty, no broker twice, every broker registered, and, when given, the replication factor
 * of the partitions before it. Returns Kafka's message, or null when the assignment is fine.
 */
export function manualAssignmentError(
  brokerIds: readonly number[],
  registered: (brokerId: number) => boolean,
  replicationFactor: number | undefined,
): string | null {
  if (brokerIds.length === 0) return 'The manual partition assignment includes an empty replica list.';
  const sorted = [...brokerIds].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i++) {
    const brokerId = sorted[i]!;
    if (!registered(brokerId)) return `The manual partition assignment includes broker ${brokerId}, but no such broker is registered.`;
    if (i > 0 && sorted[i - 1] === brokerId) return `The manual partition assignment includes the broker ${brokerId} more than once.`;
  }
  if (replicationFactor !== undefined && sorted.length !== replicationFactor) {
    return (
      `The manual partition assignment includes a partition with ${sorted.length} replica(s), but this is not ` +
      `consistent with previous partitions, which have ${replicationFactor} replica(s).`
    );
  }
  return null;
}
