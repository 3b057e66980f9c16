/**
 * Walks the record batches stored in a `.log` file, reading it in chunks: headers only (to find
 * an offset's position) or whole batches (recovery, timestamp search). The walk stops quietly at
 * the first entry that cannot be a complete v2 batch (a size below the header, another magic, or
 * bytes past `end`): that is where a torn tail starts. Checking CRCs is the caller's business.
 */
import type { FileHandle } from '../common/fs.js';
import {
  BASE_OFFSET_OFFSET,
  BATCH_LENGTH_OFFSET,
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
  let window: Buffer = Buffer.alloc(0);
  let windowStart = start;
  let position = start;
  const ensure = async (from: number, length: number): Promise<boolean> => {
    if (from >= windowStart && from + length <= windowStart + window.length) return true;
    const readLength = Math.min(Math.max(length, chunkBytes), end - from);
    if (readLength < length) return false;
    window = await file.read(from, readLength);
    windowStart = from;
    return window.length >= length;
  };
  while (position + RECORD_BATCH_OVERHEAD <= end) {
    if (!(await ensure(position, RECORD_BATCH_OVERHEAD))) return;
    const info = peekBatchHeader(window, position - windowStart, position);
    if (!info || position + info.size > end) return;
    let bytes: Buffer | null = null;
    if (bodies) {
      if (!(await ensure(position, info.size))) return;
      bytes = window.subarray(position - windowStart, position - windowStart + info.size);
    }
    yield { info, bytes };
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
