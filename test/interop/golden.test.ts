/**
 * Golden bytes from real clients (test/fixtures/golden/, written by scripts/capture-golden.ts):
 * every request kcat, kafkajs and @platformatic/kafka sent and every response they accepted
 * decodes with the generated codecs and re-encodes to the same bytes, and the record batches they
 * produced decode to the records they were given.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ApiKey, type FetchResponse, type ProduceRequest, apiInfo, isFlexible } from '../../src/protocol/index.js';
import { compressionCodecFromName } from '../../src/protocol/compression/index.js';
import { type DecodedRecord, decodeRecordBatch, splitCompleteRecordBatches } from '../../src/protocol/records/index.js';
import { topicIdFor } from './capture-log.js';
import type { TextRecord } from './clients.js';
import { GOLDEN_DIR, type GoldenExchange, type GoldenProduced, readIndex, readPair, recordSetDifference } from './golden-format.js';
import { reencodeRequest, reencodeResponse } from './reencode.js';

/**
 * Captured frames the generated codecs do not yet re-encode identically, keyed by
 * "<file> request|response", with the reason. Each runs as a todo test until fixed.
 */
const KNOWN_MISMATCHES: Readonly<Record<string, string>> = {};

const index = readIndex();
const MAX_UNCOMPRESSED = 1 << 20;

function toText(r: DecodedRecord): TextRecord {
  return {
    key: r.key === null ? null : r.key.toString('utf8'),
    value: r.value === null ? '' : r.value.toString('utf8'),
    headers: r.headers.map((h) => [h.key, h.value === null ? '' : h.value.toString('utf8')]),
  };
}

/** Decodes every batch of a `records` field, checking each was written with `codec`. */
async function decodeBatches(records: Buffer | null, codec: GoldenProduced['codec']): Promise<{ baseOffsets: bigint[]; records: TextRecord[] }> {
  const out = { baseOffsets: [] as bigint[], records: [] as TextRecord[] };
  for (const bytes of splitCompleteRecordBatches(records ?? Buffer.alloc(0))) {
    const batch = await decodeRecordBatch(bytes, { maxUncompressedBytes: MAX_UNCOMPRESSED });
    assert.equal(batch.compression, compressionCodecFromName(codec), `batch compression is not ${codec}`);
    out.baseOffsets.push(batch.baseOffset);
    out.records.push(...batch.records.map(toText));
  }
  return out;
}

/** Records of one partition must keep the order they were sent in. */
function assertSentOrder(sent: TextRecord[], partition: TextRecord[]): void {
  const position = (r: TextRecord): number => sent.findIndex((s) => JSON.stringify(s) === JSON.stringify(r));
  const positions = partition.map(position);
  assert.deepEqual(positions, [...positions].sort((a, b) => a - b), 'records of a partition are out of order');
}

function exchangesOf(scenario: string, apiKey: number): GoldenExchange[] {
  return index.exchanges.filter((e) => e.scenario === scenario && e.apiKey === apiKey);
}

test('the golden index lists its clients, and every file it names exists', () => {
  assert.ok(index.clients.kcat || index.clients.kafkajs, 'no client was captured');
  assert.ok(index.exchanges.length > 0);
  for (const e of index.exchanges) assert.ok(existsSync(join(GOLDEN_DIR, e.file)), `${e.file} is missing`);
  const apis = new Set(index.exchanges.map((e) => e.apiKey));
  for (const key of [ApiKey.ApiVersions, ApiKey.Metadata, ApiKey.Produce, ApiKey.Fetch]) assert.ok(apis.has(key), `no API key ${key} captured`);
});

test('captured requests decode and re-encode byte-identically', async (t) => {
  for (const e of index.exchanges) {
    const todo = KNOWN_MISMATCHES[`${e.file} request`];
    await t.test(`${e.file} (${e.client} ${e.apiName} v${e.apiVersion})`, { todo }, () => {
      const { request } = readPair(e.file);
      const r = reencodeRequest(request);
      assert.equal(r.apiKey, e.apiKey);
      assert.equal(r.apiVersion, e.apiVersion);
      assert.equal(r.mismatch, null);
    });
  }
});

test('responses the clients accepted decode and re-encode byte-identically', async (t) => {
  for (const e of index.exchanges) {
    const todo = KNOWN_MISMATCHES[`${e.file} response`];
    await t.test(`${e.file} (${e.client} ${e.apiName} v${e.apiVersion})`, { todo }, () => {
      const { response, pair } = readPair(e.file);
      assert.ok(response, 'no response was captured');
      assert.equal(reencodeResponse(pair.apiKey, pair.responseVersion, response).mismatch, null);
    });
  }
});

test('Produce batches decode to the records that were sent, for each client and codec', async (t) => {
  assert.ok(index.produced.length > 0);
  for (const p of index.produced) {
    await t.test(p.scenario, async () => {
      const exchanges = exchangesOf(p.scenario, ApiKey.Produce);
      assert.ok(exchanges.length > 0, `no Produce captured for ${p.scenario}`);
      const all: TextRecord[] = [];
      for (const e of exchanges) {
        const body = reencodeRequest<ProduceRequest>(readPair(e.file).request).body;
        for (const td of body.topicData) {
          assert.equal(td.name, p.topic);
          for (const pd of td.partitionData) {
            const { records } = await decodeBatches(pd.records, p.codec);
            assertSentOrder(p.records, records);
            all.push(...records);
          }
        }
      }
      assert.equal(recordSetDifference(p.records, all), null);
    });
  }
});

test('Fetch responses the consumers accepted carry the produced batches, offsets from 0 up', async (t) => {
  const scenarios = new Set(index.exchanges.filter((e) => e.apiKey === ApiKey.Fetch).map((e) => e.scenario));
  assert.ok(scenarios.size > 0);
  // Fetch v13+ names topics by id only.
  const byName = new Map(index.produced.map((p) => [p.topic, p]));
  const byId = new Map(index.produced.map((p) => [topicIdFor(p.topic) as string, p]));
  for (const scenario of scenarios) {
    await t.test(scenario, async () => {
      const seen = new Set<string>();
      const read = new Map<GoldenProduced, TextRecord[]>();
      for (const e of exchangesOf(scenario, ApiKey.Fetch)) {
        const { response, pair } = readPair(e.file);
        const body = reencodeResponse<FetchResponse>(pair.apiKey, pair.responseVersion, response!).body;
        for (const topic of body.responses) {
          const p = pair.apiVersion >= 13 ? byId.get(topic.topicId) : byName.get(topic.topic);
          assert.ok(p, `Fetch of a topic nothing was produced to: ${topic.topic} ${topic.topicId}`);
          for (const part of topic.partitions) {
            const key = `${p.topic} ${part.partitionIndex} ${part.records?.toString('hex')}`;
            if (seen.has(key)) continue;
            seen.add(key);
            const { baseOffsets, records } = await decodeBatches(part.records, p.codec);
            assert.ok(baseOffsets.every((o) => o >= 0n && o < part.highWatermark));
            assertSentOrder(p.records, records);
            read.set(p, [...(read.get(p) ?? []), ...records]);
          }
        }
      }
      assert.ok(read.size > 0, 'no records were fetched');
      for (const [p, records] of read) assert.equal(recordSetDifference(p.records, records), null, p.scenario);
    });
  }
});

test('@platformatic/kafka sent flexible versions only, the advertised caps in its lowest pass', (t) => {
  const plt = index.clients.platformatic;
  if (!plt) {
    t.skip('no @platformatic/kafka capture in the fixtures');
    return;
  }
  const caps = new Map(Object.entries(plt.lowestVersions));
  const exchanges = index.exchanges.filter((e) => e.client === 'platformatic');
  assert.ok(exchanges.length > 0);
  for (const e of exchanges) {
    const info = apiInfo(e.apiKey)!;
    assert.ok(isFlexible(info.request, e.apiVersion), `${e.file}: ${e.apiName} v${e.apiVersion} is not flexible`);
    // ApiVersions goes first, at the version the client picks before it knows the server's.
    if (e.apiKey === ApiKey.ApiVersions) continue;
    const cap = caps.get(e.apiName);
    assert.ok(cap !== undefined, `${e.file}: no lowest flexible version recorded for ${e.apiName}`);
    if (e.scenario.startsWith('platformatic-lowest-')) assert.equal(e.apiVersion, cap, e.file);
    else assert.ok(e.apiVersion >= cap && e.apiVersion <= info.validVersions.max, e.file);
  }
  const covered = new Set(exchanges.map((e) => `${e.apiName} v${e.apiVersion}`));
  for (const want of ['Produce v9', 'Produce v11', 'Fetch v12', 'Fetch v17', 'Metadata v9', 'Metadata v12', 'ConsumerGroupHeartbeat v1', 'CreateTopics v7']) {
    assert.ok(covered.has(want), `no ${want} captured`);
  }
});
