/**
 * A classic group's state: Kafka's ClassicGroup states and transitions, its members (dynamic,
 * static and pending), the protocols they all support, and the members still to sync.
 */
import { assert } from '../../../common/errors.js';
import { ErrorCode, type JoinGroupResponse, type JoinGroupResponseMember, type SyncGroupResponse } from '../../../protocol/index.js';
import { joinResponse, syncResponse } from './responses.js';
import type { DeferredResponse } from '../shard-api.js';
import { type ClassicMember, EMPTY_ASSIGNMENT } from './member.js';
import { CONSUMER_PROTOCOL_TYPE, subscribedTopicsOf } from './subscription.js';

export type ClassicGroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

const VALID_PREVIOUS_STATES: Readonly<Record<ClassicGroupState, readonly ClassicGroupState[]>> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
};

export class ClassicGroup {
  state: ClassicGroupState;
  previousState: ClassicGroupState;
  /** A member joined during the initial (delayed) rebalance since the delay was last extended. */
  newMemberAdded = false;
  /** Topics the members subscribe to; null when unknown (not the consumer protocol, unparsable metadata). */
  subscribedTopics: ReadonlySet<string> | null = null;
  readonly members = new Map<string, ClassicMember>();
  /** Dynamic members told MEMBER_ID_REQUIRED that have not joined yet. */
  readonly pendingJoinMembers = new Set<string>();
  readonly pendingSyncMembers = new Set<string>();
  private readonly staticMembers = new Map<string, string>();
  private readonly protocolCounts = new Map<string, number>();

  constructor(
    readonly groupId: string,
    state: ClassicGroupState,
    public generationId: number,
    public protocolType: string | null,
    public protocolName: string | null,
    public leaderId: string | null,
    public currentStateTimestampMs: number | null,
  ) {
    this.state = state;
    this.previousState = state;
  }

  static create(groupId: string, nowMs: number): ClassicGroup {
    return new ClassicGroup(groupId, 'Empty', 0, null, null, null, nowMs);
  }

  is(state: ClassicGroupState): boolean {
    return this.state === state;
  }

  isEmpty(): boolean {
    return this.state === 'Empty';
  }

  /** Created only to hold offsets committed outside group management: no record backs it. */
  isSimple(): boolean {
    return this.protocolType === null && this.state === 'Empty' && this.pendingJoinMembers.size === 0;
  }

  usesConsumerProtocol(): boolean {
    return this.protocolType === CONSUMER_PROTOCOL_TYPE;
  }

  transitionTo(target: ClassicGroupState, nowMs: number): void {
    assert(VALID_PREVIOUS_STATES[target].includes(this.state), `group ${this.groupId}: ${this.state} → ${target}`);
    this.previousState = this.state;
    this.state = target;
    this.currentStateTimestampMs = nowMs;
  }

  canRebalance(): boolean {
    return VALID_PREVIOUS_STATES.PreparingRebalance.includes(this.state);
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  staticMemberId(groupInstanceId: string): string | undefined {
    return this.staticMembers.get(groupInstanceId);
  }

  add(member: ClassicMember, join: DeferredResponse<JoinGroupResponse> | null, joinVersion: number): void {
    if (member.groupInstanceId !== null) {
      assert(!this.staticMembers.has(member.groupInstanceId), `static member ${member.groupInstanceId} already in ${this.groupId}`);
      this.staticMembers.set(member.groupInstanceId, member.memberId);
    }
    if (this.members.size === 0) this.protocolType = member.protocolType;
    assert(this.protocolType === member.protocolType, 'a member joins with its group\'s protocol type');
    this.leaderId ??= member.memberId;
    this.members.set(member.memberId, member);
    this.countProtocols(member, 1);
    member.awaitingJoin = join;
    member.joinVersion = joinVersion;
    this.pendingJoinMembers.delete(member.memberId);
  }

  remove(memberId: string): void {
    const member = this.members.get(memberId);
    if (member) {
      this.members.delete(memberId);
      this.countProtocols(member, -1);
      if (member.groupInstanceId !== null) this.staticMembers.delete(member.groupInstanceId);
    }
    if (this.isLeader(memberId)) this.leaderId = this.members.keys().next().value ?? null;
    this.pendingJoinMembers.delete(memberId);
    this.pendingSyncMembers.delete(memberId);
  }

  updateMember(member: ClassicMember, protocols: ClassicMember['protocols'], rebalanceTimeoutMs: number,
    sessionTimeoutMs: number, join: DeferredResponse<JoinGroupResponse> | null, joinVersion: number): void {
    this.countProtocols(member, -1);
    member.protocols = protocols;
    this.countProtocols(member, 1);
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    member.sessionTimeoutMs = sessionTimeoutMs;
    member.awaitingJoin = join;
    member.joinVersion = joinVersion;
  }

  /** Moves a static member to a new member id; the old id's parked requests are fenced. */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string): ClassicMember {
    const old = this.members.get(oldMemberId);
    assert(old !== undefined, `no member ${oldMemberId} to replace in ${this.groupId}`);
    this.members.delete(oldMemberId);
    this.completeJoin(old, { errorCode: ErrorCode.FENCED_INSTANCE_ID, memberId: oldMemberId, protocolName: null });
    this.completeSync(old, { errorCode: ErrorCode.FENCED_INSTANCE_ID, assignment: EMPTY_ASSIGNMENT });
    const replacement = old.withMemberId(newMemberId);
    this.members.set(newMemberId, replacement);
    if (this.isLeader(oldMemberId)) this.leaderId = newMemberId;
    this.staticMembers.set(groupInstanceId, newMemberId);
    this.pendingSyncMembers.delete(oldMemberId);
    return replacement;
  }

  /** UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID, or NONE (Kafka's validateMember). */
  validateMember(memberId: string, groupInstanceId: string | null): number {
    if (groupInstanceId !== null) {
      const existing = this.staticMembers.get(groupInstanceId);
      if (existing === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (existing !== memberId) return ErrorCode.FENCED_INSTANCE_ID;
    }
    return this.members.has(memberId) ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  /** An Empty group takes any non-empty protocol set; otherwise the type must match and one protocol be common to all. */
  supportsProtocols(protocolType: string, protocolNames: readonly string[]): boolean {
    if (this.state === 'Empty') return protocolType !== '' && protocolNames.length > 0;
    return this.protocolType === protocolType && protocolNames.some((name) => this.protocolCounts.get(name) === this.members.size);
  }

  /** The protocol all members support that gets the most first-choice votes. */
  selectProtocol(): string {
    const candidates = new Set([...this.protocolCounts].filter(([, n]) => n === this.members.size).map(([name]) => name));
    const votes = new Map<string, number>();
    for (const member of this.members.values()) {
      const vote = member.vote(candidates);
      assert(vote !== undefined, `member ${member.memberId} supports no common protocol`);
      votes.set(vote, (votes.get(vote) ?? 0) + 1);
    }
    let best: string | undefined;
    for (const [name, n] of votes) if (best === undefined || n > votes.get(best)!) best = name;
    assert(best !== undefined, `cannot select a protocol for empty group ${this.groupId}`);
    return best;
  }

  numAwaitingJoin(): number {
    let n = 0;
    for (const member of this.members.values()) if (member.awaitingJoin !== null) n++;
    return n;
  }

  hasAllMembersJoined(): boolean {
    return this.numAwaitingJoin() === this.members.size && this.pendingJoinMembers.size === 0;
  }

  /** The longest rebalance timeout of the members (0 without members). */
  rebalanceTimeoutMs(): number {
    let max = 0;
    for (const member of this.members.values()) max = Math.max(max, member.rebalanceTimeoutMs);
    return max;
  }

  /** If the leader has not rejoined, the first member that has becomes leader; false if none has. */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false;
    if (this.members.get(this.leaderId)?.awaitingJoin) return true;
    for (const member of this.members.values()) {
      if (member.awaitingJoin !== null) {
        this.leaderId = member.memberId;
        return true;
      }
    }
    return false;
  }

  initNextGeneration(nowMs: number): void {
    this.generationId++;
    this.protocolName = this.members.size > 0 ? this.selectProtocol() : null;
    this.subscribedTopics = this.computeSubscribedTopics();
    this.transitionTo(this.members.size > 0 ? 'CompletingRebalance' : 'Empty', nowMs);
    this.pendingSyncMembers.clear();
  }

  computeSubscribedTopics(): ReadonlySet<string> | null {
    if (!this.usesConsumerProtocol()) return null;
    if (this.members.size === 0) return new Set();
    if (this.protocolName === null) return null;
    const topics = new Set<string>();
    for (const member of this.members.values()) {
      const memberTopics = subscribedTopicsOf(member.metadata(this.protocolName) ?? EMPTY_ASSIGNMENT);
      if (memberTopics === undefined) return null;
      for (const topic of memberTopics) topics.add(topic);
    }
    return topics;
  }

  /** When the subscriptions are unknown, a consumer-protocol group counts as subscribed to everything. */
  isSubscribedToTopic(topic: string): boolean {
    return this.subscribedTopics === null ? this.usesConsumerProtocol() : this.subscribedTopics.has(topic);
  }

  /** What the leader's JoinGroup response lists: every member with its metadata for the selected protocol. */
  leaderMembers(): JoinGroupResponseMember[] {
    return [...this.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: (this.protocolName !== null ? m.metadata(this.protocolName) : undefined) ?? EMPTY_ASSIGNMENT,
    }));
  }

  /** Answers a parked JoinGroup; false if the member was not waiting. */
  completeJoin(member: ClassicMember, response: Partial<JoinGroupResponse>): boolean {
    const join = member.awaitingJoin;
    if (join === null) return false;
    member.awaitingJoin = null;
    join.complete(joinResponse(response, member.joinVersion));
    return true;
  }

  completeSync(member: ClassicMember, response: Partial<SyncGroupResponse>): boolean {
    const sync = member.awaitingSync;
    if (sync === null) return false;
    member.awaitingSync = null;
    sync.complete(syncResponse(response));
    return true;
  }

  private countProtocols(member: ClassicMember, delta: number): void {
    for (const p of member.protocols) this.protocolCounts.set(p.name, (this.protocolCounts.get(p.name) ?? 0) + delta);
  }
}
