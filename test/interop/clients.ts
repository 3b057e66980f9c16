/**
 * Drives real Kafka clients against a bootstrap address: kcat (librdkafka) as a child process
 * and kafkajs in process. Every call has a time limit; a child that overruns it is killed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type Codec = (typeof CODECS)[number];

/** A record as sent and as read back: text key and value, headers in order. */
export interface TextRecord {
  key: string | null;
  value: string;
  headers: [string, string][];
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export const KCAT = process.env.SAMSA_KCAT ?? 'kcat';

/** Runs a command, feeding `input` on stdin; kills it (SIGKILL) after `timeoutMs`. */
export function run(cmd: string, args: string[], input: string, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.stdin.on('error', () => undefined);
    const finish = (code: number | null, extra = ''): void => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') + extra, timedOut });
    };
    child.on('error', (e) => finish(null, e.message));
    child.on('close', (code) => finish(code));
    child.stdin.end(input);
  });
}

/** kcat's and librdkafka's versions, or null when kcat cannot be run. */
export function kcatVersion(): { kcat: string; librdkafka: string } | null {
  const r = spawnSync(KCAT, ['-V'], { encoding: 'utf8', timeout: 5000 });
  const m = /Version (\S+) .*librdkafka (\S+)/.exec(`${r.stdout ?? ''}${r.stderr ?? ''}`);
  return r.status === 0 && m ? { kcat: m[1]!, librdkafka: m[2]! } : null;
}

function fail(what: string, r: RunResult): never {
  throw new Error(`${what} ${r.timedOut ? 'timed out' : `exited with ${r.code}`}:\n${r.stderr}`);
}

/** `kcat -L -J`: the metadata kcat sees, as kcat prints it. */
export async function kcatList(bootstrap: string, topic: string, timeoutMs = 10_000): Promise<unknown> {
  const r = await run(KCAT, ['-b', bootstrap, '-L', '-J', '-t', topic], '', timeoutMs);
  if (r.code !== 0) fail('kcat -L', r);
  return JSON.parse(r.stdout) as unknown;
}

/** `kcat -P`: one line per record, key before '|'; kcat puts the same headers on every record. */
export async function kcatProduce(bootstrap: string, topic: string, codec: Codec, records: TextRecord[], timeoutMs = 10_000): Promise<void> {
  const headers = records[0]?.headers ?? [];
  if (records.some((rec) => JSON.stringify(rec.headers) !== JSON.stringify(headers))) throw new Error('kcat sends one set of headers');
  const input = records.map((rec) => (rec.key === null ? rec.value : `${rec.key}|${rec.value}`)).join('\n') + '\n';
  const args = ['-b', bootstrap, '-P', '-t', topic, '-z', codec, '-K', '|', '-X', 'linger.ms=50'];
  for (const [k, v] of headers) args.push('-H', `${k}=${v}`);
  const r = await run(KCAT, args, input, timeoutMs);
  if (r.code !== 0) fail('kcat -P', r);
}

interface KcatJsonRecord {
  partition: number;
  offset: number;
  key: string | null;
  payload: string | null;
  headers?: string[];
}

/**
 * `kcat -C -o beginning -e -J`: every record of the topic, partition by partition, in offset
 * order. With a group id, `kcat -G` instead: a group member that joins, fetches and commits.
 */
export async function kcatConsume(bootstrap: string, topic: string, groupId?: string, timeoutMs = 10_000): Promise<TextRecord[]> {
  const common = ['-b', bootstrap, '-e', '-J', '-q', '-X', 'fetch.wait.max.ms=100'];
  const args = groupId === undefined
    ? [...common, '-C', '-t', topic, '-o', 'beginning']
    : [...common, '-X', 'auto.offset.reset=earliest', '-G', groupId, topic];
  const r = await run(KCAT, args, '', timeoutMs);
  if (r.code !== 0) fail('kcat -C', r);
  const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
  const parsed = lines.map((l) => JSON.parse(l) as KcatJsonRecord);
  parsed.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  return parsed.map((p) => {
    const flat = p.headers ?? [];
    const headers: [string, string][] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) headers.push([flat[i]!, flat[i + 1]!]);
    return { key: p.key, value: p.payload ?? '', headers };
  });
}

export interface KafkajsClient {
  version: string;
  /** Codecs kafkajs can write with the plugins installed; the rest with the reason. */
  codecs: Map<Codec, string>;
  missing: Map<Codec, string>;
  /** Sends the records in one call, then disconnects; everything within `timeoutMs`. */
  produce(bootstrap: string, topic: string, codec: Codec, records: TextRecord[], timeoutMs?: number): Promise<void>;
  /** A group consumer that reads `count` records from the beginning, then leaves. */
  consume(bootstrap: string, topic: string, groupId: string, count: number, timeoutMs?: number): Promise<TextRecord[]>;
}

/* The kafkajs surface used here, typed loosely so the module can be absent at build time. */
interface KafkajsModule {
  Kafka: new (config: object) => { producer(config?: object): KafkajsProducer; consumer(config: object): KafkajsConsumer };
  CompressionTypes: Record<string, number>;
  CompressionCodecs: Record<number, unknown>;
  logLevel: Record<string, number>;
}
interface KafkajsProducer {
  connect(): Promise<void>;
  send(r: object): Promise<unknown>;
  disconnect(): Promise<void>;
}
interface KafkajsMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | string | undefined>;
}
interface KafkajsConsumer {
  connect(): Promise<void>;
  subscribe(s: object): Promise<void>;
  run(r: { eachMessage: (p: { partition: number; message: KafkajsMessage }) => Promise<void> }): Promise<void>;
  disconnect(): Promise<void>;
}

const KAFKAJS_TYPES: Record<Codec, string> = { none: 'None', gzip: 'GZIP', snappy: 'Snappy', lz4: 'LZ4', zstd: 'ZSTD' };

async function importOptional(name: string): Promise<Record<string, unknown> | null> {
  try {
    return (await import(name)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function packageVersion(name: string): string {
  const require = createRequire(import.meta.url);
  try {
    const main = require.resolve(name);
    const root = main.slice(0, main.lastIndexOf(`/node_modules/${name}/`) + `/node_modules/${name}/`.length);
    return (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Loads kafkajs and the codec plugins that are installed; null when kafkajs is not. */
export async function loadKafkajs(): Promise<KafkajsClient | null> {
  const mod = await importOptional('kafkajs');
  if (!mod) return null;
  const kafkajs = (mod.default ?? mod) as KafkajsModule;
  const codecs = new Map<Codec, string>([['none', 'kafkajs'], ['gzip', 'kafkajs (zlib)']]);
  const missing = new Map<Codec, string>();
  const snappy = await importOptional('kafkajs-snappy');
  if (snappy) {
    kafkajs.CompressionCodecs[kafkajs.CompressionTypes.Snappy!] = snappy.default;
    codecs.set('snappy', `kafkajs-snappy ${packageVersion('kafkajs-snappy')} (snappyjs)`);
  } else missing.set('snappy', 'kafkajs-snappy is not installed');
  const lz4 = await importOptional('kafkajs-lz4');
  if (lz4) {
    const LZ4Codec = lz4.default as new () => { codec: unknown };
    kafkajs.CompressionCodecs[kafkajs.CompressionTypes.LZ4!] = new LZ4Codec().codec;
    codecs.set('lz4', `kafkajs-lz4 ${packageVersion('kafkajs-lz4')} (lz4 ${packageVersion('lz4')}, JS build)`);
  } else missing.set('lz4', 'kafkajs-lz4 is not installed');
  const zstd = await importOptional('@kafkajs/zstd');
  if (zstd) {
    kafkajs.CompressionCodecs[kafkajs.CompressionTypes.ZSTD!] = (zstd.default as () => unknown)();
    codecs.set('zstd', `@kafkajs/zstd ${packageVersion('@kafkajs/zstd')}`);
  } else missing.set('zstd', '@kafkajs/zstd does not install: its native dependency cppzst 2.0.6 does not compile against Node 20 V8 headers (C++17)');

  const client = (bootstrap: string): InstanceType<KafkajsModule['Kafka']> =>
    new kafkajs.Kafka({
      clientId: 'samsa-golden-kafkajs',
      brokers: [bootstrap],
      logLevel: kafkajs.logLevel.NOTHING,
      connectionTimeout: 3000,
      requestTimeout: 5000,
      retry: { retries: 0 },
    });
  return {
    version: packageVersion('kafkajs'),
    codecs,
    missing,
    async produce(bootstrap, topic, codec, records, timeoutMs = 10_000) {
      const producer = client(bootstrap).producer({ allowAutoTopicCreation: false });
      try {
        await withTimeout(
          (async () => {
            await producer.connect();
            await producer.send({
              topic,
              compression: kafkajs.CompressionTypes[KAFKAJS_TYPES[codec]],
              messages: records.map((r) => ({ key: r.key, value: r.value, headers: Object.fromEntries(r.headers) })),
            });
          })(),
          timeoutMs,
          `kafkajs produce ${codec}`,
        );
      } finally {
        await withTimeout(producer.disconnect(), 5000, 'kafkajs disconnect').catch(() => undefined);
      }
    },
    async consume(bootstrap, topic, groupId, count, timeoutMs = 15_000) {
      const consumer = client(bootstrap).consumer({ groupId, maxWaitTimeInMs: 100, heartbeatInterval: 1000 });
      const got: { partition: number; record: TextRecord }[] = [];
      try {
        const done = new Promise<void>((resolve, reject) => {
          const eachMessage = async ({ partition, message }: { partition: number; message: KafkajsMessage }): Promise<void> => {
            const headers = Object.entries(message.headers ?? {}).map(([k, v]): [string, string] => [k, String(v ?? '')]);
            got.push({ partition, record: { key: message.key?.toString() ?? null, value: message.value?.toString() ?? '', headers } });
            if (got.length >= count) resolve();
          };
          consumer
            .connect()
            .then(() => consumer.subscribe({ topic, fromBeginning: true }))
            .then(() => consumer.run({ eachMessage }))
            .catch(reject);
        });
        await withTimeout(done, timeoutMs, 'kafkajs consume');
      } finally {
        await withTimeout(consumer.disconnect(), 5000, 'kafkajs disconnect').catch(() => undefined);
      }
      return got.sort((a, b) => a.partition - b.partition).map((g) => g.record);
    },
  };
}

/** Rejects when `p` takes longer than `ms`. */
export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
