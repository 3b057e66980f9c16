import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../protocol/index.js';
import { transit, type TxnEnv } from './env.js';
import { newTransactionMetadata } from './metadata.js';
import { decodeTransactionRecord, encodeTransactionRecord } from './records-serde.js';
import { TransactionState } from './shard-api.js';
import { TxnHarness } from './testing/harness.js';

test('a record value written by Kafka 4.0 loads, and the transaction goes on from it', () => {
  const h = new TxnHarness({ load: false });
  // TransactionLogKey "txtest-app"; a v1 value: Ongoing, producer 0 epoch 0, timeout 60 s, partition txtest-0.
  const key = Buffer.from('0000000a7478746573742d617070', 'hex');
  const value = Buffer.from('0001000000000000000000000000ea600102077478746573740200000000000000019e7b4b367a0000019e7b4b367a00', 'hex');
  h.shard.replay(decodeTransactionRecord(key, value)!);
  h.shard.onLoaded();
  assert.deepEqual(h.describe('txtest-app').topics, [{ topic: 'txtest', partitions: [0] }]);
  assert.equal(h.end('txtest-app', 0n, 0, true).errorCode, ErrorCode.NONE);
  const { value: written } = encodeTransactionRecord(h.log.at(-1)!);
  // Written back as value version 0: nothing needs the flexible version.
  assert.equal(written!.readInt16BE(0), 0);
  assert.deepEqual(h.writeMarkers().map((j) => j.partitions), [[{ topic: 'txtest', partition: 0 }]]);
  assert.equal(h.state('txtest-app'), 'CompleteCommit');
});

test('replaying a tombstone removes the id; onUnloaded forgets everything', () => {
  const h = new TxnHarness();
  h.init('t1');
  h.init('t2');
  const replayed = new TxnHarness({ load: false });
  for (const record of h.log) replayed.shard.replay(record);
  replayed.shard.replay({ type: 'TransactionLog', key: { transactionalId: 't1' }, value: null });
  replayed.shard.onLoaded();
  assert.equal(replayed.describe('t1').errorCode, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
  assert.equal(replayed.state('t2'), 'Empty');
  replayed.shard.onUnloaded();
  assert.equal(replayed.describe('t2').errorCode, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
});

test('a transition Kafka\'s state machine forbids is refused loudly and changes nothing', () => {
  const h = new TxnHarness();
  const env: TxnEnv = { options: h.shardOptions, transactions: new Map() };
  const empty = newTransactionMetadata('t1', 1n, 1_000, 0);
  assert.throws(() => transit(env, empty, { ...empty, state: TransactionState.PrepareCommit }), /no transition from Empty to PrepareCommit/);
  assert.throws(() => transit(env, undefined, { ...empty, state: TransactionState.CompleteAbort }), /no transition from Empty to CompleteAbort/);
  assert.equal(env.transactions.size, 0);
  transit(env, empty, { ...empty, state: TransactionState.Ongoing });
  assert.equal(env.transactions.get('t1')?.state, TransactionState.Ongoing);
});
