/**
 * The exactly-once checkers on hand-written data: each comparison and tap check is shown passing
 * a correct run and catching the fault it exists for.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiKey, ErrorCode } from '../../../src/protocol/index.js';
import { isFenced, parseTxnEvent } from './events.js';
import { type DrivenTxn, compareStreams, offsetStreams, produceOrderProblems, streamsOf, transformedInputs, visibleRecords } from './streams.js';
import type { BatchSummary, TxnExchange } from './txn-tap.js';
import {
  errorCodesOf, errorCounts, fencedAnswers, initProducerIdAnswers, produceAnswersWith, readCommittedFetchProblems, resentBatchProblems, versionedErrorProblems,
} from './txn-tap-checks.js';

const streams = (o: Record<number, string[]>): Map<number, string[]> => new Map(Object.entries(o).map(([p, xs]) => [Number(p), xs]));

test('compareStreams: equal streams pass; duplicates, gaps, strays and order are each named', () => {
  const want = streams({ 0: ['a', 'b', 'c'], 1: ['x'] });
  assert.deepEqual(compareStreams('t', streams({ 0: ['a', 'b', 'c'], 1: ['x'] }), want), []);
  assert.deepEqual(compareStreams('t', streams({ 0: ['a', 'b', 'b', 'c'], 1: ['x'] }), want), ['t partition 0: read more than once: b ×2']);
  assert.deepEqual(compareStreams('t', streams({ 0: ['a', 'c'], 1: ['x'] }), want), ['t partition 0: missing: b']);
  assert.deepEqual(compareStreams('t', streams({ 0: ['a', 'b', 'c', 'z'], 1: ['x'] }), want), ['t partition 0: should not be there: z']);
  assert.deepEqual(compareStreams('t', streams({ 0: ['a', 'c', 'b'], 1: ['x'] }), want), ['t partition 0: out of order at position 1: read c, expected b']);
  assert.deepEqual(compareStreams('t', streams({ 0: ['a', 'b', 'c'] }), want), ['t partition 1: missing: x']);
  assert.deepEqual(compareStreams('t', streams({ 0: ['a', 'b', 'c'], 1: ['x'], 2: ['q'] }), want), ['t partition 2: should not be there: q']);
});

test('compareStreams keeps long lists short', () => {
  const want = streams({ 0: Array.from({ length: 20 }, (_, i) => `v${i}`) });
  const [problem] = compareStreams('t', streams({ 0: [] }), want);
  assert.equal(problem, 't partition 0: missing: v0, v1, v2, v3, v4, … (20)');
});

test('visibleRecords: read_committed gets committed transactions only, read_uncommitted everything written', () => {
  const txns: DrivenTxn[] = [
    { producer: 'a', outcome: 'commit', delivered: [[0, 0, 'a0'], [1, 0, 'a1']] },
    { producer: 'b', outcome: 'abort', delivered: [[0, 1, 'b0']] },
    { producer: 'a', outcome: 'open', delivered: [[0, 3, 'a2']] },
  ];
  assert.deepEqual(visibleRecords(txns, 'read_committed'), [[0, 0, 'a0'], [1, 0, 'a1']]);
  assert.deepEqual(visibleRecords(txns, 'read_uncommitted').map((d) => d[2]), ['a0', 'a1', 'b0', 'a2']);
  // An aborted record read under read_committed is caught; markers' offsets are simply absent.
  const read = [{ p: 0, o: 0, v: 'a0' }, { p: 0, o: 1, v: 'b0' }, { p: 1, o: 0, v: 'a1' }];
  assert.deepEqual(compareStreams('rc', streamsOf(read), offsetStreams(visibleRecords(txns, 'read_committed'))), ['rc partition 0: should not be there: 1:b0']);
});

test('produceOrderProblems: offsets must grow along each producer\'s sends per partition', () => {
  const good: DrivenTxn[] = [
    { producer: 'a', outcome: 'commit', delivered: [[0, 0, 'a0'], [0, 2, 'a1']] },
    { producer: 'b', outcome: 'commit', delivered: [[0, 1, 'b0']] },
    { producer: 'a', outcome: 'abort', delivered: [[0, 5, 'a2']] },
  ];
  assert.deepEqual(produceOrderProblems(good), []);
  const bad: DrivenTxn[] = [{ producer: 'a', outcome: 'commit', delivered: [[0, 4, 'a0'], [0, 3, 'a1']] }];
  assert.deepEqual(produceOrderProblems(bad), ['a partition 0: a1 at offset 3 after a0 at 4']);
});

test('transformedInputs: the EOS transform of each input partition, in input offset order', () => {
  const inputs = [{ p: 1, o: 1, v: 'in-3' }, { p: 0, o: 0, v: 'in-0' }, { p: 1, o: 0, v: 'in-1' }];
  assert.deepEqual([...transformedInputs(inputs)], [[0, ['in-0|0|0']], [1, ['in-1|1|0', 'in-3|1|1']]]);
  // A duplicated output (a transaction replayed after a crash) is caught.
  const outputs = streams({ 0: ['in-0|0|0'], 1: ['in-1|1|0', 'in-1|1|0', 'in-3|1|1'] });
  assert.deepEqual(compareStreams('out', outputs, transformedInputs(inputs)), ['out partition 1: read more than once: in-1|1|0 ×2']);
});

test('events: parse worker lines; fencing errors of either client are recognised', () => {
  assert.deepEqual(parseTxnEvent('{"e":"eof","p":1,"o":7}'), { e: 'eof', p: 1, o: 7 });
  assert.equal(parseTxnEvent('%4|librdkafka noise'), null);
  assert.equal(parseTxnEvent('{"no":"event"}'), null);
  assert.ok(isFenced({ name: '_FENCED', message: 'Producer fenced by newer instance', fatal: true }));
  assert.ok(isFenced({ name: 'KafkaJSNonRetriableError', message: 'x', chain: ['KafkaJSNonRetriableError:', 'KafkaJSProtocolError:INVALID_PRODUCER_EPOCH'] }));
  assert.ok(!isFenced({ name: 'INVALID_TXN_STATE', message: 'x' }));
  assert.ok(!isFenced({ name: 'KafkaJSNumberOfRetriesExceeded', message: 'x', chain: ['KafkaJSNumberOfRetriesExceeded:', 'KafkaJSConnectionError:'] }));
});

let seq = 0;
function exchange(apiKey: number, apiName: string, apiVersion: number, request: unknown, response: unknown, clientId = 'c'): TxnExchange {
  return { seq: seq++, connection: 1, clientId, apiKey, apiName, apiVersion, request, response, requestAt: seq, responseAt: seq };
}
const batch = (baseOffset: number, count: number, producerId = 7, producerEpoch = 0): BatchSummary => ({
  baseOffset, lastOffset: baseOffset + count - 1, producerId, producerEpoch, baseSequence: 0, count, transactional: true, control: false,
});
const fetch = (isolationLevel: number, version: number, lso: number, hw: number, batches: BatchSummary[]): TxnExchange => exchange(ApiKey.Fetch, 'Fetch', version,
  { isolationLevel, partitions: [{ topic: 't', partition: 0, fetchOffset: 0 }] },
  { errorCode: 0, partitions: [{ topic: 't', partition: 0, errorCode: 0, highWatermark: hw, lastStableOffset: lso, abortedTransactions: [], batches }] });

test('readCommittedFetchProblems: nothing at or past the LSO under read_committed; read_uncommitted may read to the high watermark', () => {
  assert.deepEqual(readCommittedFetchProblems([fetch(1, 11, 5, 9, [batch(0, 3), batch(3, 2)])]), { problems: [], checked: 1 });
  assert.deepEqual(readCommittedFetchProblems([fetch(0, 11, 5, 9, [batch(0, 3), batch(5, 4)])]), { problems: [], checked: 0 });
  const past = readCommittedFetchProblems([fetch(1, 11, 5, 9, [batch(0, 3), batch(5, 4)])]);
  assert.equal(past.problems.length, 1);
  assert.match(past.problems[0]!, /batches at 5 returned at or past lastStableOffset 5/);
  const above = readCommittedFetchProblems([fetch(1, 11, 10, 9, [])]);
  assert.match(above.problems[0]!, /lastStableOffset 10 with highWatermark 9/);
});

test('versionedErrorProblems: PRODUCER_FENCED only from the versions that define it', () => {
  const endTxn = (version: number, errorCode: number): TxnExchange => exchange(ApiKey.EndTxn, 'EndTxn', version, { producerId: 7n, producerEpoch: 0 }, { errorCode });
  assert.deepEqual(versionedErrorProblems([endTxn(1, ErrorCode.INVALID_PRODUCER_EPOCH), endTxn(2, ErrorCode.PRODUCER_FENCED)]), []);
  assert.equal(versionedErrorProblems([endTxn(1, ErrorCode.PRODUCER_FENCED)]).length, 1);
  const init = exchange(ApiKey.InitProducerId, 'InitProducerId', 3, { transactionalId: 'x' }, { errorCode: ErrorCode.PRODUCER_FENCED, producerId: -1n, producerEpoch: -1 });
  assert.match(versionedErrorProblems([init])[0]!, /needs v4\+/);
  const produce = exchange(ApiKey.Produce, 'Produce', 9, { transactionalId: 'x', acks: -1, partitions: [] },
    { responses: [{ name: 't', partitionResponses: [{ index: 0, errorCode: ErrorCode.PRODUCER_FENCED }] }] });
  assert.match(versionedErrorProblems([produce])[0]!, /not an answer of this API/);
  const abortable = exchange(ApiKey.AddOffsetsToTxn, 'AddOffsetsToTxn', 3, {}, { errorCode: ErrorCode.TRANSACTION_ABORTABLE });
  assert.match(versionedErrorProblems([abortable])[0]!, /TRANSACTION_ABORTABLE needs v4\+/);
});

test('errorCodesOf and errorCounts find codes at any depth; fencedAnswers match the producer and epoch a request carried', () => {
  const addPartitions = exchange(ApiKey.AddPartitionsToTxn, 'AddPartitionsToTxn', 1,
    { v3AndBelowTransactionalId: 'x', v3AndBelowProducerId: 7n, v3AndBelowProducerEpoch: 0, v3AndBelowTopics: [] },
    { errorCode: 0, resultsByTransaction: [], resultsByTopicV3AndBelow: [{ name: 't', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: ErrorCode.INVALID_PRODUCER_EPOCH }] }] });
  const produce = exchange(ApiKey.Produce, 'Produce', 7, { transactionalId: 'x', acks: -1, partitions: [{ topic: 't', partition: 0, batches: [batch(0, 1, 7, 1)] }] },
    { responses: [{ name: 't', partitionResponses: [{ index: 0, errorCode: ErrorCode.INVALID_PRODUCER_EPOCH }] }] });
  assert.deepEqual(errorCodesOf(addPartitions.response), [ErrorCode.INVALID_PRODUCER_EPOCH]);
  assert.deepEqual([...errorCounts([addPartitions, produce])], [['AddPartitionsToTxn INVALID_PRODUCER_EPOCH', 1], ['Produce INVALID_PRODUCER_EPOCH', 1]]);
  assert.deepEqual(fencedAnswers([addPartitions, produce], 7, 0), [addPartitions]);
  assert.deepEqual(fencedAnswers([addPartitions, produce], 7, 1), [produce]);
  assert.deepEqual(fencedAnswers([addPartitions, produce], 8, 0), []);
  assert.match(produceAnswersWith([addPartitions, produce], [ErrorCode.INVALID_PRODUCER_EPOCH])[0]!, /Produce v7 .* → INVALID_PRODUCER_EPOCH \[t-0 pid 7 epoch 1 seq 0\+1\]/);
});

test('initProducerIdAnswers: one transactional id\'s answers in order', () => {
  const init = (transactionalId: string | null, producerEpoch: number, errorCode = 0): TxnExchange => exchange(ApiKey.InitProducerId, 'InitProducerId', 4,
    { transactionalId, transactionTimeoutMs: 60000 }, { errorCode, producerId: 3n, producerEpoch });
  const answers = initProducerIdAnswers([init('x', 0), init(null, 0), init('y', 0), init('x', -1, ErrorCode.CONCURRENT_TRANSACTIONS), init('x', 2)], 'x');
  assert.deepEqual(answers.map((a) => [a.errorCode, a.producerId, a.producerEpoch]), [[0, 3, 0], [ErrorCode.CONCURRENT_TRANSACTIONS, 3, -1], [0, 3, 2]]);
});

test('resentBatchProblems: a withheld append sent again must be answered NONE at its first offset', () => {
  const produce = (baseSequence: number, answer: { errorCode: number; baseOffset: bigint }, withheld = false): TxnExchange => ({
    ...exchange(ApiKey.Produce, 'Produce', 7, { transactionalId: null, acks: -1, partitions: [{ topic: 't', partition: 0, batches: [{ ...batch(0, 5), baseSequence }] }] },
      { responses: [{ name: 't', partitionResponses: [{ index: 0, ...answer }] }] }),
    ...(withheld ? { withheld } : {}),
  });
  const held = produce(10, { errorCode: 0, baseOffset: 40n }, true);
  assert.deepEqual(resentBatchProblems([held, produce(10, { errorCode: 0, baseOffset: 40n })]), { withheld: 1, problems: [] });
  assert.match(resentBatchProblems([held, produce(10, { errorCode: 0, baseOffset: 45n })]).problems[0]!, /seq 10 \(appended at 40, answer withheld\): sent again, answered NONE at 45/);
  assert.match(resentBatchProblems([held, produce(10, { errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, baseOffset: -1n })]).problems[0]!, /answered OUT_OF_ORDER_SEQUENCE_NUMBER/);
  assert.match(resentBatchProblems([held, produce(15, { errorCode: 0, baseOffset: 45n })]).problems[0]!, /never sent again/);
  // An answer that was passed on needs no resend; a withheld error is not an append.
  assert.deepEqual(resentBatchProblems([produce(10, { errorCode: 0, baseOffset: 40n })]), { withheld: 0, problems: [] });
  assert.deepEqual(resentBatchProblems([produce(10, { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, baseOffset: -1n }, true)]), { withheld: 0, problems: [] });
});
