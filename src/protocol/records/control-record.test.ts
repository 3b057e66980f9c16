import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../../common/errors.js';
import { decodeRecordBatchSync } from './batch-decode.js';
import { encodeRecordBatchSync } from './batch-encode.js';
import { validateRecordBatch } from './batch-header.js';
import { NO_SEQUENCE, TimestampType } from './constants.js';
import {
  ControlRecordType,
  buildEndTxnMarkerBatch,
  decodeControlRecordKey,
  decodeEndTxnMarker,
  encodeControlRecordKey,
  encodeEndTxnMarkerValue,
  endTxnMarkerOfBatch,
} from './control-record.js';

const MAX = 1 << 20;

test('control key and transaction marker value bytes follow the documented schema', () => {
  assert.deepEqual(encodeControlRecordKey(ControlRecordType.Commit), Buffer.from([0, 0, 0, 1]));
  assert.deepEqual(encodeControlRecordKey(ControlRecordType.Abort), Buffer.from([0, 0, 0, 0]));
  assert.deepEqual(encodeEndTxnMarkerValue(0x01020304), Buffer.from([0, 0, 1, 2, 3, 4]));
  assert.deepEqual(decodeControlRecordKey(Buffer.from([0, 0, 0, 2])), { version: 0, type: ControlRecordType.LeaderChange });
  // A later key version with extra bytes still reads.
  assert.deepEqual(decodeControlRecordKey(Buffer.from([0, 1, 0, 1, 9, 9])), { version: 1, type: ControlRecordType.Commit });
});

test('commit and abort marker batches: transactional control batches with one marker record', () => {
  for (const committed of [true, false]) {
    const batch = buildEndTxnMarkerBatch({ producerId: 77n, producerEpoch: 5, coordinatorEpoch: 12, committed, timestamp: 1_700_000_000_000n, baseOffset: 100n, partitionLeaderEpoch: 3 });
    assert.equal(validateRecordBatch(batch), batch.length);
    const decoded = decodeRecordBatchSync(batch, { maxUncompressedBytes: MAX });
    assert.equal(decoded.isControl, true);
    assert.equal(decoded.isTransactional, true);
    assert.equal(decoded.attributes, 0x30);
    assert.equal(decoded.timestampType, TimestampType.CreateTime);
    assert.equal(decoded.producerId, 77n);
    assert.equal(decoded.producerEpoch, 5);
    assert.equal(decoded.baseSequence, NO_SEQUENCE);
    assert.equal(decoded.baseOffset, 100n);
    assert.equal(decoded.partitionLeaderEpoch, 3);
    assert.equal(decoded.records.length, 1);
    const marker = { type: committed ? ControlRecordType.Commit : ControlRecordType.Abort, coordinatorEpoch: 12 };
    assert.deepEqual(endTxnMarkerOfBatch(decoded), marker);
    assert.deepEqual(decodeEndTxnMarker(decoded.records[0]!), marker);
  }
});

test('non-marker control records, data batches and emptied control batches give no marker', () => {
  const leaderChange = encodeRecordBatchSync({
    isControl: true,
    records: [{ timestamp: 1n, key: encodeControlRecordKey(ControlRecordType.LeaderChange), value: Buffer.from([0, 0]) }],
  });
  assert.equal(endTxnMarkerOfBatch(decodeRecordBatchSync(leaderChange, { maxUncompressedBytes: MAX })), null);
  const data = encodeRecordBatchSync({ records: [{ timestamp: 1n, key: null, value: Buffer.from('x') }] });
  assert.equal(endTxnMarkerOfBatch(decodeRecordBatchSync(data, { maxUncompressedBytes: MAX })), null);
  const emptied = encodeRecordBatchSync({ isControl: true, isTransactional: true, lastOffsetDelta: 0, records: [] });
  assert.equal(endTxnMarkerOfBatch(decodeRecordBatchSync(emptied, { maxUncompressedBytes: MAX })), null);
});

test('short or null control keys and marker values are DecodeErrors; negative versions are corrupt', () => {
  assert.throws(() => decodeControlRecordKey(null), DecodeError);
  assert.throws(() => decodeControlRecordKey(Buffer.from([0, 0, 0])), DecodeError);
  assert.throws(() => decodeControlRecordKey(Buffer.from([0xff, 0xff, 0, 0])), { code: 'SAMSA_ERR_CORRUPT_RECORD' });
  const key = encodeControlRecordKey(ControlRecordType.Commit);
  assert.throws(() => decodeEndTxnMarker({ key, value: null }), DecodeError);
  assert.throws(() => decodeEndTxnMarker({ key, value: Buffer.from([0, 0, 0, 0, 1]) }), DecodeError);
  assert.throws(() => decodeEndTxnMarker({ key, value: Buffer.from([0xff, 0xff, 0, 0, 0, 1]) }), { code: 'SAMSA_ERR_CORRUPT_RECORD' });
  assert.throws(() => buildEndTxnMarkerBatch({ producerId: -1n, producerEpoch: 0, coordinatorEpoch: 0, committed: true, timestamp: 0n }), {
    code: 'SAMSA_ERR_ENCODE',
  });
});
