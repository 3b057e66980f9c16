/**
 * What every KafkaJS exactly-once worker shares: its JSON config (argv[2]), one JSON event per
 * line on stdout (../harness/events.ts), "close" and commands on stdin, the KafkaJS client, and
 * the reduction of a KafkaJS error (and its `cause` chain) to a ClientError.
 */
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import kafkajs from 'kafkajs';
import type { ClientError, TxnEvent } from '../harness/events.js';

export const cfg = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown> & { bootstrap: string; name: string };

export function emit(event: TxnEvent): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

const version = (JSON.parse(readFileSync(createRequire(import.meta.url).resolve('kafkajs/package.json'), 'utf8')) as { version: string }).version;

export function started(): void {
  emit({ e: 'start', client: `kafkajs ${version}`, pid: process.pid });
}

export const kafka = new kafkajs.Kafka({
  clientId: cfg.name,
  brokers: [cfg.bootstrap],
  logLevel: kafkajs.logLevel.NOTHING,
  retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 },
});

interface KafkajsErrorShape {
  name?: string;
  message?: string;
  type?: string;
  cause?: unknown;
  retriable?: boolean;
}

/** The error's class and protocol type along its cause chain; `name` is the first protocol type found. */
export function describe(e: unknown): ClientError {
  const chain: string[] = [];
  let protocolType: string | undefined;
  for (let cur = e as KafkajsErrorShape | undefined, depth = 0; cur && depth < 8; cur = cur.cause as KafkajsErrorShape | undefined, depth++) {
    chain.push(`${cur.name ?? 'Error'}:${cur.type ?? ''}`);
    protocolType ??= cur.type;
  }
  const first = e as KafkajsErrorShape;
  return {
    name: protocolType ?? first?.name ?? 'Error',
    message: first?.message ?? String(e),
    ...(typeof first?.retriable === 'boolean' ? { retriable: first.retriable } : {}),
    chain,
  };
}

/** Calls `onCommand` with each JSON command line and `onClose` once on "close" or end of input. */
export function readCommands(onCommand: (cmd: Record<string, unknown> & { id: number; op: string }) => void, onClose: () => void): void {
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    onClose();
  };
  createInterface({ input: process.stdin })
    .on('line', (line) => {
      const text = line.trim();
      if (text === 'close') close();
      else if (text) onCommand(JSON.parse(text) as Record<string, unknown> & { id: number; op: string });
    })
    .on('close', close);
}
