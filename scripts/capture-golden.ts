/**
 * Captures golden frames from real clients: starts the interop capture server, drives kcat
 * (librdkafka) and kafkajs through metadata, produce with every codec they can write, and consume,
 * then writes the frames the clients sent and the responses they accepted to test/fixtures/golden/.
 *
 *   npm run build && node dist/scripts/capture-golden.js [outDir]
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiKey, type FetchResponse, apiInfo } from '../src/protocol/index.js';
import { CaptureServer, type Exchange } from '../test/interop/capture-server.js';
import { CODECS, type KafkajsClient, kcatConsume, kcatList, kcatProduce, kcatVersion, loadKafkajs } from '../test/interop/clients.js';
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

function clientOf(e: Exchange): ClientName {
  return e.scenario.startsWith('kafkajs') ? 'kafkajs' : 'kcat';
}

/**
 * Keeps the fixtures small: every Produce, every Fetch that returned records, and otherwise the
 * first exchange per client, API, version and kind of scenario (metadata, produce, consume).
 */
function select(exchanges: Exchange[]): Exchange[] {
  const seen = new Set<string>();
  return exchanges.filter((e) => {
    if (e.response === null) return false;
    if (e.apiKey === ApiKey.Produce) return true;
    if (e.apiKey === ApiKey.Fetch) {
      const body = reencodeResponse<FetchResponse>(e.apiKey, e.responseVersion, e.response).body;
      if (body.responses.some((t) => t.partitions.some((p) => (p.records?.length ?? 0) > 0))) return true;
    }
    const kind = e.scenario.split('-').slice(0, 2).join('-');
    const key = `${clientOf(e)} ${e.apiKey} ${e.apiVersion} ${e.apiKey === ApiKey.Fetch ? '' : kind}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function main(): Promise<void> {
  const outDir = process.argv[2] ?? GOLDEN_DIR;
  const kafkajs = await loadKafkajs();
  const index: GoldenIndex = {
    about: 'Frames real clients sent to test/interop/capture-server.ts and the responses they accepted; written by scripts/capture-golden.ts.',
    capturedAt: new Date().toISOString().slice(0, 10),
    clients: {
      kcat: kcatVersion(),
      kafkajs: kafkajs && { version: kafkajs.version, codecs: Object.fromEntries(kafkajs.codecs), missing: Object.fromEntries(kafkajs.missing) },
    },
    produced: [],
    exchanges: [],
  };
  if (!index.clients.kcat) console.warn('capture-golden: kcat not found; skipping kcat');
  if (!kafkajs) console.warn('capture-golden: kafkajs not installed; skipping kafkajs');
  for (const [codec, why] of kafkajs?.missing ?? []) console.warn(`capture-golden: kafkajs ${codec} skipped: ${why}`);

  const server = await CaptureServer.start({ partitions: PARTITIONS });
  try {
    await drive(server, index, kafkajs);
  } finally {
    await server.stop();
  }
  if (server.errors.length > 0) throw new Error(`capture server errors:\n${server.errors.join('\n')}`);

  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) if (/^\d+-.*\.json$/.test(f) || f === 'index.json') rmSync(join(outDir, f));
  let size = 0;
  const mismatches: string[] = [];
  for (const [i, e] of select(server.exchanges).entries()) {
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
  }
  writeFileSync(join(outDir, 'index.json'), `${JSON.stringify(index, null, 1)}\n`);
  console.log(`capture-golden: ${index.exchanges.length} of ${server.exchanges.length} exchanges, ${size} bytes of frames, in ${outDir}`);
  for (const m of mismatches) console.warn(`capture-golden: does not re-encode identically: ${m}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
