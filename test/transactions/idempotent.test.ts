/**
 * Idempotent producers through broker crashes. A confluent-kafka producer (enable.idempotence,
 * acks=all) and a KafkaJS producer (idempotent, maxInFlightRequests 1), each its own process,
 * write a long numbered stream over four partitions while the harness SIGKILLs the broker three
 * times and restarts it on the same data dir. Each kill comes right after the broker appended
 * batches whose answers the TxnTap kept from the producer, so the clients send them again with
 * the same producer id, epoch and sequence numbers; the broker must recognise them (producer
 * state rebuilt from its snapshots and log) and answer with their original offsets instead of
 * appending them twice.
 *
 * Checked: reading the topic back, each partition holds its values exactly once and in order; the
 * offset every record was acknowledged at is where it is read; every withheld append was sent
 * again and answered NONE at the offset first given; no delivery failed and no client
 * reported a fatal error; the broker never answered OUT_OF_ORDER_SEQUENCE_NUMBER (what a lost
 * producer state looks like), quoting the answers when it did.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { absent } from '../groups/harness/clients.js';
import { missing } from '../broker/missing-client.js';
import { createGroupTopic } from '../groups/harness/setup.js';
import { ApiKey, ErrorCode } from '../../src/protocol/index.js';
import { type ClientKind, Processes, SHORT } from './harness/processes.js';
import { compareStreams, offsetStreams, streamsOf } from './harness/streams.js';
import { killBrokerAfterWithheld, readToEnd, runRandom } from './harness/suite.js';
import { startTxnBroker } from './harness/txn-broker.js';
import { errorCounts, produceAnswersWith, resentBatchProblems } from './harness/txn-tap-checks.js';

const PARTITIONS = 4;
const RECORDS = 4000;
/** The broker is SIGKILLed when this share of the stream is acknowledged (plus a random bit). */
const KILL_AT = [0.15, 0.4, 0.65];

async function scenario(t: TestContext, kind: ClientKind): Promise<void> {
  const lacking = await absent(...new Set([kind, 'confluent-kafka'] as const));
  if (lacking) return missing(t, lacking);
  const started = Date.now();
  const { seed, random } = runRandom();
  const tb = await startTxnBroker();
  const w = new Processes();
  t.after(async () => {
    await w.killAll();
    await tb.stop();
  });
  const topic = `idempotent-${SHORT[kind]}`;
  const producer = `${topic}-producer`;
  await createGroupTopic(tb.broker.port, topic, PARTITIONS);
  w.start(producer, kind, 'idempotent', { bootstrap: tb.bootstrap, topic, partitions: PARTITIONS, prefix: 'v', count: RECORDS, pauseEvery: 10, pauseMs: 15 });
  const acknowledged = (): number => w.of(producer).filter((e) => e.e === 'sent').length;

  for (const share of KILL_AT) {
    const target = Math.round(RECORDS * share) + random.int(100);
    await w.waitFor(`${target} records acknowledged`, () => acknowledged() >= target, 90_000);
    await killBrokerAfterWithheld(w, tb, ApiKey.Produce, 'Produce');
  }
  await w.waitFor(`${producer} done`, () => w.of(producer).some((e) => e.e === 'done'), 150_000);

  const read = await readToEnd(w, tb, 'reader', topic, PARTITIONS, 'read_uncommitted');
  const sent = w.of(producer).flatMap((e) => (e.e === 'sent' ? [[e.p, e.o, e.v] as [number, number, string]] : []));
  const want = new Map(Array.from({ length: PARTITIONS }, (_, p) => [p, Array.from({ length: RECORDS / PARTITIONS }, (_, k) => `v-${k * PARTITIONS + p}`)]));
  const failed = w.of(producer).filter((e) => e.e === 'sendError');
  const clientErrors = w.of(producer).flatMap((e) => (e.e === 'clientError' ? [e.error] : []));
  const resent = resentBatchProblems(tb.txnTap.exchanges);
  const outOfOrder = produceAnswersWith(tb.txnTap.exchanges, [ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, ErrorCode.UNKNOWN_PRODUCER_ID]);
  t.diagnostic(`seed ${seed}: ${RECORDS} records, ${tb.restarts} broker SIGKILLs, ${sent.length} acknowledgements, ${read.length} read, `
    + `${resent.withheld} appends whose answer was withheld before a kill; `
    + `client errors ${clientErrors.length} (${[...new Set(clientErrors.map((e) => e.slice(0, 60)))].slice(0, 4).join(' | ')}); `
    + `errors answered ${JSON.stringify([...errorCounts(tb.txnTap.exchanges)])}; ${Math.round((Date.now() - started) / 1000)} s`);

  assert.deepEqual(compareStreams(topic, streamsOf(read, (r) => r.v), want), [], 'every value exactly once, in order per partition');
  assert.deepEqual(compareStreams(`${topic} acknowledged`, streamsOf(read), offsetStreams(sent)), [], 'every record read at the offset it was acknowledged at');
  assert.ok(resent.withheld > 0, 'the kills came after appends the producer was never told of');
  assert.deepEqual(resent.problems, [], 'each such append, sent again, was answered as a duplicate at its first offset');
  assert.deepEqual(failed, [], 'no delivery failed');
  assert.deepEqual(clientErrors.filter((e) => e.startsWith('fatal')), [], `no fatal client error; the broker answered: ${outOfOrder.join('\n')}`);
  assert.deepEqual(outOfOrder, [], 'the broker kept every producer\'s sequence state through the crashes');
  assert.deepEqual([...tb.txnTap.errors, ...tb.tap.errors], [], 'the taps decoded every exchange');
}

test('confluent-kafka idempotent producer through three broker SIGKILLs: every value once, in order, at its acknowledged offset', { timeout: 180_000 }, (t) => scenario(t, 'confluent-kafka'));

test('KafkaJS idempotent producer through three broker SIGKILLs: every value once, in order, at its acknowledged offset', { timeout: 180_000 }, (t) => scenario(t, 'kafkajs'));
