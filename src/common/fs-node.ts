/**
 * The real file system, over node:fs on raw descriptors. Reads and writes are positional;
 * partial writes and short reads are retried.
 *
 * Calls normally go through libuv's thread pool, so the event loop never waits on the disk. Two
 * exceptions, both because the thread-pool round trip (a futex wake and an eventfd signal, tens
 * of microseconds on a small VM) costs several times what the call itself does:
 * - a write of at most SYNC_WRITE_MAX_BYTES goes straight to the page cache (pwrite/pwritev);
 *   that cost would otherwise be paid per produce request when requests are small;
 * - inside `withBlockingCalls` (start-up: loading every partition's log before the broker takes
 *   requests) every call is a plain system call; ten thousand partitions take some twenty calls
 *   each to open.
 */
import fs, { constants } from 'node:fs';
import { promisify } from 'node:util';
import type { FileHandle, FileStat, FileSystem, OpenMode } from './fs.js';
import { fsErrorCode } from './fs.js';

const OPEN_FLAGS: Record<OpenMode, number> = {
  read: constants.O_RDONLY,
  write: constants.O_RDWR,
  create: constants.O_RDWR | constants.O_CREAT,
};

/** Writes up to this size are done synchronously (see above); larger ones on the thread pool. */
export const SYNC_WRITE_MAX_BYTES = 128 * 1024;

const fdOpen = promisify(fs.open);
const fdClose = promisify(fs.close);
const fdFstat = promisify(fs.fstat);
const fdFtruncate = promisify(fs.ftruncate);
const fdFsync = promisify(fs.fsync);

function fdRead(fd: number, buf: Buffer, offset: number, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => fs.read(fd, buf, offset, length, position, (err, n) => (err ? reject(err) : resolve(n))));
}

function fdWrite(fd: number, buffers: Buffer[], position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const done = (err: NodeJS.ErrnoException | null, n: number): void => (err ? reject(err) : resolve(n));
    if (buffers.length === 1) fs.write(fd, buffers[0]!, 0, buffers[0]!.length, position, done);
    else fs.writev(fd, buffers, position, done);
  });
}

function writeNow(fd: number, buffers: Buffer[], position: number): number {
  return buffers.length === 1 ? fs.writeSync(fd, buffers[0]!, 0, buffers[0]!.length, position) : fs.writevSync(fd, buffers, position);
}

class NodeFileHandle implements FileHandle {
  constructor(
    private readonly fd: number,
    private readonly owner: NodeFileSystem,
  ) {}

  async read(position: number, length: number, into?: Buffer): Promise<Buffer> {
    const buf = into && into.length >= length ? into.subarray(0, length) : Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const n = this.owner.blocking
        ? fs.readSync(this.fd, buf, filled, length - filled, position + filled)
        : await fdRead(this.fd, buf, filled, length - filled, position + filled);
      if (n === 0) break;
      filled += n;
    }
    return filled === length ? buf : buf.subarray(0, filled);
  }

  async write(buffers: readonly Buffer[], position: number): Promise<void> {
    let pending = buffers.filter((b) => b.length > 0);
    let at = position;
    let size = 0;
    for (const b of pending) size += b.length;
    const now = this.owner.blocking || size <= SYNC_WRITE_MAX_BYTES;
    while (pending.length > 0) {
      const written = now ? writeNow(this.fd, pending, at) : await fdWrite(this.fd, pending, at);
      at += written;
      pending = dropWritten(pending, written);
    }
  }

  async size(): Promise<number> {
    return (this.owner.blocking ? fs.fstatSync(this.fd) : await fdFstat(this.fd)).size;
  }

  async truncate(size: number): Promise<void> {
    if (this.owner.blocking) fs.ftruncateSync(this.fd, size);
    else await fdFtruncate(this.fd, size);
  }

  async sync(): Promise<void> {
    if (this.owner.blocking) fs.fsyncSync(this.fd);
    else await fdFsync(this.fd);
  }

  async close(): Promise<void> {
    if (this.owner.blocking) fs.closeSync(this.fd);
    else await fdClose(this.fd);
  }
}

/** What is left of `buffers` after the first `written` bytes went out (a partial writev). */
function dropWritten(buffers: Buffer[], written: number): Buffer[] {
  let skip = written;
  let i = 0;
  while (i < buffers.length && skip >= buffers[i]!.length) skip -= buffers[i++]!.length;
  const rest = buffers.slice(i);
  if (rest.length > 0 && skip > 0) rest[0] = rest[0]!.subarray(skip);
  return rest;
}

export class NodeFileSystem implements FileSystem {
  private blockingDepth = 0;

  /** Inside withBlockingCalls: every call is a plain system call. */
  get blocking(): boolean {
    return this.blockingDepth > 0;
  }

  async withBlockingCalls<T>(work: () => Promise<T>): Promise<T> {
    this.blockingDepth++;
    try {
      return await work();
    } finally {
      this.blockingDepth--;
    }
  }

  async open(path: string, mode: OpenMode): Promise<FileHandle> {
    const fd = this.blocking ? fs.openSync(path, OPEN_FLAGS[mode], 0o644) : await fdOpen(path, OPEN_FLAGS[mode], 0o644);
    return new NodeFileHandle(fd, this);
  }

  async stat(path: string): Promise<FileStat | null> {
    try {
      const s = this.blocking ? fs.statSync(path) : await fs.promises.stat(path);
      return { size: s.size, isDirectory: s.isDirectory(), mtimeMs: s.mtimeMs };
    } catch (err) {
      if (fsErrorCode(err) === 'ENOENT') return null;
      throw err;
    }
  }

  async readdir(path: string): Promise<string[]> {
    return (this.blocking ? fs.readdirSync(path) : await fs.promises.readdir(path)).sort();
  }

  async mkdirp(path: string): Promise<void> {
    if (this.blocking) fs.mkdirSync(path, { recursive: true });
    else await fs.promises.mkdir(path, { recursive: true });
  }

  async rename(from: string, to: string): Promise<void> {
    if (this.blocking) fs.renameSync(from, to);
    else await fs.promises.rename(from, to);
  }

  async unlink(path: string): Promise<void> {
    if (this.blocking) fs.unlinkSync(path);
    else await fs.promises.unlink(path);
  }

  async removeTree(path: string): Promise<void> {
    if (this.blocking) fs.rmSync(path, { recursive: true, force: true });
    else await fs.promises.rm(path, { recursive: true, force: true });
  }

  async syncDir(path: string): Promise<void> {
    let handle: FileHandle;
    try {
      handle = await this.open(path, 'read');
    } catch (err) {
      // Windows cannot open a directory; there the rename itself is as durable as it gets.
      if (fsErrorCode(err) === 'EISDIR' || fsErrorCode(err) === 'EPERM') return;
      throw err;
    }
    try {
      await handle.sync();
    } catch (err) {
      const code = fsErrorCode(err);
      if (code !== 'EINVAL' && code !== 'EBADF' && code !== 'EPERM') throw err;
    } finally {
      await handle.close();
    }
  }
}

/** The process-wide real file system. */
export const nodeFileSystem: FileSystem = new NodeFileSystem();
