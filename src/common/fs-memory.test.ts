import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSmallFile, writeFileAtomic } from './fs.js';
import { MemoryFileSystem } from './fs-memory.js';
import { SeededRandom } from './random.js';

const text = (b: Buffer | null): string | null => (b === null ? null : b.toString('utf8'));

test('memory fs: files, positional and vectored writes, truncate, readdir, stat', async () => {
  const fs = new MemoryFileSystem();
  await fs.mkdirp('/a/b');
  const f = await fs.open('/a/b/x', 'create');
  await f.write([Buffer.from('hello '), Buffer.from('world')], 0);
  await f.write([Buffer.from('W')], 6);
  assert.equal((await f.read(0, 100)).toString(), 'hello World');
  assert.equal(await f.size(), 11);
  await f.truncate(5);
  await f.truncate(8);
  assert.deepEqual([...(await f.read(0, 8))], [...Buffer.from('hello'), 0, 0, 0]);
  await f.close();
  assert.deepEqual(await fs.readdir('/a/b'), ['x']);
  assert.equal((await fs.stat('/a/b/x'))?.size, 8);
  assert.equal((await fs.stat('/a/b'))?.isDirectory, true);
  assert.equal(await fs.stat('/nope'), null);
  await assert.rejects(fs.open('/a/missing', 'read'), { code: 'ENOENT' });
  await assert.rejects(fs.open('/zz/file', 'create'), { code: 'ENOENT' });
});

test('memory fs: rename replaces, directory renames move children, removeTree', async () => {
  const fs = new MemoryFileSystem();
  await fs.mkdirp('/d/sub');
  await writeFileAtomic(fs, '/d/sub/f', 'one');
  await writeFileAtomic(fs, '/d/g', 'two');
  await fs.rename('/d/g', '/d/sub/f');
  assert.equal(text(await readSmallFile(fs, '/d/sub/f')), 'two');
  await fs.rename('/d', '/e');
  assert.deepEqual(await fs.readdir('/e/sub'), ['f']);
  assert.equal(await fs.stat('/d'), null);
  await fs.removeTree('/e');
  assert.deepEqual(await fs.readdir('/'), []);
});

test('memory fs: a crash keeps synced data and loses unsynced writes in lose mode', async () => {
  const fs = new MemoryFileSystem();
  await fs.mkdirp('/d');
  const f = await fs.open('/d/f', 'create');
  await f.write([Buffer.from('durable')], 0);
  await f.sync();
  await fs.syncDir('/d');
  await f.write([Buffer.from('-lost')], 7);
  fs.crash('lose');
  await assert.rejects(f.read(0, 10), { code: 'EIO' });
  assert.equal(text(await readSmallFile(fs, '/d/f')), 'durable');
});

test('memory fs: a file created without syncing its directory may vanish', async () => {
  const fs = new MemoryFileSystem();
  await fs.mkdirp('/d');
  await fs.syncDir('/d');
  const f = await fs.open('/d/new', 'create');
  await f.write([Buffer.from('x')], 0);
  await f.sync();
  fs.crash('lose');
  assert.equal(await fs.stat('/d/new'), null);
});

test('memory fs: torn crashes keep a prefix of the unsynced writes, cut or zero-filled', async () => {
  const outcomes = new Set<string>();
  for (let seed = 0; seed < 200; seed++) {
    const fs = new MemoryFileSystem({ random: new SeededRandom(seed) });
    await fs.mkdirp('/d');
    const f = await fs.open('/d/f', 'create');
    await f.write([Buffer.from('AAAA')], 0);
    await f.sync();
    await fs.syncDir('/d');
    await f.write([Buffer.from('BBBB')], 4);
    await f.write([Buffer.from('CCCC')], 8);
    fs.crash('torn');
    const after = (await readSmallFile(fs, '/d/f'))!.toString('latin1');
    assert.ok(after.startsWith('AAAA'), after);
    assert.match(after, /^AAAA(B{0,4}\0{0,4}|BBBBC{0,4}\0{0,4})$/);
    outcomes.add(after);
  }
  assert.ok(outcomes.size > 5, `only ${[...outcomes].join(',')}`);
});

test('memory fs: crashAfterOperations fails the chosen operation and the ones after it', async () => {
  const fs = new MemoryFileSystem();
  await fs.mkdirp('/d');
  const f = await fs.open('/d/f', 'create');
  fs.crashAfterOperations(2, 'keep');
  await f.write([Buffer.from('a')], 0);
  await assert.rejects(f.write([Buffer.from('b')], 1), { code: 'EIO' });
  assert.equal(text(await readSmallFile(fs, '/d/f')), 'a', 'new operations see the state after the crash');
  const g = await fs.open('/d/f', 'write');
  fs.crashAfterOperations(1, 'keep', { halt: true });
  await assert.rejects(g.write([Buffer.from('c')], 1), { code: 'EIO' });
  await assert.rejects(fs.stat('/d/f'), { code: 'EIO' }, 'a halted machine stays down');
  fs.crash('keep');
  assert.equal(text(await readSmallFile(fs, '/d/f')), 'a');
});

test('memory fs: writeFileAtomic survives any crash as old or new content', async () => {
  for (let seed = 0; seed < 50; seed++) {
    const fs = new MemoryFileSystem({ random: new SeededRandom(seed) });
    await fs.mkdirp('/d');
    await writeFileAtomic(fs, '/d/cp', 'old');
    fs.crashAfterOperations(1 + (seed % 7), 'torn');
    await writeFileAtomic(fs, '/d/cp', 'new').catch(() => {});
    fs.crash('torn');
    const content = text(await readSmallFile(fs, '/d/cp'));
    assert.ok(content === 'old' || content === 'new', `seed ${seed}: ${content}`);
  }
});

test('concurrent atomic writes of one file run in order and all succeed', async () => {
  const fs = new MemoryFileSystem();
  await fs.mkdirp('/d');
  await Promise.all(Array.from({ length: 20 }, (_, i) => writeFileAtomic(fs, '/d/checkpoint', `v${i}`)));
  assert.equal((await readSmallFile(fs, '/d/checkpoint'))?.toString(), 'v19');
});
