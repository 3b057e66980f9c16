/**
 * Consume-transform-produce with exactly-once through crashes. An input topic of uniquely
 * numbered records over four partitions; a worker (its own process) in a consumer group reads
 * it read_committed and, per transaction of a few records, writes one transformed record per
 * input to the same partition of an output topic and commits the consumer's positions in the same
 * transaction (confluent-kafka: send_offsets_to_transaction with consumer_group_metadata; KafkaJS:
 * transaction.sendOffsets). The harness SIGKILLs the worker at random moments and starts it again
 * with the same transactional.id, and SIGKILLs and restarts the broker on the same data dir a few
 * times, each time right after the broker did work whose answer the TxnTap kept from the worker
 * (an EndTxn, a transactional Produce, a TxnOffsetCommit): the worker must repeat it or its
 * successor must finish or abort the transaction. A worker that stops by itself (a fatal client
 * error) is started again too.
 *
 * Checked at the end: a read_committed reader of the output reads, per partition, the transformed
 * input records of that partition exactly once each and in input order; the group's committed
 * offsets (OffsetFetch requireStable) are the input's end offsets; no transaction is left open
 * (last stable offset = high watermark on every output partition); no worker hit a fatal error;
 * a transactional append whose answer was withheld was sent again and answered at its offset;
 * the broker answered no version a fencing error it does not know.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { absent } from '../groups/harness/clients.js';
import { missing } from '../broker/missing-client.js';
import { createGroupTopic, endOffsets, produceNumbered } from '../groups/harness/setup.js';
import { type ClientKind, type Proc, Processes, SHORT } from './harness/processes.js';
import { compareStreams, streamsOf, transformedInputs } from './harness/streams.js';
import { killBrokerAfterWithheld, readToEnd, runRandom } from './harness/suite.js';
import { READ_COMMITTED, READ_UNCOMMITTED, latestOffsets, stableCommittedOffsets, startTxnBroker } from './harness/txn-broker.js';
import { errorCounts, produceAnswersWith, resentBatchProblems, versionedErrorProblems } from './harness/txn-tap-checks.js';
import { ApiKey, ErrorCode } from '../../src/protocol/index.js';

const PARTITIONS = 4;
/** Each broker kill comes right after an answer of these (in turn) was kept from the worker. */
const WITHHELD: readonly [number, string][] = [[ApiKey.EndTxn, 'EndTxn'], [ApiKey.Produce, 'Produce'], [ApiKey.TxnOffsetCommit, 'TxnOffsetCommit']];

interface Plan {
  inputs: number;
  /** Kills in all, each after a few more committed transactions. */
  kills: number;
  /** Which of them (1-based) SIGKILL the broker instead of the worker; the worker keeps running. */
  brokerKillsAt: readonly number[];
  /** confluent-kafka only: group.instance.id, so that a restarted worker takes its place at once. */
  staticMember: boolean;
}

async function scenario(t: TestContext, kind: ClientKind, plan: Plan): Promise<void> {
  const lacking = await absent(...new Set([kind, 'confluent-kafka', 'kcat'] as const));
  if (lacking) return missing(t, lacking);
  const started = Date.now();
  const { seed, random } = runRandom();
  const tb = await startTxnBroker();
  const w = new Processes();
  t.after(async () => {
    await w.killAll();
    await tb.stop();
  });
  const name = `eos-${SHORT[kind]}`;
  const input = `${name}-in`;
  const output = `${name}-out`;
  const group = `${name}-group`;
  await createGroupTopic(tb.broker.port, input, PARTITIONS);
  await createGroupTopic(tb.broker.port, output, PARTITIONS);
  await produceNumbered(tb.bootstrap, input, 'in', 0, plan.inputs);
  const inputEnd = await endOffsets(tb.broker.port, input, PARTITIONS);

  // One worker at a time; a new instance whenever the current one is killed or stops by itself.
  let instance = 0;
  let current: Proc | null = null;
  let stopping = false;
  const selfExits: string[] = [];
  const startWorker = (): void => {
    instance++;
    const proc = w.start(`${name}-${instance}`, kind, 'eos', {
      bootstrap: tb.bootstrap, group, input, output, transactionalId: name, batch: 5 + random.int(25),
      ...(plan.staticMember ? { instanceId: name } : {}),
    });
    current = proc;
    void proc.exited.then(({ code, signal }) => {
      if (stopping || current !== proc || signal === 'SIGKILL') return;
      selfExits.push(`${proc.name} exit ${signal ?? code}`);
      startWorker();
    });
  };
  const commits = (): number => w.events.filter((e) => e.e === 'txn').length;

  startWorker();
  for (let k = 1; k <= plan.kills; k++) {
    const target = commits() + 1 + random.int(4);
    await w.waitFor(`${target} committed transactions`, () => commits() >= target, 90_000);
    await new Promise((r) => setTimeout(r, random.int(150)));
    if (plan.brokerKillsAt.includes(k)) {
      const [apiKey, apiName] = WITHHELD[tb.restarts % WITHHELD.length]!;
      await killBrokerAfterWithheld(w, tb, apiKey, apiName);
    } else {
      await w.kill(current!.name);
      startWorker();
    }
  }

  // The last instance works through the rest; then it is closed between transactions.
  w.mark('phase', 'drain');
  for (let i = 0; ; i++) {
    const committed = await stableCommittedOffsets(tb.broker.port, group, input, PARTITIONS).catch(() => null);
    if (committed && committed.every((o, p) => o === inputEnd[p])) break;
    if (i > 240) assert.fail(`the group did not commit the input end offsets ${inputEnd} (last: ${committed}); self-exits: ${selfExits}\n${w.summary()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  stopping = true;
  const closed = await w.close(current!.name);

  const inputs = await readToEnd(w, tb, 'input-reader', input, PARTITIONS, 'read_uncommitted');
  const outputs = await readToEnd(w, tb, 'output-reader', output, PARTITIONS, 'read_committed');
  const hw = await latestOffsets(tb.broker.port, output, PARTITIONS, READ_UNCOMMITTED);
  const lso = await latestOffsets(tb.broker.port, output, PARTITIONS, READ_COMMITTED);
  const problems = compareStreams('output', streamsOf(outputs, (r) => r.v), transformedInputs(inputs));
  const workerErrors = w.events.filter((e) => e.e === 'txnError');
  const fatal = w.events.filter((e) => (e.e === 'txnError' && e.error.fatal) || (e.e === 'clientError' && e.error.startsWith('fatal')));
  t.diagnostic(`seed ${seed}: ${plan.inputs} inputs, ${instance} worker instances, ${plan.kills - tb.restarts} worker SIGKILLs, ${tb.restarts} broker SIGKILLs, `
    + `${commits()} transactions committed, ${outputs.length} outputs read; self-exits: ${selfExits.length ? selfExits.join(', ') : 'none'}; `
    + `worker errors: ${JSON.stringify(workerErrors.map((e) => e.e === 'txnError' && `${e.stage}/${e.action}/${e.error.name}`))}; `
    + `errors answered ${JSON.stringify([...errorCounts(tb.txnTap.exchanges)])}; ${Math.round((Date.now() - started) / 1000)} s`);

  assert.equal(inputs.length, plan.inputs, 'the input reader read every input');
  assert.deepEqual(problems, [], `every input exactly once in the output, in order\n${w.summary()}`);
  assert.deepEqual(lso, hw, 'no transaction left open on the output');
  assert.equal(closed.code, 0, `the last worker closed cleanly\n${w.summary()}`);
  assert.deepEqual(fatal, [], `no fatal client errors; out-of-order answers: ${produceAnswersWith(tb.txnTap.exchanges, [ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER])}`);
  assert.deepEqual(resentBatchProblems(tb.txnTap.exchanges).problems, [], 'a transactional append whose answer was withheld, sent again, is answered as a duplicate');
  assert.deepEqual(versionedErrorProblems(tb.txnTap.exchanges), []);
  assert.deepEqual([...tb.txnTap.errors, ...tb.tap.errors], [], 'the taps decoded every exchange');
}

test('confluent-kafka consume-transform-produce: worker SIGKILLs and broker SIGKILLs, every input exactly once in the output', { timeout: 180_000 }, (t) =>
  scenario(t, 'confluent-kafka', { inputs: 3000, kills: 10, brokerKillsAt: [4, 8], staticMember: true }));

test('KafkaJS consume-transform-produce: worker SIGKILLs and a broker SIGKILL, every input exactly once in the output', { timeout: 180_000 }, (t) =>
  scenario(t, 'kafkajs', { inputs: 1500, kills: 4, brokerKillsAt: [2], staticMember: false }));
