/**
 * `samsa transactions describe --transactional-id X`: the id's state at its coordinator. An id
 * the coordinator does not know is an error (exit 1).
 */
import { parseArgs } from 'node:util';
import type { Clock } from '../common/clock.js';
import { KafkaResponseError, type TransactionDescription } from '../client/index.js';
import { DEFAULT_BOOTSTRAP_SERVER, type Io, UsageError, parseOrUsage, withAdmin } from './groups-options.js';
import { formatTable } from './table.js';
import { required } from './transactions-options.js';

const HEADERS = [
  'CoordinatorId', 'TransactionalId', 'ProducerId', 'ProducerEpoch', 'TransactionState', 'TransactionTimeoutMs',
  'CurrentTransactionStartTimeMs', 'TransactionDurationMs', 'TopicPartitions',
];

/** One table row; start time and duration are "None" when no transaction is open, partitions "topic-partition" joined by commas. */
export function describeRow(t: TransactionDescription, nowMs: number): string[] {
  const start = t.transactionStartTimeMs;
  return [
    String(t.coordinatorId), t.transactionalId, t.producerId.toString(), String(t.producerEpoch), t.state,
    String(t.transactionTimeoutMs), start === null ? 'None' : start.toString(), start === null ? 'None' : (BigInt(nowMs) - start).toString(),
    t.topicPartitions.map((tp) => `${tp.topic}-${tp.partition}`).join(','),
  ];
}

export function transactionsDescribeCommand(args: string[], io: Io, clock: Clock): Promise<number> {
  const { values, positionals } = parseOrUsage(() => parseArgs({
    args, allowPositionals: true, strict: true,
    options: {
      'bootstrap-server': { type: 'string', default: DEFAULT_BOOTSTRAP_SERVER },
      'transactional-id': { type: 'string' },
    },
  }));
  if (positionals.length > 0) throw new UsageError(`describe takes no arguments, got ${positionals.join(' ')}`);
  const transactionalId = required('--transactional-id', values['transactional-id']);
  return withAdmin(values['bootstrap-server'], io, async (admin) => {
    let description: TransactionDescription;
    try {
      [description] = (await admin.describeTransactions([transactionalId])) as [TransactionDescription];
    } catch (e) {
      if (!(e instanceof KafkaResponseError) || e.errorName !== 'TRANSACTIONAL_ID_NOT_FOUND') throw e;
      io.err(`Error: transactional id '${transactionalId}' was not found.`);
      return 1;
    }
    for (const line of formatTable(HEADERS, [describeRow(description, clock.nowMs())])) io.out(line);
    return 0;
  });
}
