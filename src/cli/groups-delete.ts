/** `samsa groups delete` and `samsa groups delete-offsets`. */
import { parseArgs } from 'node:util';
import { DEFAULT_BOOTSTRAP_SERVER, type Io, UsageError, groupErrorText, parseOrUsage, parseTopicSpec, withAdmin } from './groups-options.js';
import { formatTable } from './table.js';

export function groupsDeleteCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOrUsage(() => parseArgs({
    args, allowPositionals: true, strict: true,
    options: { 'bootstrap-server': { type: 'string', default: DEFAULT_BOOTSTRAP_SERVER } },
  }));
  if (positionals.length === 0) throw new UsageError('name the groups to delete');
  return withAdmin(values['bootstrap-server'], io, async (admin) => {
    const results = await admin.deleteGroups(positionals);
    const failed = results.filter((r) => r.error !== null);
    const deleted = results.filter((r) => r.error === null).map((r) => `'${r.groupId}'`);
    if (deleted.length > 0) io.out(`Deleted consumer groups ${deleted.join(', ')}.`);
    for (const r of failed) io.err(`Error: consumer group '${r.groupId}' was not deleted: ${groupErrorText(r.error!)}.`);
    return failed.length === 0 ? 0 : 1;
  });
}

export function groupsDeleteOffsetsCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOrUsage(() => parseArgs({
    args, allowPositionals: true, strict: true,
    options: {
      'bootstrap-server': { type: 'string', default: DEFAULT_BOOTSTRAP_SERVER },
      topic: { type: 'string', multiple: true, default: [] },
    },
  }));
  if (positionals.length !== 1) throw new UsageError('name one group');
  if (values.topic.length === 0) throw new UsageError('give at least one --topic');
  const groupId = positionals[0]!;
  const selections = values.topic.map(parseTopicSpec);
  return withAdmin(values['bootstrap-server'], io, async (admin) => {
    // A topic without partitions means every partition the group has an offset for.
    const committed = selections.some((s) => !s.partitions) ? await admin.fetchOffsets(groupId) : [];
    const partitions = selections.flatMap((s) => s.partitions
      ? s.partitions.map((partition) => ({ topic: s.topic, partition }))
      : committed.filter((c) => c.topic === s.topic).map((c) => ({ topic: c.topic, partition: c.partition })));
    if (partitions.length === 0) {
      io.err(`Error: consumer group '${groupId}' has no committed offsets for the given topics.`);
      return 1;
    }
    const results = await admin.deleteOffsets(groupId, partitions);
    const rows = results.map((r) => [r.topic, String(r.partition), r.error ? `Error: ${groupErrorText(r.error)}` : 'Successful']);
    for (const line of formatTable(['TOPIC', 'PARTITION', 'STATUS'], rows)) io.out(line);
    return results.every((r) => r.error === null) ? 0 : 1;
  });
}
