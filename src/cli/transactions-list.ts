/** `samsa transactions list`: every transactional id each broker coordinates, optionally filtered. */
import { parseArgs } from 'node:util';
import { TRANSACTION_STATES } from '../client/index.js';
import { DEFAULT_BOOTSTRAP_SERVER, type Io, UsageError, parseOrUsage, withAdmin } from './groups-options.js';
import { formatTable } from './table.js';
import { parseCount, parseProducerId } from './transactions-options.js';

const KNOWN_STATES: ReadonlySet<string> = new Set(TRANSACTION_STATES);

export function transactionsListCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOrUsage(() => parseArgs({
    args, allowPositionals: true, strict: true,
    options: {
      'bootstrap-server': { type: 'string', default: DEFAULT_BOOTSTRAP_SERVER },
      state: { type: 'string', multiple: true, default: [] },
      'producer-id': { type: 'string', multiple: true, default: [] },
      'duration-filter': { type: 'string' },
    },
  }));
  if (positionals.length > 0) throw new UsageError(`list takes no arguments, got ${positionals.join(' ')}`);
  const unknown = values.state.find((s) => !KNOWN_STATES.has(s));
  if (unknown !== undefined) throw new UsageError(`--state ${JSON.stringify(unknown)}: not a transaction state`);
  const producerIds = values['producer-id'].map(parseProducerId);
  const duration = values['duration-filter'];
  const durationFilterMs = duration === undefined ? undefined : parseCount('--duration-filter', duration);
  return withAdmin(values['bootstrap-server'], io, async (admin) => {
    const listings = await admin.listTransactions({ states: values.state, producerIds, durationFilterMs });
    const rows = listings.map((t) => [t.transactionalId, String(t.coordinatorId), t.producerId.toString(), t.state]);
    for (const line of formatTable(['TransactionalId', 'Coordinator', 'ProducerId', 'TransactionState'], rows)) io.out(line);
    return 0;
  });
}
