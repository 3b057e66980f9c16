/**
 * `samsa start [server.properties] [--override key=value ...]`: a single-node broker with its
 * data on local disk, until SIGINT or SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { Broker } from '../broker/broker.js';
import { consoleLogger } from '../broker/logger.js';
import { loadBrokerConfig } from '../broker/single-node.js';
import { SamsaError } from '../common/errors.js';

const USAGE = 'usage: samsa start [server.properties] [--override key=value ...]';

export function parseStartArgs(args: string[]): { propertiesFile: string | undefined; overrides: string[] } | string {
  let propertiesFile: string | undefined;
  const overrides: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--override') {
      const value = args[++i];
      if (value === undefined) return `--override needs key=value\n${USAGE}`;
      overrides.push(value);
    } else if (arg.startsWith('--override=')) {
      overrides.push(arg.slice('--override='.length));
    } else if (arg.startsWith('-')) {
      return `unknown option ${arg}\n${USAGE}`;
    } else if (propertiesFile === undefined) {
      propertiesFile = arg;
    } else {
      return `only one properties file\n${USAGE}`;
    }
  }
  return { propertiesFile, overrides };
}

export async function startCommand(args: string[], out: (line: string) => void): Promise<number> {
  const started = performance.now();
  const parsed = parseStartArgs(args);
  if (typeof parsed === 'string') {
    out(`samsa start: ${parsed}`);
    return 2;
  }
  let broker: Broker;
  try {
    const propertiesText = parsed.propertiesFile === undefined ? '' : readFileSync(parsed.propertiesFile, 'latin1');
    const config = loadBrokerConfig({ propertiesText, env: process.env, overrides: parsed.overrides });
    broker = await Broker.start({ config, logger: consoleLogger });
  } catch (e) {
    if (e instanceof SamsaError || (e as NodeJS.ErrnoException).code !== undefined) {
      out(`samsa start: ${(e as Error).message}`);
      return 1;
    }
    throw e;
  }
  const tookMs = Math.round(performance.now() - started);
  const addresses = broker.listeners.map((l) => `${l.name}://${l.host}:${l.port}`).join(', ');
  out(`samsa: broker ${broker.settings.nodeId} of cluster ${broker.clusterId} ready on ${addresses} in ${tookMs} ms (data in ${broker.settings.logDirs.join(', ')})`);
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      out(`samsa: ${signal}, shutting down`);
      broker.stop().then(
        () => { out('samsa: stopped cleanly'); resolve(0); },
        (e: unknown) => { out(`samsa: shutdown failed: ${(e as Error).message}`); resolve(1); },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
