import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameReader } from './frame-reader.js';
import { ProtocolViolationError } from './errors.js';

function frame(payload: string): Buffer {
  const body = Buffer.from(payload);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

test('frames split anywhere, even inside the size prefix, come out whole', () => {
  const stream = Buffer.concat([frame('first'), frame(''), frame('third one')]);
  for (let step = 1; step <= stream.length; step++) {
    const reader = new FrameReader(1024);
    const out: string[] = [];
    for (let i = 0; i < stream.length; i += step) out.push(...reader.push(stream.subarray(i, i + step)).map((f) => f.toString()));
    assert.deepEqual(out, ['first', '', 'third one'], `step ${step}`);
  }
});

test('a frame larger than the limit is a protocol violation', () => {
  const reader = new FrameReader(8);
  assert.throws(() => reader.push(frame('nine bytes')), ProtocolViolationError);
  assert.throws(() => new FrameReader(8).push(Buffer.from([0xff, 0xff, 0xff, 0xff])), /-1 bytes/);
});
