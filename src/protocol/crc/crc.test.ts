import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { crc32c, crc32cImplementation, crc32cNative, crc32cPure } from './crc32c.js';
import { crc32, crc32Pure } from './crc32.js';

const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');

// Check values from the CRC catalogue (input "123456789") and RFC 3720 appendix B.4 (iSCSI).
const crc32cVectors: Array<[Buffer, number]> = [
  [ascii(''), 0],
  [ascii('123456789'), 0xe3069283],
  [Buffer.alloc(32, 0x00), 0x8a9136aa],
  [Buffer.alloc(32, 0xff), 0x62a8ab43],
  [Buffer.from(Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e],
  [Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c],
];

test('the native CRC-32C module loads on this platform', () => {
  assert.equal(crc32cImplementation, 'native');
  assert.ok(crc32cNative);
});

test('CRC-32C known vectors, native and pure', () => {
  for (const [input, expected] of crc32cVectors) {
    assert.equal(crc32cPure(input), expected, `pure ${input.toString('hex')}`);
    assert.equal(crc32c(input), expected, `default ${input.toString('hex')}`);
    if (crc32cNative) assert.equal(crc32cNative(input), expected, `native ${input.toString('hex')}`);
  }
});

test('CRC-32 (IEEE) known vectors, zlib and pure', () => {
  assert.equal(crc32(ascii('123456789')), 0xcbf43926);
  assert.equal(crc32Pure(ascii('123456789')), 0xcbf43926);
  assert.equal(crc32Pure(ascii('The quick brown fox jumps over the lazy dog')), 0x414fa339);
  assert.equal(crc32Pure(ascii('')), 0);
});

test('native and pure CRC-32C agree, on views at any offset', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 3000 }), fc.nat(16), fc.nat(16), (bytes, cutStart, cutEnd) => {
      const buf = Buffer.from(bytes);
      const view = buf.subarray(Math.min(cutStart, buf.length), Math.max(cutStart, buf.length - cutEnd));
      const expected = crc32cPure(view);
      assert.equal(crc32c(view), expected);
      if (crc32cNative) assert.equal(crc32cNative(view), expected);
    }),
    { numRuns: 500 },
  );
});

test('CRC chaining: crc(a ++ b) = crc(b, crc(a)) for every implementation', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), (a, b) => {
      const whole = Buffer.concat([a, b]);
      assert.equal(crc32cPure(b, crc32cPure(a)), crc32cPure(whole));
      assert.equal(crc32c(b, crc32c(a)), crc32c(whole));
      assert.equal(crc32Pure(b, crc32Pure(a)), crc32Pure(whole));
      assert.equal(crc32(b, crc32(a)), crc32Pure(whole));
    }),
    { numRuns: 300 },
  );
});

test('a single flipped bit changes the CRC', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 500 }), fc.nat(), fc.nat(7), (bytes, at, bit) => {
      const buf = Buffer.from(bytes);
      const before = crc32c(buf);
      buf[at % buf.length]! ^= 1 << bit;
      assert.notEqual(crc32c(buf), before);
      assert.notEqual(crc32cPure(buf), before);
    }),
  );
});

test('an empty input returns the previous CRC unchanged (zlib.crc32 answers 0 for storage-less views)', () => {
  const empty = Uint8Array.from([]);
  for (let i = 0; i < 20_000; i++) {
    assert.equal(crc32(empty, 0xd202ef8d), 0xd202ef8d);
    assert.equal(crc32c(empty, 0xd202ef8d), 0xd202ef8d);
  }
  assert.equal(crc32Pure(empty, 0xd202ef8d), 0xd202ef8d);
  assert.equal(crc32cPure(empty, 0xd202ef8d), 0xd202ef8d);
});
