import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { SamsaError } from '../../common/errors.js';
import { CompressionCodec, compressionCodecFromName, compressionCodecName, toCompressionCodec } from './codec.js';
import { compress, compressSync, decompress, decompressSync } from './compress.js';
import { zstdImplementation } from './zstd.js';
import { zstdWasmCompress, zstdWasmDecompress } from './zstd-wasm.js';

const codecs = [CompressionCodec.None, CompressionCodec.Gzip, CompressionCodec.Snappy, CompressionCodec.Lz4, CompressionCodec.Zstd];

/** Bytes that compress: short random runs repeated, as real payloads repeat field names. */
const compressible = fc
  .tuple(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.integer({ min: 1, max: 3000 }))
  .map(([unit, times]) => Buffer.concat(Array.from({ length: times }, () => unit)));
const payload = fc.oneof(fc.uint8Array({ maxLength: 4000 }).map((a) => Buffer.from(a)), compressible);

test('every codec round-trips, sync and async, with fast-check', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...codecs), payload, async (codec, data) => {
      const packed = compressSync(codec, data);
      assert.deepEqual(decompressSync(codec, packed, data.length), data);
      const packedAsync = await compress(codec, data);
      assert.deepEqual(await decompress(codec, packedAsync, data.length), data);
      assert.deepEqual(decompressSync(codec, packedAsync, data.length), data);
    }),
    { numRuns: 300 },
  );
});

test('block and chunk boundaries round-trip (xerial 32 KiB chunks, LZ4 64 KiB blocks, zstd 128 KiB blocks)', async () => {
  const sizes = [0, 1, 32 * 1024 - 1, 32 * 1024, 32 * 1024 + 1, 65535, 65536, 65537, 131072, 300_000];
  for (const size of sizes) {
    const data = Buffer.alloc(size);
    for (let i = 0; i < size; i++) data[i] = (i * 7919) % 253 ^ (i >> 9);
    for (const codec of codecs) {
      const packed = await compress(codec, data);
      assert.deepEqual(await decompress(codec, packed, size), data, `codec ${codec} size ${size}`);
    }
  }
});

test('incompressible input survives (LZ4 and snappy store it)', async () => {
  const data = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (Math.imul(i, 2654435761) >>> 13) & 0xff));
  for (const codec of codecs) assert.deepEqual(await decompress(codec, await compress(codec, data), data.length), data);
});

test('levels: gzip -1..9 and zstd levels round-trip; bad levels are EncodeErrors', async () => {
  const data = Buffer.from('level '.repeat(5000));
  for (const level of [-1, 1, 6, 9]) assert.deepEqual(decompressSync(1, compressSync(1, data, level), data.length), data);
  for (const level of [-5, 1, 3, 19]) assert.deepEqual(await decompress(4, await compress(4, data, level), data.length), data);
  assert.throws(() => compressSync(1, data, 10), { code: 'SAMSA_ERR_ENCODE' });
  assert.throws(() => compressSync(4, data, 23), { code: 'SAMSA_ERR_ENCODE' });
  assert.throws(() => compressSync(4, data, 1.5), { code: 'SAMSA_ERR_ENCODE' });
});

test('output exactly at the bound is accepted, one byte over is rejected', async () => {
  const data = Buffer.from('bounded '.repeat(1000));
  for (const codec of codecs) {
    const packed = compressSync(codec, data);
    assert.equal(decompressSync(codec, packed, data.length).length, data.length);
    assert.throws(() => decompressSync(codec, packed, data.length - 1), { code: 'SAMSA_ERR_DECOMPRESS_LIMIT' });
    await assert.rejects(decompress(codec, packed, data.length - 1), { code: 'SAMSA_ERR_DECOMPRESS_LIMIT' });
    await assert.rejects(decompress(codec, packed, 0), { code: 'SAMSA_ERR_DECOMPRESS_LIMIT' });
  }
});

test('codec ids 5-7 are UnsupportedCompressionError; names map both ways', async () => {
  for (const id of [5, 6, 7, -1, 1.5]) {
    assert.throws(() => toCompressionCodec(id), { code: 'SAMSA_ERR_UNSUPPORTED_COMPRESSION' });
    assert.throws(() => compressSync(id as CompressionCodec, Buffer.alloc(1)), { code: 'SAMSA_ERR_UNSUPPORTED_COMPRESSION' });
    await assert.rejects(decompress(id as CompressionCodec, Buffer.alloc(1), 10), { code: 'SAMSA_ERR_UNSUPPORTED_COMPRESSION' });
  }
  for (const codec of codecs) assert.equal(compressionCodecFromName(compressionCodecName(codec)), codec);
  assert.equal(compressionCodecFromName('producer'), undefined);
});

test('zstd: the wasm build and node:zlib (where present) read each other', () => {
  const data = Buffer.from('zstd interop '.repeat(20_000));
  assert.deepEqual(zstdWasmDecompress(zstdWasmCompress(data, 3), data.length), data);
  assert.deepEqual(zstdWasmDecompress(compressSync(4, data), data.length), data);
  assert.deepEqual(decompressSync(4, zstdWasmCompress(data, 5), data.length), data);
  if (zstdImplementation === 'node:zlib') {
    assert.ok(typeof (zlib as { zstdCompressSync?: unknown }).zstdCompressSync === 'function');
  } else {
    assert.equal(typeof (zlib as { zstdCompressSync?: unknown }).zstdCompressSync, 'undefined');
  }
});

test('errors from decompression are SamsaErrors with stable codes', async () => {
  for (const codec of codecs.slice(1)) {
    const err = await decompress(codec, Buffer.from('definitely not compressed'), 1000).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof SamsaError, `codec ${codec}: ${String(err)}`);
    assert.equal(err.code, 'SAMSA_ERR_CORRUPT_COMPRESSED', `codec ${codec}`);
  }
});
