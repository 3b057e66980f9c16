import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../../common/errors.js';
import type { transactionRecords } from '../../protocol/index.js';
import { decodeTransactionRecord, encodeTransactionRecord } from './records-serde.js';
import { type TransactionRecord, TransactionState } from './shard-api.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const int64 = (n: bigint): string => n.toString(16).padStart(16, '0');

/** Drops properties whose value is undefined (decoders set `_unknownTaggedFields: undefined`). */
function defined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(defined);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, defined(v)]));
}

function value(fields: Partial<transactionRecords.TransactionLogValue> = {}): transactionRecords.TransactionLogValue {
  return {
    producerId: 5000n, previousProducerId: -1n, nextProducerId: -1n, producerEpoch: 3, transactionTimeoutMs: 60_000,
    transactionStatus: TransactionState.PrepareCommit, transactionPartitions: [{ topic: 'orders', partitionIds: [0, 2] }],
    transactionLastUpdateTimestampMs: 1_700_000_000_123n, transactionStartTimestampMs: 1_700_000_000_000n, clientTransactionVersion: 0,
    ...fields,
  };
}

function record(v: transactionRecords.TransactionLogValue | null, transactionalId = 'txn-one'): TransactionRecord {
  return { type: 'TransactionLog', key: { transactionalId }, value: v };
}

// Kafka's layout: key = int16 version 0, string; value v0 = int16 version, int64 producer id,
// int16 epoch, int32 timeout, int8 state, array of (string topic, array of int32), int64 last
// update, int64 start.
const KEY_BYTES = '0000 0007 74786e2d6f6e65';
const V0_PREPARE_COMMIT = `0000 ${int64(5000n)} 0003 0000ea60 02 00000001 0006 6f7264657273 00000002 00000000 00000002 `
  + `${int64(1_700_000_000_123n)} ${int64(1_700_000_000_000n)}`;

test('a record encodes to the bytes Kafka writes: key version 0, value version 0', () => {
  const { key, value: bytes } = encodeTransactionRecord(record(value()));
  assert.deepEqual(key, hex(KEY_BYTES));
  assert.deepEqual(bytes, hex(V0_PREPARE_COMMIT));
});

test('hand-built Kafka bytes decode to the record', () => {
  const decoded = decodeTransactionRecord(hex(KEY_BYTES), hex(V0_PREPARE_COMMIT));
  assert.deepEqual(defined(decoded), defined(record(value())));
});

test('an Empty value has null partitions, as Kafka writes it', () => {
  const empty = value({ transactionStatus: TransactionState.Empty, transactionPartitions: null, transactionStartTimestampMs: -1n });
  const { value: bytes } = encodeTransactionRecord(record(empty));
  assert.deepEqual(bytes, hex(`0000 ${int64(5000n)} 0003 0000ea60 00 ffffffff ${int64(1_700_000_000_123n)} ffffffffffffffff`));
  assert.deepEqual(defined(decodeTransactionRecord(hex(KEY_BYTES), bytes!)), defined(record(empty)));
});

test('a tombstone has a null value and decodes to one', () => {
  const { key, value: bytes } = encodeTransactionRecord(record(null));
  assert.deepEqual(key, hex(KEY_BYTES));
  assert.equal(bytes, null);
  assert.deepEqual(decodeTransactionRecord(key, null), record(null));
});

test('a value that needs tagged fields is written as the flexible version 1 and round-trips', () => {
  const v1 = value({ clientTransactionVersion: 2, previousProducerId: 4999n });
  const { value: bytes } = encodeTransactionRecord(record(v1));
  // version 1; compact array (n+1) of (compact string, compact int32 array, tagged fields); then
  // tags 0 (previous producer id, 8 bytes) and 2 (client transaction version, 2 bytes).
  assert.deepEqual(bytes, hex(`0001 ${int64(5000n)} 0003 0000ea60 02 02 07 6f7264657273 03 00000000 00000002 00 `
    + `${int64(1_700_000_000_123n)} ${int64(1_700_000_000_000n)} 02 00 08 ${int64(4999n)} 02 02 0002`));
  assert.deepEqual(defined(decodeTransactionRecord(hex(KEY_BYTES), bytes!)), defined(record(v1)));
});

test('a version 1 value written by Kafka 4.0 (transaction.version 1) decodes', () => {
  // An Ongoing transaction of producer 0 epoch 0 with partition txtest-0, no tagged fields.
  const bytes = hex('0001 0000000000000000 0000 0000ea60 01 02 07 747874657374 02 00000000 00 0000019e7b4b367a 0000019e7b4b367a 00');
  const decoded = decodeTransactionRecord(hex(KEY_BYTES), bytes);
  assert.deepEqual(defined(decoded?.value), defined(value({
    producerId: 0n, producerEpoch: 0, transactionStatus: TransactionState.Ongoing,
    transactionPartitions: [{ topic: 'txtest', partitionIds: [0] }],
    transactionLastUpdateTimestampMs: 0x19e7b4b367an, transactionStartTimestampMs: 0x19e7b4b367an,
  })));
});

test('an unknown key version is skipped (null), as Kafka skips it at load', () => {
  assert.equal(decodeTransactionRecord(hex('0001 0003 616263'), hex(V0_PREPARE_COMMIT)), null);
});

test('bad value bytes are decode errors: unknown version, trailing bytes, unknown state, truncation', () => {
  assert.throws(() => decodeTransactionRecord(hex(KEY_BYTES), hex(`0002${V0_PREPARE_COMMIT.slice(4)}`)), DecodeError);
  assert.throws(() => decodeTransactionRecord(hex(KEY_BYTES), hex(`${V0_PREPARE_COMMIT} 00`)), DecodeError);
  assert.throws(() => decodeTransactionRecord(hex(`${KEY_BYTES} 00`), null), DecodeError);
  const badState = encodeTransactionRecord(record(value({ transactionStatus: 9 }))).value!;
  assert.throws(() => decodeTransactionRecord(hex(KEY_BYTES), badState), DecodeError);
  assert.throws(() => decodeTransactionRecord(hex(KEY_BYTES), hex(V0_PREPARE_COMMIT).subarray(0, 20)), DecodeError);
});
