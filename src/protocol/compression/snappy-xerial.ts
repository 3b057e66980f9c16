import { snappy } from './native-codecs.js';
import { CorruptCompressedError, DecompressLimitError } from './errors.js';

/**
 * Snappy (codec 2). Kafka clients frame raw snappy blocks the way the xerial snappy-java library
 * does: a 16-byte header (magic \x82SNAPPY\0, int32 version, int32 compatible version) and then
 * chunks of [int32 compressed size][raw snappy block]. Some clients (librdkafka among them)
 * send one raw snappy block instead; reading accepts both. Every raw block starts with its
 * uncompressed size as a varint, which is checked against the bound before decompressing.
 */

const NAME = 'snappy';
export const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
export const XERIAL_HEADER_SIZE = 16;
const XERIAL_VERSION = 1;
const XERIAL_COMPATIBLE_VERSION = 1;
/** snappy-java's default block size, used by Kafka's Java producer. */
export const XERIAL_BLOCK_SIZE = 32 * 1024;

function xerialHeader(): Buffer {
  const header = Buffer.alloc(XERIAL_HEADER_SIZE);
  XERIAL_MAGIC.copy(header, 0);
  header.writeInt32BE(XERIAL_VERSION, 8);
  header.writeInt32BE(XERIAL_COMPATIBLE_VERSION, 12);
  return header;
}

function isXerialHeaderAt(data: Buffer, pos: number): boolean {
  return data.length - pos >= XERIAL_HEADER_SIZE && data.compare(XERIAL_MAGIC, 0, 8, pos, pos + 8) === 0;
}

/** Compresses into xerial framing with 32 KiB chunks, as Kafka's Java client does. */
export function snappyCompressXerial(data: Buffer): Buffer {
  const parts: Buffer[] = [xerialHeader()];
  for (let pos = 0; pos < data.length; pos += XERIAL_BLOCK_SIZE) {
    const block = snappy().compressSync(data.subarray(pos, Math.min(pos + XERIAL_BLOCK_SIZE, data.length)));
    const sizeField = Buffer.allocUnsafe(4);
    sizeField.writeInt32BE(block.length, 0);
    parts.push(sizeField, block);
  }
  return Buffer.concat(parts);
}

/** Compresses into one raw snappy block (no framing), as librdkafka sends. */
export function snappyCompressRaw(data: Buffer): Buffer {
  return snappy().compressSync(data);
}

/** The uncompressed size a raw snappy block declares (its leading varint, at most 32 bits). */
export function snappyDeclaredSize(block: Buffer): number {
  let result = 0;
  for (let i = 0; i < 5 && i < block.length; i++) {
    const byte = block[i]!;
    result += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return result;
  }
  throw new CorruptCompressedError(NAME, 'bad uncompressed-size varint');
}

function decompressRawBlock(block: Buffer, budget: number, maxOutputBytes: number): Buffer {
  const declared = snappyDeclaredSize(block);
  if (declared > budget) throw new DecompressLimitError(NAME, maxOutputBytes, `a block declares ${declared} bytes`);
  let out: Buffer;
  try {
    out = snappy().uncompressSync(block, { asBuffer: true }) as Buffer;
  } catch (err) {
    throw new CorruptCompressedError(NAME, err instanceof Error ? err.message : String(err), { cause: err });
  }
  if (out.length !== declared) throw new CorruptCompressedError(NAME, 'block size differs from its header');
  return out;
}

/** Decompresses xerial-framed (possibly concatenated streams) or raw snappy, bounded. */
export function snappyDecompress(data: Buffer, maxOutputBytes: number): Buffer {
  if (!isXerialHeaderAt(data, 0)) return decompressRawBlock(data, maxOutputBytes, maxOutputBytes);
  const output: Buffer[] = [];
  let outputSize = 0;
  let pos = XERIAL_HEADER_SIZE;
  while (pos < data.length) {
    if (isXerialHeaderAt(data, pos)) {
      pos += XERIAL_HEADER_SIZE; // a concatenated stream starts again
      continue;
    }
    if (data.length - pos < 4) throw new CorruptCompressedError(NAME, 'chunk size truncated');
    const size = data.readInt32BE(pos);
    pos += 4;
    if (size < 0 || size > data.length - pos) throw new CorruptCompressedError(NAME, `chunk of ${size} bytes past the end`);
    const block = decompressRawBlock(data.subarray(pos, pos + size), maxOutputBytes - outputSize, maxOutputBytes);
    pos += size;
    output.push(block);
    outputSize += block.length;
  }
  return output.length === 1 ? output[0]! : Buffer.concat(output, outputSize);
}
