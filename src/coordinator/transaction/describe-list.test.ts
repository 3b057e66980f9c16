import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../protocol/index.js';
import type { ListTransactionsFilter } from './shard-api.js';
import { TxnHarness } from './testing/harness.js';

/** empty (1000), ongoing (1001, started at +1 s), committing (1002), committed (1003). */
function populated(): TxnHarness {
  const h = new TxnHarness();
  for (const id of ['empty', 'ongoing', 'committing', 'committed']) h.init(id, { timeoutMs: 20_000 });
  h.add('committing', 1002n, 0, { a: [0] });
  h.end('committing', 1002n, 0, true);
  h.add('committed', 1003n, 0, { a: [1] });
  h.end('committed', 1003n, 0, true);
  h.markers.pending.splice(0).filter((j) => j.transactionalId === 'committed')
    .forEach((j) => h.run(h.shard.completeTransaction(j.transactionalId, j.producerId, j.producerEpoch)));
  h.clock.advance(1_000);
  h.add('ongoing', 1001n, 0, { b: [0, 1], a: [2] });
  return h;
}

function list(h: TxnHarness, filter: Partial<ListTransactionsFilter> = {}): string[] {
  return h.shard.listTransactions({ stateFilters: [], producerIdFilters: [], durationFilterMs: -1n, ...filter })
    .map((t) => `${t.transactionalId}:${t.producerId}:${t.transactionState}`);
}

test('DescribeTransactions reports state, timeout, start, producer and partitions by topic', () => {
  const h = populated();
  assert.deepEqual(h.describe('ongoing'), {
    errorCode: ErrorCode.NONE, transactionalId: 'ongoing', transactionState: 'Ongoing', transactionTimeoutMs: 20_000,
    transactionStartTimeMs: BigInt(h.clock.nowMs()), producerId: 1001n, producerEpoch: 0,
    topics: [{ topic: 'b', partitions: [0, 1] }, { topic: 'a', partitions: [2] }],
  });
  assert.deepEqual(['empty', 'committing', 'committed'].map((id) => h.state(id)), ['Empty', 'PrepareCommit', 'CompleteCommit']);
  assert.equal(h.describe('empty').transactionStartTimeMs, -1n);
});

test('DescribeTransactions: unknown ids are TRANSACTIONAL_ID_NOT_FOUND, an empty id INVALID_REQUEST', () => {
  const h = populated();
  const [unknown, empty] = h.shard.describeTransactions(['nope', '']);
  assert.deepEqual(unknown, {
    errorCode: ErrorCode.TRANSACTIONAL_ID_NOT_FOUND, transactionalId: 'nope', transactionState: '', transactionTimeoutMs: 0,
    transactionStartTimeMs: 0n, producerId: 0n, producerEpoch: 0, topics: [], _unknownTaggedFields: undefined,
  });
  assert.equal(empty!.errorCode, ErrorCode.INVALID_REQUEST);
});

test('ListTransactions without filters lists every id', () => {
  assert.deepEqual(list(populated()), ['empty:1000:Empty', 'ongoing:1001:Ongoing', 'committing:1002:PrepareCommit', 'committed:1003:CompleteCommit']);
});

test('ListTransactions filters by Kafka\'s state names (case-sensitive) and by producer id', () => {
  const h = populated();
  assert.deepEqual(list(h, { stateFilters: ['Ongoing', 'CompleteCommit'] }), ['ongoing:1001:Ongoing', 'committed:1003:CompleteCommit']);
  assert.deepEqual(list(h, { stateFilters: ['ongoing'] }), []);
  assert.deepEqual(list(h, { stateFilters: ['NoSuchState'] }), []);
  assert.deepEqual(list(h, { producerIdFilters: [1000n, 1002n] }), ['empty:1000:Empty', 'committing:1002:PrepareCommit']);
  assert.deepEqual(list(h, { producerIdFilters: [1000n], stateFilters: ['Ongoing'] }), []);
});

test('ListTransactions v1 duration filter: transactions running longer than it (a start timestamp older than now - duration)', () => {
  const h = populated();
  // committing and committed started at t0, ongoing at t0 + 1 s; now is t0 + 1 s.
  assert.deepEqual(list(h, { durationFilterMs: 0n }), ['committing:1002:PrepareCommit', 'committed:1003:CompleteCommit']);
  h.clock.advance(500);
  assert.deepEqual(list(h, { durationFilterMs: 500n }), ['committing:1002:PrepareCommit', 'committed:1003:CompleteCommit']);
  assert.deepEqual(list(h, { durationFilterMs: 499n }), ['ongoing:1001:Ongoing', 'committing:1002:PrepareCommit', 'committed:1003:CompleteCommit']);
  assert.deepEqual(list(h, { durationFilterMs: 1_500n }), []);
});
