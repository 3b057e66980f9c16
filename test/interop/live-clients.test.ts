/**
 * Real clients against the capture server, now: kcat (librdkafka) lists metadata, produces with
 * every codec and consumes the records back; kafkajs produces with every codec it has a plugin for
 * and kcat reads those back; every frame they exchanged re-encodes byte-identically.
 *
 * A missing client skips its tests with a message, or fails them when SAMSA_TEST_REQUIRE_INTEROP=1.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import {
  ApiKey,
  type ApiVersionsResponse,
  ErrorCode,
  FetchRequest,
  Writer,
  apiInfo,
  decodeResponseFrame,
  defaultFetchRequestFetchPartition,
  defaultFetchRequestFetchTopic,
  encodeApiVersionsRequest,
  encodeRequestFrame,
  encodeRequestHeader,
} from '../../src/protocol/index.js';
import { have } from '../broker/missing-client.js';
import { CaptureServer } from './capture-server.js';
import { CODECS, type KafkajsClient, kcatConsume, kcatList, kcatProduce, kcatVersion, loadKafkajs, withTimeout } from './clients.js';
import { recordSetDifference, sampleRecords } from './golden-format.js';
import { reencodeRequest, reencodeResponse } from './reencode.js';

const PARTITIONS = 3;
const TIMEOUT = { timeout: 20_000 };

let server: CaptureServer;
let kcat: ReturnType<typeof kcatVersion>;
let kafkajs: KafkajsClient | null;

before(async () => {
  server = await CaptureServer.start({ partitions: PARTITIONS });
  kcat = kcatVersion();
  kafkajs = await loadKafkajs();
});

after(async () => {
  await server.stop();
});

interface KcatMetadata {
  brokers: { id: number; name: string }[];
  topics: { topic: string; partitions: { partition: number; leader: number; isrs: { id: number }[] }[] }[];
}

test('kcat -L lists the broker, the topic and its partitions', TIMEOUT, async (t) => {
  if (!have(t, kcat, 'kcat')) return;
  server.scenario = 'kcat-metadata';
  const md = (await kcatList(server.bootstrap, 'live-metadata')) as KcatMetadata;
  assert.deepEqual(md.brokers, [{ id: 1, name: server.bootstrap }]);
  assert.equal(md.topics.length, 1);
  assert.equal(md.topics[0]!.topic, 'live-metadata');
  assert.deepEqual(
    md.topics[0]!.partitions.map((p) => [p.partition, p.leader, p.isrs.map((i) => i.id)]),
    Array.from({ length: PARTITIONS }, (_, i) => [i, 1, [1]]),
  );
});

test('kcat produces and consumes the same records, with each codec', TIMEOUT, async (t) => {
  if (!have(t, kcat, 'kcat')) return;
  for (const codec of CODECS) {
    await t.test(codec, async () => {
      const topic = `live-kcat-${codec}`;
      const records = sampleRecords('kcat', codec);
      server.scenario = `kcat-produce-${codec}`;
      await kcatProduce(server.bootstrap, topic, codec, records);
      server.scenario = `kcat-consume-${codec}`;
      assert.equal(recordSetDifference(records, await kcatConsume(server.bootstrap, topic)), null);
    });
  }
});

test('kafkajs produces with each codec it has, and kcat reads the records back', TIMEOUT, async (t) => {
  if (!have(t, kafkajs, 'kafkajs (npm install --save-dev kafkajs)')) return;
  if (!have(t, kcat, 'kcat')) return;
  for (const codec of CODECS) {
    await t.test(codec, async (st) => {
      const missing = kafkajs!.missing.get(codec);
      if (missing !== undefined) {
        st.skip(missing);
        return;
      }
      const topic = `live-kafkajs-${codec}`;
      const records = sampleRecords('kafkajs', codec);
      server.scenario = `kafkajs-produce-${codec}`;
      await kafkajs!.produce(server.bootstrap, topic, codec, records);
      server.scenario = `kcat-consume-kafkajs-${codec}`;
      assert.equal(recordSetDifference(records, await kcatConsume(server.bootstrap, topic)), null);
    });
  }
});

test('group consumers (kcat -G, kafkajs) join, read back what was produced, commit and leave', TIMEOUT, async (t) => {
  if (!have(t, kcat || kafkajs, 'kcat or kafkajs')) return;
  const topic = 'live-group';
  const records = sampleRecords(kcat ? 'kcat' : 'kafkajs', 'gzip');
  server.scenario = 'group-produce';
  if (kcat) await kcatProduce(server.bootstrap, topic, 'gzip', records);
  else await kafkajs!.produce(server.bootstrap, topic, 'gzip', records);
  await t.test('kcat -G', async (st) => {
    if (!have(st, kcat, 'kcat')) return;
    server.scenario = 'kcat-group';
    assert.equal(recordSetDifference(records, await kcatConsume(server.bootstrap, topic, 'live-kcat-group')), null);
  });
  await t.test('kafkajs consumer', async (st) => {
    if (!have(st, kafkajs, 'kafkajs')) return;
    server.scenario = 'kafkajs-group';
    const got = await kafkajs!.consume(server.bootstrap, topic, 'live-kafkajs-group', records.length);
    assert.equal(recordSetDifference(records, got), null);
  });
});

/** Sends one size-prefixed frame on a new connection and resolves with the response frame. */
async function roundTrip(frame: Buffer): Promise<Buffer> {
  const socket = connect(server.port, '127.0.0.1');
  try {
    return await withTimeout(
      new Promise<Buffer>((resolve, reject) => {
        let got = Buffer.alloc(0);
        socket.on('error', reject);
        socket.on('data', (c: Buffer) => {
          got = Buffer.concat([got, c]);
          if (got.length >= 4 && got.length >= 4 + got.readInt32BE(0)) resolve(got.subarray(4, 4 + got.readInt32BE(0)));
        });
        socket.write(frame);
      }),
      5000,
      'response',
    );
  } finally {
    socket.destroy();
  }
}

function apiVersionsFrame(apiVersion: number, correlationId: number): Buffer {
  const w = new Writer();
  encodeRequestHeader(w, 2, { requestApiKey: ApiKey.ApiVersions, requestApiVersion: apiVersion, correlationId, clientId: 'live-test' });
  encodeApiVersionsRequest(w, 3, { clientSoftwareName: 'live-test', clientSoftwareVersion: '0' });
  const size = Buffer.alloc(4);
  size.writeInt32BE(w.length);
  return Buffer.concat([size, w.toBuffer()]);
}

test('ApiVersions at a version the server does not know is answered at v0 with UNSUPPORTED_VERSION', TIMEOUT, async () => {
  const reply = await roundTrip(apiVersionsFrame(127, 42));
  const { correlationId, body } = decodeResponseFrame<ApiVersionsResponse>(ApiKey.ApiVersions, 0, reply);
  assert.equal(correlationId, 42);
  assert.equal(body.errorCode, ErrorCode.UNSUPPORTED_VERSION);
  const range = apiInfo(ApiKey.ApiVersions)!.validVersions;
  assert.deepEqual(body.apiKeys.map((k) => [k.apiKey, k.minVersion, k.maxVersion]), [[ApiKey.ApiVersions, range.min, range.max]]);
});

test('clients that disconnect mid-frame or during a Fetch wait leave the server answering', TIMEOUT, async () => {
  const before = server.errors.length;
  const torn = connect(server.port, '127.0.0.1');
  torn.on('error', () => undefined);
  torn.end(apiVersionsFrame(3, 1).subarray(0, 10));
  const fetch: FetchRequest = {
    ...FetchRequest.defaults(),
    maxWaitMs: 5000,
    topics: [{ ...defaultFetchRequestFetchTopic(), topic: 'live-idle', partitions: [{ ...defaultFetchRequestFetchPartition(), partitionMaxBytes: 1 << 20 }] }],
  };
  const waiting = connect(server.port, '127.0.0.1');
  waiting.on('error', () => undefined);
  waiting.write(Buffer.concat(encodeRequestFrame({ apiKey: ApiKey.Fetch, apiVersion: 11, correlationId: 2, clientId: 'live-test' }, fetch)));
  await new Promise((resolve) => setTimeout(resolve, 20));
  waiting.destroy();
  torn.destroy();
  const { body } = decodeResponseFrame<ApiVersionsResponse>(ApiKey.ApiVersions, 3, await roundTrip(apiVersionsFrame(3, 3)));
  assert.equal(body.errorCode, ErrorCode.NONE);
  assert.deepEqual(server.errors.slice(before), []);
});

test('every frame the clients exchanged re-encodes byte-identically', () => {
  assert.deepEqual(server.errors, []);
  const mismatches: string[] = [];
  for (const e of server.exchanges) {
    const what = `#${e.seq} ${e.scenario} ${apiInfo(e.apiKey)?.name ?? e.apiKey} v${e.apiVersion}`;
    // The hand-made ApiVersions v127 above has no codec to decode it with.
    const req = e.apiVersion === e.responseVersion ? reencodeRequest(e.request).mismatch : null;
    if (req !== null) mismatches.push(`${what} request: ${req}`);
    const res = e.response && reencodeResponse(e.apiKey, e.responseVersion, e.response).mismatch;
    if (res) mismatches.push(`${what} response: ${res}`);
  }
  assert.deepEqual(mismatches, []);
});
