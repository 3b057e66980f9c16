import { lz4 } from './native-codecs.js';
import { CorruptCompressedError, DecompressLimitError } from './errors.js';
import {
  KAFKA_LZ4_BLOCK_SIZE,
  LZ4_FRAME_MAGIC,
  LZ4_SKIPPABLE_MAGIC,
  LZ4_SKIPPABLE_MAGIC_MASK,
  type Lz4FrameDescriptor,
  readLz4FrameDescriptor,
  writeKafkaLz4FrameHeader,
} from './lz4-frame-header.js';
import { xxhash32 } from './xxhash32.js';

/**
 * LZ4 (codec 3) in the LZ4 frame format, which librdkafka, KafkaJS and the Java client produce.
 * The frame is parsed here; each block goes through lz4-napi's block codec (safe Rust, lz4_flex)
 * with an explicit output capacity, so no block can produce more than the bytes left under the
 * caller's bound, and a declared content size past the bound is rejected before any work.
 */

const NAME = 'lz4';
const BLOCK_UNCOMPRESSED_FLAG = 0x80000000;
/** Linked blocks may refer back this far into earlier output. */
const LINKED_BLOCK_WINDOW = 64 * 1024;

export interface Lz4CompressOptions {
  /** Write the header checksum the way Kafka's magic v0 did (over the magic too). */
  kafkaV0HeaderChecksum?: boolean;
}

/** Compresses into one frame of 64 KiB independent blocks, as Kafka's Java client does. */
export function lz4CompressFrame(data: Buffer, options: Lz4CompressOptions = {}): Buffer {
  const parts: Buffer[] = [writeKafkaLz4FrameHeader(options.kafkaV0HeaderChecksum === true)];
  for (let pos = 0; pos < data.length; pos += KAFKA_LZ4_BLOCK_SIZE) {
    const chunk = data.subarray(pos, Math.min(pos + KAFKA_LZ4_BLOCK_SIZE, data.length));
    // lz4-napi prefixes the block with its uncompressed size (4 bytes LE); the frame does not.
    const prefixed = lz4().compressSync(chunk);
    const blockSize = prefixed.length - 4;
    const sizeField = Buffer.allocUnsafe(4);
    if (blockSize < chunk.length) {
      sizeField.writeUInt32LE(blockSize, 0);
      parts.push(sizeField, prefixed.subarray(4));
    } else {
      sizeField.writeUInt32LE((chunk.length | BLOCK_UNCOMPRESSED_FLAG) >>> 0, 0);
      parts.push(sizeField, chunk);
    }
  }
  parts.push(Buffer.alloc(4)); // end mark
  return Buffer.concat(parts);
}

/** Decompresses one or more concatenated frames (skippable frames ignored), bounded. */
export function lz4DecompressFrame(data: Buffer, maxOutputBytes: number): Buffer {
  if (data.length < 4) throw new CorruptCompressedError(NAME, 'input shorter than a frame magic');
  const output: Buffer[] = [];
  let outputSize = 0;
  let pos = 0;
  while (pos < data.length) {
    if (data.length - pos < 4) throw new CorruptCompressedError(NAME, 'trailing bytes after frame');
    const magic = data.readUInt32LE(pos);
    if ((magic & LZ4_SKIPPABLE_MAGIC_MASK) >>> 0 === LZ4_SKIPPABLE_MAGIC) {
      if (data.length - pos < 8) throw new CorruptCompressedError(NAME, 'skippable frame truncated');
      pos += 8 + data.readUInt32LE(pos + 4);
      if (pos > data.length) throw new CorruptCompressedError(NAME, 'skippable frame truncated');
      continue;
    }
    if (magic !== LZ4_FRAME_MAGIC) throw new CorruptCompressedError(NAME, `bad frame magic 0x${magic.toString(16)}`);
    const frame = readLz4FrameDescriptor(data, pos, maxOutputBytes - outputSize, maxOutputBytes);
    const frameStart = output.length;
    pos = readBlocks(data, pos + frame.headerSize, frame, output, { maxOutputBytes, budget: maxOutputBytes - outputSize });
    const frameOutput = output.slice(frameStart);
    const frameSize = frameOutput.reduce((sum, part) => sum + part.length, 0);
    if (frame.contentSize >= 0 && frame.contentSize !== frameSize) {
      throw new CorruptCompressedError(NAME, `frame declares ${frame.contentSize} bytes but holds ${frameSize}`);
    }
    if (frame.contentChecksum) {
      if (data.length - pos < 4) throw new CorruptCompressedError(NAME, 'content checksum truncated');
      if (xxhash32(Buffer.concat(frameOutput, frameSize)) !== data.readUInt32LE(pos)) {
        throw new CorruptCompressedError(NAME, 'content checksum mismatch');
      }
      pos += 4;
    }
    outputSize += frameSize;
  }
  return output.length === 1 ? output[0]! : Buffer.concat(output, outputSize);
}

interface Bound {
  /** The caller's bound, for messages. */
  maxOutputBytes: number;
  /** Bytes this frame may still produce. */
  budget: number;
}

/** Reads the blocks of one frame up to its end mark; returns the position after the end mark. */
function readBlocks(data: Buffer, start: number, frame: Lz4FrameDescriptor, output: Buffer[], bound: Bound): number {
  let pos = start;
  let produced = 0;
  let window: Buffer | undefined;
  for (;;) {
    if (data.length - pos < 4) throw new CorruptCompressedError(NAME, 'block size truncated');
    const word = data.readUInt32LE(pos);
    pos += 4;
    if (word === 0) return pos;
    const size = word & 0x7fffffff;
    if (size > frame.blockMaxSize) throw new CorruptCompressedError(NAME, `block of ${size} bytes exceeds ${frame.blockMaxSize}`);
    if (data.length - pos < size + (frame.blockChecksum ? 4 : 0)) throw new CorruptCompressedError(NAME, 'block truncated');
    const block = data.subarray(pos, pos + size);
    pos += size;
    if (frame.blockChecksum) {
      if (xxhash32(block) !== data.readUInt32LE(pos)) throw new CorruptCompressedError(NAME, 'block checksum mismatch');
      pos += 4;
    }
    const left = bound.budget - produced;
    let decoded: Buffer;
    if ((word & BLOCK_UNCOMPRESSED_FLAG) !== 0) {
      if (size > left) throw new DecompressLimitError(NAME, bound.maxOutputBytes, 'a stored block passes the bound');
      decoded = block;
    } else {
      decoded = decodeBlock(block, Math.min(frame.blockMaxSize, left), frame.blockMaxSize > left ? bound : null, window);
    }
    output.push(decoded);
    produced += decoded.length;
    if (!frame.blockIndependence) window = linkedWindow(window, decoded);
  }
}

function decodeBlock(block: Buffer, capacity: number, limitedBy: Bound | null, window: Buffer | undefined): Buffer {
  const prefixed = Buffer.allocUnsafe(4 + block.length);
  prefixed.writeUInt32LE(capacity, 0);
  block.copy(prefixed, 4);
  try {
    return window ? lz4().uncompressSync(prefixed, window) : lz4().uncompressSync(prefixed);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (limitedBy && /too small/i.test(message)) {
      throw new DecompressLimitError(NAME, limitedBy.maxOutputBytes, 'a block decodes past the bound');
    }
    throw new CorruptCompressedError(NAME, message, { cause: err });
  }
}

/** The last 64 KiB of a frame's output, the dictionary of the next linked block. */
function linkedWindow(previous: Buffer | undefined, decoded: Buffer): Buffer {
  if (decoded.length >= LINKED_BLOCK_WINDOW || !previous) return decoded.subarray(Math.max(0, decoded.length - LINKED_BLOCK_WINDOW));
  const joined = Buffer.concat([previous, decoded]);
  return joined.subarray(Math.max(0, joined.length - LINKED_BLOCK_WINDOW));
}
