import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../common/errors.js';
import { metadataRecords, Reader, Writer } from '../protocol/index.js';
import { API_MESSAGE_FRAME_VERSION, expectFullyRead, readApiMessageFrame, writeApiMessageFrame } from './record-serde.js';

test('the frame is frame version 1, apiKey and version as unsigned varints, then the message', () => {
  const w = new Writer();
  writeApiMessageFrame(w, { apiKey: metadataRecords.TopicRecord.apiKey!, version: 0 });
  metadataRecords.TopicRecord.encode(w, 0, { name: 'a', topicId: 'AAAAAAAAAAAAAAAAAAAAAQ' });
  const bytes = w.toBuffer();
  // 01 frame version, 02 TopicRecord, 00 version, 02 'a' (compact string), 16 uuid bytes, 00 no tagged fields.
  assert.deepEqual([...bytes.subarray(0, 5)], [API_MESSAGE_FRAME_VERSION, 2, 0, 2, 0x61]);
  assert.equal(bytes.length, 5 + 16 + 1);
  const r = new Reader(bytes);
  assert.deepEqual(readApiMessageFrame(r), { apiKey: 2, version: 0 });
  assert.equal(metadataRecords.TopicRecord.decode(r, 0).name, 'a');
  expectFullyRead(r, 'TopicRecord');
});

test('apiKeys above 127 take two varint bytes', () => {
  const w = new Writer();
  writeApiMessageFrame(w, { apiKey: 200, version: 3 });
  assert.deepEqual([...w.toBuffer()], [1, 0xc8, 0x01, 3]);
});

test('frame version 0 (the Kafka 2.8 preview) and unknown frame versions are refused', () => {
  assert.throws(() => readApiMessageFrame(new Reader(Buffer.from([0, 2, 0]))), DecodeError);
  assert.throws(() => readApiMessageFrame(new Reader(Buffer.from([2, 2, 0]))), /frame version 2/);
  assert.throws(() => readApiMessageFrame(new Reader(Buffer.from([1, 0xff, 0xff, 0x03, 0]))), /too large/);
  assert.throws(() => readApiMessageFrame(new Reader(Buffer.from([1]))), DecodeError);
});

test('trailing bytes after a record are garbage', () => {
  const r = new Reader(Buffer.from([1, 2]));
  r.uint8();
  assert.throws(() => expectFullyRead(r, 'X'), /1 byte\(s\) of garbage after X/);
});
