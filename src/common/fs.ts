/**
 * The file system behind an interface: the few operations the storage layer needs, so the log
 * runs on the real disk (fs-node.ts) or on an in-memory twin that can simulate a crash
 * (fs-memory.ts) in deterministic tests. Paths are plain strings joined with node:path.
 *
 * Durability follows POSIX: bytes written are visible at once but survive a crash only after
 * `FileHandle.sync()`; a new, renamed or removed directory entry survives only after
 * `FileSystem.syncDir()` of its directory.
 */
import { dirname } from 'node:path';

/** How a file is opened: `read` an existing file read-only; `write` an existing file read-write;
 * `create` read-write, creating the file when missing. Writes always go to an explicit position. */
export type OpenMode = 'read' | 'write' | 'create';

export interface FileStat {
  size: number;
  isDirectory: boolean;
  /** Last modification, milliseconds since the epoch. */
  mtimeMs: number;
}

/** An open file; every read and write names its position (no shared file pointer). */
export interface FileHandle {
  /**
   * Reads up to `length` bytes from `position`; shorter only at the end of the file. With `into`
   * (at least `length` bytes) the bytes land there and a view of it is returned.
   */
  read(position: number, length: number, into?: Buffer): Promise<Buffer>;
  /** Writes all of `buffers`, one after the other, from `position` (a vectored write). */
  write(buffers: readonly Buffer[], position: number): Promise<void>;
  /** The size in bytes, including writes not yet synced. */
  size(): Promise<number>;
  /** Cuts the file to `size` bytes, or extends it with zeros. */
  truncate(size: number): Promise<void>;
  /** fsync: the data and size written so far survive a crash. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface FileSystem {
  open(path: string, mode: OpenMode): Promise<FileHandle>;
  /** null when nothing exists at `path`. */
  stat(path: string): Promise<FileStat | null>;
  /** Names of the entries of a directory, sorted. */
  readdir(path: string): Promise<string[]>;
  /** Creates a directory and its missing parents (mkdir -p); no error when it exists. */
  mkdirp(path: string): Promise<void>;
  /** Renames a file or directory, atomically replacing a file at `to`. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file. */
  unlink(path: string): Promise<void>;
  /** Removes a file or a directory with everything under it (rm -rf); no error when missing. */
  removeTree(path: string): Promise<void>;
  /** fsync of a directory: entries created, renamed or removed in it survive a crash. */
  syncDir(path: string): Promise<void>;
  /**
   * Optional: runs `work` with blocking system calls where that is cheaper than handing each
   * call to a thread pool, for phases where nothing else waits on the event loop (loading the
   * logs at start-up).
   */
  withBlockingCalls?<T>(work: () => Promise<T>): Promise<T>;
}

/** The error code of a failed file operation ('ENOENT', 'EEXIST', …), if it carries one. */
export function fsErrorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

export function isNotFound(err: unknown): boolean {
  return fsErrorCode(err) === 'ENOENT';
}

/** Reads a whole (small) file; null when it does not exist. */
export async function readSmallFile(fs: FileSystem, path: string): Promise<Buffer | null> {
  let handle: FileHandle;
  try {
    handle = await fs.open(path, 'read');
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
  try {
    return await handle.read(0, await handle.size());
  } finally {
    await handle.close();
  }
}

/**
 * Replaces a small file so that a crash leaves either the old or the new content, never a mix:
 * write `<path>.tmp`, fsync it, rename it over `path`, fsync the directory.
 */
export function writeFileAtomic(fs: FileSystem, path: string, data: Buffer | string): Promise<void> {
  // Writes of one path share `<path>.tmp`: they run one after another, in call order.
  const previous = atomicWrites.get(path) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => writeFileAtomicNow(fs, path, data));
  atomicWrites.set(path, next);
  void next.catch(() => undefined).finally(() => {
    if (atomicWrites.get(path) === next) atomicWrites.delete(path);
  });
  return next;
}

const atomicWrites = new Map<string, Promise<void>>();

async function writeFileAtomicNow(fs: FileSystem, path: string, data: Buffer | string): Promise<void> {
  const tmp = `${path}.tmp`;
  const handle = await fs.open(tmp, 'create');
  try {
    await handle.truncate(0);
    await handle.write([typeof data === 'string' ? Buffer.from(data, 'utf8') : data], 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, path);
  await fs.syncDir(dirname(path));
}

/** Removes a file if it exists. */
export async function unlinkIfExists(fs: FileSystem, path: string): Promise<boolean> {
  try {
    await fs.unlink(path);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}
