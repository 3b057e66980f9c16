/**
 * What every group suite needs: `samsa start` as a separate process with group settings that keep
 * rebalances fast, the wire tap in front of it, topics, a producer of numbered records (kcat, a
 * separate process), end offsets, and what the Python admin clients say about groups.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiKey, type ConsumerGroupDescribeResponse, ErrorCode, ListOffsetsRequest, type ListOffsetsResponse } from '../../../src/protocol/index.js';
import { type BrokerProcess, killHard, startBrokerProcess, stopGracefully } from '../../broker/broker-process.js';
import { RawClient, createTopic } from '../../broker/raw-client.js';
import { kcatProduce } from '../../interop/clients.js';
import { runPython } from '../../broker/python-clients.js';
import { WireTap } from './wire-tap.js';

export const CONSUMER_SESSION_TIMEOUT_MS = 6000;

/** Rebalances without the 3 s initial delay; KIP-848 sessions of 6 s and 1 s heartbeats. */
export const GROUP_OVERRIDES: readonly string[] = [
  'group.initial.rebalance.delay.ms=0',
  `group.consumer.min.session.timeout.ms=${CONSUMER_SESSION_TIMEOUT_MS}`,
  `group.consumer.session.timeout.ms=${CONSUMER_SESSION_TIMEOUT_MS}`,
  'group.consumer.min.heartbeat.interval.ms=500',
  'group.consumer.heartbeat.interval.ms=1000',
];

export interface GroupBroker {
  broker: BrokerProcess;
  tap: WireTap;
  dataDir: string;
  /** The tap's address: what clients are given. */
  bootstrap: string;
  /** SIGTERM, then start again on the same data dir (the tap follows). */
  restart(how: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  stop(): Promise<void>;
}

export async function startGroupBroker(extra: readonly string[] = []): Promise<GroupBroker> {
  const dataDir = await mkdtemp(join(tmpdir(), 'samsa-groups-'));
  const overrides = [...GROUP_OVERRIDES, ...extra];
  let broker = await startBrokerProcess(dataDir, overrides);
  const tap = await WireTap.start(broker.port);
  const gb: GroupBroker = {
    get broker() { return broker; },
    tap,
    dataDir,
    bootstrap: tap.bootstrap,
    async restart(how) {
      if (how === 'SIGKILL') await killHard(broker);
      else assert.equal(await stopGracefully(broker), 0, `broker did not stop cleanly:\n${broker.output().slice(-3000)}`);
      broker = await startBrokerProcess(dataDir, overrides);
      tap.retarget(broker.port);
    },
    async stop() {
      // SAMSA_TEST_GROUPS_DUMP=<dir>: keep every group exchange the tap saw, one file per broker.
      const dumpDir = process.env.SAMSA_TEST_GROUPS_DUMP;
      if (dumpDir) {
        const { mkdir, writeFile } = await import('node:fs/promises');
        await mkdir(dumpDir, { recursive: true });
        await writeFile(join(dumpDir, `tap-${process.pid}-${Date.now()}.jsonl`), tap.toJsonLines());
      }
      await tap.stop();
      await stopGracefully(broker);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return gb;
}

export async function withRawClient<T>(port: number, f: (c: RawClient) => Promise<T>): Promise<T> {
  const client = await RawClient.connect('127.0.0.1', port);
  try {
    return await f(client);
  } finally {
    client.close();
  }
}

export async function createGroupTopic(port: number, topic: string, partitions: number): Promise<void> {
  await withRawClient(port, (c) => createTopic(c, topic, partitions));
}

/** Produces values `${prefix}-${from}` … with keys spread over the partitions (kcat, librdkafka). */
export async function produceNumbered(bootstrap: string, topic: string, prefix: string, from: number, count: number): Promise<string[]> {
  const values = Array.from({ length: count }, (_, i) => `${prefix}-${from + i}`);
  await kcatProduce(bootstrap, topic, 'none', values.map((v) => ({ key: `k${v}`, value: v, headers: [] })), 30_000);
  return values;
}

/** Log end offsets of partitions 0..n-1. */
export async function endOffsets(port: number, topic: string, partitions: number): Promise<number[]> {
  return withRawClient(port, async (c) => {
    const r = await c.request<ListOffsetsResponse>(ApiKey.ListOffsets, 7, {
      ...ListOffsetsRequest.defaults(), replicaId: -1,
      topics: [{ name: topic, partitions: Array.from({ length: partitions }, (_, p) => ({ partitionIndex: p, currentLeaderEpoch: -1, timestamp: -1n, maxNumOffsets: 1, _unknownTaggedFields: undefined })), _unknownTaggedFields: undefined }],
    });
    const parts = r.topics[0]!.partitions;
    for (const p of parts) assert.equal(p.errorCode, ErrorCode.NONE, `ListOffsets ${topic}-${p.partitionIndex}`);
    return [...parts].sort((a, b) => a.partitionIndex - b.partitionIndex).map((p) => Number(p.offset));
  });
}

export interface AdminView {
  /** [group, protocolType] from ListGroups (kafka-python). */
  listed: [string, string][];
  /** partitions: null when the assignment bytes were empty (kafka-python leaves them undecoded). */
  described: Record<string, { error: number; state: string; protocolType: string; protocol: string; members: { clientId: string; partitions: number[] | null }[] }>;
  /** group → [topic, partition, offset] from OffsetFetch (kafka-python list_consumer_group_offsets). */
  offsets: Record<string, [string, number, number][]>;
  /** [group, state, protocolType, members] from confluent-kafka AdminClient.list_groups. */
  confluentListed: [string, string, string, number][] | string;
}

const GROUP_ADMIN = fileURLToPath(new URL('../../../../test/groups/harness/workers/group_admin.py', import.meta.url));

export async function adminView(bootstrap: string, groups: string[]): Promise<AdminView> {
  const { readFile } = await import('node:fs/promises');
  return (await runPython(await readFile(GROUP_ADMIN, 'utf8'), [bootstrap, ...groups], 60_000)) as AdminView;
}

/** Committed offset per partition of `topic` (-1 when none), from the admin view. */
export function committedOf(view: AdminView, group: string, topic: string, partitions: number): number[] {
  const out = Array.from({ length: partitions }, () => -1);
  for (const [t, p, o] of view.offsets[group] ?? []) if (t === topic) out[p] = o;
  return out;
}

/**
 * Produces batches of numbered records (`${prefix}-0` …) until stopped, so rebalances happen
 * while records keep arriving. `stop` resolves with the values produced.
 */
export function backgroundProducer(bootstrap: string, topic: string, prefix: string, batch = 50, pauseMs = 150): { stop: () => Promise<string[]> } {
  const values: string[] = [];
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      values.push(...(await produceNumbered(bootstrap, topic, prefix, values.length, batch)));
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      return values;
    },
  };
}

/**
 * DescribeGroups as kafka-python decodes it against what the members report owning: the same
 * partitions per client id, every partition once.
 */
export function describedMatchesOwners(view: AdminView, group: string, owners: readonly string[][]): string[] {
  const problems: string[] = [];
  const described = view.described[group];
  if (!described) return [`${group} not described`];
  const reported = new Map<string, number[]>();
  owners.forEach((ws, p) => { for (const w of ws) reported.set(w, [...(reported.get(w) ?? []), p]); });
  return [...problems, ...membersMatchOwners(`${group}: DescribeGroups`, described.members, owners)];
}

/** Members as a describe API shows them against what the members report owning. */
function membersMatchOwners(what: string, members: readonly { clientId: string; partitions: number[] | null }[], owners: readonly string[][]): string[] {
  const problems: string[] = [];
  const reported = new Map<string, number[]>();
  owners.forEach((ws, p) => { for (const w of ws) reported.set(w, [...(reported.get(w) ?? []), p]); });
  for (const m of members) {
    const want = (reported.get(m.clientId) ?? []).join(',');
    if (m.partitions === null) problems.push(`${what} gives ${m.clientId} no assignment (empty bytes); it reports owning [${want}]`);
    else if (m.partitions.join(',') !== want) problems.push(`${what} gives ${m.clientId} [${m.partitions}]; it reports owning [${want}]`);
  }
  const all = members.flatMap((m) => m.partitions ?? []).sort((a, b) => a - b);
  if (all.join(',') !== owners.map((_, p) => p).join(',')) problems.push(`${what} assigns [${all}] in all`);
  return problems;
}

export interface ConsumerGroupView {
  errorCode: number;
  state: string;
  groupEpoch: number;
  assignmentEpoch: number;
  members: { clientId: string; memberEpoch: number; partitions: number[]; target: number[] }[];
}

/** ConsumerGroupDescribe (KIP-848's describe; the Python clients predate it) over the generated codecs. */
export async function consumerGroupDescribe(port: number, group: string, topic: string): Promise<ConsumerGroupView> {
  const r = await withRawClient(port, (c) => c.request<ConsumerGroupDescribeResponse>(ApiKey.ConsumerGroupDescribe, 0, { groupIds: [group], includeAuthorizedOperations: false }));
  const g = r.groups[0]!;
  const of = (a: { topicPartitions: { topicName: string; partitions: number[] }[] }): number[] =>
    a.topicPartitions.filter((tp) => tp.topicName === topic).flatMap((tp) => tp.partitions).sort((x, y) => x - y);
  return {
    errorCode: g.errorCode,
    state: g.groupState,
    groupEpoch: g.groupEpoch,
    assignmentEpoch: g.assignmentEpoch,
    members: g.members.map((m) => ({ clientId: m.clientId, memberEpoch: m.memberEpoch, partitions: of(m.assignment), target: of(m.targetAssignment) }))
      .sort((a, b) => a.clientId.localeCompare(b.clientId)),
  };
}

/** ConsumerGroupDescribe against the members' reports: current assignments as owned, targets reached. */
export function consumerGroupMatchesOwners(view: ConsumerGroupView, group: string, owners: readonly string[][]): string[] {
  const problems = membersMatchOwners(`${group}: ConsumerGroupDescribe`, view.members, owners);
  for (const m of view.members) {
    if (m.target.join(',') !== m.partitions.join(',')) problems.push(`${group}: ${m.clientId} is Stable but its target [${m.target}] differs from its assignment [${m.partitions}]`);
  }
  return problems;
}
