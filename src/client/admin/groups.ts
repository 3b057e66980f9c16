/**
 * Consumer groups as an operator sees them: list every group in the cluster, describe one
 * (state, members and what each is assigned), delete empty ones. Offsets are in group-offsets.ts.
 */
import {
  ApiKey, type ConsumerGroupDescribeResponse, type DeleteGroupsResponse, type DescribeGroupsResponse, ErrorCode, type ListGroupsResponse,
} from '../../protocol/index.js';
import type { Cluster } from '../cluster.js';
import type { Connection } from '../connection.js';
import { KafkaResponseError, throwIfError } from '../errors.js';
import type { BrokerNode } from '../metadata.js';
import { decodeConsumerAssignment } from './assignment.js';
import { type TopicPartition, comparePartitions } from './types.js';

export interface ListedGroup {
  readonly groupId: string;
  /** "consumer" for consumer groups; connect and others name their own. */
  readonly protocolType: string;
  /** Kafka's state name: Empty, Stable, PreparingRebalance, Assigning, Reconciling, Dead, … */
  readonly state: string;
  /** "classic" (JoinGroup/SyncGroup) or "consumer" (KIP-848 heartbeats). */
  readonly type: string;
}

export interface GroupMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly host: string;
  /** Sorted by topic, then partition. */
  readonly assignment: readonly TopicPartition[];
}

export interface GroupDescription {
  readonly groupId: string;
  readonly type: 'classic' | 'consumer';
  readonly protocolType: string;
  /** The assignor (classic: the chosen protocol; consumer groups: the server-side assignor). */
  readonly assignor: string;
  /** "Dead" when the group does not exist. */
  readonly state: string;
  readonly coordinator: BrokerNode;
  readonly members: readonly GroupMember[];
}

export interface DeleteGroupResult {
  readonly groupId: string;
  /** Null when the group was deleted. */
  readonly error: KafkaResponseError | null;
}

/** Every group on every broker (ListGroups goes to each, as each coordinates its own). */
export async function listGroups(cluster: Cluster): Promise<ListedGroup[]> {
  const { brokers } = await cluster.metadata([]);
  const perBroker = await Promise.all(brokers.map((b) => cluster.retry(async () => {
    const conn = await cluster.connectionTo(b.nodeId);
    const version = conn.versionFor(ApiKey.ListGroups);
    const r = await conn.send<ListGroupsResponse>(ApiKey.ListGroups, version, { statesFilter: [], typesFilter: [] });
    throwIfError(r.errorCode, `ListGroups on node ${b.nodeId}`);
    return r.groups.map((g) => ({
      groupId: g.groupId,
      protocolType: g.protocolType,
      state: version >= 4 ? g.groupState : '',
      type: version >= 5 && g.groupType ? g.groupType.toLowerCase() : 'classic',
    }));
  })));
  const groups = perBroker.flat().sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  const stateless = groups.filter((g) => g.state === '');
  if (stateless.length === 0) return groups;
  // Before ListGroups v4 the state is not listed; ask each group.
  const states = new Map((await describeGroups(cluster, stateless.map((g) => g.groupId))).map((d) => [d.groupId, d.state]));
  return groups.map((g) => (g.state === '' ? { ...g, state: states.get(g.groupId) ?? '' } : g));
}

/**
 * Describes groups at their coordinators. A consumer group (KIP-848) is described with
 * ConsumerGroupDescribe when the broker has it; a classic group with DescribeGroups, whose
 * member assignments are decoded from the consumer protocol's bytes.
 */
export function describeGroups(cluster: Cluster, groupIds: readonly string[]): Promise<GroupDescription[]> {
  return Promise.all(groupIds.map((groupId) => cluster.withGroupCoordinator(groupId, async (conn, node) => {
    if (conn.supports(ApiKey.ConsumerGroupDescribe)) {
      const d = await describeConsumerGroup(conn, node, groupId);
      if (d) return d;
    }
    return describeClassicGroup(conn, node, groupId);
  })));
}

async function describeConsumerGroup(conn: Connection, node: BrokerNode, groupId: string): Promise<GroupDescription | undefined> {
  const version = conn.versionFor(ApiKey.ConsumerGroupDescribe);
  const r = await conn.send<ConsumerGroupDescribeResponse>(ApiKey.ConsumerGroupDescribe, version, { groupIds: [groupId], includeAuthorizedOperations: false });
  const g = r.groups.find((x) => x.groupId === groupId) ?? r.groups[0];
  // GROUP_ID_NOT_FOUND: no such consumer group, but there may be a classic one.
  if (!g || g.errorCode === ErrorCode.GROUP_ID_NOT_FOUND) return undefined;
  throwIfError(g.errorCode, `ConsumerGroupDescribe for '${groupId}'`, g.errorMessage);
  return {
    groupId,
    type: 'consumer',
    protocolType: 'consumer',
    assignor: g.assignorName,
    state: g.groupState,
    coordinator: node,
    members: g.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.instanceId,
      clientId: m.clientId,
      host: m.clientHost,
      assignment: m.assignment.topicPartitions
        .flatMap((t) => t.partitions.map((partition) => ({ topic: t.topicName, partition })))
        .sort(comparePartitions),
    })),
  };
}

async function describeClassicGroup(conn: Connection, node: BrokerNode, groupId: string): Promise<GroupDescription> {
  const version = conn.versionFor(ApiKey.DescribeGroups);
  const r = await conn.send<DescribeGroupsResponse>(ApiKey.DescribeGroups, version, { groups: [groupId], includeAuthorizedOperations: false });
  const g = r.groups.find((x) => x.groupId === groupId) ?? r.groups[0];
  const missing = !g || g.errorCode === ErrorCode.GROUP_ID_NOT_FOUND;
  if (g && !missing) throwIfError(g.errorCode, `DescribeGroups for '${groupId}'`);
  const isConsumer = g?.protocolType === 'consumer';
  return {
    groupId,
    // DescribeGroups also answers for consumer groups on brokers without ConsumerGroupDescribe.
    type: 'classic',
    protocolType: g?.protocolType ?? '',
    assignor: g?.protocolData ?? '',
    state: missing ? 'Dead' : g.groupState,
    coordinator: node,
    members: (missing ? [] : g.members).map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      host: m.clientHost,
      assignment: isConsumer ? safeAssignment(m.memberAssignment) : [],
    })),
  };
}

/** A member whose assignment bytes do not decode is shown with none rather than failing the whole describe. */
function safeAssignment(bytes: Buffer): TopicPartition[] {
  try {
    return decodeConsumerAssignment(bytes);
  } catch {
    return [];
  }
}

/** Deletes groups (each must be empty); one result per group, errors as data. */
export function deleteGroups(cluster: Cluster, groupIds: readonly string[]): Promise<DeleteGroupResult[]> {
  return Promise.all(groupIds.map((groupId) => cluster.withGroupCoordinator(groupId, async (conn) => {
    const version = conn.versionFor(ApiKey.DeleteGroups);
    const r = await conn.send<DeleteGroupsResponse>(ApiKey.DeleteGroups, version, { groupsNames: [groupId] });
    const result = r.results.find((x) => x.groupId === groupId) ?? r.results[0];
    const code = result?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR;
    const error = code === 0 ? null : new KafkaResponseError(code, `DeleteGroups for '${groupId}'`);
    if (error?.retriable) throw error;
    return { groupId, error };
  })));
}
