/** A FileSystem wrapper whose operations on chosen paths fail with EIO once `failing` is set. */
import type { FileHandle, FileSystem } from '../../common/fs.js';

export interface FailingFileSystem {
  fs: FileSystem;
  failing: boolean;
}

export function failingFileSystem(inner: FileSystem, affects: (path: string) => boolean): FailingFileSystem {
  const control: FailingFileSystem = { fs: inner, failing: false };
  const check = (path: string): void => {
    if (control.failing && affects(path)) throw Object.assign(new Error(`EIO: injected failure on ${path}`), { code: 'EIO' });
  };
  const wrap = (handle: FileHandle, path: string): FileHandle => ({
    read: async (position, length, into) => (check(path), handle.read(position, length, into)),
    write: async (buffers, position) => (check(path), handle.write(buffers, position)),
    size: async () => (check(path), handle.size()),
    truncate: async (size) => (check(path), handle.truncate(size)),
    sync: async () => (check(path), handle.sync()),
    close: () => handle.close(),
  });
  control.fs = {
    open: async (path, mode) => (check(path), wrap(await inner.open(path, mode), path)),
    stat: async (path) => (check(path), inner.stat(path)),
    readdir: async (path) => (check(path + '/'), inner.readdir(path)),
    mkdirp: async (path) => (check(path + '/'), inner.mkdirp(path)),
    rename: async (from, to) => (check(from), inner.rename(from, to)),
    unlink: async (path) => (check(path), inner.unlink(path)),
    removeTree: async (path) => (check(path), inner.removeTree(path)),
    syncDir: async (path) => (check(path + '/'), inner.syncDir(path)),
  };
  return control;
}
