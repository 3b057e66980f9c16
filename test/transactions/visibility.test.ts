/**
 * What read_committed and read_uncommitted consumers see of transactions written by real
 * clients. A confluent-kafka and a KafkaJS transactional producer, each its own process, write
 * interleaved transactions over four partitions (both open at once, batches of one between
 * batches of the other), some committed and some aborted. Four readers read the topic from the
 * beginning while it is written: confluent-kafka and KafkaJS, each read_committed and
 * read_uncommitted.
 *
 * Checked: read_committed readers read exactly the committed records, read_uncommitted readers
 * every record written, each in offset order per partition (offsets known from the producers'
 * acknowledgements, which also show each producer's records in the order it sent them). Then an
 * open transaction: the confluent producer begins and writes to partitions 0 and 1, the KafkaJS
 * producer commits records to all four after it. read_uncommitted readers read everything,
 * read_committed readers read the new records of partitions 2 and 3 but nothing of 0 and 1, where
 * the wire tap shows them fetching at the last stable offset (the open transaction's first
 * offset) and the broker returning nothing past it. When the transaction commits, its records
 * and the blocked ones appear, in offset order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { absent } from '../groups/harness/clients.js';
import { missing } from '../broker/missing-client.js';
import { createGroupTopic } from '../groups/harness/setup.js';
import { ApiKey } from '../../src/protocol/index.js';
import { type ClientKind, Processes, SHORT } from './harness/processes.js';
import { type DrivenTxn, compareStreams, offsetStreams, produceOrderProblems, streamsOf, visibleRecords } from './harness/streams.js';
import { type Isolation, ok, spread, startReader, waitForRecords } from './harness/suite.js';
import { startTxnBroker } from './harness/txn-broker.js';
import type { FetchRequestSummary, FetchResponseSummary } from './harness/txn-tap.js';
import { errorCounts, readCommittedFetchProblems, versionedErrorProblems } from './harness/txn-tap-checks.js';

const TOPIC = 'visibility';
const PARTITIONS = 4;
const ROUNDS = 6;
const PER_SEND = 6;

test('read_committed sees exactly the committed transactions of confluent-kafka and KafkaJS, read_uncommitted all; an open transaction blocks its partitions until it commits', { timeout: 120_000 }, async (t) => {
  const lacking = await absent('confluent-kafka', 'kafkajs');
  if (lacking) return missing(t, lacking);
  const started = Date.now();
  const tb = await startTxnBroker();
  const w = new Processes();
  t.after(async () => {
    await w.killAll();
    await tb.stop();
  });
  await createGroupTopic(tb.broker.port, TOPIC, PARTITIONS);

  const readers: [string, ClientKind, Isolation][] = [];
  for (const kind of ['confluent-kafka', 'kafkajs'] as const) {
    for (const isolation of ['read_committed', 'read_uncommitted'] as const) {
      const name = `${SHORT[kind]}-${isolation === 'read_committed' ? 'rc' : 'ru'}`;
      readers.push([name, kind, isolation]);
      startReader(w, tb, name, kind, TOPIC, PARTITIONS, isolation);
    }
  }
  const ck = w.start('ck-producer', 'confluent-kafka', 'txn', { bootstrap: tb.bootstrap, transactionalId: 'visibility-ck' });
  const kj = w.start('kj-producer', 'kafkajs', 'txn', { bootstrap: tb.bootstrap, transactionalId: 'visibility-kj' });
  await ok(ck, 'init');
  await ok(kj, 'init');

  // Interleaved transactions: both open at once, batches alternating on every partition.
  const txns: DrivenTxn[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const ckTxn: DrivenTxn = { producer: 'ck', outcome: r % 3 === 1 ? 'abort' : 'commit', delivered: [] };
    const kjTxn: DrivenTxn = { producer: 'kj', outcome: r % 3 === 2 ? 'abort' : 'commit', delivered: [] };
    txns.push(ckTxn, kjTxn);
    await ok(ck, 'begin');
    await ok(kj, 'begin');
    ckTxn.delivered.push(...(await ok(ck, 'send', { topic: TOPIC, records: spread(`ck${r}`, 0, PER_SEND, PARTITIONS) })));
    kjTxn.delivered.push(...(await ok(kj, 'send', { topic: TOPIC, records: spread(`kj${r}`, 0, PER_SEND, PARTITIONS) })));
    ckTxn.delivered.push(...(await ok(ck, 'send', { topic: TOPIC, records: spread(`ck${r}`, PER_SEND, PER_SEND, PARTITIONS) })));
    await ok(ck, ckTxn.outcome);
    kjTxn.delivered.push(...(await ok(kj, 'send', { topic: TOPIC, records: spread(`kj${r}`, PER_SEND, PER_SEND, PARTITIONS) })));
    await ok(kj, kjTxn.outcome);
  }
  for (const [name, , isolation] of readers) await waitForRecords(w, name, visibleRecords(txns, isolation));

  // An open transaction on partitions 0 and 1; committed records after it on all four.
  w.mark('phase', 'open transaction');
  const open: DrivenTxn = { producer: 'ck', outcome: 'open', delivered: [] };
  const after: DrivenTxn = { producer: 'kj', outcome: 'commit', delivered: [] };
  txns.push(open, after);
  await ok(ck, 'begin');
  open.delivered.push(...(await ok(ck, 'send', { topic: TOPIC, records: spread('open', 0, 4, 2) })));
  await ok(kj, 'begin');
  after.delivered.push(...(await ok(kj, 'send', { topic: TOPIC, records: spread('after', 0, PARTITIONS, PARTITIONS) })));
  await ok(kj, 'commit');
  const committedAt = tb.txnTap.now();
  const lso = new Map<number, number>([0, 1].map((p) => [p, Math.min(...open.delivered.filter((d) => d[0] === p).map((d) => d[1]))]));
  const unblocked = after.delivered.filter((d) => d[0] >= 2);
  for (const [name, , isolation] of readers) {
    await waitForRecords(w, name, isolation === 'read_committed' ? unblocked : [...open.delivered, ...after.delivered]);
  }
  // The read_committed readers are at the LSO of partitions 0 and 1: a fetch there after the commit, answered with that LSO.
  for (const [name] of readers.filter((r) => r[2] === 'read_committed')) {
    await w.waitFor(`${name} fetching partitions 0 and 1 at their last stable offsets ${[...lso.values()]}`, () => [0, 1].every((p) => tb.txnTap.of(ApiKey.Fetch).some((x) => {
      if (x.clientId !== name || x.requestAt <= committedAt || !x.response) return false;
      const asked = (x.request as FetchRequestSummary).partitions.find((q) => q.topic === TOPIC && q.partition === p);
      const answered = (x.response as FetchResponseSummary).partitions.find((q) => q.topic === TOPIC && q.partition === p);
      return asked?.fetchOffset === lso.get(p) && answered?.lastStableOffset === lso.get(p);
    })), 30_000);
    const blocked = w.records(name).filter((r) => r.p < 2 && (r.v.startsWith('open-') || r.v.startsWith('after-')));
    assert.deepEqual(blocked, [], `${name} read records of partitions 0/1 past the open transaction`);
  }

  w.mark('phase', 'open transaction commits');
  await ok(ck, 'commit');
  open.outcome = 'commit';
  for (const [name, , isolation] of readers) await waitForRecords(w, name, visibleRecords(txns, isolation));

  const problems = produceOrderProblems(txns);
  for (const [name, , isolation] of readers) problems.push(...compareStreams(name, streamsOf(w.records(name)), offsetStreams(visibleRecords(txns, isolation))));
  for (const name of [...readers.map((r) => r[0]), 'ck-producer', 'kj-producer']) await w.close(name);
  const fetches = readCommittedFetchProblems(tb.txnTap.exchanges);
  const written = visibleRecords(txns, 'read_uncommitted').length;
  t.diagnostic(`${txns.length} transactions, ${written} records written, ${visibleRecords(txns, 'read_committed').length} committed; `
    + `${fetches.checked} read_committed fetch answers checked; errors answered ${JSON.stringify([...errorCounts(tb.txnTap.exchanges)])}; ${Math.round((Date.now() - started) / 1000)} s`);
  assert.deepEqual(problems, [], w.summary());
  assert.deepEqual(fetches.problems, [], 'read_committed Fetch answers stop at the last stable offset');
  assert.deepEqual(versionedErrorProblems(tb.txnTap.exchanges), []);
  assert.deepEqual([...tb.txnTap.errors, ...tb.tap.errors], [], 'the taps decoded every exchange');
});
