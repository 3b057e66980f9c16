/**
 * A transaction that outlives its transaction.timeout.ms is aborted by the broker. A producer
 * (confluent-kafka, then KafkaJS) with a 2 s transaction timeout begins a transaction, writes to
 * two partitions and then does nothing; a second producer commits records after it on both
 * partitions. The broker sweeps for timed-out transactions every 500 ms
 * (transaction.abort.timed.out.transaction.cleanup.interval.ms) and aborts it with a bumped epoch,
 * as Kafka does: the last stable offset moves past it and read_committed readers get the second
 * producer's records. The first producer's late commit then fails with the fencing error.
 *
 * Checked: a read_committed reader reads the second producer's records without anyone ending the
 * first transaction, then exactly those (never the timed-out ones); read_uncommitted reads both;
 * the late commit fails with the fencing error and the broker answered it so.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { absent } from '../groups/harness/clients.js';
import { missing } from '../broker/missing-client.js';
import { createGroupTopic } from '../groups/harness/setup.js';
import { isFenced } from './harness/events.js';
import { type ClientKind, Processes, SHORT } from './harness/processes.js';
import { type DrivenTxn, compareStreams, offsetStreams, streamsOf, visibleRecords } from './harness/streams.js';
import { ok, readToEnd, refused, spread, startReader, waitForRecords } from './harness/suite.js';
import { startTxnBroker } from './harness/txn-broker.js';
import { describeExchange, errorCounts, fencedAnswers, initProducerIdAnswers, versionedErrorProblems } from './harness/txn-tap-checks.js';

const PARTITIONS = 2;
const TRANSACTION_TIMEOUT_MS = 2000;

async function scenario(t: TestContext, kind: ClientKind): Promise<void> {
  const lacking = await absent(...new Set([kind, 'confluent-kafka'] as const));
  if (lacking) return missing(t, lacking);
  const started = Date.now();
  const tb = await startTxnBroker();
  const w = new Processes();
  t.after(async () => {
    await w.killAll();
    await tb.stop();
  });
  const topic = `timeout-${SHORT[kind]}`;
  await createGroupTopic(tb.broker.port, topic, PARTITIONS);
  const reader = startReader(w, tb, `${topic}-rc`, 'confluent-kafka', topic, PARTITIONS, 'read_committed');
  const slow = w.start(`${topic}-slow`, kind, 'txn', { bootstrap: tb.bootstrap, transactionalId: `${topic}-slow`, transactionTimeoutMs: TRANSACTION_TIMEOUT_MS });
  const other = w.start(`${topic}-other`, 'confluent-kafka', 'txn', { bootstrap: tb.bootstrap, transactionalId: `${topic}-other` });

  const timedOut: DrivenTxn = { producer: 'slow', outcome: 'abort', delivered: [] };
  const after: DrivenTxn = { producer: 'other', outcome: 'commit', delivered: [] };
  await ok(slow, 'init');
  await ok(slow, 'begin');
  timedOut.delivered.push(...(await ok(slow, 'send', { topic, records: spread('slow', 0, 4, PARTITIONS) })));
  const wroteAt = Date.now();
  await ok(other, 'init');
  await ok(other, 'begin');
  after.delivered.push(...(await ok(other, 'send', { topic, records: spread('other', 0, 2, PARTITIONS) })));
  await ok(other, 'commit');
  // Nobody ends the slow transaction: only the broker's timeout can let the reader past it.
  await waitForRecords(w, reader.name, after.delivered, 30_000);
  const visibleAfterMs = Date.now() - wroteAt;
  const late = await refused(slow, 'commit');

  const txns = [timedOut, after];
  const problems: string[] = [];
  if (!isFenced(late.error)) problems.push(`the late commit failed with ${JSON.stringify(late.error)}, not the fencing error`);
  problems.push(...compareStreams('read_committed (live)', streamsOf(w.records(reader.name)), offsetStreams(visibleRecords(txns, 'read_committed'))));
  await w.close(reader.name);
  for (const isolation of ['read_committed', 'read_uncommitted'] as const) {
    const read = await readToEnd(w, tb, `${topic}-${isolation}`, topic, PARTITIONS, isolation);
    problems.push(...compareStreams(isolation, streamsOf(read), offsetStreams(visibleRecords(txns, isolation))));
  }
  const init = initProducerIdAnswers(tb.txnTap.exchanges, `${topic}-slow`).find((x) => x.errorCode === 0);
  const answered = init ? fencedAnswers(tb.txnTap.exchanges, init.producerId, init.producerEpoch) : [];
  if (answered.length === 0) problems.push(`no request of the timed-out producer (${JSON.stringify(init)}) was answered PRODUCER_FENCED or INVALID_PRODUCER_EPOCH`);
  await w.close(slow.name);
  await w.close(other.name);
  t.diagnostic(`${kind}: the other producer's records readable ${visibleAfterMs} ms after the slow transaction's last write (timeout ${TRANSACTION_TIMEOUT_MS} ms); `
    + `late commit → ${late.error.name}; broker: ${answered.map(describeExchange).join('; ')}; errors answered ${JSON.stringify([...errorCounts(tb.txnTap.exchanges)])}; `
    + `${Math.round((Date.now() - started) / 1000)} s`);
  assert.deepEqual(problems, [], w.summary());
  assert.deepEqual(versionedErrorProblems(tb.txnTap.exchanges), []);
  assert.deepEqual([...tb.txnTap.errors, ...tb.tap.errors], [], 'the taps decoded every exchange');
}

test('confluent-kafka: a transaction past transaction.timeout.ms is aborted by the broker; the late commit is fenced', { timeout: 90_000 }, (t) => scenario(t, 'confluent-kafka'));

test('KafkaJS: a transaction past transaction.timeout.ms is aborted by the broker; the late commit is fenced', { timeout: 90_000 }, (t) => scenario(t, 'kafkajs'));
