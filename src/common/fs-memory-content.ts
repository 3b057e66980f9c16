/**
 * The bytes of one in-memory file, as the process sees them and as the disk holds them: writes
 * and truncations since the last sync are kept as a list, so a simulated crash can drop them,
 * keep them, or keep a prefix with the last write torn at a random byte.
 */
import type { Random } from './random.js';

/** A growable byte array with a logical length; bytes past the backing buffer read as zeros. */
export class SparseBytes {
  private buf: Buffer = Buffer.alloc(0);
  length = 0;

  write(position: number, data: Buffer): void {
    const end = position + data.length;
    if (end > this.buf.length && data.length > 0) {
      const grown = Buffer.alloc(Math.max(end, Math.min(this.buf.length * 2, end + (64 << 20))));
      this.buf.copy(grown, 0, 0, Math.min(this.buf.length, this.length));
      this.buf = grown;
    }
    data.copy(this.buf, position);
    if (end > this.length) this.length = end;
  }

  read(position: number, length: number): Buffer {
    const end = Math.min(this.length, position + length);
    if (end <= position) return Buffer.alloc(0);
    const out = Buffer.alloc(end - position);
    if (position < this.buf.length) this.buf.copy(out, 0, position, Math.min(end, this.buf.length));
    return out;
  }

  truncate(size: number): void {
    if (size < this.length && size < this.buf.length) this.buf.fill(0, size, Math.min(this.length, this.buf.length));
    this.length = size;
  }

  clone(): SparseBytes {
    const copy = new SparseBytes();
    copy.buf = Buffer.from(this.buf.subarray(0, Math.min(this.buf.length, this.length)));
    copy.length = this.length;
    return copy;
  }
}

type FileOp = { kind: 'write'; position: number; data: Buffer } | { kind: 'truncate'; size: number };

/**
 * What a simulated crash does to data written since the last sync:
 * `lose` drops it all, `keep` keeps it all (the process died, the machine did not), `torn` keeps a
 * random prefix of the writes and cuts the last one at a random byte, or zero-fills its rest (the
 * size reached the disk, the block did not).
 */
export type CrashMode = 'lose' | 'keep' | 'torn';

function applyOp(bytes: SparseBytes, op: FileOp): void {
  if (op.kind === 'write') bytes.write(op.position, op.data);
  else bytes.truncate(op.size);
}

export class FileContent {
  private current = new SparseBytes();
  private durable = new SparseBytes();
  private pending: FileOp[] = [];

  get size(): number {
    return this.current.length;
  }

  read(position: number, length: number): Buffer {
    return this.current.read(position, length);
  }

  write(position: number, data: Buffer): void {
    const copy = Buffer.from(data);
    this.current.write(position, copy);
    this.pending.push({ kind: 'write', position, data: copy });
  }

  truncate(size: number): void {
    this.current.truncate(size);
    this.pending.push({ kind: 'truncate', size });
  }

  sync(): void {
    for (const op of this.pending) applyOp(this.durable, op);
    this.pending = [];
  }

  /** Bytes written but not yet synced (what a crash may lose). */
  get unsyncedOps(): number {
    return this.pending.length;
  }

  crash(mode: CrashMode, random: Random): void {
    const ops = this.pending;
    const keep = mode === 'keep' ? ops.length : mode === 'lose' ? 0 : random.int(ops.length + 1);
    for (let i = 0; i < keep; i++) {
      const op = ops[i]!;
      const last = i === keep - 1 && mode === 'torn';
      if (!last || op.kind !== 'write' || op.data.length === 0) {
        applyOp(this.durable, op);
        continue;
      }
      const cut = random.int(op.data.length + 1);
      if (random.int(2) === 0) {
        this.durable.write(op.position, op.data.subarray(0, cut));
      } else {
        const torn = Buffer.alloc(op.data.length);
        op.data.copy(torn, 0, 0, cut);
        this.durable.write(op.position, torn);
      }
    }
    this.pending = [];
    this.current = this.durable.clone();
  }
}
