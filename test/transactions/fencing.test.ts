/**
 * Zombie fencing with real clients. Producer A (transactional.id X) begins a transaction and
 * writes to two partitions; producer B, a new process with the same X, initialises: the
 * coordinator aborts A's transaction and bumps the epoch. A's next send and its commit fail with
 * the fencing error its library reports (librdkafka: the fatal _FENCED; KafkaJS: the broker's
 * INVALID_PRODUCER_EPOCH, as its InitProducerId/EndTxn v1 and Produce get), and B commits
 * normally. Every pairing: confluent-kafka and KafkaJS fencing themselves and each other.
 *
 * Checked per pairing: read_committed reads exactly B's records, read_uncommitted reads A's
 * aborted ones too (and nothing A tried after it was fenced); B's InitProducerId answer kept A's
 * producer id with a higher epoch; the broker answered requests carrying A's epoch with
 * PRODUCER_FENCED or INVALID_PRODUCER_EPOCH, PRODUCER_FENCED only to versions that know it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { absent } from '../groups/harness/clients.js';
import { missing } from '../broker/missing-client.js';
import { createGroupTopic } from '../groups/harness/setup.js';
import { type ClientError, isFenced } from './harness/events.js';
import { type ClientKind, Processes, SHORT } from './harness/processes.js';
import { type DrivenTxn, compareStreams, offsetStreams, streamsOf, visibleRecords } from './harness/streams.js';
import { ok, readToEnd, refused, spread } from './harness/suite.js';
import { type TxnBroker, startTxnBroker } from './harness/txn-broker.js';
import { describeExchange, errorCounts, fencedAnswers, initProducerIdAnswers, versionedErrorProblems } from './harness/txn-tap-checks.js';

const PARTITIONS = 2;
const PAIRINGS: [ClientKind, ClientKind][] = [
  ['confluent-kafka', 'confluent-kafka'],
  ['kafkajs', 'kafkajs'],
  ['confluent-kafka', 'kafkajs'],
  ['kafkajs', 'confluent-kafka'],
];

interface PairingResult {
  problems: string[];
  notes: string;
}

async function pairing(tb: TxnBroker, w: Processes, zombie: ClientKind, successor: ClientKind): Promise<PairingResult> {
  const label = `${SHORT[zombie]}-fenced-by-${SHORT[successor]}`;
  const topic = `fencing-${label}`;
  const transactionalId = `fencing-${label}`;
  await createGroupTopic(tb.broker.port, topic, PARTITIONS);
  const problems: string[] = [];
  const a = w.start(`${label}-A`, zombie, 'txn', { bootstrap: tb.bootstrap, transactionalId });
  const aTxn: DrivenTxn = { producer: 'A', outcome: 'abort', delivered: [] };
  await ok(a, 'init');
  await ok(a, 'begin');
  aTxn.delivered.push(...(await ok(a, 'send', { topic, records: spread('a', 0, 4, PARTITIONS) })));

  const b = w.start(`${label}-B`, successor, 'txn', { bootstrap: tb.bootstrap, transactionalId });
  await ok(b, 'init');
  const fenced: [string, ClientError][] = [];
  for (const [op, args] of [['send', { topic, records: spread('a', 4, 2, PARTITIONS) }], ['commit', {}]] as const) {
    const r = await refused(a, op, args);
    fenced.push([op, r.error]);
    if (!isFenced(r.error)) problems.push(`${label}: A's ${op} after B's init failed with ${JSON.stringify(r.error)}, not a fencing error`);
  }
  const bTxn: DrivenTxn = { producer: 'B', outcome: 'commit', delivered: [] };
  await ok(b, 'begin');
  bTxn.delivered.push(...(await ok(b, 'send', { topic, records: spread('b', 0, 4, PARTITIONS) })));
  await ok(b, 'commit');

  const txns = [aTxn, bTxn];
  for (const isolation of ['read_committed', 'read_uncommitted'] as const) {
    const read = await readToEnd(w, tb, `${label}-${isolation}`, topic, PARTITIONS, isolation);
    problems.push(...compareStreams(`${label} ${isolation}`, streamsOf(read), offsetStreams(visibleRecords(txns, isolation))));
  }

  const answers = initProducerIdAnswers(tb.txnTap.exchanges, transactionalId).filter((x) => x.errorCode === 0);
  const first = answers.find((x) => x.clientId === a.name);
  const second = answers.find((x) => x.clientId === b.name);
  if (!first || !second) {
    problems.push(`${label}: InitProducerId answers missing from the tap: ${JSON.stringify(answers)}`);
  } else {
    if (second.producerId !== first.producerId || second.producerEpoch <= first.producerEpoch) {
      problems.push(`${label}: B got producer ${second.producerId} epoch ${second.producerEpoch} after A's ${first.producerId} epoch ${first.producerEpoch} (same id, higher epoch expected)`);
    }
    if (fencedAnswers(tb.txnTap.exchanges, first.producerId, first.producerEpoch).length === 0) {
      problems.push(`${label}: no request with A's epoch was answered PRODUCER_FENCED or INVALID_PRODUCER_EPOCH`);
    }
  }
  await w.close(a.name);
  await w.close(b.name);
  const fencedBy = first ? fencedAnswers(tb.txnTap.exchanges, first.producerId, first.producerEpoch).map(describeExchange) : [];
  return { problems, notes: `${label}: A's ${fenced.map(([op, e]) => `${op} → ${e.name}`).join(', ')}; broker: ${fencedBy.join('; ')}` };
}

test('zombie fencing: a new producer with the same transactional.id fences the old one, whose transaction is aborted (confluent-kafka and KafkaJS, each way)', { timeout: 120_000 }, async (t) => {
  const lacking = await absent('confluent-kafka', 'kafkajs');
  if (lacking) return missing(t, lacking);
  const started = Date.now();
  const tb = await startTxnBroker();
  const w = new Processes();
  t.after(async () => {
    await w.killAll();
    await tb.stop();
  });
  const problems: string[] = [];
  for (const [zombie, successor] of PAIRINGS) {
    const r = await pairing(tb, w, zombie, successor);
    problems.push(...r.problems);
    t.diagnostic(r.notes);
  }
  t.diagnostic(`errors answered ${JSON.stringify([...errorCounts(tb.txnTap.exchanges)])}; ${Math.round((Date.now() - started) / 1000)} s`);
  assert.deepEqual(problems, [], w.summary());
  assert.deepEqual(versionedErrorProblems(tb.txnTap.exchanges), []);
  assert.deepEqual([...tb.txnTap.errors, ...tb.tap.errors], [], 'the taps decoded every exchange');
});
