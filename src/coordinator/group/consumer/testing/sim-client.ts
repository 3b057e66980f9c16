/**
 * A simulated KIP-848 consumer for scenario tests: it joins, heartbeats with the partitions it
 * owns, takes new partitions at once, gives up revoked ones when told to (slow clients keep them
 * a while, as a client committing offsets does), and rejoins after being fenced.
 */
import { type ConsumerGroupHeartbeatResponse, ErrorCode, type Uuid } from '../../../../protocol/index.js';
import { type Assignment, assignmentEquals, assignmentFromEntries, assignmentToEntries, AssignmentBuilder, EMPTY_ASSIGNMENT } from '../assignment.js';
import { type Harness, heartbeatRequest, joinRequest } from './harness.js';

export class SimClient {
  epoch = 0;
  owned: Assignment = EMPTY_ASSIGNMENT;
  /** The latest assignment the coordinator sent. */
  assigned: Assignment = EMPTY_ASSIGNMENT;
  alive = true;
  lastHeartbeatMs = 0;
  /** When the client started revoking partitions it still owns, or undefined. */
  revokingSinceMs: number | undefined;
  lastResponse: ConsumerGroupHeartbeatResponse | undefined;
  private sentOwned: Assignment | undefined;
  /** The next heartbeat is a full request (after a lost response). */
  private full = false;

  constructor(
    private readonly h: Harness,
    public memberId: string,
    readonly topics: string[],
    readonly options: { readonly instanceId?: string; readonly groupId?: string; readonly slowRevocation?: boolean } = {},
  ) {}

  /**
   * One heartbeat. `omitOwnedIfUnchanged` sends null owned partitions when nothing changed;
   * `lose` drops the response (the coordinator acted on the request; the client learns nothing and
   * sends a full request next time, as a client does after a timeout).
   */
  heartbeat(options: { readonly omitOwnedIfUnchanged?: boolean; readonly lose?: boolean } = {}): ConsumerGroupHeartbeatResponse {
    const groupId = this.options.groupId ?? 'g';
    const instanceId = this.options.instanceId ?? null;
    const unchanged = this.sentOwned !== undefined && assignmentEquals(this.sentOwned, this.owned);
    const owned = options.omitOwnedIfUnchanged && unchanged && !this.full ? null : assignmentToEntries(this.owned);
    const req = this.epoch === 0
      ? joinRequest(this.memberId, this.topics, { groupId, instanceId })
      : heartbeatRequest({
        groupId, memberId: this.memberId, memberEpoch: this.epoch, instanceId, topicPartitions: owned,
        ...(this.full ? { rebalanceTimeoutMs: 60_000, subscribedTopicNames: this.topics } : {}),
      });
    const res = this.h.heartbeat(req);
    this.lastHeartbeatMs = this.h.clock.monotonicMs();
    if (options.lose) {
      this.full = true;
      return res;
    }
    this.full = false;
    this.lastResponse = res;
    if (res.errorCode === ErrorCode.UNKNOWN_MEMBER_ID || res.errorCode === ErrorCode.FENCED_MEMBER_EPOCH) {
      this.loseAll();
      return res;
    }
    if (res.errorCode !== ErrorCode.NONE) return res;
    this.sentOwned = this.epoch === 0 ? EMPTY_ASSIGNMENT : this.owned;
    if (res.memberId !== null) this.memberId = res.memberId;
    this.epoch = res.memberEpoch;
    if (res.assignment) this.onAssignment(assignmentFromEntries(res.assignment.topicPartitions));
    return res;
  }

  private onAssignment(next: Assignment): void {
    this.assigned = next;
    const owned = new AssignmentBuilder().addAll(next);
    let revoking = false;
    for (const [topicId, partitions] of this.owned) {
      for (const p of partitions) {
        if (next.get(topicId)?.has(p)) continue;
        if (this.options.slowRevocation) {
          owned.add(topicId, p);
          revoking = true;
        }
      }
    }
    this.owned = owned.build();
    if (revoking) this.revokingSinceMs ??= this.h.clock.monotonicMs();
    else this.revokingSinceMs = undefined;
  }

  /** Finishes revoking: owns exactly the latest assignment. */
  completeRevocation(): void {
    this.owned = this.assigned;
    this.revokingSinceMs = undefined;
  }

  /** Leaves (-1), or for a static member also -2: gone for a while, its place kept. */
  leave(memberEpoch: -1 | -2 = -1): ConsumerGroupHeartbeatResponse {
    const res = this.h.heartbeat(heartbeatRequest({
      groupId: this.options.groupId ?? 'g', memberId: this.memberId, memberEpoch, instanceId: this.options.instanceId ?? null,
    }));
    this.loseAll();
    this.alive = false;
    return res;
  }

  /** The process stops: it owns nothing any more and never heartbeats again. */
  crash(): void {
    this.loseAll();
    this.alive = false;
  }

  private loseAll(): void {
    this.full = false;
    this.owned = EMPTY_ASSIGNMENT;
    this.assigned = EMPTY_ASSIGNMENT;
    this.epoch = 0;
    this.sentOwned = undefined;
    this.revokingSinceMs = undefined;
  }
}

/** Throws unless no partition is owned by two live clients. */
export function assertDisjointOwnership(clients: readonly SimClient[]): void {
  const owners = new Map<string, string>();
  for (const c of clients) {
    if (!c.alive) continue;
    for (const [topicId, partitions] of c.owned) {
      for (const p of partitions) {
        const key = `${topicId as Uuid}-${p}`;
        const other = owners.get(key);
        if (other !== undefined) throw new Error(`${key} is owned by both ${other} and ${c.memberId}`);
        owners.set(key, c.memberId);
      }
    }
  }
}
