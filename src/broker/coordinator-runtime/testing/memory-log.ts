/**
 * An in-memory CoordinatorLogApi for runtime tests: batches get offsets as the real log gives
 * them, transaction markers are stored as the control batches a partition writes, reads return
 * whole batches from an offset up to a byte budget (at least one), and appends can be made to
 * fail or to wait.
 */
import { ErrorCode, batchLastOffset, buildEndTxnMarkerBatch, setBatchBaseOffset } from '../../../protocol/index.js';
import type { TxnMarker } from '../../../storage/index.js';
import type { CoordinatorLogApi } from '../service-api.js';

interface Stored {
  readonly base: bigint;
  readonly last: bigint;
  readonly bytes: Buffer;
}

export class MemoryCoordinatorLog implements CoordinatorLogApi {
  private readonly partitions = new Map<number, Stored[]>();
  /** Error codes the next appends fail with, in order. */
  readonly failNextAppends: number[] = [];
  /** Error codes the next marker appends fail with, in order. */
  readonly failNextMarkers: number[] = [];
  /** When set, appends wait for it before landing. */
  appendGate: Promise<void> | undefined;
  /** When set, reads wait for it. */
  readGate: Promise<void> | undefined;
  /** What `bounds` reports as the partitions' leader epoch. */
  leaderEpoch = 0;
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
    this.store(partition, batch);
    return { errorCode: ErrorCode.NONE, errorMessage: null };
  }

  async appendTxnMarker(partition: number, marker: TxnMarker): Promise<{ errorCode: number }> {
    const failure = this.failNextMarkers.shift();
    if (failure !== undefined) return { errorCode: failure };
    this.store(partition, buildEndTxnMarkerBatch({ ...marker, timestamp: 0n }));
    return { errorCode: ErrorCode.NONE };
  }

  bounds(partition: number): { errorCode: number; logStartOffset: bigint; highWatermark: bigint; leaderEpoch: number } {
    return { errorCode: ErrorCode.NONE, logStartOffset: 0n, highWatermark: this.endOffset(partition), leaderEpoch: this.leaderEpoch };
  }

  async read(partition: number, offset: bigint, maxBytes: number): Promise<{ errorCode: number; records: Buffer; highWatermark: bigint }> {
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

  private store(partition: number, batch: Buffer): void {
    const bytes = Buffer.from(batch);
    const base = this.endOffset(partition);
    setBatchBaseOffset(bytes, base);
    const list = this.partitions.get(partition) ?? [];
    list.push({ base, last: batchLastOffset(bytes), bytes });
    this.partitions.set(partition, list);
  }
}
