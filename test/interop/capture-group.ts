/**
 * The least a group coordinator can do for one consumer per group: every JoinGroup starts a new
 * generation with the joining member alone (and its leader), SyncGroup hands back the leader's
 * assignment, offsets are kept in memory. A consumer-protocol group (KIP-848, ConsumerGroupHeartbeat)
 * likewise holds its last joined member, which is given every partition of the topics it
 * subscribes to. Enough for kcat -G, a kafkajs consumer and a @platformatic/kafka consumer.
 */
import {
  type ConsumerGroupHeartbeatRequest,
  type ConsumerGroupHeartbeatResponse,
  type DescribeGroupsRequest,
  type DescribeGroupsResponse,
  ErrorCode,
  type FindCoordinatorRequest,
  type FindCoordinatorResponse,
  type HeartbeatResponse,
  type JoinGroupRequest,
  type JoinGroupResponse,
  type LeaveGroupRequest,
  type LeaveGroupResponse,
  type ListGroupsRequest,
  type ListGroupsResponse,
  type OffsetCommitRequest,
  type OffsetCommitResponse,
  type OffsetFetchRequest,
  type OffsetFetchResponse,
  type SyncGroupRequest,
  type SyncGroupResponse,
  type Uuid,
  defaultFindCoordinatorResponse,
  defaultOffsetFetchResponsePartition,
} from '../../src/protocol/index.js';

interface Endpoint {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

/** Who sent a request, from its header and connection (DescribeGroups reports it per member). */
export interface Caller {
  readonly clientId: string;
  readonly host: string;
}

/** Partitions of one topic, by id, as ConsumerGroupHeartbeat assigns them. */
export interface TopicPartitions {
  topicId: Uuid;
  partitions: number[];
}

interface Member {
  memberId: string;
  groupInstanceId: string | null;
  caller: Caller;
  metadata: Buffer;
  assignment: Buffer;
  /** Consumer protocol only: what the member subscribes to and what it was last given. */
  subscribed: string[];
  target: TopicPartitions[];
}

interface Committed {
  offset: bigint;
  leaderEpoch: number;
  metadata: string | null;
}

interface Group {
  /** 'classic' (JoinGroup/SyncGroup) or 'consumer' (ConsumerGroupHeartbeat), as ListGroups v5 names them. */
  type: 'classic' | 'consumer';
  /** The generation (classic) or group epoch (consumer protocol). */
  generationId: number;
  protocolType: string;
  protocolName: string;
  members: Map<string, Member>;
  offsets: Map<string, Committed>;
}

/** Heartbeat interval a consumer-protocol member is told to keep (Kafka's default is 5 s). */
const CONSUMER_HEARTBEAT_INTERVAL_MS = 1000;

/** Bound on groups kept; a test uses a handful. */
const MAX_GROUPS = 1000;

export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();
  private members = 0;

  private group(groupId: string): Group {
    let g = this.groups.get(groupId);
    if (!g) {
      if (this.groups.size >= MAX_GROUPS) throw new Error('too many groups');
      g = { type: 'classic', generationId: 0, protocolType: 'consumer', protocolName: '', members: new Map(), offsets: new Map() };
      this.groups.set(groupId, g);
    }
    return g;
  }

  findCoordinator(self: Endpoint, req: FindCoordinatorRequest, version: number): FindCoordinatorResponse {
    const found = { nodeId: self.nodeId, host: self.host, port: self.port, errorCode: ErrorCode.NONE, errorMessage: null };
    if (version < 4) return { ...defaultFindCoordinatorResponse(), ...found };
    return { ...defaultFindCoordinatorResponse(), coordinators: req.coordinatorKeys.map((key) => ({ key, ...found })) };
  }

  joinGroup(req: JoinGroupRequest, caller: Caller): JoinGroupResponse {
    const g = this.group(req.groupId);
    const protocol = req.protocols[0];
    g.type = 'classic';
    g.generationId++;
    g.protocolType = req.protocolType;
    g.protocolName = protocol?.name ?? '';
    const memberId = req.memberId !== '' ? req.memberId : `member-${++this.members}`;
    g.members = new Map([[memberId, {
      memberId,
      groupInstanceId: req.groupInstanceId,
      caller,
      metadata: protocol?.metadata ?? Buffer.alloc(0),
      assignment: Buffer.alloc(0),
      subscribed: [],
      target: [],
    }]]);
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      generationId: g.generationId,
      protocolType: g.protocolType,
      protocolName: g.protocolName,
      leader: memberId,
      skipAssignment: false,
      memberId,
      members: [{ memberId, groupInstanceId: req.groupInstanceId, metadata: protocol?.metadata ?? Buffer.alloc(0) }],
    };
  }

  syncGroup(req: SyncGroupRequest): SyncGroupResponse {
    const g = this.group(req.groupId);
    const mine = req.assignments.find((a) => a.memberId === req.memberId);
    const member = g.members.get(req.memberId);
    if (member && mine) member.assignment = mine.assignment;
    return {
      throttleTimeMs: 0,
      errorCode: req.generationId === g.generationId ? ErrorCode.NONE : ErrorCode.ILLEGAL_GENERATION,
      protocolType: g.protocolType,
      protocolName: g.protocolName,
      assignment: mine?.assignment ?? Buffer.alloc(0),
    };
  }

  heartbeat(): HeartbeatResponse {
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE };
  }

  leaveGroup(req: LeaveGroupRequest): LeaveGroupResponse {
    const g = this.groups.get(req.groupId);
    for (const id of [req.memberId, ...req.members.map((m) => m.memberId)]) g?.members.delete(id);
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      members: req.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode: ErrorCode.NONE })),
    };
  }

  offsetCommit(req: OffsetCommitRequest): OffsetCommitResponse {
    const g = this.group(req.groupId);
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => {
          g.offsets.set(`${t.name}:${p.partitionIndex}`, { offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch, metadata: p.committedMetadata });
          return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.NONE };
        }),
      })),
    };
  }

  /** Offsets of the one group asked for (v0-v7), or of each group asked for (v8+). */
  offsetFetch(req: OffsetFetchRequest, version: number): OffsetFetchResponse {
    if (version >= 8) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        topics: [],
        groups: req.groups.map((rg) => ({
          groupId: rg.groupId,
          errorCode: ErrorCode.NONE,
          topics: this.committed(rg.groupId, rg.topics).map((t) => ({ name: t.name, partitions: t.partitions })),
        })),
      };
    }
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups: [], topics: this.committed(req.groupId, req.topics) };
  }

  /** The committed offsets of the partitions asked for (-1 where none), or of every partition with one. */
  private committed(groupId: string, asked: { name: string; partitionIndexes: number[] }[] | null): OffsetFetchResponse['topics'] {
    const g = this.group(groupId);
    const topics = asked ?? [...new Set([...g.offsets.keys()].map((k) => k.slice(0, k.lastIndexOf(':'))))].map((name) => ({
      name,
      partitionIndexes: [...g.offsets.keys()].filter((k) => k.startsWith(`${name}:`)).map((k) => Number(k.slice(name.length + 1))),
    }));
    return topics.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => {
        const c = g.offsets.get(`${t.name}:${partitionIndex}`);
        return {
          ...defaultOffsetFetchResponsePartition(),
          partitionIndex,
          committedOffset: c?.offset ?? -1n,
          committedLeaderEpoch: c?.leaderEpoch ?? -1,
          metadata: c?.metadata ?? '',
        };
      }),
    }));
  }

  /**
   * KIP-848: memberEpoch 0 joins (the joiner replaces any member and starts a new group epoch),
   * -1 or -2 leaves, anything else must be the current epoch. The member is sent its assignment
   * (every partition of the topics it subscribes to) whenever what it reports owning differs.
   */
  consumerGroupHeartbeat(
    req: ConsumerGroupHeartbeatRequest,
    caller: Caller,
    assign: (topics: string[]) => TopicPartitions[],
  ): ConsumerGroupHeartbeatResponse {
    const g = this.group(req.groupId);
    const base = { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, heartbeatIntervalMs: CONSUMER_HEARTBEAT_INTERVAL_MS, assignment: null };
    if (req.memberEpoch < 0) {
      g.members.delete(req.memberId);
      return { ...base, memberId: req.memberId, memberEpoch: req.memberEpoch, heartbeatIntervalMs: 0 };
    }
    let member = g.members.get(req.memberId);
    if (req.memberEpoch === 0) {
      // The coordinator names a member that joins without an id; newer clients bring their own.
      const memberId = req.memberId !== '' ? req.memberId : `member-${++this.members}`;
      g.type = 'consumer';
      g.generationId++;
      g.protocolType = 'consumer';
      g.protocolName = req.serverAssignor ?? 'uniform';
      member = { memberId, groupInstanceId: req.instanceId, caller, metadata: Buffer.alloc(0), assignment: Buffer.alloc(0), subscribed: [], target: [] };
      g.members = new Map([[memberId, member]]);
    } else if (!member) {
      return { ...base, errorCode: ErrorCode.UNKNOWN_MEMBER_ID, memberId: null, memberEpoch: -1, heartbeatIntervalMs: 0 };
    } else if (req.memberEpoch !== g.generationId) {
      return { ...base, errorCode: ErrorCode.FENCED_MEMBER_EPOCH, memberId: null, memberEpoch: -1, heartbeatIntervalMs: 0 };
    }
    if (req.subscribedTopicNames !== null && req.subscribedTopicNames.join() !== member.subscribed.join()) {
      member.subscribed = [...req.subscribedTopicNames];
      if (req.memberEpoch !== 0) g.generationId++;
    }
    member.target = assign(member.subscribed);
    const owned = req.topicPartitions;
    const same = owned !== null && sameAssignment(owned, member.target);
    return {
      ...base,
      memberId: member.memberId,
      memberEpoch: g.generationId,
      assignment: same ? null : { topicPartitions: member.target },
    };
  }

  /** Groups of the asked states and types (all when a filter is empty); names compare case-insensitively. */
  listGroups(req: ListGroupsRequest): ListGroupsResponse {
    const wanted = (filter: string[], value: string): boolean => filter.length === 0 || filter.some((f) => f.toLowerCase() === value.toLowerCase());
    const groups = [...this.groups.entries()]
      .map(([groupId, g]) => ({ groupId, protocolType: g.protocolType, groupState: stateOf(g), groupType: g.type }))
      .filter((g) => wanted(req.statesFilter, g.groupState) && wanted(req.typesFilter, g.groupType));
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups };
  }

  /** Each group asked for; one never seen is 'Dead', as Kafka reports it below v6. */
  describeGroups(req: DescribeGroupsRequest): DescribeGroupsResponse {
    return {
      throttleTimeMs: 0,
      groups: req.groups.map((groupId) => {
        const g = this.groups.get(groupId);
        return {
          errorCode: ErrorCode.NONE,
          groupId,
          groupState: g ? stateOf(g) : 'Dead',
          protocolType: g?.protocolType ?? '',
          protocolData: g && g.members.size > 0 ? g.protocolName : '',
          members: [...(g?.members.values() ?? [])].map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            clientId: m.caller.clientId,
            clientHost: m.caller.host,
            memberMetadata: m.metadata,
            memberAssignment: m.assignment,
          })),
          authorizedOperations: -2147483648,
        };
      }),
    };
  }
}

function stateOf(g: Group): string {
  return g.members.size > 0 ? 'Stable' : 'Empty';
}

function sameAssignment(a: TopicPartitions[], b: TopicPartitions[]): boolean {
  const key = (x: TopicPartitions[]): string => x.map((t) => `${t.topicId}:${[...t.partitions].sort((p, q) => p - q).join(',')}`).sort().join(' ');
  return key(a) === key(b);
}
