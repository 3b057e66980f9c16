/**
 * The producer-state snapshot files of one partition directory: which offsets have one, writing
 * one (tmp, fsync, rename, directory fsync), reading, and deleting the ones a truncation, a
 * retention run or a recovery-point checkpoint made useless. File operations run one at a time,
 * in call order, so a write and a deletion never race.
 */
import { type FileSystem, readSmallFile, unlinkIfExists, writeFileAtomic } from '../common/fs.js';
import { PRODUCER_SNAPSHOT_FILE_SUFFIX, segmentFilePath } from './names.js';

const SNAPSHOT_NAME = /^(\d{20})\.snapshot$/;

export class ProducerSnapshots {
  private offsets: bigint[] = [];
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly fs: FileSystem,
    private readonly dir: string,
  ) {}

  path(offset: bigint): string {
    return segmentFilePath(this.dir, offset, PRODUCER_SNAPSHOT_FILE_SUFFIX);
  }

  /** Lists the snapshot files on disk. */
  async scan(): Promise<void> {
    const found: bigint[] = [];
    for (const name of await this.fs.readdir(this.dir)) {
      const match = SNAPSHOT_NAME.exec(name);
      if (match) found.push(BigInt(match[1]!));
    }
    this.offsets = found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Offsets with a snapshot, ascending. */
  get all(): readonly bigint[] {
    return this.offsets;
  }

  has(offset: bigint): boolean {
    return this.offsets.includes(offset);
  }

  /** The largest snapshot offset <= `offset`, or null. */
  newestAtOrBelow(offset: bigint): bigint | null {
    let found: bigint | null = null;
    for (const o of this.offsets) if (o <= offset) found = o;
    return found;
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.chain.then(op, op);
    this.chain = next.catch(() => undefined);
    return next;
  }

  write(offset: bigint, bytes: Buffer): Promise<void> {
    return this.serial(async () => {
      await writeFileAtomic(this.fs, this.path(offset), bytes);
      if (!this.offsets.includes(offset)) this.offsets = [...this.offsets, offset].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    });
  }

  /** The file's bytes, or null when it is gone. */
  read(offset: bigint): Promise<Buffer | null> {
    return this.serial(() => readSmallFile(this.fs, this.path(offset)));
  }

  /** Deletes the snapshots whose offset matches `doomed`. */
  deleteWhere(doomed: (offset: bigint) => boolean): Promise<void> {
    return this.serial(async () => {
      const victims = this.offsets.filter(doomed);
      if (victims.length === 0) return;
      this.offsets = this.offsets.filter((o) => !doomed(o));
      for (const o of victims) await unlinkIfExists(this.fs, this.path(o));
      // A deleted snapshot must not come back after a crash: it may describe a log that is gone.
      await this.fs.syncDir(this.dir);
    });
  }

  deleteAbove(offset: bigint): Promise<void> {
    return this.deleteWhere((o) => o > offset);
  }

  deleteBelow(offset: bigint): Promise<void> {
    return this.deleteWhere((o) => o < offset);
  }

  delete(offset: bigint): Promise<void> {
    return this.deleteWhere((o) => o === offset);
  }
}
