/**
 * @platformatic/kafka against the capture server, now. It picks the newest version both sides
 * know, all of them flexible (compact types, tagged fields): it produces with every codec it has,
 * reads the records back without a group, in a classic group and in a KIP-848 consumer group, and
 * runs admin calls; kcat reads its batches too. A second server advertises only the lowest flexible
 * version it implements of each API, and the same client runs there. Every frame re-encodes
 * byte-identically.
 *
 * A missing client skips its tests with a message, or fails them when SAMSA_TEST_REQUIRE_INTEROP=1.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiKey, apiInfo, isFlexible } from '../../src/protocol/index.js';
import { have } from '../broker/missing-client.js';
import { CaptureServer } from './capture-server.js';
import { CODECS, type PlatformaticClient, kcatConsume, kcatProduce, kcatVersion, loadPlatformatic } from './clients.js';
import { recordSetDifference, sampleRecords } from './golden-format.js';
import { reencodeRequest, reencodeResponse } from './reencode.js';

const PARTITIONS = 3;
const TIMEOUT = { timeout: 20_000 };

let server: CaptureServer;
let lowest: CaptureServer | undefined;
let caps = new Map<number, number>();
let plt: PlatformaticClient | null;
let kcat: ReturnType<typeof kcatVersion>;

before(async () => {
  plt = await loadPlatformatic();
  kcat = kcatVersion();
  server = await CaptureServer.start({ partitions: PARTITIONS });
  if (plt) {
    caps = plt.lowestFlexibleVersions();
    lowest = await CaptureServer.start({ partitions: PARTITIONS, versionCaps: caps });
  }
});

after(async () => {
  await server.stop();
  await lowest?.stop();
});

const MISSING = '@platformatic/kafka (npm install --save-dev @platformatic/kafka)';

test('@platformatic/kafka produces with each codec it has, reads the records back without a group, and kcat reads them too', TIMEOUT, async (t) => {
  if (!have(t, plt, MISSING)) return;
  for (const codec of CODECS) {
    await t.test(codec, async (st) => {
      const missing = plt!.missing.get(codec);
      if (missing !== undefined) {
        st.skip(missing);
        return;
      }
      const topic = `live-platformatic-${codec}`;
      const records = sampleRecords('platformatic', codec);
      server.scenario = `platformatic-produce-${codec}`;
      await plt!.produce(server.bootstrap, topic, codec, records, codec === 'lz4');
      server.scenario = `platformatic-consume-platformatic-${codec}`;
      assert.equal(recordSetDifference(records, await plt!.fetch(server.bootstrap, topic)), null);
      if (kcat) {
        server.scenario = `kcat-consume-platformatic-${codec}`;
        assert.equal(recordSetDifference(records, await kcatConsume(server.bootstrap, topic)), null);
      }
    });
  }
});

test('@platformatic/kafka group consumers (classic, KIP-848) read what kcat produced, commit and leave', TIMEOUT, async (t) => {
  if (!have(t, plt, MISSING)) return;
  const topic = 'live-platformatic-group';
  const records = sampleRecords(kcat ? 'kcat' : 'platformatic', 'snappy');
  server.scenario = 'platformatic-group-produce';
  if (kcat) await kcatProduce(server.bootstrap, topic, 'snappy', records);
  else await plt!.produce(server.bootstrap, topic, 'snappy', records);
  for (const protocol of ['classic', 'consumer'] as const) {
    await t.test(protocol, async () => {
      server.scenario = `platformatic-${protocol}-group`;
      const got = await plt!.consume(server.bootstrap, topic, `live-platformatic-${protocol}`, records.length, protocol);
      assert.equal(recordSetDifference(records, got), null);
    });
  }
});

test('@platformatic/kafka admin: createTopics, listTopics, metadata, listGroups, describeGroups, deleteTopics', TIMEOUT, async (t) => {
  if (!have(t, plt, MISSING)) return;
  server.scenario = 'platformatic-admin';
  const topic = 'live-platformatic-admin';
  const r = await plt!.admin(server.bootstrap, topic, 'live-platformatic-classic');
  assert.deepEqual(r.created, [{ name: topic, partitions: 3, replicas: 1, configuration: { 'cleanup.policy': 'compact' } }]);
  assert.ok(r.topicsAfterCreate.includes(topic));
  assert.ok(!r.topicsAfterDelete.includes(topic));
  assert.equal(r.partitions, 3);
  // The group consumers above have left: their groups are empty.
  const groups = r.groups.map(([id, state, type]) => [id, state.toLowerCase(), type]);
  assert.deepEqual(groups.filter(([id]) => id!.startsWith('live-platformatic-')).sort(), [
    ['live-platformatic-classic', 'empty', 'classic'],
    ['live-platformatic-consumer', 'empty', 'consumer'],
  ]);
  assert.deepEqual(r.described && { ...r.described, state: r.described.state.toLowerCase() }, { state: 'empty', protocolType: 'consumer', members: 0 });
});

test('@platformatic/kafka at the lowest flexible version of each API: idempotent produce, fetch, classic group, admin', TIMEOUT, async (t) => {
  if (!have(t, plt && lowest, MISSING)) return;
  const capped = lowest!;
  const topic = 'live-platformatic-lowest';
  const records = sampleRecords('platformatic', 'gzip');
  capped.scenario = 'platformatic-lowest-produce';
  await plt!.produce(capped.bootstrap, topic, 'gzip', records, true);
  capped.scenario = 'platformatic-lowest-consume';
  assert.equal(recordSetDifference(records, await plt!.fetch(capped.bootstrap, topic)), null);
  capped.scenario = 'platformatic-lowest-group';
  assert.equal(recordSetDifference(records, await plt!.consume(capped.bootstrap, topic, 'live-lowest-group', records.length, 'classic')), null);
  capped.scenario = 'platformatic-lowest-admin';
  const r = await plt!.admin(capped.bootstrap, `${topic}-admin`, 'live-lowest-group');
  assert.equal(r.partitions, 3);
  assert.deepEqual(capped.errors, []);
  const used = new Map(capped.exchanges.map((e) => [e.apiKey, e.apiVersion]));
  for (const [apiKey, version] of used) {
    if (apiKey !== ApiKey.ApiVersions) assert.equal(version, caps.get(apiKey), `${apiInfo(apiKey)?.name} v${version}`);
  }
  for (const key of [ApiKey.Produce, ApiKey.Fetch, ApiKey.Metadata, ApiKey.InitProducerId, ApiKey.JoinGroup, ApiKey.OffsetFetch, ApiKey.CreateTopics]) {
    assert.ok(used.has(key), `${apiInfo(key)?.name} was not used`);
  }
});

test('every frame @platformatic/kafka exchanged is at a flexible version and re-encodes byte-identically', (t) => {
  if (!have(t, plt, MISSING)) return;
  assert.deepEqual([...server.errors, ...(lowest?.errors ?? [])], []);
  const mismatches: string[] = [];
  const exchanges = [...server.exchanges, ...(lowest?.exchanges ?? [])];
  const mine = exchanges.filter((e) => e.clientId === 'samsa-golden-platformatic');
  assert.ok(mine.length > 0);
  for (const e of mine) assert.ok(isFlexible(apiInfo(e.apiKey)!.request, e.apiVersion), `${apiInfo(e.apiKey)?.name} v${e.apiVersion}`);
  for (const e of exchanges) {
    const what = `#${e.seq} ${e.scenario} ${apiInfo(e.apiKey)?.name ?? e.apiKey} v${e.apiVersion}`;
    const req = reencodeRequest(e.request).mismatch;
    if (req !== null) mismatches.push(`${what} request: ${req}`);
    const res = e.response && reencodeResponse(e.apiKey, e.responseVersion, e.response).mismatch;
    if (res) mismatches.push(`${what} response: ${res}`);
  }
  assert.deepEqual(mismatches, []);
});
