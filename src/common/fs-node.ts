/**
 * The real file system, over node:fs promise APIs (FileHandle). Reads and writes are positional;
 * partial writes and short reads are retried. Small writes are the exception to "never block":
 * a write of at most SYNC_WRITE_MAX_BYTES goes straight to the page cache from the event loop
 * (pwrite/pwritev), because handing it to libuv's thread pool and back costs several times what
 * the copy does (a futex wake and an eventfd round trip per write, tens of microseconds on a
 * small VM), and that cost is paid per produce request when requests are small.
 */
import { constants, promises as fsp, writeSync, writevSync } from 'node:fs';
import type { FileHandle, FileStat, FileSystem, OpenMode } from './fs.js';
import { fsErrorCode } from './fs.js';

const OPEN_FLAGS: Record<OpenMode, number> = {
  read: constants.O_RDONLY,
  write: constants.O_RDWR,
  create: constants.O_RDWR | constants.O_CREAT,
};

/** Writes up to this size are done synchronously (see above); larger ones on the thread pool. */
export const SYNC_WRITE_MAX_BYTES = 128 * 1024;

class NodeFileHandle implements FileHandle {
  constructor(private readonly handle: fsp.FileHandle) {}

  async read(position: number, length: number): Promise<Buffer> {
    const buf = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await this.handle.read(buf, filled, length - filled, position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === length ? buf : buf.subarray(0, filled);
  }

  async write(buffers: readonly Buffer[], position: number): Promise<void> {
    let pending = buffers.filter((b) => b.length > 0);
    let at = position;
    let size = 0;
    for (const b of pending) size += b.length;
    if (size <= SYNC_WRITE_MAX_BYTES) {
      while (pending.length > 0) {
        const written = pending.length === 1 ? writeSync(this.handle.fd, pending[0]!, 0, pending[0]!.length, at) : writevSync(this.handle.fd, pending, at);
        at += written;
        pending = dropWritten(pending, written);
      }
      return;
    }
    while (pending.length > 0) {
      const { bytesWritten } =
        pending.length === 1
          ? await this.handle.write(pending[0]!, 0, pending[0]!.length, at)
          : await this.handle.writev(pending, at);
      at += bytesWritten;
      pending = dropWritten(pending, bytesWritten);
    }
  }

  async size(): Promise<number> {
    return (await this.handle.stat()).size;
  }

  async truncate(size: number): Promise<void> {
    await this.handle.truncate(size);
  }

  async sync(): Promise<void> {
    await this.handle.sync();
  }

  async close(): Promise<void> {
    await this.handle.close();
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
  async open(path: string, mode: OpenMode): Promise<FileHandle> {
    return new NodeFileHandle(await fsp.open(path, OPEN_FLAGS[mode], 0o644));
  }

  async stat(path: string): Promise<FileStat | null> {
    try {
      const s = await fsp.stat(path);
      return { size: s.size, isDirectory: s.isDirectory(), mtimeMs: s.mtimeMs };
    } catch (err) {
      if (fsErrorCode(err) === 'ENOENT') return null;
      throw err;
    }
  }

  async readdir(path: string): Promise<string[]> {
    return (await fsp.readdir(path)).sort();
  }

  async mkdirp(path: string): Promise<void> {
    await fsp.mkdir(path, { recursive: true });
  }

  async rename(from: string, to: string): Promise<void> {
    await fsp.rename(from, to);
  }

  async unlink(path: string): Promise<void> {
    await fsp.unlink(path);
  }

  async removeTree(path: string): Promise<void> {
    await fsp.rm(path, { recursive: true, force: true });
  }

  async syncDir(path: string): Promise<void> {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(path, constants.O_RDONLY);
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
