/**
 * kill -9 while producing with acks=all: after a restart every acknowledged record is there, in
 * order, once, and the log reads to its end. Repeated with random kill points
 * (SAMSA_TEST_CRASH_ROUNDS, default 4).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiKey, FetchRequest, type FetchResponse, type ProduceResponse,
  decodeRecordBatchSync, encodeRecordBatchSync, splitRecordBatches,
} from '../../src/protocol/index.js';
import { SeededRandom } from '../../src/common/random.js';
import { RawClient, createTopic, produceRequest } from './raw-client.js';
import { killHard, startBrokerProcess, stopGracefully } from './broker-process.js';

const ROUNDS = Number(process.env.SAMSA_TEST_CRASH_ROUNDS ?? 4);
const TOPIC = 'crash';
const PARTITIONS = 2;

function produceBody(partition: number, values: string[]): unknown {
  const records = encodeRecordBatchSync({ records: values.map((v, i) => ({ offsetDelta: i, timestamp: BigInt(Date.now()), key: null, value: Buffer.from(v) })) });
  return produceRequest(TOPIC, partition, records, -1);
}

/** Produces numbered values until the connection dies; returns the acknowledged ones per partition. */
async function produceUntilKilled(port: number, acked: string[][], nextSeq: { n: number }): Promise<void> {
  const client = await RawClient.connect('127.0.0.1', port);
  try {
    for (;;) {
      const inFlight = [];
      for (let partition = 0; partition < PARTITIONS; partition++) {
        const values = Array.from({ length: 5 }, () => `seq-${nextSeq.n++}`);
        inFlight.push(client.request<ProduceResponse>(ApiKey.Produce, 9, produceBody(partition, values)).then((r) => {
          const p = r.responses[0]!.partitionResponses[0]!;
          if (p.errorCode === 0) acked[partition]!.push(...values);
        }));
      }
      await Promise.all(inFlight);
    }
  } catch {
    // The broker was killed.
  } finally {
    client.close();
  }
}

async function readAll(port: number, partition: number): Promise<string[]> {
  const client = await RawClient.connect('127.0.0.1', port);
  const values: string[] = [];
  let offset = 0n;
  try {
    for (;;) {
      const body = {
        ...FetchRequest.defaults(), maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, isolationLevel: 0,
        topics: [{ topic: TOPIC, topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions: [{ ...FetchRequest.defaults().topics[0], partition, currentLeaderEpoch: -1, fetchOffset: offset, lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: 1 << 20, replicaDirectoryId: 'AAAAAAAAAAAAAAAAAAAAAA', _unknownTaggedFields: undefined }], _unknownTaggedFields: undefined }],
      };
      const r = await client.request<FetchResponse>(ApiKey.Fetch, 12, body);
      const p = r.responses[0]!.partitions[0]!;
      assert.equal(p.errorCode, 0);
      const { batches } = splitRecordBatches(p.records ?? Buffer.alloc(0));
      if (batches.length === 0) {
        assert.equal(offset, p.highWatermark, 'read to the high watermark');
        return values;
      }
      for (const b of batches) {
        const batch = decodeRecordBatchSync(b, { maxUncompressedBytes: 1 << 24 });
        for (const rec of batch.records) {
          assert.equal(rec.offset, offset, 'offsets are contiguous');
          values.push(rec.value!.toString());
          offset = rec.offset + 1n;
        }
      }
    }
  } finally {
    client.close();
  }
}

test('kill -9 while producing with acks=all loses no acknowledged record', { timeout: 180_000 }, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'samsa-crash-'));
  const random = new SeededRandom(Number(process.env.SAMSA_TEST_CRASH_SEED ?? 42));
  const acked: string[][] = Array.from({ length: PARTITIONS }, () => []);
  const nextSeq = { n: 0 };
  try {
    let broker = await startBrokerProcess(dataDir);
    const admin = await RawClient.connect('127.0.0.1', broker.port);
    await createTopic(admin, TOPIC, PARTITIONS, { 'segment.bytes': String(1 << 20) });
    admin.close();
    for (let round = 0; round < ROUNDS; round++) {
      const producing = produceUntilKilled(broker.port, acked, nextSeq);
      await new Promise((r) => setTimeout(r, 100 + random.int(600)));
      await killHard(broker);
      await producing;
      broker = await startBrokerProcess(dataDir);
      for (let partition = 0; partition < PARTITIONS; partition++) {
        const stored = await readAll(broker.port, partition);
        const seqs = stored.map((v) => Number(v.slice(4)));
        assert.deepEqual([...seqs].sort((a, b) => a - b), seqs, 'records are in order');
        assert.equal(new Set(seqs).size, seqs.length, 'no record twice');
        const present = new Set(stored);
        const lost = acked[partition]!.filter((v) => !present.has(v));
        assert.deepEqual(lost, [], `round ${round} partition ${partition}: acknowledged records lost`);
      }
    }
    assert.ok(acked.flat().length > 0, 'something was acknowledged');
    assert.equal(await stopGracefully(broker), 0);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
