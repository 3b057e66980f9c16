/**
 * What the classic-group operations share: the shard's groups, config, clock, randomness and
 * timer, plus the timer keys they use.
 */
import type { Clock } from '../../../common/clock.js';
import type { Random } from '../../../common/random.js';
import type { CoordinatorTimer, GroupCoordinatorConfig } from '../shard-api.js';
import type { ClassicGroup } from './group.js';

export interface ClassicEnv {
  readonly config: GroupCoordinatorConfig;
  readonly clock: Clock;
  readonly random: Random;
  readonly timer: CoordinatorTimer;
  readonly groups: Map<string, ClassicGroup>;
}

/**
 * How long a new member's JoinGroup may stay parked before the member is dropped (Kafka's
 * internal group.classic.new.member.join.timeout, 5 minutes).
 */
export const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60_000;

// Group ids and member ids may contain any character, so keys are JSON arrays (unambiguous).
export const heartbeatKey = (groupId: string, memberId: string): string => `classic-heartbeat:${JSON.stringify([groupId, memberId])}`;
export const joinKey = (groupId: string): string => `classic-join:${JSON.stringify(groupId)}`;
export const syncKey = (groupId: string): string => `classic-sync:${JSON.stringify(groupId)}`;

/** A member id as Kafka makes them: the client id (or group instance id) and a random UUID. */
export function newMemberId(env: ClassicEnv, prefix: string): string {
  const b = env.random.bytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${prefix}-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
