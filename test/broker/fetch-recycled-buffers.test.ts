/**
 * Fetch reads files into recycled buffers (ReplicaManager's pool) and takes each back once its
 * answer is written. Three consumers reading the same file-backed partitions at once must each
 * see every record intact: a buffer reused while its bytes were still on their way would show
 * up here as corrupt or foreign records.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker } from '../../src/testkit/index.js';
import { Admin, Consumer, Producer } from '../../src/client/index.js';

const PARTITIONS = 3;
const PER_PARTITION = 2500;

function valueOf(partition: number, i: number): string {
  return `p${partition}-r${i}-`.padEnd(1000, String.fromCharCode(97 + ((partition * 7 + i) % 26)));
}

test('concurrent fetches from files through recycled buffers return every record intact', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'samsa-fetch-recycle-'));
  // 2.5 MB a partition, past the 1 MiB in-memory tail, so most reads come from the segment files.
  const broker = await startBroker({ dataDir: dir, config: { 'log.segment.bytes': String(1024 * 1024) } });
  try {
    const admin = new Admin({ bootstrapServers: broker.bootstrap });
    await admin.createTopics([{ name: 'recycled', numPartitions: PARTITIONS }]);
    await admin.close();
    const producer = new Producer({ bootstrapServers: broker.bootstrap, lingerMs: 5 });
    for (let p = 0; p < PARTITIONS; p++) {
      await producer.sendBatch(Array.from({ length: PER_PARTITION }, (_, i) => ({ topic: 'recycled', partition: p, value: valueOf(p, i) })));
    }
    await producer.close();
    const readAll = async (): Promise<void> => {
      const c = new Consumer({ bootstrapServers: broker.bootstrap, autoOffsetReset: 'earliest', maxPartitionFetchBytes: 256 * 1024 });
      c.assign(Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: 'recycled', partition })));
      const next = new Array<number>(PARTITIONS).fill(0);
      let seen = 0;
      try {
        for await (const { records } of c) {
          for (const r of records) {
            assert.equal(r.offset, BigInt(next[r.partition]!), `partition ${r.partition} in order`);
            assert.equal(r.value?.toString('utf8'), valueOf(r.partition, next[r.partition]!), `record ${r.partition}/${r.offset} intact`);
            next[r.partition]!++;
            seen++;
          }
          if (seen === PARTITIONS * PER_PARTITION) break;
        }
      } finally {
        await c.close();
      }
    };
    await Promise.all([readAll(), readAll(), readAll()]);
  } finally {
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
