/**
 * `samsa groups …`: inspect and manage consumer groups, as kafka-consumer-groups.sh does.
 * Each subcommand lives in its own file; this one dispatches and prints usage.
 */
import { groupsDeleteCommand, groupsDeleteOffsetsCommand } from './groups-delete.js';
import { groupsDescribeCommand } from './groups-describe.js';
import { groupsListCommand } from './groups-list.js';
import { type Io, UsageError } from './groups-options.js';
import { groupsResetOffsetsCommand } from './groups-reset-offsets.js';

export const GROUPS_USAGE = `usage: samsa groups <subcommand> [--bootstrap-server host:port] …

subcommands:
  list                                  every group: GROUP, TYPE, STATE
  describe <group>… | --all-groups      per partition: committed offset, log end offset, lag, owner
      [--members [--verbose]]           the members instead, with how many partitions each has
      [--state]                         the group's coordinator, assignor, state and member count
  delete <group>…                       delete groups that have no members
  delete-offsets <group> --topic t[:p,…]
                                        delete the group's committed offsets for partitions
  reset-offsets <group> (--topic t[:p,…] … | --all-topics)
      (--to-earliest | --to-latest | --to-offset N | --to-datetime ISO-8601)
      [--execute]                       without it, only show the new offsets (a dry run)

--bootstrap-server defaults to 127.0.0.1:9092.`;

export async function groupsCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  try {
    switch (sub) {
      case 'list': return await groupsListCommand(rest, io);
      case 'describe': return await groupsDescribeCommand(rest, io);
      case 'delete': return await groupsDeleteCommand(rest, io);
      case 'delete-offsets': return await groupsDeleteOffsetsCommand(rest, io);
      case 'reset-offsets': return await groupsResetOffsetsCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
        io.out(GROUPS_USAGE);
        return 0;
      default:
        throw new UsageError(`unknown subcommand ${JSON.stringify(sub)}`);
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`samsa groups: ${e.message}\n\n${GROUPS_USAGE}`);
    return 2;
  }
}
