/**
 * Produce requests that arrive in several socket reads are copied into pooled frame buffers,
 * which go back to the pool once every append of the request has settled. Several producers
 * sending large requests at once, with the log writing them directly (nobody tails the
 * partitions, so the tail cache copies nothing) must leave every record intact on disk: a frame
 * buffer reused while its batches were still on their way to the file would show up here as
 * corrupt or foreign records.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker } from '../../src/testkit/index.js';
import { Admin, Consumer, Producer } from '../../src/client/index.js';

const PRODUCERS = 3;
const PER_PRODUCER = 3000;
const PARTITIONS = 2;

function valueOf(producer: number, i: number): string {
  return `w${producer}-r${i}-`.padEnd(1000, String.fromCharCode(97 + ((producer * 11 + i) % 26)));
}

test('large produce requests from concurrent producers go through pooled frame buffers and every record is stored intact', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'samsa-frame-recycle-'));
  const broker = await startBroker({ dataDir: dir });
  try {
    const admin = new Admin({ bootstrapServers: broker.bootstrap });
    await admin.createTopics([{ name: 'frames', numPartitions: PARTITIONS }]);
    await admin.close();
    const produce = async (w: number): Promise<void> => {
      // Batches up to 512 KiB, uncompressed: each request spans many socket reads.
      const producer = new Producer({ bootstrapServers: broker.bootstrap, lingerMs: 20, batchSize: 512 * 1024, compressionType: 'none' });
      try {
        for (let start = 0; start < PER_PRODUCER; start += 500) {
          await producer.sendBatch(Array.from({ length: 500 }, (_, k) => ({ topic: 'frames', key: `w${w}`, value: valueOf(w, start + k) })));
        }
      } finally {
        await producer.close();
      }
    };
    await Promise.all(Array.from({ length: PRODUCERS }, (_, w) => produce(w)));

    const c = new Consumer({ bootstrapServers: broker.bootstrap, autoOffsetReset: 'earliest' });
    c.assign(Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: 'frames', partition })));
    const next = new Array<number>(PRODUCERS).fill(0);
    let seen = 0;
    try {
      for await (const { records } of c) {
        for (const r of records) {
          const w = Number(r.key?.toString('utf8').slice(1));
          assert.equal(r.value?.toString('utf8'), valueOf(w, next[w]!), `record ${r.partition}/${r.offset} intact and in its producer's order`);
          next[w]!++;
          seen++;
        }
        if (seen === PRODUCERS * PER_PRODUCER) break;
      }
    } finally {
      await c.close();
    }
    assert.deepEqual(next, new Array<number>(PRODUCERS).fill(PER_PRODUCER));
  } finally {
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
