/**
 * Invariants of the group protocol as the broker answered it, read from the wire tap's
 * exchanges (pure functions; the unit test feeds them hand-made exchanges). Each violation names
 * the client, the request and the broker's answer.
 *
 * Classic groups, per generation (`checkClassicGenerations`):
 * - OneLeader: every JoinGroup answer of a generation names the same leader.
 * - GenerationsIncrease: a group's generations are answered in increasing order.
 * - MembersListed: the members the leader is told about are exactly those answered with that generation.
 * - LeaderPlanDisjoint: the leader's SyncGroup assignment gives no partition to two members (a
 *   plan that leaves partitions out is the client's business: kafka-python's first leader assigns
 *   nothing until it has the topic's metadata; `Generation.coverage` says which it was).
 * - SyncMatchesPlan: every successful SyncGroup answer hands the member what the leader assigned it.
 *
 * KIP-848 groups (`checkConsumerGroupEpochs`):
 * - ExclusiveAssignment: the broker never assigns a partition to a member while another member
 *   still holds it (assigned to it and not yet reported released) and is alive: it has not left,
 *   was not fenced, and its session (from its last heartbeat) has not run out. A killed member
 *   counts as alive until then: to the broker it could be a member cut off by the network.
 * - EpochsIncrease: a member's epoch never goes down.
 *
 * Offsets (`checkOffsetVisibility`):
 * - CommitVisible: OffsetFetch answers the last acknowledged commit (or one racing with the fetch),
 *   across broker restarts as long as the tap was kept.
 */
import {
  ApiKey, ConsumerProtocolAssignment, type ConsumerGroupHeartbeatRequest, type ConsumerGroupHeartbeatResponse, ErrorCode,
  type JoinGroupRequest, type JoinGroupResponse, type OffsetCommitRequest, type OffsetCommitResponse, type OffsetFetchRequest,
  type OffsetFetchResponse, Reader, type SyncGroupRequest, type SyncGroupResponse, errorInfo,
} from '../../../src/protocol/index.js';
import type { Death, Exchange } from './wire-tap.js';

export function errorName(code: number): string {
  return code === 0 ? 'NONE' : (errorInfo(code)?.name ?? `error ${code}`);
}

/** A ConsumerProtocolAssignment (int16 version, then the body) → partitions of `topic`, sorted. */
export function assignedPartitions(bytes: Buffer, topic: string): number[] {
  if (bytes.length < 2) return [];
  const r = new Reader(bytes);
  const version = r.int16();
  const a = ConsumerProtocolAssignment.decode(r, version);
  return a.assignedPartitions.filter((tp) => tp.topic === topic).flatMap((tp) => tp.partitions).sort((x, y) => x - y);
}

export interface Generation {
  group: string;
  generation: number;
  leader: string;
  protocol: string | null;
  /** Member id → client id. */
  clients: Map<string, string>;
  /** Member id → partitions, from the leader's SyncGroup request. */
  plan: Map<string, number[]> | null;
  /** Members answered by SyncGroup without error. */
  synced: Set<string>;
  /** How much of the topic the leader's plan assigned. */
  coverage: 'full' | 'partial' | 'empty' | 'none';
  at: number;
}

const short = (memberId: string): string => (memberId.length > 24 ? `${memberId.slice(0, 24)}…` : memberId);

/** `group`: only that group's exchanges (others may consume other topics through the same tap). */
export function checkClassicGenerations(exchanges: readonly Exchange[], topic: string, partitions: number, group?: string): { generations: Generation[]; violations: string[] } {
  if (group !== undefined) exchanges = exchanges.filter((x) => (x.request as { groupId?: string }).groupId === group);
  const violations: string[] = [];
  const gens = new Map<string, Generation>();
  const leaderMembers = new Map<string, Set<string>>();
  const lastGeneration = new Map<string, { generation: number; at: number }>();
  const key = (group: string, generation: number): string => `${group}#${generation}`;

  const joins = exchanges.filter((x) => x.apiKey === ApiKey.JoinGroup && x.response !== undefined)
    .sort((a, b) => a.responseOrder! - b.responseOrder!);
  for (const x of joins) {
    const req = x.request as JoinGroupRequest;
    const res = x.response as JoinGroupResponse;
    if (res.errorCode !== 0) continue;
    const k = key(req.groupId, res.generationId);
    const last = lastGeneration.get(req.groupId);
    if (last && res.generationId < last.generation) {
      violations.push(`GenerationsIncrease: group ${req.groupId}: JoinGroup answered ${x.clientId} generation ${res.generationId} at ${x.responseAt} ms after generation ${last.generation} was answered at ${last.at} ms`);
    } else {
      lastGeneration.set(req.groupId, { generation: res.generationId, at: x.responseAt! });
    }
    let g = gens.get(k);
    if (!g) {
      g = { group: req.groupId, generation: res.generationId, leader: res.leader, protocol: res.protocolName, clients: new Map(), plan: null, synced: new Set(), coverage: 'none', at: x.responseAt! };
      gens.set(k, g);
    } else if (g.leader !== res.leader) {
      violations.push(`OneLeader: group ${req.groupId} generation ${res.generationId}: ${x.clientId} was told leader ${short(res.leader)}, others ${short(g.leader)}`);
    }
    g.clients.set(res.memberId, x.clientId);
    if (res.memberId === res.leader) leaderMembers.set(k, new Set(res.members.map((m) => m.memberId)));
  }
  for (const [k, g] of gens) {
    const listed = leaderMembers.get(k);
    if (!listed) continue;
    const answered = [...g.clients.keys()];
    const missing = [...listed].filter((m) => !g.clients.has(m));
    const extra = answered.filter((m) => !listed.has(m));
    // A member listed to the leader whose own JoinGroup answer was lost with its connection
    // (killed) is not the broker's fault; only answered-but-unlisted members are.
    if (extra.length > 0) {
      violations.push(`MembersListed: group ${g.group} generation ${g.generation}: answered JoinGroup to ${extra.map((m) => `${g.clients.get(m)} (${short(m)})`).join(', ')} but the leader's member list omits them (listed: ${[...listed].map(short).join(', ')}; unanswered listed: ${missing.map(short).join(', ') || 'none'})`);
    }
  }

  for (const x of exchanges.filter((e) => e.apiKey === ApiKey.SyncGroup)) {
    const req = x.request as SyncGroupRequest;
    const g = gens.get(key(req.groupId, req.generationId));
    if (req.assignments.length > 0 && g) {
      g.plan = new Map(req.assignments.map((a) => [a.memberId, assignedPartitions(a.assignment, topic)]));
      const owners = new Map<number, string[]>();
      for (const [m, ps] of g.plan) for (const p of ps) owners.set(p, [...(owners.get(p) ?? []), m]);
      const all = Array.from({ length: partitions }, (_, p) => p);
      const twice = all.filter((p) => (owners.get(p)?.length ?? 0) > 1);
      const assigned = all.filter((p) => owners.has(p)).length;
      g.coverage = assigned === partitions ? 'full' : assigned === 0 ? 'empty' : 'partial';
      if (twice.length > 0) {
        violations.push(`LeaderPlanDisjoint: group ${g.group} generation ${g.generation}: leader ${x.clientId} assigned partitions ${twice.map((p) => `${p}→[${owners.get(p)!.map((m) => g.clients.get(m) ?? short(m)).join(',')}]`).join(' ')}`);
      }
    }
  }
  for (const x of exchanges.filter((e) => e.apiKey === ApiKey.SyncGroup && e.response !== undefined)) {
    const req = x.request as SyncGroupRequest;
    const res = x.response as SyncGroupResponse;
    if (res.errorCode !== 0) continue;
    const g = gens.get(key(req.groupId, req.generationId));
    const got = assignedPartitions(res.assignment, topic);
    if (!g || !g.plan) {
      violations.push(`SyncMatchesPlan: group ${req.groupId} generation ${req.generationId}: SyncGroup answered ${x.clientId} with partitions [${got}] but no leader assignment for that generation passed the tap`);
      continue;
    }
    g.synced.add(req.memberId);
    const want = g.plan.get(req.memberId);
    if (want === undefined || want.join() !== got.join()) {
      violations.push(`SyncMatchesPlan: group ${req.groupId} generation ${req.generationId}: SyncGroup answered ${x.clientId} (${short(req.memberId)}) with [${got}] at ${x.responseAt} ms; the leader assigned it ${want === undefined ? 'nothing (not in the plan)' : `[${want}]`}`);
    }
  }
  return { generations: [...gens.values()].sort((a, b) => a.at - b.at), violations };
}

export interface EpochSummary {
  group: string;
  /** Highest member epoch answered (the group epoch a member reached). */
  maxEpoch: number;
  members: number;
  heartbeats: number;
  errors: Map<string, number>;
}

export interface EpochCheckOptions {
  /** Clients the test killed (WireTap.deaths): without a session timeout they hold nothing from then on. */
  deaths?: readonly Death[];
  /** group.consumer.session.timeout.ms: a silent member holds its partitions this long after its last heartbeat. */
  sessionTimeoutMs?: number;
  /** Tolerance for the tap's clock against the broker's (default 250 ms). */
  slackMs?: number;
}

export function checkConsumerGroupEpochs(exchanges: readonly Exchange[], options: EpochCheckOptions = {}): { groups: EpochSummary[]; violations: string[] } {
  const violations: string[] = [];
  const deaths = options.sessionTimeoutMs === undefined ? (options.deaths ?? []) : [];
  const slack = options.slackMs ?? 250;
  interface Member { clientId: string; group: string; assigned: Set<string>; reported: Set<string>; epoch: number; live: boolean; lastRequestAt: number }
  const alive = (m: Member, at: number): boolean => m.live && (options.sessionTimeoutMs === undefined || at - m.lastRequestAt < options.sessionTimeoutMs - slack);
  const members = new Map<string, Member>();
  const summaries = new Map<string, EpochSummary>();
  const tp = (list: { topicId: string; partitions: number[] }[]): Set<string> => new Set(list.flatMap((t) => t.partitions.map((p) => `${t.topicId}:${p}`)));
  const events: ({ order: number; at: number; kind: 'req' | 'res'; x: Exchange } | { order: number; at: number; kind: 'death'; clientId: string })[] = [];
  for (const x of exchanges.filter((e) => e.apiKey === ApiKey.ConsumerGroupHeartbeat)) {
    events.push({ order: x.requestOrder, at: x.requestAt, kind: 'req', x });
    if (x.response !== undefined) events.push({ order: x.responseOrder!, at: x.responseAt!, kind: 'res', x });
  }
  for (const d of deaths) events.push({ order: d.order, at: d.at, kind: 'death', clientId: d.clientId });
  events.sort((a, b) => a.order - b.order);

  for (const ev of events) {
    if (ev.kind === 'death') {
      for (const m of members.values()) if (m.clientId === ev.clientId) m.live = false;
      continue;
    }
    const req = ev.x.request as ConsumerGroupHeartbeatRequest;
    const s = summaries.get(req.groupId) ?? { group: req.groupId, maxEpoch: 0, members: 0, heartbeats: 0, errors: new Map() };
    summaries.set(req.groupId, s);
    if (ev.kind === 'req') {
      const m = members.get(`${req.groupId}/${req.memberId}`);
      if (m) m.lastRequestAt = ev.at;
      if (m && req.topicPartitions !== null) m.reported = tp(req.topicPartitions);
      if (m && req.memberEpoch < 0) m.live = false;
      continue;
    }
    s.heartbeats++;
    const res = ev.x.response as ConsumerGroupHeartbeatResponse;
    if (res.errorCode !== 0) {
      const name = errorName(res.errorCode);
      s.errors.set(name, (s.errors.get(name) ?? 0) + 1);
      if (res.errorCode === ErrorCode.UNKNOWN_MEMBER_ID || res.errorCode === ErrorCode.FENCED_MEMBER_EPOCH) {
        const m = members.get(`${req.groupId}/${req.memberId}`);
        if (m) m.live = false;
      }
      continue;
    }
    if (req.memberEpoch < 0 || res.memberId === null) continue;
    const id = `${req.groupId}/${res.memberId}`;
    let m = members.get(id);
    if (!m) {
      m = { clientId: ev.x.clientId, group: req.groupId, assigned: new Set(), reported: new Set(), epoch: -1, live: true, lastRequestAt: ev.x.requestAt };
      members.set(id, m);
      s.members++;
    }
    if (res.memberEpoch < m.epoch) {
      violations.push(`EpochsIncrease: group ${req.groupId}: ${m.clientId} (${short(res.memberId)}) answered epoch ${res.memberEpoch} at ${ev.at} ms after epoch ${m.epoch}`);
    }
    m.epoch = res.memberEpoch;
    s.maxEpoch = Math.max(s.maxEpoch, res.memberEpoch);
    if (res.assignment === null) continue;
    const next = tp(res.assignment.topicPartitions);
    for (const p of next) {
      if (m.assigned.has(p)) continue;
      for (const [otherId, o] of members) {
        if (otherId === id || !alive(o, ev.at) || o.group !== m.group) continue;
        if (o.assigned.has(p) || o.reported.has(p)) {
          violations.push(`ExclusiveAssignment: group ${req.groupId}: ConsumerGroupHeartbeat answered ${m.clientId} at ${ev.at} ms (epoch ${res.memberEpoch}) with partition ${p.split(':')[1]} of topic ${p.split(':')[0]} while ${o.clientId} (epoch ${o.epoch}, last heartbeat at ${o.lastRequestAt} ms) still ${o.assigned.has(p) ? 'was assigned' : 'reported owning'} it`);
        }
      }
    }
    m.assigned = next;
  }
  return { groups: [...summaries.values()], violations };
}

interface Commit { group: string; topic: string; partition: number; offset: bigint; clientId: string; requestOrder: number; responseOrder: number; responseAt: number }

/** One partition's commits, acknowledged or not yet answered, and what OffsetFetch answered. */
export function checkOffsetVisibility(exchanges: readonly Exchange[]): { commits: number; fetches: number; violations: string[] } {
  const violations: string[] = [];
  const commits: Commit[] = [];
  // A commit whose answer never came back (its client was killed with the request in flight) may
  // or may not have been applied: an OffsetFetch answered after it was sent may show it.
  const unanswered: Commit[] = [];
  for (const x of exchanges.filter((e) => e.apiKey === ApiKey.OffsetCommit && e.response === undefined)) {
    const req = x.request as OffsetCommitRequest;
    for (const t of req.topics) {
      for (const p of t.partitions) {
        unanswered.push({ group: req.groupId, topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, clientId: x.clientId, requestOrder: x.requestOrder, responseOrder: Infinity, responseAt: Infinity });
      }
    }
  }
  for (const x of exchanges.filter((e) => e.apiKey === ApiKey.OffsetCommit && e.response !== undefined)) {
    const req = x.request as OffsetCommitRequest;
    const res = x.response as OffsetCommitResponse;
    for (const t of req.topics) {
      for (const p of t.partitions) {
        const answer = res.topics.find((rt) => rt.name === t.name)?.partitions.find((rp) => rp.partitionIndex === p.partitionIndex);
        if (answer?.errorCode !== 0) continue;
        commits.push({ group: req.groupId, topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, clientId: x.clientId, requestOrder: x.requestOrder, responseOrder: x.responseOrder!, responseAt: x.responseAt! });
      }
    }
  }
  let fetches = 0;
  for (const x of exchanges.filter((e) => e.apiKey === ApiKey.OffsetFetch && e.response !== undefined)) {
    const req = x.request as OffsetFetchRequest;
    const res = x.response as OffsetFetchResponse;
    const answered = res.groups.length > 0
      ? res.groups.filter((g) => g.errorCode === 0).map((g) => ({ group: g.groupId, topics: g.topics }))
      : res.errorCode === 0 ? [{ group: req.groupId, topics: res.topics }] : [];
    for (const g of answered) {
      for (const t of g.topics) {
        for (const p of t.partitions) {
          if (p.errorCode !== 0) continue;
          fetches++;
          const mine = commits.filter((c) => c.group === g.group && c.topic === t.name && c.partition === p.partitionIndex);
          const acked = mine.filter((c) => c.responseOrder < x.requestOrder).sort((a, b) => a.responseOrder - b.responseOrder);
          const inFlight = unanswered.filter((c) => c.group === g.group && c.topic === t.name && c.partition === p.partitionIndex && c.requestOrder < x.responseOrder!);
          const racing = [...mine.filter((c) => c.requestOrder < x.responseOrder! && c.responseOrder > x.requestOrder), ...inFlight];
          const latest = acked[acked.length - 1];
          const allowed = new Set([latest?.offset ?? -1n, ...racing.map((c) => c.offset)]);
          if (!allowed.has(p.committedOffset)) {
            violations.push(`CommitVisible: group ${g.group}: OffsetFetch v${x.apiVersion} by ${x.clientId} at ${x.requestAt} ms answered ${t.name}-${p.partitionIndex} = ${p.committedOffset}, but ${latest ? `OffsetCommit ${latest.offset} by ${latest.clientId} was acknowledged at ${latest.responseAt} ms` : 'no commit was acknowledged'}${racing.length ? ` (racing: ${racing.map((c) => c.offset).join(', ')})` : ''}`);
          }
        }
      }
    }
  }
  return { commits: commits.length, fetches, violations };
}

/** Every answer with an error code, counted per API and error: what a report lists. */
export function errorCounts(exchanges: readonly Exchange[]): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (api: string, code: number): void => {
    if (code === 0) return;
    const k = `${api} ${errorName(code)}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  };
  for (const x of exchanges) {
    const res = x.response as { errorCode?: number; topics?: { partitions?: { errorCode?: number }[] }[]; groups?: { errorCode?: number }[] } | undefined;
    if (!res) continue;
    if (typeof res.errorCode === 'number') add(x.apiName, res.errorCode);
    for (const g of res.groups ?? []) if (typeof g.errorCode === 'number') add(x.apiName, g.errorCode);
    for (const t of res.topics ?? []) for (const p of t.partitions ?? []) if (typeof p.errorCode === 'number') add(x.apiName, p.errorCode);
  }
  return counts;
}
