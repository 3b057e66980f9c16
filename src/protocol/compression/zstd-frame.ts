import { CorruptCompressedError, DecompressLimitError } from './errors.js';

/**
 * Walks zstd frames (RFC 8878) without decoding them, to learn how much output they can make:
 * the declared Frame_Content_Size where present, else the sum of per-block maxima (a raw or RLE
 * block regenerates exactly its Block_Size, a compressed block at most min(window, 128 KiB)).
 * Decompression then gets an output capacity that is neither trusted from the input nor larger
 * than the caller's bound.
 */

const NAME = 'zstd';
export const ZSTD_FRAME_MAGIC = 0xfd2fb528;
const SKIPPABLE_MAGIC = 0x184d2a50;
const SKIPPABLE_MAGIC_MASK = 0xfffffff0;
const BLOCK_SIZE_MAX = 128 * 1024;
const FCS_FIELD_SIZES = [0, 2, 4, 8] as const;
const DICT_ID_FIELD_SIZES = [0, 1, 2, 4] as const;

export interface ZstdFramesSummary {
  /** Most bytes the frames can decode to (exact when `exactSize`). */
  outputBound: number;
  /** Every frame declared its content size, so `outputBound` is the size. */
  exactSize: boolean;
  /** Byte ranges [start, end) of the data frames (skippable frames left out). */
  frames: Array<{ start: number; end: number }>;
}

/** Checks frame structure and bounds the output; a declared size past the bound is rejected. */
export function scanZstdFrames(data: Buffer, maxOutputBytes: number): ZstdFramesSummary {
  if (data.length === 0) throw new CorruptCompressedError(NAME, 'empty input');
  let pos = 0;
  let outputBound = 0;
  let exactSize = true;
  const frames: Array<{ start: number; end: number }> = [];
  while (pos < data.length) {
    if (data.length - pos < 4) throw new CorruptCompressedError(NAME, 'trailing bytes after frame');
    const magic = data.readUInt32LE(pos);
    if ((magic & SKIPPABLE_MAGIC_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      if (data.length - pos < 8) throw new CorruptCompressedError(NAME, 'skippable frame truncated');
      pos += 8 + data.readUInt32LE(pos + 4);
      if (pos > data.length) throw new CorruptCompressedError(NAME, 'skippable frame truncated');
      continue;
    }
    if (magic !== ZSTD_FRAME_MAGIC) throw new CorruptCompressedError(NAME, `bad frame magic 0x${magic.toString(16)}`);
    const frame = scanFrame(data, pos + 4, maxOutputBytes - outputBound, maxOutputBytes);
    frames.push({ start: pos, end: frame.end });
    pos = frame.end;
    outputBound += frame.contentSize >= 0 ? frame.contentSize : frame.blocksBound;
    if (frame.contentSize < 0) exactSize = false;
    if (exactSize && outputBound > maxOutputBytes) {
      throw new DecompressLimitError(NAME, maxOutputBytes, `frames declare ${outputBound} bytes`);
    }
  }
  if (frames.length === 0) throw new CorruptCompressedError(NAME, 'no data frame');
  return { outputBound, exactSize, frames };
}

interface FrameScan {
  end: number;
  contentSize: number;
  blocksBound: number;
}

function scanFrame(data: Buffer, start: number, budget: number, maxOutputBytes: number): FrameScan {
  if (data.length - start < 1) throw new CorruptCompressedError(NAME, 'frame header truncated');
  const descriptor = data[start]!;
  const fcsFlag = descriptor >> 6;
  const singleSegment = (descriptor & 0x20) !== 0;
  if (descriptor & 0x08) throw new CorruptCompressedError(NAME, 'reserved frame header bit set');
  const hasChecksum = (descriptor & 0x04) !== 0;
  const dictIdSize = DICT_ID_FIELD_SIZES[descriptor & 0x03]!;
  const fcsSize = fcsFlag === 0 && singleSegment ? 1 : FCS_FIELD_SIZES[fcsFlag]!;
  // The window descriptor (absent for single-segment frames) only sizes the decoder's history.
  let pos = start + (singleSegment ? 1 : 2);
  if (data.length - pos < dictIdSize + fcsSize) throw new CorruptCompressedError(NAME, 'frame header truncated');
  if (dictIdSize > 0 && data.readUIntLE(pos, dictIdSize) !== 0) {
    throw new CorruptCompressedError(NAME, 'frames that need a dictionary are not supported');
  }
  pos += dictIdSize;
  let contentSize = -1;
  if (fcsSize > 0) {
    const declared = fcsSize === 8 ? data.readBigUInt64LE(pos) : BigInt(data.readUIntLE(pos, fcsSize) + (fcsSize === 2 ? 256 : 0));
    if (declared > BigInt(budget)) throw new DecompressLimitError(NAME, maxOutputBytes, `a frame declares ${declared} bytes`);
    contentSize = Number(declared);
    pos += fcsSize;
  }
  let blocksBound = 0;
  for (;;) {
    if (data.length - pos < 3) throw new CorruptCompressedError(NAME, 'block header truncated');
    const header = data.readUIntLE(pos, 3);
    pos += 3;
    const type = (header >> 1) & 0x03;
    const size = header >>> 3;
    if (type === 3) throw new CorruptCompressedError(NAME, 'reserved block type');
    if (size > BLOCK_SIZE_MAX) throw new CorruptCompressedError(NAME, `block of ${size} bytes exceeds 128 KiB`);
    const stored = type === 1 ? 1 : size;
    if (data.length - pos < stored) throw new CorruptCompressedError(NAME, 'block truncated');
    pos += stored;
    // Raw and RLE blocks regenerate exactly Block_Size bytes; compressed ones at most 128 KiB.
    blocksBound += type === 2 ? BLOCK_SIZE_MAX : size;
    if (header & 1) break;
  }
  if (hasChecksum) {
    if (data.length - pos < 4) throw new CorruptCompressedError(NAME, 'content checksum truncated');
    pos += 4;
  }
  return { end: pos, contentSize, blocksBound };
}
