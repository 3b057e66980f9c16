import { CorruptCompressedError, DecompressLimitError } from './errors.js';
import { xxhash32 } from './xxhash32.js';

/**
 * The LZ4 frame descriptor (LZ4 frame format v1.6): magic, FLG, BD, optional content size and
 * dictionary id, then the header checksum byte HC = (xxHash32(FLG..last descriptor byte) >> 8).
 * Kafka's magic v0 wrote HC over the magic too (a bug Kafka keeps for v0); both are accepted.
 */

const NAME = 'lz4';
export const LZ4_FRAME_MAGIC = 0x184d2204;
/** Skippable frames use magics 0x184D2A50..0x184D2A5F. */
export const LZ4_SKIPPABLE_MAGIC_MASK = 0xfffffff0;
export const LZ4_SKIPPABLE_MAGIC = 0x184d2a50;

const FLG_VERSION_MASK = 0xc0;
const FLG_VERSION_01 = 0x40;
const FLG_BLOCK_INDEPENDENCE = 0x20;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_RESERVED = 0x02;
const FLG_DICT_ID = 0x01;
const BD_RESERVED = 0x8f;

/** Block maximum sizes by BD id (4..7). */
const BLOCK_MAX_SIZES: Record<number, number> = { 4: 64 * 1024, 5: 256 * 1024, 6: 1024 * 1024, 7: 4 * 1024 * 1024 };

/** 64 KiB independent blocks, no checksums: the frame KafkaLZ4BlockOutputStream writes. */
export const KAFKA_LZ4_BLOCK_SIZE = 64 * 1024;

export interface Lz4FrameDescriptor {
  /** Bytes from the magic to the end of HC. */
  headerSize: number;
  blockIndependence: boolean;
  blockChecksum: boolean;
  contentChecksum: boolean;
  /** Uncompressed size declared by the frame, or -1 when absent. */
  contentSize: number;
  blockMaxSize: number;
}

/**
 * Reads and checks the descriptor of the frame starting at `pos` (the magic already matched).
 * A declared content size above `budget` (what is left of the caller's `maxOutputBytes`) is
 * rejected here, before any block is read.
 */
export function readLz4FrameDescriptor(data: Buffer, pos: number, budget: number, maxOutputBytes: number): Lz4FrameDescriptor {
  if (data.length - pos < 7) throw new CorruptCompressedError(NAME, 'frame header truncated');
  const flg = data[pos + 4]!;
  const bd = data[pos + 5]!;
  if ((flg & FLG_VERSION_MASK) !== FLG_VERSION_01) throw new CorruptCompressedError(NAME, `unsupported frame version bits ${flg >> 6}`);
  if (flg & FLG_RESERVED || bd & BD_RESERVED) throw new CorruptCompressedError(NAME, 'reserved descriptor bits set');
  if (flg & FLG_DICT_ID) throw new CorruptCompressedError(NAME, 'frames with a dictionary id are not supported');
  const blockMaxSize = BLOCK_MAX_SIZES[(bd >> 4) & 0x07];
  if (blockMaxSize === undefined) throw new CorruptCompressedError(NAME, `bad block maximum size id ${(bd >> 4) & 0x07}`);
  let end = pos + 6;
  let contentSize = -1;
  if (flg & FLG_CONTENT_SIZE) {
    if (data.length - end < 9) throw new CorruptCompressedError(NAME, 'frame header truncated');
    const declared = data.readBigUInt64LE(end);
    if (declared > BigInt(budget)) {
      throw new DecompressLimitError(NAME, maxOutputBytes, `frame declares ${declared} bytes`);
    }
    contentSize = Number(declared);
    end += 8;
  }
  const hc = data[end]!;
  // The Kafka v0 form (over the magic too) is hashed only when the standard one does not match.
  if (hc !== ((xxhash32(data.subarray(pos + 4, end)) >>> 8) & 0xff) && hc !== ((xxhash32(data.subarray(pos, end)) >>> 8) & 0xff)) {
    throw new CorruptCompressedError(NAME, 'header checksum mismatch');
  }
  return {
    headerSize: end + 1 - pos,
    blockIndependence: (flg & FLG_BLOCK_INDEPENDENCE) !== 0,
    blockChecksum: (flg & FLG_BLOCK_CHECKSUM) !== 0,
    contentChecksum: (flg & FLG_CONTENT_CHECKSUM) !== 0,
    contentSize,
    blockMaxSize,
  };
}

/**
 * The 7-byte header Kafka's Java client writes: version 01, independent blocks, no checksums,
 * no content size, 64 KiB blocks. `kafkaV0HeaderChecksum` reproduces magic v0's HC.
 */
export function writeKafkaLz4FrameHeader(kafkaV0HeaderChecksum: boolean): Buffer {
  const header = Buffer.alloc(7);
  header.writeUInt32LE(LZ4_FRAME_MAGIC, 0);
  header[4] = FLG_VERSION_01 | FLG_BLOCK_INDEPENDENCE;
  header[5] = 4 << 4;
  const covered = kafkaV0HeaderChecksum ? header.subarray(0, 6) : header.subarray(4, 6);
  header[6] = (xxhash32(covered) >>> 8) & 0xff;
  return header;
}
