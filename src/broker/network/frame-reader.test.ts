import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameReader, type FrameSizeError } from './frame-reader.js';
import { sizePrefixed } from './testing/test-client.js';

function frames(reader: FrameReader): Buffer[] {
  const out: Buffer[] = [];
  for (let f = reader.next(); f !== undefined; f = reader.next()) out.push(f);
  return out;
}

test('frames split at every byte boundary come out whole', () => {
  const payloads = [Buffer.from('a'), Buffer.alloc(0), Buffer.from('hello world'), Buffer.alloc(300, 7)];
  const stream = Buffer.concat(payloads.map(sizePrefixed));
  for (let cut = 1; cut < 20; cut++) {
    const reader = new FrameReader(1_000);
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i += cut) {
      assert.equal(reader.push(stream.subarray(i, i + cut)), undefined);
      out.push(...frames(reader));
    }
    assert.deepEqual(out, payloads, `chunk size ${cut}`);
    assert.equal(reader.bufferedBytes, 0);
  }
});

test('a frame inside one chunk is a view of it, not a copy', () => {
  const chunk = sizePrefixed(Buffer.from('zero copy'));
  const reader = new FrameReader(100);
  reader.push(chunk);
  const frame = reader.next()!;
  assert.equal(frame.buffer, chunk.buffer);
  assert.equal(frame.toString(), 'zero copy');
});

test('a frame spread over many chunks is copied once into one buffer', () => {
  const payload = Buffer.alloc(10_000, 3);
  const stream = sizePrefixed(payload);
  const reader = new FrameReader(20_000);
  for (let i = 0; i < stream.length; i += 100) reader.push(stream.subarray(i, i + 100));
  assert.deepEqual(reader.next(), payload);
});

test('a copied frame goes into a buffer from the allocator and says so; a view does not', () => {
  const allocated: Buffer[] = [];
  const reader = new FrameReader(20_000, (size) => {
    const b = Buffer.alloc(16_384);
    assert.equal(size, 10_000);
    allocated.push(b);
    return b;
  });
  const payload = Buffer.alloc(10_000, 5);
  const stream = sizePrefixed(payload);
  for (let i = 0; i < stream.length; i += 4_000) reader.push(stream.subarray(i, i + 4_000));
  const taken = reader.nextFrame()!;
  assert.deepEqual(taken.frame, payload);
  assert.equal(taken.copy, allocated[0]);
  assert.equal(taken.frame.buffer, allocated[0]!.buffer);
  reader.push(sizePrefixed(Buffer.from('view')));
  const view = reader.nextFrame()!;
  assert.equal(view.frame.toString(), 'view');
  assert.equal(view.copy, undefined);
  assert.equal(allocated.length, 1);
});

test('a size above the maximum fails on the prefix alone, before the frame arrives', () => {
  const reader = new FrameReader(1_000);
  const prefix = Buffer.alloc(4);
  prefix.writeInt32BE(1_001, 0);
  const error = reader.push(prefix);
  assert.equal(error?.problem, 'frameTooLarge');
  assert.equal(error?.size, 1_001);
  assert.equal(reader.bufferedBytes, 0);
  assert.equal(reader.next(), undefined);
});

test('a negative size fails', () => {
  const reader = new FrameReader(1_000);
  assert.equal(reader.push(Buffer.from([0xff, 0xff, 0xff, 0xfe]))?.problem, 'negativeSize');
});

test('frames before a bad prefix are still handed out; the error shows after them', () => {
  const bad = Buffer.alloc(4);
  bad.writeInt32BE(-1, 0);
  const reader = new FrameReader(100);
  assert.equal(reader.push(Buffer.concat([sizePrefixed(Buffer.from('ok')), bad])), undefined);
  assert.equal(reader.error, undefined);
  assert.equal(reader.next()?.toString(), 'ok');
  assert.equal((reader.error as FrameSizeError | undefined)?.problem, 'negativeSize');
  assert.equal(reader.hasFrame(), false);
});

test('many tiny chunks do not pile up after they are consumed', () => {
  const reader = new FrameReader(1 << 20);
  const stream = sizePrefixed(Buffer.alloc(100_000, 1));
  for (let round = 0; round < 3; round++) {
    for (const byte of stream) reader.push(Buffer.from([byte]));
    assert.equal(reader.next()?.length, 100_000);
    assert.equal(reader.bufferedBytes, 0);
    // The counter alone would not notice consumed chunks being kept: look at the list itself.
    assert.equal((reader as unknown as { chunks: Buffer[] }).chunks.length, 0);
  }
});
