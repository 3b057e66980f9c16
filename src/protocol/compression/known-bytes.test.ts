import { test } from 'node:test';
import assert from 'node:assert/strict';
import lz4 from 'lz4-napi';
import { CompressionCodec } from './codec.js';
import { compressSync, decompressSync } from './compress.js';
import { lz4CompressFrame, lz4DecompressFrame } from './lz4-frame.js';
import { snappyCompressRaw, snappyDecompress } from './snappy-xerial.js';
import { xxhash32 } from './xxhash32.js';

/**
 * Known bytes: streams written by the libraries Kafka clients use (snappy-java 1.1.8.3, the lz4
 * and zstd command-line tools of the reference libraries), and streams built by hand from the
 * format descriptions, decoded and, where our encoder makes the same choices, matched exactly.
 */

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const MAX = 1024 * 1024;

/** The fixtures' content: 150000 bytes of (i * 31) mod 251. */
function pattern(): Buffer {
  const data = Buffer.alloc(150_000);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31) % 251;
  return data;
}

test('xxHash32 reference vectors', () => {
  assert.equal(xxhash32(Buffer.from('')), 0x02cc5d05);
  assert.equal(xxhash32(Buffer.from('a')), 0x550d7456);
  assert.equal(xxhash32(Buffer.from('abc')), 0x32d153ff);
  assert.equal(xxhash32(Buffer.from('Nobody inspects the spammish repetition')), 0xe2293b2f);
  assert.equal(xxhash32(Buffer.from(''), 0x9e3779b1), 0x36b78ae7);
});

test('snappy: xerial streams written by snappy-java (SnappyOutputStream) decode', () => {
  const oneChunk = hex(
    '82534e4150505900 00000001 00000001 00000019 3b4c53616d736120737065616b73204b61666b612e209a1400',
  );
  assert.equal(snappyDecompress(oneChunk, MAX).toString(), 'Samsa speaks Kafka. Samsa speaks Kafka. Samsa speaks Kafka.');
  // 2500 bytes of i mod 7 with a 1 KiB block size: three chunks.
  const threeChunks = hex(
    '82534e415050590000000001000000010000003a80081800010203040506fe0700fe0700fe0700fe0700fe0700fe07' +
      '00fe0700fe0700fe0700fe0700fe0700fe0700fe0700fe0700fe0700e207000000003a80081802030405060001fe07' +
      '00fe0700fe0700fe0700fe0700fe0700fe0700fe0700fe0700fe0700fe0700fe0700fe0700fe0700fe0700e2070000' +
      '00001fc4031804050600010203fe0700fe0700fe0700fe0700fe0700fe0700f20700',
  );
  const expected = Buffer.from(Array.from({ length: 2500 }, (_, i) => i % 7));
  assert.deepEqual(snappyDecompress(threeChunks, MAX), expected);
  assert.deepEqual(decompressSync(CompressionCodec.Snappy, threeChunks, MAX), expected);
});

test('snappy: our xerial framing matches the layout byte for byte; raw blocks and concatenated streams are read', () => {
  // Raw snappy of "kafka": varint length 5, literal tag (5-1)<<2, the bytes.
  const rawKafka = hex('05 10 6b61666b61');
  assert.deepEqual(snappyCompressRaw(Buffer.from('kafka')), rawKafka);
  const xerial = hex('82534e4150505900 00000001 00000001 00000007 05106b61666b61');
  assert.deepEqual(compressSync(CompressionCodec.Snappy, Buffer.from('kafka')), xerial);
  assert.equal(snappyDecompress(rawKafka, MAX).toString(), 'kafka');
  assert.equal(snappyDecompress(Buffer.concat([xerial, xerial]), MAX).toString(), 'kafkakafka');
  assert.deepEqual(compressSync(CompressionCodec.Snappy, Buffer.alloc(0)), xerial.subarray(0, 16));
  assert.equal(snappyDecompress(xerial.subarray(0, 16), MAX).length, 0);
});

test('lz4: the frame header Kafka clients write, and our frames byte for byte', () => {
  // Magic, FLG 0x60 (version 01, independent blocks), BD 0x40 (64 KiB), HC 0x82.
  const header = hex('04224d18 60 40 82');
  // "kafka" does not compress: one stored block (high bit set), then the end mark.
  const stored = Buffer.concat([header, hex('05000080 6b61666b61 00000000')]);
  assert.deepEqual(lz4CompressFrame(Buffer.from('kafka')), stored);
  assert.deepEqual(lz4CompressFrame(Buffer.alloc(0)), Buffer.concat([header, hex('00000000')]));
  assert.equal(lz4DecompressFrame(stored, MAX).toString(), 'kafka');
  // A compressed block by hand: literals "abc", a match (offset 3, length 19), 5 final literals.
  const block = hex('3f 616263 0300 00 50 6263616263');
  const frame = Buffer.concat([header, Buffer.from([block.length, 0, 0, 0]), block, hex('00000000')]);
  assert.equal(lz4DecompressFrame(frame, MAX).toString(), 'abc'.repeat(9));
});

test('lz4: magic v0 header checksum (computed over the magic too) is written on request and read', () => {
  const frame = lz4CompressFrame(Buffer.from('kafka'), { kafkaV0HeaderChecksum: true });
  assert.deepEqual(frame.subarray(0, 7), hex('04224d18 60 40 1a'));
  assert.equal(lz4DecompressFrame(frame, MAX).toString(), 'kafka');
  const bad = Buffer.from(frame);
  bad[6] = 0x00;
  assert.throws(() => lz4DecompressFrame(bad, MAX), { code: 'SAMSA_ERR_CORRUPT_COMPRESSED' });
});

// `lz4 -BD -BX --content-size -B4` (lz4 1.9.4): linked blocks, block checksums, content size
// and content checksum, 64 KiB blocks, over pattern().
const LZ4_CLI_FRAME =
  'BCJNGFxA8EkCAAAAAADpBQIAAP/sAB8+XXybutn4HDtaeZi31vUZOFd2lbTT8hY1VHOSsdDvEzJRcI+uzewQL05tjKvK6Q0s' +
  'S2qJqMfmCilIZ4alxOMHJkVkg6LB4AQjQmGAn77dASA/Xn2cu9r5HTxbepm41/YaOVh3lrXU8xc2VXSTstHwFDNScZCvzu0R' +
  'ME9ujazL6g4tTGuKqcjnCypJaIemxeQIJ0ZlhKPC4QUkQ2KBoL/eAiFAX36dvNv6Hj1ce5q52PcbOll4l7bV9Bg3VnWUs9Lx' +
  'FTRTcpGwz+4SMVBvjq3M6w8uTWyLqsnoDCtKaYinxuUJKEdmhaTD4gYlRGOCocDfAyJBYH+evdz7AP//////////////////' +
  '////////////////////////////////////////////////////////////////////////////////////////////////' +
  '////////////////////////////////////////////////////////////////////////////////////////////////' +
  '////////////////////////////////////////////////////////////////////////////////////////////////' +
  '/////////////////////////////////+xQdpW00/LWyJo2CgEAAA/n////////////////////////////////////////' +
  '////////////////////////////////////////////////////////////////////////////////////////////////' +
  '////////////////////////////////////////////////////////////////////////////////////////////////' +
  '////////////////////////////////////////////////////////////////////////////////////////////////' +
  '///////////////oUIyryukN45Jmrk8BAAD/7CxLaomox+YKKUhnhqXE4wcmRWSDosHgBCNCYYCfvt0BID9efZy72vkdPFt6' +
  'mbjX9ho5WHeWtdTzFzZVdJOy0fAUM1JxkK/O7REwT26NrMvqDi1Ma4qpyOcLKkloh6bF5AgnRmWEo8LhBSRDYoGgv94CIUBf' +
  'fp282/oePVx7mrnY9xs6WXiXttX0GDdWdZSz0vEVNFNykbDP7hIxUG+OrczrDy5NbIuqyegMK0ppiKfG5QkoR2aFpMPiBiVE' +
  'Y4KhwN8DIkFgf5693AAfPl18m7rZ+Bw7WnmYt9b1GThXdpW00/IWNVRzkrHQ7xMyUXCPrs3sEC9ObYyryukN+wD/////////' +
  '////////////////////////////////////////////////////////////////////////////////////////JlBGZYSj' +
  'wsdUASUAAAAA8oDV2g==';

test('lz4: a frame from the reference lz4 tool with linked blocks and every checksum decodes', () => {
  const frame = Buffer.from(LZ4_CLI_FRAME, 'base64');
  assert.equal(frame[4], 0x5c); // FLG: version 01, linked blocks, block checksums, size, content checksum
  assert.deepEqual(lz4DecompressFrame(frame, MAX), pattern());
  for (const at of [20, 600, frame.length - 2]) {
    const damaged = Buffer.from(frame);
    damaged[at]! ^= 0x01;
    assert.throws(() => lz4DecompressFrame(damaged, MAX), { code: 'SAMSA_ERR_CORRUPT_COMPRESSED' }, `byte ${at}`);
  }
});

// `cat | zstd` (zstd 1.5.4) over pattern(): streamed, so no Frame_Content_Size; with a checksum.
const ZSTD_CLI_STREAM =
  'KLUv/QRYLAgAtA8AHz5dfJu62fgcO1p5mLfW9Rk4V3aVtNPyFjVUc5Kx0O8TMlFwj67N7BAvTm2Mq8rpDSxLaomox+YKKUhn' +
  'hqXE4wcmRWSDosHgBCNCYYCfvt0BID9efZy72vkdPFt6mbjX9ho5WHeWtdTzFzZVdJOy0fAUM1JxkK/O7REwT26NrMvqDi1M' +
  'a4qpyOcLKkloh6bF5AgnRmWEo8LhBSRDYoGgv94CIUBffp282/oePVx7mrnY9xs6WXiXttX0GDdWdZSz0vEVNFNykbDP7hIx' +
  'UG+OrczrDy5NbIuqyegMK0ppiKfG5QkoR2aFpMPiBiVEY4KhwN8DIkFgf5693AEAe4F/f26kRQAACCwBAOzJDoQTAp2K';

test('zstd: a streamed frame from the reference zstd tool (no content size) decodes', () => {
  const stream = Buffer.from(ZSTD_CLI_STREAM, 'base64');
  assert.equal(stream[4]! & 0xe0, 0); // no FCS field, not single-segment
  assert.deepEqual(decompressSync(CompressionCodec.Zstd, stream, MAX), pattern());
  assert.throws(() => decompressSync(CompressionCodec.Zstd, stream, 149_999), { code: 'SAMSA_ERR_DECOMPRESS_LIMIT' });
});

test('zstd: hand-built frames (raw block, RLE block, skippable frame) decode', () => {
  // Magic, FHD 0x20 (single segment, 1-byte FCS), FCS 5, raw last block of 5, "kafka".
  const raw = hex('28b52ffd 20 05 290000 6b61666b61');
  assert.equal(decompressSync(CompressionCodec.Zstd, raw, MAX).toString(), 'kafka');
  // RLE last block of 7 copies of 'z'.
  const rle = hex('28b52ffd 20 07 3b0000 7a');
  assert.equal(decompressSync(CompressionCodec.Zstd, rle, MAX).toString(), 'zzzzzzz');
  const skippable = hex('502a4d18 03000000 010203');
  assert.equal(decompressSync(CompressionCodec.Zstd, Buffer.concat([skippable, raw, rle]), MAX).toString(), 'kafkazzzzzzz');
});

test('zstd: concatenated frames all decode (node:zlib alone stops after the first), bounded as a whole', () => {
  const hello = compressSync(CompressionCodec.Zstd, Buffer.from('hello '));
  const world = compressSync(CompressionCodec.Zstd, Buffer.from('world'));
  const skippable = hex('502a4d18 03000000 010203');
  const stream = Buffer.concat([hello, skippable, world]);
  assert.equal(decompressSync(CompressionCodec.Zstd, stream, 11).toString(), 'hello world');
  assert.throws(() => decompressSync(CompressionCodec.Zstd, stream, 10), { code: 'SAMSA_ERR_DECOMPRESS_LIMIT' });
  assert.throws(() => decompressSync(CompressionCodec.Zstd, skippable, MAX), { code: 'SAMSA_ERR_CORRUPT_COMPRESSED' });
});

test('lz4: frames interoperate with lz4-napi\'s own frame codec (lz4_flex) both ways', () => {
  const data = Buffer.concat([pattern(), Buffer.from('tail'.repeat(70_000))]);
  assert.deepEqual(lz4.decompressFrameSync(lz4CompressFrame(data)), data);
  assert.deepEqual(lz4DecompressFrame(lz4.compressFrameSync(data), 1 << 22), data);
  assert.deepEqual(lz4DecompressFrame(lz4.compressFrameSync(data, { blockChecksums: true, contentChecksum: true }), 1 << 22), data);
});
