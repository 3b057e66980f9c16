/**
 * Walks the record batches stored in a `.log` file, reading it in chunks: headers only (to find
 * an offset's position, to rebuild producer state) or whole batches (recovery, timestamp search). The walk stops quietly at
 * the first entry that cannot be a complete v2 batch (a size below the header, another magic, or
 * bytes past `end`): that is where a torn tail starts. Checking CRCs is the caller's business.
 */
import type { FileHandle } from '../common/fs.js';
import {
  ATTRIBUTES_OFFSET,
  BASE_OFFSET_OFFSET,
  BATCH_LENGTH_OFFSET,
  CONTROL_FLAG_MASK,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAGIC_V2,
  MAX_TIMESTAMP_OFFSET,
  RECORD_BATCH_OVERHEAD,
} from '../protocol/records/index.js';

/** What the header of a stored batch says, and where the batch sits in its file. */
export interface BatchInfo {
  /** Byte position of the batch in the `.log` file. */
  position: number;
  /** Size of the whole batch, log overhead included. */
  size: number;
  baseOffset: bigint;
  lastOffset: bigint;
  maxTimestamp: bigint;
}

export interface ScannedBatch {
  info: BatchInfo;
  /** The batch's bytes (whole batches scans only). */
  bytes: Buffer | null;
}

/** Reads the header at `at` of `buf` (which must hold RECORD_BATCH_OVERHEAD bytes there); null if it is not a v2 batch header. */
export function peekBatchHeader(buf: Buffer, at: number, position: number): BatchInfo | null {
  const batchLength = buf.readInt32BE(at + BATCH_LENGTH_OFFSET);
  if (batchLength < RECORD_BATCH_OVERHEAD - LOG_OVERHEAD) return null;
  if (buf.readInt8(at + MAGIC_OFFSET) !== MAGIC_V2) return null;
  const baseOffset = buf.readBigInt64BE(at + BASE_OFFSET_OFFSET);
  return {
    position,
    size: batchLength + LOG_OVERHEAD,
    baseOffset,
    lastOffset: baseOffset + BigInt(buf.readInt32BE(at + LAST_OFFSET_DELTA_OFFSET)),
    maxTimestamp: buf.readBigInt64BE(at + MAX_TIMESTAMP_OFFSET),
  };
}

/** Header-only walks read this much at a time; whole-batch walks read RECOVERY_CHUNK_BYTES. */
export const HEADER_CHUNK_BYTES = 16 * 1024;
export const RECOVERY_CHUNK_BYTES = 1024 * 1024;

/** A window over [.., end) of a file, read in chunks of at least `chunkBytes`. */
class FileWindow {
  buf: Buffer = Buffer.alloc(0);
  start: number;

  constructor(
    private readonly file: FileHandle,
    from: number,
    private readonly end: number,
    private readonly chunkBytes: number,
  ) {
    this.start = from;
  }

  /** Makes [from, from + length) readable in `buf`; false when it runs past the end. */
  async ensure(from: number, length: number): Promise<boolean> {
    if (from >= this.start && from + length <= this.start + this.buf.length) return true;
    const readLength = Math.min(Math.max(length, this.chunkBytes), this.end - from);
    if (readLength < length) return false;
    this.buf = await this.file.read(from, readLength);
    this.start = from;
    return this.buf.length >= length;
  }

  view(from: number, length: number): Buffer {
    return this.buf.subarray(from - this.start, from - this.start + length);
  }
}

/**
 * Yields the batches in [start, end) of `file` in order. With `bodies`, each comes with its bytes
 * (a view that stays valid after the walk moves on).
 */
export async function* scanBatches(
  file: FileHandle,
  start: number,
  end: number,
  bodies: boolean,
  chunkBytes = bodies ? RECOVERY_CHUNK_BYTES : HEADER_CHUNK_BYTES,
): AsyncGenerator<ScannedBatch> {
  const window = new FileWindow(file, start, end, chunkBytes);
  let position = start;
  while (position + RECORD_BATCH_OVERHEAD <= end) {
    if (!(await window.ensure(position, RECORD_BATCH_OVERHEAD))) return;
    const info = peekBatchHeader(window.buf, position - window.start, position);
    if (!info || position + info.size > end) return;
    let bytes: Buffer | null = null;
    if (bodies) {
      if (!(await window.ensure(position, info.size))) return;
      bytes = window.view(position, info.size);
    }
    yield { info, bytes };
    position += info.size;
  }
}

export interface ScannedHeader {
  info: BatchInfo;
  /** The batch's RECORD_BATCH_OVERHEAD header bytes. */
  header: Buffer;
  /** The whole batch, for control batches only. */
  control: Buffer | null;
}

/**
 * Yields the header of every batch in [start, end) of `file`, and the whole batch of control
 * batches (rebuilding producer state reads data batch headers and markers, nothing more).
 */
export async function* scanBatchHeaders(file: FileHandle, start: number, end: number): AsyncGenerator<ScannedHeader> {
  const window = new FileWindow(file, start, end, HEADER_CHUNK_BYTES);
  let position = start;
  while (position + RECORD_BATCH_OVERHEAD <= end) {
    if (!(await window.ensure(position, RECORD_BATCH_OVERHEAD))) return;
    const info = peekBatchHeader(window.buf, position - window.start, position);
    if (!info || position + info.size > end) return;
    const isControl = (window.buf.readInt16BE(position - window.start + ATTRIBUTES_OFFSET) & CONTROL_FLAG_MASK) !== 0;
    const header = window.view(position, RECORD_BATCH_OVERHEAD);
    let control: Buffer | null = null;
    if (isControl) {
      if (!(await window.ensure(position, info.size))) return;
      control = window.view(position, info.size);
    }
    yield { info, header, control };
    position += info.size;
  }
}

/**
 * The first batch in [start, end) whose last offset is >= `target` (Kafka's translateOffset:
 * the batch holding `target`, or the next one when `target` fell in a gap), or null.
 */
export async function findBatchAtOffset(file: FileHandle, start: number, end: number, target: bigint): Promise<BatchInfo | null> {
  for await (const { info } of scanBatches(file, start, end, false)) {
    if (info.lastOffset >= target) return info;
  }
  return null;
}

/** Splits stored bytes into batches, cutting at the first incomplete one. Views, no copies. */
export function batchesIn(buf: Buffer, firstPosition = 0): Array<{ info: BatchInfo; bytes: Buffer }> {
  const out: Array<{ info: BatchInfo; bytes: Buffer }> = [];
  let at = 0;
  while (at + RECORD_BATCH_OVERHEAD <= buf.length) {
    const info = peekBatchHeader(buf, at, firstPosition + at);
    if (!info || at + info.size > buf.length) break;
    out.push({ info, bytes: buf.subarray(at, at + info.size) });
    at += info.size;
  }
  return out;
}
