/**
 * `samsa groups reset-offsets`: move an inactive group's committed offsets. Without --execute
 * it is a dry run that prints the offsets it would commit, as Kafka's tool does.
 */
import { parseArgs } from 'node:util';
import type { ResetSpec, TopicSelection } from '../client/index.js';
import { DEFAULT_BOOTSTRAP_SERVER, type Io, UsageError, parseOrUsage, parseTopicSpec, withAdmin } from './groups-options.js';
import { formatTable } from './table.js';

export function groupsResetOffsetsCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOrUsage(() => parseArgs({
    args, allowPositionals: true, strict: true,
    options: {
      'bootstrap-server': { type: 'string', default: DEFAULT_BOOTSTRAP_SERVER },
      topic: { type: 'string', multiple: true, default: [] },
      'all-topics': { type: 'boolean', default: false },
      'to-earliest': { type: 'boolean', default: false },
      'to-latest': { type: 'boolean', default: false },
      'to-offset': { type: 'string' },
      'to-datetime': { type: 'string' },
      execute: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
    },
  }));
  if (positionals.length !== 1) throw new UsageError('name one group');
  if (values['all-topics'] === (values.topic.length > 0)) throw new UsageError('give --topic (one or more) or --all-topics');
  if (values.execute && values['dry-run']) throw new UsageError('choose one of --execute and --dry-run');
  const to = resetSpec(values);
  const groupId = positionals[0]!;
  const selections = values.topic.map(parseTopicSpec);
  return withAdmin(values['bootstrap-server'], io, async (admin) => {
    const topics: TopicSelection[] = values['all-topics']
      ? [...new Set((await admin.fetchOffsets(groupId)).map((c) => c.topic))].map((topic) => ({ topic }))
      : selections;
    if (topics.length === 0) {
      io.err(`Error: consumer group '${groupId}' has no committed offsets to reset.`);
      return 1;
    }
    const plan = await admin.resetOffsets(groupId, { topics, to, execute: values.execute });
    const rows = plan.map((p) => [groupId, p.topic, String(p.partition), p.offset.toString()]);
    for (const line of formatTable(['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET'], rows)) io.out(line);
    if (!values.execute && !values['dry-run']) io.err('Dry run: nothing was changed. Add --execute to commit these offsets.');
    return 0;
  });
}

function resetSpec(v: { 'to-earliest': boolean; 'to-latest': boolean; 'to-offset'?: string | undefined; 'to-datetime'?: string | undefined }): ResetSpec {
  const chosen = [v['to-earliest'], v['to-latest'], v['to-offset'] !== undefined, v['to-datetime'] !== undefined].filter(Boolean).length;
  if (chosen !== 1) throw new UsageError('give exactly one of --to-earliest, --to-latest, --to-offset, --to-datetime');
  if (v['to-earliest']) return 'earliest';
  if (v['to-latest']) return 'latest';
  if (v['to-offset'] !== undefined) {
    if (!/^-?\d+$/.test(v['to-offset'])) throw new UsageError(`--to-offset ${JSON.stringify(v['to-offset'])} is not a whole number`);
    return { offset: BigInt(v['to-offset']) };
  }
  const text = v['to-datetime']!;
  const timestampMs = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(timestampMs)) {
    throw new UsageError(`--to-datetime ${JSON.stringify(text)} is not an ISO-8601 date and time such as 2024-05-01T09:30:00.000Z`);
  }
  return { timestampMs };
}
