/**
 * `samsa groups describe`: where a group stands on each partition (the default), its members
 * (--members) or its state (--state). A group that does not exist is an error (exit 1).
 */
import { parseArgs } from 'node:util';
import type { Admin, GroupDescription, GroupMember, TopicPartition } from '../client/index.js';
import { DEFAULT_BOOTSTRAP_SERVER, type Io, UsageError, parseOrUsage, withAdmin } from './groups-options.js';
import { formatTable } from './table.js';

const REBALANCING = new Set(['PreparingRebalance', 'CompletingRebalance', 'Assigning', 'Reconciling']);

export function groupsDescribeCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOrUsage(() => parseArgs({
    args, allowPositionals: true, strict: true,
    options: {
      'bootstrap-server': { type: 'string', default: DEFAULT_BOOTSTRAP_SERVER },
      'all-groups': { type: 'boolean', default: false },
      members: { type: 'boolean', default: false },
      state: { type: 'boolean', default: false },
      offsets: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
  }));
  if (values.members && values.state) throw new UsageError('choose one of --members and --state');
  if (values.verbose && !values.members) throw new UsageError('--verbose goes with --members');
  if (values['all-groups'] === (positionals.length > 0)) throw new UsageError('name the groups to describe, or give --all-groups');
  return withAdmin(values['bootstrap-server'], io, async (admin) => {
    const groupIds = values['all-groups'] ? (await admin.listGroups()).map((g) => g.groupId) : positionals;
    let code = 0;
    for (const [i, groupId] of groupIds.entries()) {
      if (i > 0) io.out('');
      const ok = values.state
        ? await describeState(admin, groupId, io)
        : values.members
          ? await describeMembers(admin, groupId, values.verbose, io)
          : await describeOffsets(admin, groupId, io);
      if (!ok) code = 1;
    }
    return code;
  });
}

/** Says so and returns false when the group does not exist; warns when it is between assignments. */
function checkState(group: GroupDescription, io: Io): boolean {
  if (group.state === 'Dead') {
    io.err(`Consumer group '${group.groupId}' does not exist.`);
    return false;
  }
  if (REBALANCING.has(group.state)) io.err(`Warning: consumer group '${group.groupId}' is rebalancing.`);
  return true;
}

function noMembers(group: GroupDescription, io: Io): void {
  io.err(`Consumer group '${group.groupId}' has no active members.`);
}

const dash = (v: bigint | null): string => (v === null ? '-' : v.toString());

async function describeOffsets(admin: Admin, groupId: string, io: Io): Promise<boolean> {
  const { group, partitions } = await admin.describeGroupLag(groupId);
  if (!checkState(group, io)) return false;
  if (group.members.length === 0) noMembers(group, io);
  const rows = partitions.map((p) => [
    groupId, p.topic, String(p.partition), dash(p.committedOffset), dash(p.logEndOffset), dash(p.lag),
    p.member?.memberId ?? '-', p.member?.host ?? '-', p.member?.clientId ?? '-',
  ]);
  // Members that own nothing still get a line, so every consumer shows up.
  for (const m of group.members.filter((x) => x.assignment.length === 0)) {
    rows.push([groupId, '-', '-', '-', '-', '-', m.memberId, m.host, m.clientId]);
  }
  const headers = ['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID'];
  for (const line of formatTable(headers, rows)) io.out(line);
  return true;
}

/** "orders(0,1),payments(2)" */
export function formatAssignment(assignment: readonly TopicPartition[]): string {
  const byTopic = new Map<string, number[]>();
  for (const tp of assignment) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
  return [...byTopic].map(([t, ps]) => `${t}(${ps.join(',')})`).join(',') || '-';
}

async function describeMembers(admin: Admin, groupId: string, verbose: boolean, io: Io): Promise<boolean> {
  const [group] = await admin.describeGroups([groupId]);
  if (!checkState(group!, io)) return false;
  if (group!.members.length === 0) {
    noMembers(group!, io);
    return true;
  }
  const headers = ['GROUP', 'CONSUMER-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS', ...(verbose ? ['ASSIGNMENT'] : [])];
  const row = (m: GroupMember): string[] => [
    groupId, m.memberId, m.host, m.clientId, String(m.assignment.length), ...(verbose ? [formatAssignment(m.assignment)] : []),
  ];
  for (const line of formatTable(headers, group!.members.map(row))) io.out(line);
  return true;
}

async function describeState(admin: Admin, groupId: string, io: Io): Promise<boolean> {
  const [group] = await admin.describeGroups([groupId]);
  if (!checkState(group!, io)) return false;
  const g = group!;
  const coordinator = `${g.coordinator.host}:${g.coordinator.port} (${g.coordinator.nodeId})`;
  const rows = [[groupId, coordinator, g.assignor || '-', g.state, String(g.members.length)]];
  for (const line of formatTable(['GROUP', 'COORDINATOR (ID)', 'ASSIGNMENT-STRATEGY', 'STATE', '#MEMBERS'], rows)) io.out(line);
  return true;
}
