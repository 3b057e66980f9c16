/** Registers the snappy and lz4 codec plugins with KafkaJS (gzip is built in; zstd has no working plugin on Node 20). */
import { createRequire } from 'node:module';
import kafkajs from 'kafkajs';

const require = createRequire(import.meta.url);

let available: Set<string> | null = null;

/**
 * Registers what loads and returns the codec names KafkaJS can use here. kafkajs-lz4 needs the
 * native lz4 module, built for the Node version npm installed with: on another Node it is missing.
 */
export function registerKafkajsCodecs(): ReadonlySet<string> {
  if (available) return available;
  available = new Set(['none', 'gzip']);
  const codecs = kafkajs.CompressionCodecs as unknown as Record<number, unknown>;
  try {
    codecs[kafkajs.CompressionTypes.Snappy] = require('kafkajs-snappy') as unknown;
    available.add('snappy');
  } catch {
    // not available on this Node
  }
  try {
    const Lz4 = require('kafkajs-lz4') as new () => { codec: unknown };
    codecs[kafkajs.CompressionTypes.LZ4] = new Lz4().codec;
    available.add('lz4');
  } catch {
    // not available on this Node
  }
  return available;
}

/** Reads `count` records of `topic` from the beginning with a KafkaJS consumer (no group commits). */
export async function readWithKafkajs(
  bootstrap: string, topic: string, count: number, options: { readUncommitted?: boolean; timeoutMs?: number } = {},
): Promise<Array<{ partition: number; offset: string; key: Buffer | null; value: Buffer | null; headers: Record<string, unknown>; timestamp: string }>> {
  registerKafkajsCodecs();
  const kafka = new kafkajs.Kafka({ clientId: 'samsa-client-test-reader', brokers: [bootstrap], logLevel: kafkajs.logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `reader-${topic}-${Math.random().toString(36).slice(2)}`, readUncommitted: options.readUncommitted ?? false, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const out: Array<{ partition: number; offset: string; key: Buffer | null; value: Buffer | null; headers: Record<string, unknown>; timestamp: string }> = [];
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => { resolveDone = resolve; });
  const timer = setTimeout(resolveDone, options.timeoutMs ?? 15_000);
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      out.push({ partition, offset: message.offset, key: message.key, value: message.value, headers: message.headers ?? {}, timestamp: message.timestamp });
      if (out.length >= count) resolveDone();
    },
  });
  await done;
  clearTimeout(timer);
  await consumer.disconnect();
  return out;
}
