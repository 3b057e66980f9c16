import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SamsaError } from '../../common/errors.js';
import { CompressionCodec } from './codec.js';
import { compressSync, decompress, decompressSync } from './compress.js';
import { zstdWasmDecompress } from './zstd-wasm.js';

/**
 * Damaged input never escapes as an untyped exception or a crash: decompression either returns
 * bytes (some damage still decodes) or throws a SamsaError saying corrupt or over the bound.
 */

const codecs = [CompressionCodec.Gzip, CompressionCodec.Snappy, CompressionCodec.Lz4, CompressionCodec.Zstd];
const ALLOWED = new Set(['SAMSA_ERR_CORRUPT_COMPRESSED', 'SAMSA_ERR_DECOMPRESS_LIMIT']);
const MAX = 256 * 1024;

function assertTyped(err: unknown, label: string): void {
  assert.ok(err instanceof SamsaError, `${label}: untyped ${String(err)}`);
  assert.ok(ALLOWED.has(err.code), `${label}: code ${err.code}`);
}

function tryAll(codec: CompressionCodec, input: Buffer, label: string): void {
  try {
    const out = decompressSync(codec, input, MAX);
    assert.ok(out.length <= MAX);
  } catch (err) {
    assertTyped(err, label);
  }
  if (codec === CompressionCodec.Zstd) {
    try {
      zstdWasmDecompress(input, MAX);
    } catch (err) {
      assertTyped(err, `${label} (wasm)`);
    }
  }
}

const sample = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i % 97 < 50 ? i % 13 : (i * 31) % 251)));
const valid = new Map(codecs.map((codec) => [codec, compressSync(codec, sample)] as const));

test('random bytes, with and without a valid stream header, give typed errors', () => {
  fc.assert(
    fc.property(fc.constantFrom(...codecs), fc.uint8Array({ maxLength: 600 }), fc.nat(32), (codec, noise, keep) => {
      tryAll(codec, Buffer.from(noise), `noise codec ${codec}`);
      const prefix = valid.get(codec)!.subarray(0, keep);
      tryAll(codec, Buffer.concat([prefix, noise]), `header+noise codec ${codec}`);
    }),
    { numRuns: 2000 },
  );
});

test('valid streams with flipped bytes give bytes or typed errors', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...codecs),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
      (codec, flips) => {
        const damaged = Buffer.from(valid.get(codec)!);
        for (const [at, mask] of flips) damaged[at % damaged.length]! ^= mask;
        tryAll(codec, damaged, `flipped codec ${codec}`);
      },
    ),
    { numRuns: 1500 },
  );
});

test('valid streams truncated at every byte give typed errors (or a shorter valid stream)', async () => {
  const small = Buffer.from('a small payload, a small payload, a small payload, with a tail');
  for (const codec of codecs) {
    const packed = compressSync(codec, small);
    for (let cut = 0; cut < packed.length; cut++) {
      tryAll(codec, packed.subarray(0, cut), `codec ${codec} cut ${cut}`);
      await decompress(codec, packed.subarray(0, cut), MAX).then(
        (out) => assert.ok(codec === CompressionCodec.Snappy && out.length < small.length, `codec ${codec} cut ${cut} decoded`),
        (err: unknown) => assertTyped(err, `async codec ${codec} cut ${cut}`),
      );
    }
  }
});
