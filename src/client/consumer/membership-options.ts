/** What group membership is configured with (from ConsumerOptions). */
import type { PartitionAssignor } from './types.js';

export interface MembershipOptions {
  groupId: string;
  groupInstanceId: string | null;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** max.poll.interval.ms: also the rebalance timeout sent in JoinGroup. */
  maxPollIntervalMs: number;
  assignors: readonly PartitionAssignor[];
  groupRemoteAssignor: string | null;
  clientRack: string | null;
  retryBackoffMs: number;
}
