/**
 * An in-memory CoordinatorLog for runtime tests: batches get offsets as the real log gives them,
 * reads return whole batches from an offset up to a byte budget (at least one), and appends can
 * be made to fail or to wait.
 */
import { ErrorCode, batchLastOffset, setBatchBaseOffset } from '../../../protocol/index.js';
import type { CoordinatorLog, CoordinatorLogRead } from '../coordinator-log.js';

interface Stored {
  readonly base: bigint;
  readonly last: bigint;
  readonly bytes: Buffer;
}

export class MemoryCoordinatorLog implements CoordinatorLog {
  private readonly partitions = new Map<number, Stored[]>();
  /** Error codes the next appends fail with, in order. */
  readonly failNextAppends: number[] = [];
  /** When set, appends wait for it before landing. */
  appendGate: Promise<void> | undefined;
  /** When set, reads wait for it. */
  readGate: Promise<void> | undefined;
  appends = 0;
  reads = 0;

  batches(partition: number): Buffer[] {
    return (this.partitions.get(partition) ?? []).map((s) => s.bytes);
  }

  endOffset(partition: number): bigint {
    const list = this.partitions.get(partition) ?? [];
    return list.length === 0 ? 0n : list[list.length - 1]!.last + 1n;
  }

  async append(partition: number, batch: Buffer): Promise<{ errorCode: number; errorMessage: string | null }> {
    this.appends++;
    if (this.appendGate) await this.appendGate;
    const failure = this.failNextAppends.shift();
    if (failure !== undefined) return { errorCode: failure, errorMessage: 'injected' };
    const bytes = Buffer.from(batch);
    const base = this.endOffset(partition);
    setBatchBaseOffset(bytes, base);
    const list = this.partitions.get(partition) ?? [];
    list.push({ base, last: batchLastOffset(bytes), bytes });
    this.partitions.set(partition, list);
    return { errorCode: ErrorCode.NONE, errorMessage: null };
  }

  bounds(partition: number): { errorCode: number; logStartOffset: bigint; highWatermark: bigint } {
    return { errorCode: ErrorCode.NONE, logStartOffset: 0n, highWatermark: this.endOffset(partition) };
  }

  async read(partition: number, offset: bigint, maxBytes: number): Promise<CoordinatorLogRead> {
    this.reads++;
    if (this.readGate) await this.readGate;
    const out: Buffer[] = [];
    let size = 0;
    for (const s of this.partitions.get(partition) ?? []) {
      if (s.last < offset) continue;
      if (out.length > 0 && size + s.bytes.length > maxBytes) break;
      out.push(s.bytes);
      size += s.bytes.length;
    }
    return { errorCode: ErrorCode.NONE, records: Buffer.concat(out), highWatermark: this.endOffset(partition) };
  }
}
