/**
 * One member of a classic group: what it joined with, its assignment, and the JoinGroup or
 * SyncGroup response it is waiting for, if any.
 */
import type { JoinGroupResponse, SyncGroupResponse } from '../../../protocol/index.js';
import type { DeferredResponse } from '../shard-api.js';

export interface ClassicProtocol {
  readonly name: string;
  readonly metadata: Buffer;
}

export const EMPTY_ASSIGNMENT: Buffer = Buffer.alloc(0);

export class ClassicMember {
  awaitingJoin: DeferredResponse<JoinGroupResponse> | null = null;
  /** The JoinGroup version the parked request came with (protocolName is not nullable before v7). */
  joinVersion = 0;
  awaitingSync: DeferredResponse<SyncGroupResponse> | null = null;
  /** Joined in the current rebalance and not yet answered: its session timer is the join timeout. */
  isNew = false;

  constructor(
    readonly memberId: string,
    readonly groupInstanceId: string | null,
    readonly clientId: string,
    readonly clientHost: string,
    public rebalanceTimeoutMs: number,
    public sessionTimeoutMs: number,
    readonly protocolType: string,
    public protocols: readonly ClassicProtocol[],
    public assignment: Buffer = EMPTY_ASSIGNMENT,
  ) {}

  get isStatic(): boolean {
    return this.groupInstanceId !== null;
  }

  /** The metadata this member sent for a protocol; undefined if it does not support it. */
  metadata(protocolName: string): Buffer | undefined {
    return this.protocols.find((p) => p.name === protocolName)?.metadata;
  }

  /** Same protocols, same order, same metadata bytes. */
  matches(protocols: readonly ClassicProtocol[]): boolean {
    if (protocols.length !== this.protocols.length) return false;
    return protocols.every((p, i) => p.name === this.protocols[i]!.name && p.metadata.equals(this.protocols[i]!.metadata));
  }

  /** The first of this member's protocols (in its preference order) that is a candidate. */
  vote(candidates: ReadonlySet<string>): string | undefined {
    return this.protocols.find((p) => candidates.has(p.name))?.name;
  }

  /** A member whose request is parked is alive even without heartbeats (unless it just joined). */
  hasSatisfiedHeartbeat(): boolean {
    return !this.isNew && (this.awaitingJoin !== null || this.awaitingSync !== null);
  }

  /** A copy under a new member id (static member replacement); parked responses stay with the old one. */
  withMemberId(memberId: string): ClassicMember {
    return new ClassicMember(memberId, this.groupInstanceId, this.clientId, this.clientHost, this.rebalanceTimeoutMs,
      this.sessionTimeoutMs, this.protocolType, this.protocols, this.assignment);
  }
}
