import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Reader } from './reader.js';
import { Writer } from './writer.js';
import { DecodeError, EncodeError } from '../common/errors.js';
import { sizeOfVarint, sizeOfVarlong } from './records/varint.js';

test('varints round-trip over their whole range', () => {
  fc.assert(fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (i, l, u) => {
    const w = new Writer(1);
    w.varint(i);
    w.varlong(l);
    w.uvarint(u);
    const r = new Reader(w.toBuffer());
    assert.equal(r.varint(), i);
    assert.equal(r.varlong(), l);
    assert.equal(r.uvarint(), u);
    assert.equal(r.remaining, 0);
  }));
});

test('known varint encodings', () => {
  const w = new Writer();
  w.uvarint(300);
  w.varint(-1);
  w.varint(1);
  assert.deepEqual([...w.toBuffer()], [0xac, 0x02, 0x01, 0x02]);
});

test('known zig-zag varlong encodings, and sizes agree with the batch encoder', () => {
  const w = new Writer();
  w.varlong(-1n);
  w.varlong(2n ** 31n);
  w.varlong(-(2n ** 63n));
  assert.deepEqual(
    [...w.toBuffer()],
    [0x01, 0x80, 0x80, 0x80, 0x80, 0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
  );
  fc.assert(fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (i, l) => {
    const a = new Writer();
    a.varint(i);
    assert.equal(a.length, sizeOfVarint(i));
    const b = new Writer();
    b.varlong(l);
    assert.equal(b.length, sizeOfVarlong(l));
  }));
});

test('varints out of range are encode errors, not silently wrapped', () => {
  assert.throws(() => new Writer().varint(2 ** 31), EncodeError);
  assert.throws(() => new Writer().varint(1.5), EncodeError);
  assert.throws(() => new Writer().varlong(2n ** 63n), EncodeError);
});

test('overlong and truncated varints are decode errors', () => {
  assert.throws(() => new Reader(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01])).uvarint(), DecodeError);
  assert.throws(() => new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x1f])).uvarint(), DecodeError);
  assert.throws(() => new Reader(Buffer.from([0x80])).uvarint(), DecodeError);
  assert.throws(() => new Reader(Buffer.from(Array(11).fill(0x80))).uvarlong(), DecodeError);
});

test('lengths past the end are decode errors, not allocations', () => {
  const w = new Writer();
  w.int32(0x7fffffff);
  assert.throws(() => new Reader(w.toBuffer()).bytes(), DecodeError);
  assert.throws(() => new Reader(w.toBuffer()).arrayLength(), DecodeError);
  assert.throws(() => new Reader(Buffer.from([0x7f, 0xff])).string(), DecodeError);
  assert.throws(() => new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f])).compactArrayLength(), DecodeError);
});

test('large buffers are kept by reference', () => {
  const big = Buffer.alloc(10000, 7);
  const w = new Writer();
  w.int32(1);
  w.bytes(big);
  w.int8(2);
  const chunks = w.toChunks();
  assert.equal(chunks.length, 3);
  assert.equal(chunks[1], big);
  assert.equal(w.length, 4 + 4 + 10000 + 1);
  const r = new Reader(w.toBuffer());
  assert.equal(r.int32(), 1);
  assert.deepEqual(r.bytes(), big);
  assert.equal(r.int8(), 2);
});

test('strings: utf8 lengths, nulls, compact forms', () => {
  const w = new Writer(2);
  w.string('héllo');
  w.nullableString(null);
  w.compactString('');
  w.compactNullableString(null);
  w.compactNullableString('ü');
  const r = new Reader(w.toBuffer());
  assert.equal(r.string(), 'héllo');
  assert.equal(r.nullableString(), null);
  assert.equal(r.compactString(), '');
  assert.equal(r.compactNullableString(), null);
  assert.equal(r.compactNullableString(), 'ü');
});
