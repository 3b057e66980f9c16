import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../common/clock.js';
import type { FileSystem } from '../common/fs.js';
import { readSmallFile } from '../common/fs.js';
import { MemoryFileSystem } from '../common/fs-memory.js';
import { nodeFileSystem } from '../common/fs-node.js';
import { SeededRandom } from '../common/random.js';
import { readRecordBatchHeader, splitCompleteRecordBatches } from '../protocol/records/index.js';
import { LocalMetadataLog } from './local-metadata-log.js';
import type { MetadataLogBatch } from './metadata-log.js';
import type { RecordSerde } from './record-serde.js';

const SEGMENT = '/data/__cluster_metadata-0/00000000000000000000.log';

const stringSerde: RecordSerde<string> = {
  write: (w, record) => w.raw(Buffer.from(record, 'utf8')),
  read: (value) => value.toString('utf8'),
};

function open(fs: FileSystem, logDir = '/data', onTruncate?: (info: { truncatedBytes: number }) => void): Promise<LocalMetadataLog<string>> {
  return LocalMetadataLog.open({ fs, logDir, nodeId: 1, serde: stringSerde, clock: new ManualClock(1_700_000_000_000), onTruncate });
}

async function readAll(log: LocalMetadataLog<string>, from = 0n): Promise<MetadataLogBatch<string>[]> {
  const batches: MetadataLogBatch<string>[] = [];
  for await (const batch of log.read(from)) batches.push(batch);
  return batches;
}

const recordsOf = (batches: MetadataLogBatch<string>[]): string[][] => batches.map((b) => [...b.records]);

test('appended batches come back in order with their offsets and leader epoch', async () => {
  const log = await open(new MemoryFileSystem());
  assert.equal(log.leaderEpoch, 1);
  assert.equal(log.endOffset, 0n);
  assert.deepEqual(await log.append(['a', 'b']), { baseOffset: 0n, lastOffset: 1n, leaderEpoch: 1 });
  assert.deepEqual(await log.append(['c']), { baseOffset: 2n, lastOffset: 2n, leaderEpoch: 1 });
  assert.equal(log.endOffset, 3n);
  assert.equal(log.highWatermark, 3n);
  const batches = await readAll(log);
  assert.deepEqual(recordsOf(batches), [['a', 'b'], ['c']]);
  assert.equal(batches[0]!.appendTimestampMs, 1_700_000_000_000n);
  assert.deepEqual(recordsOf(await readAll(log, 2n)), [['c']]);
  assert.deepEqual(recordsOf(await readAll(log, 1n)), [['a', 'b'], ['c']]);
  assert.deepEqual(await readAll(log, 3n), []);
  await log.close();
});

test('appends issued together are ordered and each resolves once durable', async () => {
  const log = await open(new MemoryFileSystem());
  const results = await Promise.all([log.append(['x']), log.append(['y', 'z']), log.append(['w'])]);
  assert.deepEqual(results.map((r) => r.baseOffset), [0n, 1n, 3n]);
  assert.deepEqual(recordsOf(await readAll(log)), [['x'], ['y', 'z'], ['w']]);
  await log.close();
});

test('the log survives reopen, each open starting a new leader epoch', async () => {
  const fs = new MemoryFileSystem();
  const first = await open(fs);
  await first.append(['a']);
  await first.close();
  const second = await open(fs);
  assert.equal(second.leaderEpoch, 2);
  assert.equal(second.endOffset, 1n);
  await second.append(['b']);
  await second.close();
  fs.crash('lose');
  const third = await open(fs);
  const batches = await readAll(third);
  assert.deepEqual(recordsOf(batches), [['a'], ['b']]);
  assert.deepEqual(batches.map((b) => b.leaderEpoch), [1, 2]);
  const state = await readSmallFile(fs, '/data/__cluster_metadata-0/quorum-state');
  assert.equal(state!.toString(), '{"clusterId":"","leaderId":1,"leaderEpoch":3,"votedId":1,"appliedOffset":0,"currentVoters":[{"voterId":1}],"data_version":0}');
  await third.close();
});

test('the segment holds plain v2 batches with Kafka header fields', async () => {
  const fs = new MemoryFileSystem();
  const log = await open(fs);
  await log.append(['a', 'b']);
  await log.close();
  const [batch] = splitCompleteRecordBatches((await readSmallFile(fs, SEGMENT))!);
  const header = readRecordBatchHeader(batch!);
  assert.equal(header.baseOffset, 0n);
  assert.equal(header.partitionLeaderEpoch, 1);
  assert.equal(header.lastOffsetDelta, 1);
  assert.equal(header.producerId, -1n);
  assert.equal(header.isControl, false);
  assert.equal(header.compression, 0);
});

test('a tail cut at any byte is truncated and the batches before it survive', async () => {
  const random = new SeededRandom(42);
  for (let round = 0; round < 40; round++) {
    const fs = new MemoryFileSystem();
    const log = await open(fs);
    const ends: number[] = [];
    for (let i = 0; i < 5; i++) {
      await log.append([`r${i}`, `s${i}`.repeat(i + 1)]);
      ends.push((await fs.stat(SEGMENT))!.size);
    }
    await log.close();
    const cut = random.int(ends[4]!);
    const handle = await fs.open(SEGMENT, 'write');
    await handle.truncate(cut);
    await handle.close();
    const whole = ends.filter((end) => end <= cut).length;
    let truncated = 0;
    const reopened = await open(fs, '/data', (info) => (truncated = info.truncatedBytes));
    assert.equal(truncated, cut - (whole === 0 ? 0 : ends[whole - 1]!), `cut at ${cut}`);
    assert.equal(reopened.endOffset, BigInt(whole * 2));
    assert.deepEqual((await readAll(reopened)).map((b) => b.records[0]), ends.slice(0, whole).map((_, i) => `r${i}`));
    await reopened.append(['after']);
    assert.deepEqual((await readAll(reopened, BigInt(whole * 2))).map((b) => [...b.records]), [['after']]);
    await reopened.close();
  }
});

test('a batch with a bad CRC ends the log; what follows is dropped', async () => {
  const fs = new MemoryFileSystem();
  const log = await open(fs);
  await log.append(['a']);
  const end = (await fs.stat(SEGMENT))!.size;
  await log.append(['b']);
  await log.append(['c']);
  await log.close();
  const handle = await fs.open(SEGMENT, 'write');
  const last = await handle.read(end + 61, 1);
  await handle.write([Buffer.from([last[0]! ^ 0xff])], end + 61);
  await handle.close();
  const reopened = await open(fs);
  assert.deepEqual(recordsOf(await readAll(reopened)), [['a']]);
  assert.equal((await fs.stat(SEGMENT))!.size, end);
  await reopened.close();
});

test('a crash mid-append keeps every append that resolved', async () => {
  for (let seed = 1; seed <= 20; seed++) {
    const fs = new MemoryFileSystem({ random: new SeededRandom(seed) });
    const log = await open(fs);
    await log.append(['durable-1']);
    await log.append(['durable-2']);
    fs.crashAfterOperations(1 + (seed % 2)); // before the write, or between the write and its fsync
    await assert.rejects(log.append(['maybe']));
    await assert.rejects(log.append(['refused']), { code: 'SAMSA_ERR_METADATA_LOG_NOT_WRITABLE' });
    const reopened = await open(fs);
    const records = (await readAll(reopened)).flatMap((b) => [...b.records]);
    assert.deepEqual(records.slice(0, 2), ['durable-1', 'durable-2'], `seed ${seed}`);
    assert.ok(records.length <= 3);
    // Only the append in flight at the crash may have reached the disk; the refused one never does.
    assert.deepEqual(records.slice(2).filter((r) => r !== 'maybe'), [], `seed ${seed}`);
    await reopened.close();
  }
});

test('a closed log refuses appends', async () => {
  const log = await open(new MemoryFileSystem());
  await log.close();
  await assert.rejects(log.append(['a']), { code: 'SAMSA_ERR_METADATA_LOG_NOT_WRITABLE' });
  await log.close();
});

test('the log works on the real file system', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'samsa-raft-'));
  try {
    const log = await open(nodeFileSystem, dir);
    await log.append(['on', 'disk']);
    await log.close();
    const reopened = await open(nodeFileSystem, dir);
    assert.deepEqual(recordsOf(await readAll(reopened)), [['on', 'disk']]);
    await reopened.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
