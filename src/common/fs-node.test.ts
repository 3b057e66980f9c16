import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSmallFile, unlinkIfExists, writeFileAtomic } from './fs.js';
import { nodeFileSystem as fs } from './fs-node.js';

let root = '';
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'samsa-fs-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('node fs: positional vectored writes, reads, size, truncate, sync', async () => {
  const path = join(root, 'a', 'file');
  await fs.mkdirp(join(root, 'a'));
  const f = await fs.open(path, 'create');
  await f.write([Buffer.from('abc'), Buffer.alloc(0), Buffer.from('def')], 0);
  await f.write([Buffer.from('XY')], 10);
  assert.equal(await f.size(), 12);
  assert.deepEqual([...(await f.read(0, 12))], [...Buffer.from('abcdef'), 0, 0, 0, 0, ...Buffer.from('XY')]);
  assert.equal((await f.read(11, 100)).toString(), 'Y');
  await f.truncate(3);
  await f.sync();
  assert.equal((await f.read(0, 100)).toString(), 'abc');
  await f.close();
  await fs.syncDir(join(root, 'a'));
  assert.equal((await fs.stat(path))?.size, 3);
  await assert.rejects(fs.open(join(root, 'missing'), 'write'), { code: 'ENOENT' });
});

test('node fs: large vectored write lands whole', async () => {
  const path = join(root, 'big');
  const f = await fs.open(path, 'create');
  const parts = Array.from({ length: 64 }, (_, i) => Buffer.alloc(64 * 1024, i));
  await f.write(parts, 0);
  const back = await f.read(0, 64 * 64 * 1024);
  assert.ok(back.equals(Buffer.concat(parts)));
  await f.close();
});

test('node fs: rename, readdir, removeTree, atomic small files', async () => {
  const dir = join(root, 'd');
  await fs.mkdirp(join(dir, 'x', 'y'));
  await writeFileAtomic(fs, join(dir, 'cp'), 'v1');
  await writeFileAtomic(fs, join(dir, 'cp'), 'v2');
  assert.equal((await readSmallFile(fs, join(dir, 'cp')))?.toString(), 'v2');
  assert.equal(await readSmallFile(fs, join(dir, 'none')), null);
  assert.deepEqual(await fs.readdir(dir), ['cp', 'x']);
  await fs.rename(join(dir, 'x'), join(dir, 'z'));
  assert.deepEqual(await fs.readdir(dir), ['cp', 'z']);
  assert.equal(await unlinkIfExists(fs, join(dir, 'cp')), true);
  assert.equal(await unlinkIfExists(fs, join(dir, 'cp')), false);
  await fs.removeTree(dir);
  assert.equal(await fs.stat(dir), null);
  await fs.removeTree(dir);
});
