/**
 * Captures golden frames from real clients: starts the interop capture server, drives kcat
 * (librdkafka), kafkajs and @platformatic/kafka through metadata, produce with every codec they can
 * write, consume (with and without a group) and a few admin calls, then writes the frames the
 * clients sent and the responses they accepted to test/fixtures/golden/.
 *
 * @platformatic/kafka picks the newest version both sides know, so it runs twice: against a server
 * advertising every version the codecs know, and against one capped at the lowest flexible version
 * it implements (scenarios "platformatic-lowest-…").
 *
 *   npm run build && node dist/scripts/capture-golden.js [outDir]
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiKey, type FetchResponse, apiInfo } from '../src/protocol/index.js';
import { CaptureServer, type Exchange } from '../test/interop/capture-server.js';
import {
  CODECS,
  type KafkajsClient,
  type PlatformaticClient,
  kcatConsume,
  kcatList,
  kcatProduce,
  kcatVersion,
  loadKafkajs,
  loadPlatformatic,
} from '../test/interop/clients.js';
import {
  type ClientName,
  GOLDEN_DIR,
  type GoldenExchange,
  type GoldenIndex,
  type GoldenPair,
  type GoldenProduced,
  recordSetDifference,
  sampleRecords,
} from '../test/interop/golden-format.js';
import { reencodeRequest, reencodeResponse } from '../test/interop/reencode.js';

const PARTITIONS = 2;

async function drive(server: CaptureServer, index: GoldenIndex, kafkajs: KafkajsClient | null): Promise<void> {
  const kcat = index.clients.kcat;
  if (kcat) {
    server.scenario = 'kcat-metadata';
    await kcatList(server.bootstrap, 'golden-kcat-none');
    for (const codec of CODECS) {
      const p: GoldenProduced = { scenario: `kcat-produce-${codec}`, client: 'kcat', codec, topic: `golden-kcat-${codec}`, records: sampleRecords('kcat', codec) };
      server.scenario = p.scenario;
      await kcatProduce(server.bootstrap, p.topic, codec, p.records);
      index.produced.push(p);
    }
  }
  if (kafkajs) {
    for (const codec of kafkajs.codecs.keys()) {
      const p: GoldenProduced = { scenario: `kafkajs-produce-${codec}`, client: 'kafkajs', codec, topic: `golden-kafkajs-${codec}`, records: sampleRecords('kafkajs', codec) };
      server.scenario = p.scenario;
      await kafkajs.produce(server.bootstrap, p.topic, codec, p.records);
      index.produced.push(p);
    }
  }
  const check = (records: GoldenProduced['records'], got: GoldenProduced['records']): void => {
    const diff = recordSetDifference(records, got);
    if (diff !== null) throw new Error(`${server.scenario}: ${diff}`);
  };
  const find = (client: ClientName, codec: string): GoldenProduced | undefined => index.produced.find((p) => p.client === client && p.codec === codec);
  if (kcat) {
    for (const p of index.produced) {
      server.scenario = `kcat-consume-${p.client}-${p.codec}`;
      check(p.records, await kcatConsume(server.bootstrap, p.topic));
    }
    const p = find('kafkajs', 'lz4') ?? find('kcat', 'lz4');
    if (p) {
      server.scenario = `kcat-group-${p.client}-${p.codec}`;
      check(p.records, await kcatConsume(server.bootstrap, p.topic, 'golden-kcat-group'));
    }
  }
  const p = find('kcat', 'gzip') ?? find('kafkajs', 'gzip');
  if (kafkajs && p) {
    server.scenario = `kafkajs-group-${p.client}-${p.codec}`;
    check(p.records, await kafkajs.consume(server.bootstrap, p.topic, 'golden-kafkajs-group', p.records.length));
  }
}

/**
 * @platformatic/kafka, at whatever versions the server advertises: produce with every codec it
 * has (the lz4 producer idempotent), read its topics back without a group, join a classic group and
 * a consumer-protocol (KIP-848) group, then run admin calls. `label` tells the two passes apart.
 * The lowest pass skips the KIP-848 group: ConsumerGroupHeartbeat assigns by topic id, which
 * Metadata v9 does not carry (a broker with KIP-848 answers Metadata v12).
 */
async function drivePlatformatic(server: CaptureServer, index: GoldenIndex, plt: PlatformaticClient, lowest: boolean): Promise<void> {
  const label = lowest ? 'platformatic-lowest' : 'platformatic';
  const check = (records: GoldenProduced['records'], got: GoldenProduced['records']): void => {
    const diff = recordSetDifference(records, got);
    if (diff !== null) throw new Error(`${server.scenario}: ${diff}`);
  };
  const codecs = lowest ? (['gzip'] as const) : [...plt.codecs.keys()];
  const mine: GoldenProduced[] = [];
  for (const codec of codecs) {
    const idempotent = lowest || codec === 'lz4';
    const p: GoldenProduced = { scenario: `${label}-produce-${codec}`, client: 'platformatic', codec, topic: `golden-${label}-${codec}`, idempotent, records: sampleRecords('platformatic', codec) };
    server.scenario = p.scenario;
    await plt.produce(server.bootstrap, p.topic, codec, p.records, idempotent);
    mine.push(p);
  }
  for (const p of mine) {
    server.scenario = `${label}-consume-${p.client}-${p.codec}`;
    check(p.records, await plt.fetch(server.bootstrap, p.topic));
  }
  // Groups read what another client wrote, where there is one (not zstd: no codec for it here).
  const other = (codec: string): GoldenProduced =>
    index.produced.find((p) => p.client !== 'platformatic' && p.codec === codec) ?? mine.find((p) => p.codec === codec) ?? mine[0]!;
  const classic = lowest ? mine[0]! : other('gzip');
  server.scenario = `${label}-group-${classic.client}-${classic.codec}`;
  check(classic.records, await plt.consume(server.bootstrap, classic.topic, `golden-${label}-group`, classic.records.length, 'classic'));
  if (!lowest) {
    const p = other('snappy');
    server.scenario = `${label}-consumergroup-${p.client}-${p.codec}`;
    check(p.records, await plt.consume(server.bootstrap, p.topic, `golden-${label}-consumergroup`, p.records.length, 'consumer'));
  }
  server.scenario = `${label}-admin`;
  const admin = await plt.admin(server.bootstrap, `golden-${label}-admin`, `golden-${label}-group`);
  if (admin.partitions !== 3 || admin.topicsAfterDelete.includes(`golden-${label}-admin`)) throw new Error(`${server.scenario}: ${JSON.stringify(admin)}`);
  index.produced.push(...mine);
}

function clientOf(e: Exchange): ClientName {
  return e.scenario.startsWith('kafkajs') ? 'kafkajs' : e.scenario.startsWith('platformatic') ? 'platformatic' : 'kcat';
}

/**
 * Keeps the fixtures small: every Produce, every Fetch that returned records, every
 * ConsumerGroupHeartbeat (join, assignment acknowledged with a null assignment, leave), and
 * otherwise the first exchange per client, API, version and kind of scenario (metadata, produce,
 * consume, group, admin; "platformatic-lowest-…" counts its third word too).
 */
function select(exchanges: Exchange[]): Exchange[] {
  const seen = new Set<string>();
  return exchanges.filter((e) => {
    if (e.response === null) return false;
    if (e.apiKey === ApiKey.Produce || e.apiKey === ApiKey.ConsumerGroupHeartbeat) return true;
    if (e.apiKey === ApiKey.Fetch) {
      const body = reencodeResponse<FetchResponse>(e.apiKey, e.responseVersion, e.response).body;
      if (body.responses.some((t) => t.partitions.some((p) => (p.records?.length ?? 0) > 0))) return true;
    }
    const words = e.scenario.split('-');
    const kind = words.slice(0, words[1] === 'lowest' ? 3 : 2).join('-');
    const key = `${clientOf(e)} ${e.apiKey} ${e.apiVersion} ${e.apiKey === ApiKey.Fetch ? '' : kind}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function main(): Promise<void> {
  const outDir = process.argv[2] ?? GOLDEN_DIR;
  const kafkajs = await loadKafkajs();
  const plt = await loadPlatformatic();
  const lowest = plt?.lowestFlexibleVersions() ?? new Map<number, number>();
  const index: GoldenIndex = {
    about: 'Frames real clients sent to test/interop/capture-server.ts and the responses they accepted; written by scripts/capture-golden.ts.',
    capturedAt: new Date().toISOString().slice(0, 10),
    clients: {
      kcat: kcatVersion(),
      kafkajs: kafkajs && { version: kafkajs.version, codecs: Object.fromEntries(kafkajs.codecs), missing: Object.fromEntries(kafkajs.missing) },
      platformatic: plt && {
        version: plt.version,
        codecs: Object.fromEntries(plt.codecs),
        missing: Object.fromEntries(plt.missing),
        lowestVersions: Object.fromEntries([...lowest].sort((a, b) => a[0] - b[0]).map(([k, v]) => [apiInfo(k)?.name ?? String(k), v])),
      },
    },
    produced: [],
    exchanges: [],
  };
  if (!index.clients.kcat) console.warn('capture-golden: kcat not found; skipping kcat');
  if (!kafkajs) console.warn('capture-golden: kafkajs not installed; skipping kafkajs');
  for (const [codec, why] of kafkajs?.missing ?? []) console.warn(`capture-golden: kafkajs ${codec} skipped: ${why}`);
  if (!plt) console.warn('capture-golden: @platformatic/kafka not installed; skipping it');
  for (const [codec, why] of plt?.missing ?? []) console.warn(`capture-golden: @platformatic/kafka ${codec} skipped: ${why}`);

  const exchanges: Exchange[] = [];
  const server = await CaptureServer.start({ partitions: PARTITIONS });
  try {
    await drive(server, index, kafkajs);
    if (plt) await drivePlatformatic(server, index, plt, false);
  } finally {
    await server.stop();
  }
  exchanges.push(...server.exchanges);
  const errors = [...server.errors];
  if (plt) {
    const capped = await CaptureServer.start({ partitions: PARTITIONS, versionCaps: lowest });
    try {
      await drivePlatformatic(capped, index, plt, true);
    } finally {
      await capped.stop();
    }
    exchanges.push(...capped.exchanges);
    errors.push(...capped.errors);
  }
  if (errors.length > 0) throw new Error(`capture server errors:\n${errors.join('\n')}`);

  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) if (/^\d+-.*\.json$/.test(f) || f === 'index.json') rmSync(join(outDir, f));
  let size = 0;
  const mismatches: string[] = [];
  for (const [i, e] of select(exchanges).entries()) {
    const apiName = apiInfo(e.apiKey)?.name ?? String(e.apiKey);
    const file = `${String(i).padStart(3, '0')}-${e.scenario}-${apiName}-v${e.apiVersion}.json`;
    const pair: GoldenPair = {
      apiKey: e.apiKey,
      apiVersion: e.apiVersion,
      responseVersion: e.responseVersion,
      request: e.request.toString('hex'),
      response: e.response?.toString('hex') ?? null,
    };
    const text = `${JSON.stringify(pair, null, 1)}\n`;
    writeFileSync(join(outDir, file), text);
    size += text.length;
    const entry: GoldenExchange = { file, client: clientOf(e), clientId: e.clientId, scenario: e.scenario, apiKey: e.apiKey, apiName, apiVersion: e.apiVersion };
    index.exchanges.push(entry);
    const m = reencodeRequest(e.request).mismatch;
    if (m !== null) mismatches.push(`${file} request: ${m}`);
    const r = e.response && reencodeResponse(e.apiKey, e.responseVersion, e.response).mismatch;
    if (r) mismatches.push(`${file} response: ${r}`);
  }
  writeFileSync(join(outDir, 'index.json'), `${JSON.stringify(index, null, 1)}\n`);
  console.log(`capture-golden: ${index.exchanges.length} of ${exchanges.length} exchanges, ${size} bytes of frames, in ${outDir}`);
  for (const m of mismatches) console.warn(`capture-golden: does not re-encode identically: ${m}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
