import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import snappy from 'snappy';
import { CompressionCodec } from './codec.js';
import { compressSync, decompress, decompressSync } from './compress.js';
import { LZ4_FRAME_MAGIC } from './lz4-frame-header.js';
import { xxhash32 } from './xxhash32.js';
import { zstdWasmDecompress } from './zstd-wasm.js';

/**
 * Compression bombs per codec: 64 MiB of zeros really compressed, and small inputs that claim
 * 1 GiB. With a 1 MiB bound every one is a DecompressLimitError, and memory stays far below
 * what the input claims (checked on array-buffer memory around the call).
 */

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const LIMIT = MiB;
const zeros64MiB = Buffer.alloc(64 * MiB);

async function assertBounded(codec: CompressionCodec, input: Buffer, label: string): Promise<void> {
  const before = process.memoryUsage().arrayBuffers;
  assert.throws(() => decompressSync(codec, input, LIMIT), { code: 'SAMSA_ERR_DECOMPRESS_LIMIT' }, `${label} (sync)`);
  await assert.rejects(decompress(codec, input, LIMIT), { code: 'SAMSA_ERR_DECOMPRESS_LIMIT' }, `${label} (async)`);
  const grown = process.memoryUsage().arrayBuffers - before;
  assert.ok(grown < 48 * MiB, `${label}: array buffers grew by ${grown} bytes`);
}

test('gzip: 64 MiB of zeros is stopped at 1 MiB', async () => {
  await assertBounded(CompressionCodec.Gzip, zlib.gzipSync(zeros64MiB, { level: 1 }), 'gzip 64 MiB');
});

test('snappy: xerial 64 MiB of zeros, a raw 64 MiB block, and a raw block claiming 1 GiB', async () => {
  await assertBounded(CompressionCodec.Snappy, compressSync(CompressionCodec.Snappy, zeros64MiB), 'xerial 64 MiB');
  await assertBounded(CompressionCodec.Snappy, snappy.compressSync(zeros64MiB), 'raw 64 MiB');
  // varint 2^30, then a 1-byte literal: claims 1 GiB in 6 bytes.
  const claim = Buffer.from([0x80, 0x80, 0x80, 0x80, 0x04, 0x00, 0x41]);
  await assertBounded(CompressionCodec.Snappy, claim, 'raw claiming 1 GiB');
});

test('lz4: 64 MiB of zeros, and a frame whose content size claims 1 GiB', async () => {
  await assertBounded(CompressionCodec.Lz4, compressSync(CompressionCodec.Lz4, zeros64MiB), 'lz4 64 MiB');
  const header = Buffer.alloc(15);
  header.writeUInt32LE(LZ4_FRAME_MAGIC, 0);
  header[4] = 0x68; // version 01, independent blocks, content size present
  header[5] = 0x40;
  header.writeBigUInt64LE(BigInt(GiB), 6);
  header[14] = (xxhash32(header.subarray(4, 14)) >>> 8) & 0xff;
  const block = Buffer.from([0x10, 0x00, 0x00, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  await assertBounded(CompressionCodec.Lz4, Buffer.concat([header, block, Buffer.alloc(4)]), 'lz4 claiming 1 GiB');
});

/** A zstd frame without a content size, made of RLE blocks of 128 KiB each: 4 bytes per block. */
function zstdRleBomb(totalBytes: number): Buffer {
  const blockCount = totalBytes / (128 * 1024);
  const parts = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58])]; // no FCS, window 2 MiB
  for (let i = 0; i < blockCount; i++) {
    const last = i === blockCount - 1 ? 1 : 0;
    const header = ((128 * 1024) << 3) | (1 << 1) | last; // RLE block of 128 KiB
    parts.push(Buffer.from([header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff, 0x00]));
  }
  return Buffer.concat(parts);
}

test('zstd: 64 MiB of zeros (declared size), and RLE blocks making 1 GiB with no declared size', async () => {
  await assertBounded(CompressionCodec.Zstd, compressSync(CompressionCodec.Zstd, zeros64MiB), 'zstd 64 MiB');
  const bomb = zstdRleBomb(GiB);
  assert.ok(bomb.length < 40_000);
  await assertBounded(CompressionCodec.Zstd, bomb, 'zstd RLE 1 GiB');
  assert.throws(() => zstdWasmDecompress(bomb, LIMIT), { code: 'SAMSA_ERR_DECOMPRESS_LIMIT' });
  // The same construction under the bound decodes, so the bomb is a valid stream.
  assert.deepEqual(decompressSync(CompressionCodec.Zstd, zstdRleBomb(MiB), LIMIT), Buffer.alloc(MiB));
  assert.deepEqual(zstdWasmDecompress(zstdRleBomb(MiB), LIMIT), Buffer.alloc(MiB));
});
