/** `samsa groups list`: every group in the cluster with its type and state. */
import { parseArgs } from 'node:util';
import { DEFAULT_BOOTSTRAP_SERVER, type Io, UsageError, parseOrUsage, withAdmin } from './groups-options.js';
import { formatTable } from './table.js';

/** "classic" → "Classic", as Kafka's tool prints group types. */
export function groupTypeLabel(type: string): string {
  return type.length === 0 ? '-' : type[0]!.toUpperCase() + type.slice(1);
}

export function groupsListCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOrUsage(() => parseArgs({
    args, allowPositionals: true, strict: true,
    options: { 'bootstrap-server': { type: 'string', default: DEFAULT_BOOTSTRAP_SERVER } },
  }));
  if (positionals.length > 0) throw new UsageError(`list takes no arguments, got ${positionals.join(' ')}`);
  return withAdmin(values['bootstrap-server'], io, async (admin) => {
    const groups = await admin.listGroups();
    const rows = groups.map((g) => [g.groupId, groupTypeLabel(g.type), g.state || '-']);
    for (const line of formatTable(['GROUP', 'TYPE', 'STATE'], rows)) io.out(line);
    return 0;
  });
}
