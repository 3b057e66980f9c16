#!/usr/bin/env node
/**
 * The `samsa` command. Each subcommand lives in its own file; this one only dispatches.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { groupsCommand } from './groups-command.js';
import { protocolCommand } from './protocol-command.js';
import { startCommand } from './start-command.js';
import { transactionsCommand } from './transactions-command.js';

const USAGE = `usage: samsa <command> [args]

commands:
  start [server.properties] [--override key=value ...]
                                run a broker (node 1, 127.0.0.1:9092, data in ./samsa-data by default)
  groups list|describe|delete|reset-offsets …
                                consumer groups: members, offsets and lag (samsa groups help)
  transactions list|describe|describe-producers …
                                transactions and producer state (samsa transactions help)
  protocol apis                 the Kafka APIs Samsa encodes and decodes, with their versions
  protocol errors               Kafka's error codes: code, name, retriable
  protocol decode-request HEX   decode one request frame (hex, with or without its size prefix) to JSON
  version                       print the version
  help                          print this text
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[], out: (line: string) => void, err: (line: string) => void = out): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return startCommand(rest, out);
    case 'groups':
      return groupsCommand(rest, { out, err });
    case 'transactions':
      return transactionsCommand(rest, { out, err });
    case 'protocol':
      return protocolCommand(rest, out);
    case 'version':
    case '--version':
      out(version());
      return 0;
    case undefined:
    case 'help':
    case '--help':
      out(USAGE);
      return 0;
    default:
      out(`samsa: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
      return 2;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // `samsa protocol apis | head` closes the pipe early; that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  const stdout = (line: string): void => { process.stdout.write(`${line}\n`); };
  const stderr = (line: string): void => { process.stderr.write(`${line}\n`); };
  main(process.argv.slice(2), stdout, stderr).then((code) => {
    process.exitCode = code;
  });
}
