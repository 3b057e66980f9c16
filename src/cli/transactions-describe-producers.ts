/** `samsa transactions describe-producers --topic T --partition P`: the producer state one partition keeps. */
import { parseArgs } from 'node:util';
import type { ProducerState } from '../client/index.js';
import { DEFAULT_BOOTSTRAP_SERVER, type Io, UsageError, parseOrUsage, withAdmin } from './groups-options.js';
import { formatTable } from './table.js';
import { parseCount, required } from './transactions-options.js';

const HEADERS = ['ProducerId', 'ProducerEpoch', 'LatestCoordinatorEpoch', 'LastSequence', 'LastTimestamp', 'CurrentTransactionStartOffset'];

/** One table row: a coordinator epoch never set prints -1, no open transaction prints "None" (as Kafka's tool does). */
export function producerRow(p: ProducerState): string[] {
  return [
    p.producerId.toString(), String(p.producerEpoch), String(p.coordinatorEpoch ?? -1), String(p.lastSequence),
    p.lastTimestamp.toString(), p.currentTransactionStartOffset?.toString() ?? 'None',
  ];
}

export function transactionsDescribeProducersCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOrUsage(() => parseArgs({
    args, allowPositionals: true, strict: true,
    options: {
      'bootstrap-server': { type: 'string', default: DEFAULT_BOOTSTRAP_SERVER },
      topic: { type: 'string' },
      partition: { type: 'string' },
      'broker-id': { type: 'string' },
    },
  }));
  if (positionals.length > 0) throw new UsageError(`describe-producers takes no arguments, got ${positionals.join(' ')}`);
  const topic = required('--topic', values.topic);
  const partition = parseCount('--partition', required('--partition', values.partition));
  const brokerIdText = values['broker-id'];
  const brokerId = brokerIdText === undefined ? undefined : parseCount('--broker-id', brokerIdText);
  return withAdmin(values['bootstrap-server'], io, async (admin) => {
    const [state] = await admin.describeProducers([{ topic, partition }], { brokerId });
    for (const line of formatTable(HEADERS, state!.activeProducers.map(producerRow))) io.out(line);
    return 0;
  });
}
