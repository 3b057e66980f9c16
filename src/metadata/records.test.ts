import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../common/errors.js';
import { type MessageCodec, Writer } from '../protocol/index.js';
import { METADATA_RECORD_CODECS, type MetadataRecord, type MetadataRecordType, metadataRecord, metadataRecordSerde } from './records.js';

function bytesOf(record: MetadataRecord): Buffer {
  const w = new Writer();
  metadataRecordSerde.write(w, record);
  return w.toBuffer();
}

test('every metadata record type round-trips at every version', () => {
  for (const [type, codec] of Object.entries(METADATA_RECORD_CODECS) as [MetadataRecordType, MessageCodec<unknown>][]) {
    for (let version = codec.validVersions.min; version <= codec.validVersions.max; version++) {
      const record = { type, version, data: codec.defaults() } as MetadataRecord;
      const bytes = bytesOf(record);
      assert.deepEqual(bytes.subarray(0, 3), Buffer.from([1, codec.apiKey!, version]), `${type} v${version}`);
      const decoded = metadataRecordSerde.read(bytes);
      assert.equal(decoded.type, type);
      assert.equal(decoded.version, version);
      assert.deepEqual(bytesOf(decoded), bytes);
    }
  }
});

test('a TopicRecord value is exactly Kafka framing plus the flexible record', () => {
  const bytes = bytesOf(metadataRecord('TopicRecord', { name: 'foo', topicId: 'AAAAAAAAAAAAAAAAAAAAAQ' }));
  const expected = Buffer.concat([Buffer.from([0x01, 0x02, 0x00, 0x04]), Buffer.from('foo'), Buffer.alloc(15), Buffer.from([0x01, 0x00])]);
  assert.deepEqual(bytes, expected);
});

test('unknown types, versions and trailing bytes do not decode', () => {
  assert.throws(() => metadataRecordSerde.read(Buffer.from([1, 99, 0])), /unknown metadata record type 99/);
  assert.throws(() => metadataRecordSerde.read(Buffer.from([1, 2, 5])), /TopicRecord version 5/);
  const padded = Buffer.concat([bytesOf(metadataRecord('NoOpRecord', {})), Buffer.from([0])]);
  assert.throws(() => metadataRecordSerde.read(padded), DecodeError);
});
