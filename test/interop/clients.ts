/**
 * Drives real Kafka clients against a bootstrap address: kcat (librdkafka) as a child process,
 * kafkajs and @platformatic/kafka in process. Every call has a time limit; a child that overruns
 * it is killed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { apiInfo } from '../../src/protocol/index.js';

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

export const KCAT = process.env.SAMSA_TEST_KCAT ?? 'kcat';

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

export type GroupProtocol = 'classic' | 'consumer';

/** What a round of @platformatic/kafka admin calls saw. */
export interface PlatformaticAdminResult {
  created: { name: string; partitions: number; replicas: number; configuration: Record<string, string | null> }[];
  /** listTopics after the create and after the delete. */
  topicsAfterCreate: string[];
  topicsAfterDelete: string[];
  /** Partition count metadata() reported for the created topic. */
  partitions: number;
  /** listGroups: group id, state and type. */
  groups: [string, string, string][];
  /** describeGroups of the group asked for: state, protocol type, member count. */
  described: { state: string; protocolType: string; members: number } | null;
}

export interface PlatformaticClient {
  version: string;
  /** Codecs the client can write here; the rest with the reason. */
  codecs: Map<Codec, string>;
  missing: Map<Codec, string>;
  /**
   * Per API key, the lowest flexible version (compact types, tagged fields) the client implements:
   * advertised as the highest, they make it use those instead of the newest.
   */
  lowestFlexibleVersions(): Map<number, number>;
  /** Sends the records in one call (idempotent: InitProducerId first, acks=all), then closes. */
  produce(bootstrap: string, topic: string, codec: Codec, records: TextRecord[], idempotent?: boolean, timeoutMs?: number): Promise<void>;
  /** Without a group: metadata, ListOffsets, then Fetch from the earliest offset of every partition up to the latest. */
  fetch(bootstrap: string, topic: string, timeoutMs?: number): Promise<TextRecord[]>;
  /**
   * A group member (classic JoinGroup/SyncGroup, or the KIP-848 consumer protocol) that starts
   * from the committed offsets (earliest when none), reads `count` records committing each, waits
   * for a heartbeat, then leaves.
   */
  consume(bootstrap: string, topic: string, groupId: string, count: number, protocol: GroupProtocol, timeoutMs?: number): Promise<TextRecord[]>;
  /** createTopics, listTopics, metadata, listGroups, describeGroups(groupId), deleteTopics, listTopics. */
  admin(bootstrap: string, topic: string, groupId: string, timeoutMs?: number): Promise<PlatformaticAdminResult>;
}

/* The @platformatic/kafka surface used here, typed loosely so the module can be absent at build time. */
interface PltBase {
  close(): Promise<void>;
  metadata(o: { topics: string[] }): Promise<{ topics: Map<string, { id: string; partitionsCount: number }> }>;
}
interface PltRecord {
  offsetDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: [Buffer | null, Buffer | null][];
}
interface PltFetchResponse {
  responses: { partitions: { partitionIndex: number; errorCode: number; records?: { firstOffset: bigint; records: PltRecord[] }[] }[] }[];
}
interface PltMessage {
  partition: number;
  key: string | undefined;
  value: string | undefined;
  headers: Map<string, string | undefined>;
  commit(): Promise<void>;
}
interface PltStream extends AsyncIterable<PltMessage> {
  close(): Promise<void>;
}
interface PltConsumer extends PltBase {
  readonly lastHeartbeat: Date | null;
  listOffsets(o: { topics: string[]; timestamp?: bigint }): Promise<Map<string, bigint[]>>;
  fetch(o: { node: number; topics: { topicId: string; partitions: object[] }[] }): Promise<PltFetchResponse>;
  consume(o: object): Promise<PltStream>;
}
interface PltAdmin extends PltBase {
  createTopics(o: object): Promise<PlatformaticAdminResult['created']>;
  listTopics(): Promise<string[]>;
  listGroups(o: { types: string[] }): Promise<Map<string, { id: string; state: string; groupType: string }>>;
  describeGroups(o: { groups: string[] }): Promise<Map<string, { state: string; protocolType: string; members: Map<string, unknown> }>>;
  deleteTopics(o: { topics: string[] }): Promise<void>;
}
interface PlatformaticModule {
  Producer: new (o: object) => PltBase & { send(o: object): Promise<unknown> };
  Consumer: new (o: object) => PltConsumer;
  Admin: new (o: object) => PltAdmin;
  stringSerializers: object;
  stringDeserializers: object;
  compressionsAlgorithms: Record<string, { available: boolean }>;
  [name: string]: unknown;
}

const NODE_ID = 1;

/** Loads @platformatic/kafka; null when it is not installed (or does not load on this Node). */
export async function loadPlatformatic(): Promise<PlatformaticClient | null> {
  const mod = (await importOptional('@platformatic/kafka')) as PlatformaticModule | null;
  if (!mod) return null;
  const plt = mod;
  const codecs = new Map<Codec, string>();
  const missing = new Map<Codec, string>();
  const builtIn: Record<Codec, string> = { none: '', gzip: ' (node:zlib)', snappy: ' (@platformatic/wasm-utils)', lz4: ' (@platformatic/wasm-utils)', zstd: ' (node:zlib)' };
  for (const codec of CODECS) {
    if (plt.compressionsAlgorithms[codec]?.available) codecs.set(codec, `@platformatic/kafka${builtIn[codec]}`);
    else missing.set(codec, `@platformatic/kafka uses node:zlib for zstd, which Node ${process.versions.node} lacks (zstdCompressSync needs Node >= 22.15)`);
  }
  const options = (bootstrap: string): object => ({
    clientId: 'samsa-golden-platformatic',
    bootstrapBrokers: [bootstrap],
    retries: 0,
    timeout: 5000,
    connectTimeout: 3000,
  });
  const text = (b: Buffer | string | null | undefined): string | null => (b === null || b === undefined ? null : b.toString());
  return {
    version: packageVersion('@platformatic/kafka'),
    codecs,
    missing,
    lowestFlexibleVersions() {
      const lowest = new Map<number, number>();
      // The package exports each implementation as <name>V<version> with api.key and api.version.
      for (const value of Object.values(plt)) {
        const api = (value as { api?: { key?: unknown; version?: unknown } } | null)?.api;
        if (typeof api?.key !== 'number' || typeof api.version !== 'number') continue;
        const flexible = apiInfo(api.key)?.flexibleVersions;
        if (!flexible || api.version < flexible.min || api.version > flexible.max) continue;
        if (api.version < (lowest.get(api.key) ?? Infinity)) lowest.set(api.key, api.version);
      }
      return lowest;
    },
    async produce(bootstrap, topic, codec, records, idempotent = false, timeoutMs = 10_000) {
      const producer = new plt.Producer({ ...options(bootstrap), serializers: plt.stringSerializers, idempotent });
      try {
        await withTimeout(
          producer.send({
            compression: codec,
            messages: records.map((r) => ({ topic, key: r.key ?? undefined, value: r.value, headers: Object.fromEntries(r.headers) })),
          }),
          timeoutMs,
          `@platformatic/kafka produce ${codec}`,
        );
      } finally {
        await withTimeout(producer.close(), 5000, '@platformatic/kafka close').catch(() => undefined);
      }
    },
    async fetch(bootstrap, topic, timeoutMs = 10_000) {
      const consumer = new plt.Consumer({ ...options(bootstrap), groupId: 'samsa-golden-unused', maxWaitTime: 100 });
      const got: { partition: number; offset: bigint; record: TextRecord }[] = [];
      try {
        await withTimeout(
          (async () => {
            const md = await consumer.metadata({ topics: [topic] });
            const topicId = md.topics.get(topic)?.id;
            if (topicId === undefined) throw new Error(`no metadata for ${topic}`);
            const next = (await consumer.listOffsets({ topics: [topic], timestamp: -2n })).get(topic) ?? [];
            const end = (await consumer.listOffsets({ topics: [topic] })).get(topic) ?? [];
            while (next.some((o, p) => o < (end[p] ?? 0n))) {
              const partitions = next.flatMap((fetchOffset, partition) =>
                fetchOffset < (end[partition] ?? 0n)
                  ? [{ partition, currentLeaderEpoch: -1, fetchOffset, lastFetchedEpoch: -1, partitionMaxBytes: 1 << 20 }]
                  : [],
              );
              const res = await consumer.fetch({ node: NODE_ID, topics: [{ topicId, partitions }] });
              for (const part of res.responses.flatMap((r) => r.partitions)) {
                if (part.errorCode !== 0) throw new Error(`fetch partition ${part.partitionIndex}: error ${part.errorCode}`);
                for (const batch of part.records ?? []) {
                  for (const r of batch.records) {
                    const offset = batch.firstOffset + BigInt(r.offsetDelta);
                    if (offset < next[part.partitionIndex]!) continue;
                    const headers = r.headers.map(([k, v]): [string, string] => [text(k) ?? '', text(v) ?? '']);
                    got.push({ partition: part.partitionIndex, offset, record: { key: text(r.key), value: text(r.value) ?? '', headers } });
                    next[part.partitionIndex] = offset + 1n;
                  }
                }
              }
            }
          })(),
          timeoutMs,
          '@platformatic/kafka fetch',
        );
      } finally {
        await withTimeout(consumer.close(), 5000, '@platformatic/kafka close').catch(() => undefined);
      }
      return got.sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset)).map((g) => g.record);
    },
    async consume(bootstrap, topic, groupId, count, protocol, timeoutMs = 15_000) {
      const group = protocol === 'consumer'
        ? { groupProtocol: 'consumer' }
        : { groupProtocol: 'classic', sessionTimeout: 10_000, rebalanceTimeout: 10_000, heartbeatInterval: 100 };
      const consumer = new plt.Consumer({ ...options(bootstrap), groupId, maxWaitTime: 100, deserializers: plt.stringDeserializers, ...group });
      const got: { partition: number; record: TextRecord }[] = [];
      try {
        await withTimeout(
          (async () => {
            const stream = await consumer.consume({ topics: [topic], mode: 'committed', fallbackMode: 'earliest', autocommit: false });
            try {
              for await (const m of stream) {
                const headers = [...m.headers].map(([k, v]): [string, string] => [k, v ?? '']);
                got.push({ partition: m.partition, record: { key: m.key ?? null, value: m.value ?? '', headers } });
                await m.commit();
                if (got.length >= count) break;
              }
            } finally {
              await stream.close();
            }
            while (consumer.lastHeartbeat === null) await new Promise((resolve) => setTimeout(resolve, 20));
          })(),
          timeoutMs,
          `@platformatic/kafka ${protocol} group consume`,
        );
      } finally {
        await withTimeout(consumer.close(), 5000, '@platformatic/kafka close').catch(() => undefined);
      }
      return got.sort((a, b) => a.partition - b.partition).map((g) => g.record);
    },
    async admin(bootstrap, topic, groupId, timeoutMs = 10_000) {
      const admin = new plt.Admin(options(bootstrap));
      try {
        return await withTimeout(
          (async (): Promise<PlatformaticAdminResult> => {
            const created = await admin.createTopics({ topics: [topic], partitions: 3, replicas: 1, configs: [{ name: 'cleanup.policy', value: 'compact' }] });
            const topicsAfterCreate = await admin.listTopics();
            const partitions = (await admin.metadata({ topics: [topic] })).topics.get(topic)?.partitionsCount ?? -1;
            const groups = [...(await admin.listGroups({ types: ['classic', 'consumer'] })).values()].map((g): [string, string, string] => [g.id, g.state, g.groupType]);
            const d = (await admin.describeGroups({ groups: [groupId] })).get(groupId);
            await admin.deleteTopics({ topics: [topic] });
            const topicsAfterDelete = await admin.listTopics();
            return {
              created: created.map((c) => ({ name: c.name, partitions: c.partitions, replicas: c.replicas, configuration: c.configuration })),
              topicsAfterCreate,
              topicsAfterDelete,
              partitions,
              groups,
              described: d ? { state: d.state, protocolType: d.protocolType, members: d.members.size } : null,
            };
          })(),
          timeoutMs,
          '@platformatic/kafka admin',
        );
      } finally {
        await withTimeout(admin.close(), 5000, '@platformatic/kafka close').catch(() => undefined);
      }
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
