import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryFileSystem } from '../common/fs-memory.js';
import { CorruptIndexError } from './errors.js';
import { OffsetIndex } from './offset-index.js';
import { TimeIndex } from './time-index.js';

async function fsWithDir(): Promise<MemoryFileSystem> {
  const fs = new MemoryFileSystem();
  await fs.mkdirp('/d');
  return fs;
}

test('offset index: preallocated, lookups floor to the last entry <= target, trimmed on roll', async () => {
  const fs = await fsWithDir();
  const index = new OffsetIndex(fs, '/d/00000000000000000100.index', 100n, 80);
  await index.create();
  assert.equal((await fs.stat('/d/00000000000000000100.index'))?.size, 80);
  assert.equal(index.maxEntries, 10);
  assert.deepEqual(index.lookup(500n), { offset: 100n, position: 0 });
  index.append(109n, 4100);
  index.append(119n, 8300);
  index.append(129n, 12500);
  assert.deepEqual(index.lookup(105n), { offset: 100n, position: 0 });
  assert.deepEqual(index.lookup(109n), { offset: 109n, position: 4100 });
  assert.deepEqual(index.lookup(118n), { offset: 109n, position: 4100 });
  assert.deepEqual(index.lookup(1000n), { offset: 129n, position: 12500 });
  assert.equal(index.lastOffset, 129n);
  assert.throws(() => index.append(129n, 20000), CorruptIndexError);
  await index.trim();
  const raw = (await (await fs.open('/d/00000000000000000100.index', 'read')).read(0, 100));
  assert.equal(raw.length, 24);
  assert.deepEqual([raw.readInt32BE(0), raw.readInt32BE(4), raw.readInt32BE(16), raw.readInt32BE(20)], [9, 4100, 29, 12500]);
  index.truncateTo(119n);
  assert.equal(index.entries, 1);
  assert.deepEqual(index.lookup(200n), { offset: 109n, position: 4100 });
});

test('offset index: full index refuses entries; reopened index loads lazily and sanity-checks', async () => {
  const fs = await fsWithDir();
  const index = new OffsetIndex(fs, '/d/0.index', 0n, 16);
  await index.create();
  assert.equal(index.append(1n, 10), true);
  assert.equal(index.append(2n, 20), true);
  assert.equal(index.isFull, true);
  assert.equal(index.append(3n, 30), false);
  await index.trim();
  await index.close();
  const reopened = new OffsetIndex(fs, '/d/0.index', 0n, 16);
  assert.equal(await reopened.open(), 2);
  assert.equal(reopened.isLoaded, false);
  assert.deepEqual(await reopened.readEntryAt(1), { offset: 2n, position: 20 });
  await reopened.load();
  assert.deepEqual(reopened.lookup(2n), { offset: 2n, position: 20 });
  reopened.unload();
  assert.equal(reopened.isLoaded, false);
  await reopened.close();

  const zeroed = await fs.open('/d/0.index', 'write');
  await zeroed.truncate(24);
  await zeroed.close();
  const bad = new OffsetIndex(fs, '/d/0.index', 0n, 16);
  await bad.open();
  await assert.rejects(bad.load(), CorruptIndexError);
  const odd = await fs.open('/d/odd.index', 'create');
  await odd.write([Buffer.alloc(5)], 0);
  await assert.rejects(new OffsetIndex(fs, '/d/odd.index', 0n, 16).open(), CorruptIndexError);
});

test('time index: only increasing timestamps, lookup by timestamp, final entry past full on roll', async () => {
  const fs = await fsWithDir();
  const index = new TimeIndex(fs, '/d/0.timeindex', 50n, 24);
  await index.create();
  assert.equal(index.maybeAppend(-1n, 50n), false);
  assert.equal(index.maybeAppend(1000n, 55n), true);
  assert.equal(index.maybeAppend(1000n, 60n), false);
  assert.equal(index.maybeAppend(900n, 60n), false);
  assert.equal(index.maybeAppend(2000n, 70n), true);
  assert.equal(index.isFull, true);
  assert.equal(index.maybeAppend(3000n, 80n), false);
  assert.deepEqual(index.lookup(999n), { timestamp: -1n, offset: 50n });
  assert.deepEqual(index.lookup(1500n), { timestamp: 1000n, offset: 55n });
  assert.deepEqual(index.lookup(5000n), { timestamp: 2000n, offset: 70n });
  assert.equal(index.maybeAppend(3000n, 80n, true), true);
  assert.deepEqual(index.lastEntry, { timestamp: 3000n, offset: 80n });
  await index.trim();
  assert.equal((await fs.stat('/d/0.timeindex'))?.size, 36);
  index.truncateTo(70n);
  assert.deepEqual(index.lastEntry, { timestamp: 1000n, offset: 55n });
  assert.equal(index.entries, 1);
  index.truncateTo(56n);
  assert.equal(index.entries, 1);
  index.truncateTo(55n);
  assert.equal(index.entries, 0);
});

test('time index: sanity check rejects decreasing timestamps', async () => {
  const fs = await fsWithDir();
  const f = await fs.open('/d/0.timeindex', 'create');
  const raw = Buffer.alloc(24);
  raw.writeBigInt64BE(2000n, 0);
  raw.writeInt32BE(1, 8);
  raw.writeBigInt64BE(1000n, 12);
  raw.writeInt32BE(2, 20);
  await f.write([raw], 0);
  const index = new TimeIndex(fs, '/d/0.timeindex', 0n, 1024);
  await index.open();
  await assert.rejects(index.load(), CorruptIndexError);
});
