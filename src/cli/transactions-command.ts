/**
 * `samsa transactions …`: inspect transactions and the producer state partitions keep, as
 * kafka-transactions.sh does. Each subcommand lives in its own file; this one dispatches and
 * prints usage. Exit codes as `samsa groups`: 0 done, 1 failed, 2 bad usage.
 */
import { type Clock, systemClock } from '../common/clock.js';
import { type Io, UsageError } from './groups-options.js';
import { transactionsDescribeCommand } from './transactions-describe.js';
import { transactionsDescribeProducersCommand } from './transactions-describe-producers.js';
import { transactionsListCommand } from './transactions-list.js';

export const TRANSACTIONS_USAGE = `usage: samsa transactions <subcommand> [--bootstrap-server host:port] …

subcommands:
  list [--state S]… [--producer-id N]… [--duration-filter MS]
                                  every transactional id on every broker: TransactionalId,
                                  Coordinator, ProducerId, TransactionState; only those in the
                                  states or with the producer ids given, or open longer than MS
  describe --transactional-id ID  one transactional id at its coordinator: producer id and epoch,
                                  state, timeout, when the open transaction began, its partitions
  describe-producers --topic T --partition P [--broker-id N]
                                  the producers partition T-P remembers, as its leader (or the
                                  replica on broker N) sees them

States: Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort,
PrepareEpochFence, Dead. --bootstrap-server defaults to 127.0.0.1:9092.`;

/** `clock` gives "now" for how long an open transaction has run (describe). */
export async function transactionsCommand(args: string[], io: Io, clock: Clock = systemClock): Promise<number> {
  const [sub, ...rest] = args;
  try {
    switch (sub) {
      case 'list': return await transactionsListCommand(rest, io);
      case 'describe': return await transactionsDescribeCommand(rest, io, clock);
      case 'describe-producers': return await transactionsDescribeProducersCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
        io.out(TRANSACTIONS_USAGE);
        return 0;
      default:
        throw new UsageError(`unknown subcommand ${JSON.stringify(sub)}`);
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`samsa transactions: ${e.message}\n\n${TRANSACTIONS_USAGE}`);
    return 2;
  }
}
