/**
 * An in-memory FileSystem for deterministic tests, able to simulate a crash. File data survives
 * a crash once synced (see FileContent). Directory entries follow an ordered-journal model:
 * creations, renames and removals are applied at once but reach "disk" only when some
 * directory is synced (which commits every change so far, as a journal commit does); a crash
 * keeps a random prefix of the uncommitted changes. After a crash, handles opened before it fail.
 */
import { posix } from 'node:path';
import { type Clock, systemClock } from './clock.js';
import type { FileHandle, FileStat, FileSystem, OpenMode } from './fs.js';
import { type CrashMode, FileContent } from './fs-memory-content.js';
import { applyNsOp, fsError, type Node, type NsOp, under } from './fs-memory-namespace.js';
import { type Random, SeededRandom } from './random.js';

export type { CrashMode } from './fs-memory-content.js';

export interface MemoryFileSystemOptions {
  /** Stamps modification times; defaults to the system clock. */
  clock?: Clock;
  /** Chooses what a crash keeps; defaults to a generator seeded with 1. */
  random?: Random;
}

export class MemoryFileSystem implements FileSystem {
  private ns = new Map<string, Node>([['/', { kind: 'dir' }]]);
  private durableNs = new Map<string, Node>(this.ns);
  private pendingNs: NsOp[] = [];
  private generation = 0;
  private operations = 0;
  private crashAt: { operation: number; mode: CrashMode; halt: boolean } | null = null;
  private down = false;
  private readonly clock: Clock;
  readonly random: Random;

  constructor(options: MemoryFileSystemOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? new SeededRandom(1);
  }

  /**
   * Simulates power loss now: unsynced data and uncommitted directory changes may be lost. The
   * file system is then ready for the next "boot"; handles opened before fail.
   */
  crash(mode: CrashMode = 'torn'): void {
    this.down = false;
    const keep = mode === 'keep' ? this.pendingNs.length : mode === 'lose' ? 0 : this.random.int(this.pendingNs.length + 1);
    for (const op of this.pendingNs.slice(0, keep)) applyNsOp(this.durableNs, op);
    this.pendingNs = [];
    this.ns = new Map(this.durableNs);
    const contents = new Set<FileContent>();
    for (const node of this.ns.values()) if (node.kind === 'file') contents.add(node.content);
    for (const content of contents) content.crash(mode, this.random);
    this.generation++;
    this.crashAt = null;
  }

  /**
   * Crashes just before the `count`-th operation from now; that operation and later ones on old
   * handles fail. With `halt`, every later operation fails too (the machine is down, and the
   * process with it) until `crash()` boots it again.
   */
  crashAfterOperations(count: number, mode: CrashMode = 'torn', options: { halt?: boolean } = {}): void {
    this.crashAt = { operation: this.operations + count, mode, halt: options.halt === true };
  }

  /** Operations performed so far (each open, read, write, sync, rename, …). */
  get operationCount(): number {
    return this.operations;
  }

  /** Counts an operation, crashing when one was scheduled here. Throws if `generation` is stale. */
  private step(op: string, path: string, generation = this.generation): void {
    this.operations++;
    const crashAt = this.crashAt;
    if (crashAt && this.operations >= crashAt.operation) {
      this.crash(crashAt.mode);
      this.down = crashAt.halt;
    }
    if (this.down || generation !== this.generation) throw fsError('EIO', `${op} after a simulated crash`, path);
  }

  /** Resolves a path and counts the operation on it. */
  private enter(op: string, rawPath: string): string {
    const path = posix.resolve('/', rawPath);
    this.step(op, path);
    return path;
  }

  private parentDir(path: string, op: string): void {
    const parent = this.ns.get(posix.dirname(path));
    if (!parent) throw fsError('ENOENT', op, path);
    if (parent.kind !== 'dir') throw fsError('ENOTDIR', op, path);
  }

  private change(op: NsOp): void {
    applyNsOp(this.ns, op);
    this.pendingNs.push(op);
  }

  async open(rawPath: string, mode: OpenMode): Promise<FileHandle> {
    const path = this.enter('open', rawPath);
    let node = this.ns.get(path);
    if (node?.kind === 'dir') throw fsError('EISDIR', 'open', path);
    if (!node) {
      if (mode !== 'create') throw fsError('ENOENT', 'open', path);
      this.parentDir(path, 'open');
      node = { kind: 'file', content: new FileContent(), mtimeMs: this.clock.nowMs() };
      this.change({ kind: 'link', path, node });
    }
    return new MemoryFileHandle(this, node, path, mode === 'read', this.generation);
  }

  async stat(rawPath: string): Promise<FileStat | null> {
    const path = this.enter('stat', rawPath);
    const node = this.ns.get(path);
    if (!node) return null;
    if (node.kind === 'dir') return { size: 0, isDirectory: true, mtimeMs: 0 };
    return { size: node.content.size, isDirectory: false, mtimeMs: node.mtimeMs };
  }

  async readdir(rawPath: string): Promise<string[]> {
    const path = this.enter('readdir', rawPath);
    const node = this.ns.get(path);
    if (!node) throw fsError('ENOENT', 'readdir', path);
    if (node.kind !== 'dir') throw fsError('ENOTDIR', 'readdir', path);
    return [...this.ns.keys()].filter((p) => p !== path && posix.dirname(p) === path).map((p) => posix.basename(p)).sort();
  }

  async mkdirp(rawPath: string): Promise<void> {
    const path = this.enter('mkdirp', rawPath);
    const missing: string[] = [];
    for (let p = path; !this.ns.has(p); p = posix.dirname(p)) missing.unshift(p);
    for (const p of missing) {
      if (this.ns.get(posix.dirname(p))?.kind !== 'dir') throw fsError('ENOTDIR', 'mkdir', p);
      this.change({ kind: 'link', path: p, node: { kind: 'dir' } });
    }
    if (this.ns.get(path)?.kind !== 'dir') throw fsError('EEXIST', 'mkdir', path);
  }

  async rename(rawFrom: string, rawTo: string): Promise<void> {
    const from = this.enter('rename', rawFrom);
    const to = posix.resolve('/', rawTo);
    const node = this.ns.get(from);
    if (!node) throw fsError('ENOENT', 'rename', from);
    this.parentDir(to, 'rename');
    const target = this.ns.get(to);
    if (node.kind === 'dir' && under(to, from)) throw fsError('EINVAL', 'rename', to);
    if (target && (target.kind !== node.kind || [...this.ns.keys()].some((p) => under(p, to)))) {
      throw fsError(target.kind === 'dir' ? 'ENOTEMPTY' : 'EISDIR', 'rename', to);
    }
    if (from === to) return;
    this.change({ kind: 'rename', from, to });
  }

  async unlink(rawPath: string): Promise<void> {
    const path = this.enter('unlink', rawPath);
    const node = this.ns.get(path);
    if (!node) throw fsError('ENOENT', 'unlink', path);
    if (node.kind === 'dir') throw fsError('EISDIR', 'unlink', path);
    this.change({ kind: 'remove', path });
  }

  async removeTree(rawPath: string): Promise<void> {
    const path = this.enter('removeTree', rawPath);
    if (path === '/') throw fsError('EPERM', 'removeTree', path);
    if (this.ns.has(path)) this.change({ kind: 'remove', path });
  }

  async syncDir(rawPath: string): Promise<void> {
    const path = this.enter('syncDir', rawPath);
    if (this.ns.get(path)?.kind !== 'dir') throw fsError('ENOTDIR', 'syncDir', path);
    for (const op of this.pendingNs) applyNsOp(this.durableNs, op);
    this.pendingNs = [];
  }

  /** For MemoryFileHandle: counts the operation, checks the handle survived any crash; returns now. */
  checkHandle(op: string, path: string, generation: number): number {
    this.step(op, path, generation);
    return this.clock.nowMs();
  }
}

class MemoryFileHandle implements FileHandle {
  private closed = false;

  constructor(
    private readonly fs: MemoryFileSystem,
    private readonly node: Extract<Node, { kind: 'file' }>,
    private readonly path: string,
    private readonly readOnly: boolean,
    private readonly generation: number,
  ) {}

  private check(op: string, writes: boolean): FileContent {
    if (this.closed) throw fsError('EBADF', op, this.path);
    const nowMs = this.fs.checkHandle(op, this.path, this.generation);
    if (writes && this.readOnly) throw fsError('EBADF', op, this.path);
    if (writes) this.node.mtimeMs = nowMs;
    return this.node.content;
  }

  async read(position: number, length: number, into?: Buffer): Promise<Buffer> {
    const bytes = this.check('read', false).read(position, length);
    if (!into || into.length < bytes.length) return bytes;
    bytes.copy(into);
    return into.subarray(0, bytes.length);
  }

  async write(buffers: readonly Buffer[], position: number): Promise<void> {
    const content = this.check('write', true);
    let at = position;
    for (const b of buffers) {
      content.write(at, b);
      at += b.length;
    }
  }

  async size(): Promise<number> {
    return this.check('size', false).size;
  }

  async truncate(size: number): Promise<void> {
    this.check('truncate', true).truncate(size);
  }

  async sync(): Promise<void> {
    this.check('sync', false).sync();
  }

  async close(): Promise<void> {
    if (this.closed) throw fsError('EBADF', 'close', this.path);
    this.closed = true;
  }
}
