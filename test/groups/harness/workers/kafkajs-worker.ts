/**
 * A KafkaJS group consumer as its own process for the group interop suites:
 *   node kafkajs-worker.js '<json config>'
 * Prints the events of ../events.ts on stdout; "close" on stdin (or its end) disconnects (LeaveGroup).
 *
 * KafkaJS has no revoke callback. Its protocol is eager: sending JoinGroup gives up every
 * partition, so the worker watches its own sockets and reports a revoke when a JoinGroup request
 * is written, and the new assignment on GROUP_JOIN.
 */
import net from 'node:net';
import { createInterface } from 'node:readline';
import kafkajs, { type EachBatchPayload } from 'kafkajs';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { WorkerEvent } from '../events.js';

interface Config {
  bootstrap: string;
  topic: string;
  group: string;
  name: string;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  processDelayMs?: number;
  /**
   * 'roundrobin': KafkaJS's RoundRobinAssigner under librdkafka's protocol name, so KafkaJS and
   * librdkafka members (partition.assignment.strategy=roundrobin) can share one classic group.
   */
  assignor?: 'roundrobin';
}

const JOIN_GROUP = 11;
const cfg = JSON.parse(process.argv[2] ?? '{}') as Config;

function emit(event: WorkerEvent): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

let owned: number[] = [];

function onRequestWritten(chunk: unknown): void {
  if (!Buffer.isBuffer(chunk) || chunk.length < 6) return;
  if (chunk.readInt16BE(4) !== JOIN_GROUP || owned.length === 0) return;
  emit({ e: 'revoke', partitions: owned, incremental: false });
  owned = [];
}

const socketFactory = ({ host, port, onConnect }: { host: string; port: number; onConnect: () => void }): net.Socket => {
  const socket = net.connect({ host, port }, onConnect);
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  socket.write = ((...args: unknown[]) => {
    onRequestWritten(args[0]);
    return write(...args);
  }) as typeof socket.write;
  return socket;
};

const { Kafka, logLevel, PartitionAssigners } = kafkajs;
const version = (JSON.parse(readFileSync(createRequire(import.meta.url).resolve('kafkajs/package.json'), 'utf8')) as { version: string }).version;
const kafka = new Kafka({
  clientId: cfg.name,
  brokers: [cfg.bootstrap],
  logLevel: logLevel.NOTHING,
  socketFactory,
  retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 },
});
const consumer = kafka.consumer({
  groupId: cfg.group,
  sessionTimeout: cfg.sessionTimeoutMs ?? 6000,
  rebalanceTimeout: 10_000,
  heartbeatInterval: cfg.heartbeatIntervalMs ?? 500,
  maxWaitTimeInMs: 100,
  metadataMaxAge: 2000,
  ...(cfg.assignor === 'roundrobin'
    ? { partitionAssigners: [(config: Parameters<typeof PartitionAssigners.roundRobin>[0]) => ({ ...PartitionAssigners.roundRobin(config), name: 'roundrobin' })] }
    : {}),
});

consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
  owned = [...(payload.memberAssignment[cfg.topic] ?? [])].sort((a, b) => a - b);
  emit({ e: 'assign', partitions: owned, incremental: false });
});
consumer.on(consumer.events.CRASH, ({ payload }) => emit({ e: 'clientError', error: `crash: ${payload.error.message}` }));

async function eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
  let next: number | null = null;
  for (const m of batch.messages) {
    if (!isRunning() || isStale()) break;
    emit({ e: 'rec', p: batch.partition, o: Number(m.offset), v: m.value?.toString() ?? '' });
    if (cfg.processDelayMs) await new Promise((resolve) => setTimeout(resolve, cfg.processDelayMs));
    resolveOffset(m.offset);
    next = Number(m.offset) + 1;
  }
  if (next === null) return;
  const offsets: [number, number][] = [[batch.partition, next]];
  try {
    await consumer.commitOffsets([{ topic: cfg.topic, partition: batch.partition, offset: String(next) }]);
    emit({ e: 'commit', offsets });
  } catch (e) {
    emit({ e: 'commitError', offsets, error: `${(e as Error).name}: ${(e as Error).message}` });
    throw e;
  }
  await heartbeat();
}

let closing = false;
async function close(): Promise<void> {
  if (closing) return;
  closing = true;
  await consumer.disconnect();
  emit({ e: 'closed' });
  process.exit(0);
}

emit({ e: 'start', client: `kafkajs ${version}`, pid: process.pid });
createInterface({ input: process.stdin })
  .on('line', (line) => { if (line.trim() === 'close') void close(); })
  .on('close', () => void close());
await consumer.connect();
await consumer.subscribe({ topics: [cfg.topic], fromBeginning: true });
await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch });
