/**
 * Log compaction on a running broker: a topic with cleanup.policy=compact is cleaned in the
 * background, kcat then reads one (the latest) value per key from the cleaned part with offsets
 * still increasing, and a record without a key is rejected with INVALID_RECORD.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ErrorCode, encodeRecordBatchSync,
} from '../../src/protocol/index.js';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { KCAT, kcatVersion, run } from '../interop/clients.js';
import { missing } from './missing-client.js';
import { RawClient, createTopic, producePartition } from './raw-client.js';

const TOPIC = 'compacted';
let broker: TestBroker;
let client: RawClient;
before(async () => {
  broker = await startBroker({ config: { 'log.cleaner.backoff.ms': '100', 'log.initial.task.delay.ms': '0' } });
  client = await RawClient.connect('127.0.0.1', broker.port);
});
after(async () => {
  client?.close();
  await broker?.stop();
});

async function produce(key: string | null, value: string): Promise<number> {
  const records = encodeRecordBatchSync({ records: [{ timestamp: BigInt(Date.now()), key: key === null ? null : Buffer.from(key), value: Buffer.from(value) }] });
  return (await producePartition(client, TOPIC, 0, records)).errorCode;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a compacted topic keeps the latest value per key and rejects keyless records', { timeout: 60_000 }, async (t) => {
  if (kcatVersion() === null) return missing(t, 'kcat');
  await createTopic(client, TOPIC, 1, { 'cleanup.policy': 'compact', 'segment.ms': '200', 'min.cleanable.dirty.ratio': '0.01' });
  const latest = new Map<string, string>();
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < 30; i++) {
      const key = `key-${i % 3}`;
      const value = `r${round}-v${i}`;
      assert.equal(await produce(key, value), ErrorCode.NONE);
      latest.set(key, value);
    }
    await sleep(300);
  }
  assert.equal(await produce('key-0', 'final'), ErrorCode.NONE, 'this one rolls the last full segment');
  latest.set('key-0', 'final');
  assert.equal(await produce(null, 'no key'), ErrorCode.INVALID_RECORD);
  const log = broker.broker.services.replicas.lookup(TOPIC, 0).log!;
  const activeBase = log.segmentBaseOffsets.at(-1)!;
  assert.ok(activeBase >= 90n, `segments ${log.segmentBaseOffsets.join(',')}`);
  const checkpoint = join(broker.dataDir, 'cleaner-offset-checkpoint');
  const cleanedTo = async (): Promise<bigint> => BigInt((await readFile(checkpoint, 'utf8').catch(() => '')).match(/^compacted 0 (\d+)$/m)?.[1] ?? '-1');
  const deadline = Date.now() + 45_000;
  while ((await cleanedTo()) < activeBase && Date.now() < deadline) await sleep(100);
  assert.equal(await cleanedTo(), activeBase, 'the cleaner cleaned everything below the active segment');
  const r = await run(KCAT, ['-b', broker.bootstrap, '-e', '-J', '-q', '-C', '-t', TOPIC, '-o', 'beginning'], '', 20_000);
  assert.equal(r.code, 0, r.stderr);
  const read = r.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { offset: number; key: string; payload: string });
  const offsets = read.map((x) => x.offset);
  assert.deepEqual(offsets, [...offsets].sort((a, b) => a - b), 'offsets increase');
  assert.equal(new Set(offsets).size, offsets.length);
  const cleaned = read.filter((x) => BigInt(x.offset) < activeBase);
  assert.equal(new Set(cleaned.map((x) => x.key)).size, cleaned.length, `one record per key below ${activeBase}: ${cleaned.length}`);
  assert.ok(read.length < 121, `${read.length} records read after compaction`);
  const lastRead = new Map(read.map((x) => [x.key, x.payload]));
  assert.deepEqual(lastRead, latest, 'the latest value of every key is there');
});
