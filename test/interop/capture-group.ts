/**
 * The least a group coordinator can do for one consumer per group: every JoinGroup starts a new
 * generation with the joining member alone (and its leader), SyncGroup hands back the leader's
 * assignment, offsets are kept in memory. Enough for kcat -G and a kafkajs consumer.
 */
import {
  ErrorCode,
  type FindCoordinatorRequest,
  type FindCoordinatorResponse,
  type HeartbeatResponse,
  type JoinGroupRequest,
  type JoinGroupResponse,
  type LeaveGroupRequest,
  type LeaveGroupResponse,
  type OffsetCommitRequest,
  type OffsetCommitResponse,
  type OffsetFetchRequest,
  type OffsetFetchResponse,
  type SyncGroupRequest,
  type SyncGroupResponse,
  defaultFindCoordinatorResponse,
  defaultOffsetFetchResponsePartition,
} from '../../src/protocol/index.js';

interface Endpoint {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

interface Group {
  generationId: number;
  protocolType: string;
  protocolName: string;
  offsets: Map<string, bigint>;
}

/** Bound on groups kept; a test uses a handful. */
const MAX_GROUPS = 1000;

export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();
  private members = 0;

  private group(groupId: string): Group {
    let g = this.groups.get(groupId);
    if (!g) {
      if (this.groups.size >= MAX_GROUPS) throw new Error('too many groups');
      g = { generationId: 0, protocolType: 'consumer', protocolName: '', offsets: new Map() };
      this.groups.set(groupId, g);
    }
    return g;
  }

  findCoordinator(self: Endpoint, req: FindCoordinatorRequest, version: number): FindCoordinatorResponse {
    const found = { nodeId: self.nodeId, host: self.host, port: self.port, errorCode: ErrorCode.NONE, errorMessage: null };
    if (version < 4) return { ...defaultFindCoordinatorResponse(), ...found };
    return { ...defaultFindCoordinatorResponse(), coordinators: req.coordinatorKeys.map((key) => ({ key, ...found })) };
  }

  joinGroup(req: JoinGroupRequest): JoinGroupResponse {
    const g = this.group(req.groupId);
    const protocol = req.protocols[0];
    g.generationId++;
    g.protocolType = req.protocolType;
    g.protocolName = protocol?.name ?? '';
    const memberId = req.memberId !== '' ? req.memberId : `member-${++this.members}`;
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
          g.offsets.set(`${t.name}:${p.partitionIndex}`, p.committedOffset);
          return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.NONE };
        }),
      })),
    };
  }

  /** Offsets of the one group asked for (v0-v7); the multi-group form (v8+) is not answered. */
  offsetFetch(req: OffsetFetchRequest, version: number): OffsetFetchResponse {
    if (version >= 8) throw new Error('OffsetFetch v8+ (several groups) is not supported by the capture server');
    const g = this.group(req.groupId);
    const topics = req.topics ?? [...new Set([...g.offsets.keys()].map((k) => k.slice(0, k.lastIndexOf(':'))))].map((name) => ({
      name,
      partitionIndexes: [...g.offsets.keys()].filter((k) => k.startsWith(`${name}:`)).map((k) => Number(k.slice(name.length + 1))),
    }));
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      groups: [],
      topics: topics.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((partitionIndex) => ({
          ...defaultOffsetFetchResponsePartition(),
          partitionIndex,
          committedOffset: g.offsets.get(`${t.name}:${partitionIndex}`) ?? -1n,
          metadata: '',
        })),
      })),
    };
  }
}
