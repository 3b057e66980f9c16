/**
 * `samsa transactions` against a real broker, with a transaction driven by raw requests: open,
 * then committed. Commands run in-process through main() (a synchronous child would block the
 * in-process broker); one runs as a separate process, spawned asynchronously, as a user runs it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { createTopic, kafkajsClient } from '../client/helpers.js';
import { type RawTransaction, TXN_BROKER_CONFIG, beginTransaction } from '../client/transactions-raw.js';

/** The bundled command users run (`bin`, `npm start`), built by scripts/bundle.mjs. */
const MAIN = fileURLToPath(new URL('../../src/cli/samsa.js', import.meta.url));
const BASE_MS = 1_700_000_000_000;
const TXN_ID = 'orders-tx';
let broker: TestBroker;
let txn: RawTransaction;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function samsa(...args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main([...args, '--bootstrap-server', broker.bootstrap], (l) => { stdout += `${l}\n`; }, (l) => { stderr += `${l}\n`; });
  return { code, stdout, stderr };
}

function spawnSamsa(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Table lines as arrays of cells (cells never contain spaces here). */
function table(stdout: string): string[][] {
  return stdout.trim().split('\n').map((l) => l.trim().split(/\s+/));
}

before(async () => {
  broker = await startBroker({ inMemory: true, config: TXN_BROKER_CONFIG });
  await createTopic(kafkajsClient(broker.bootstrap), 'orders', 2);
  txn = await beginTransaction(broker.bootstrap, TXN_ID, [{ topic: 'orders', partition: 1 }, { topic: 'orders', partition: 0 }]);
  await txn.produce({ topic: 'orders', partition: 0 }, 2, BASE_MS);
});

after(async () => {
  await txn?.close();
  await broker?.stop();
});

test('transactions list shows the open transaction as Ongoing', async () => {
  const r = await samsa('transactions', 'list');
  assert.equal(r.code, 0, r.stderr);
  const [header, ...rows] = table(r.stdout);
  assert.deepEqual(header, ['TransactionalId', 'Coordinator', 'ProducerId', 'TransactionState']);
  assert.deepEqual(rows, [[TXN_ID, '1', txn.producerId.toString(), 'Ongoing']]);
});

test('transactions list as a separate process', async () => {
  const r = await spawnSamsa('transactions', 'list', '--state', 'Ongoing', '--bootstrap-server', broker.bootstrap);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(table(r.stdout).slice(1), [[TXN_ID, '1', txn.producerId.toString(), 'Ongoing']]);
});

test('transactions describe shows the open transaction and its partitions', async () => {
  const r = await samsa('transactions', 'describe', '--transactional-id', TXN_ID);
  assert.equal(r.code, 0, r.stderr);
  const [header, row] = table(r.stdout);
  assert.deepEqual(header, [
    'CoordinatorId', 'TransactionalId', 'ProducerId', 'ProducerEpoch', 'TransactionState', 'TransactionTimeoutMs',
    'CurrentTransactionStartTimeMs', 'TransactionDurationMs', 'TopicPartitions',
  ]);
  assert.deepEqual(row!.slice(0, 6), ['1', TXN_ID, txn.producerId.toString(), String(txn.producerEpoch), 'Ongoing', '60000']);
  assert.match(row![6]!, /^\d+$/);
  assert.match(row![7]!, /^-?\d+$/);
  assert.equal(row![8], 'orders-0,orders-1');
});

test('transactions describe-producers shows the producer with its open transaction\'s first offset', async () => {
  const r = await samsa('transactions', 'describe-producers', '--topic', 'orders', '--partition', '0');
  assert.equal(r.code, 0, r.stderr);
  const [header, ...rows] = table(r.stdout);
  assert.deepEqual(header, ['ProducerId', 'ProducerEpoch', 'LatestCoordinatorEpoch', 'LastSequence', 'LastTimestamp', 'CurrentTransactionStartOffset']);
  assert.deepEqual(rows, [[txn.producerId.toString(), String(txn.producerEpoch), '-1', '1', String(BASE_MS + 1), '0']]);
  const empty = await samsa('transactions', 'describe-producers', '--topic', 'orders', '--partition', '1');
  assert.deepEqual(table(empty.stdout).slice(1), []);
});

test('after the commit: CompleteCommit (the start time kept, as Kafka), and no open transaction on the partition', async () => {
  await txn.end(true);
  let row: string[] = [];
  for (let attempt = 0; attempt < 50; attempt++) {
    // The markers are written after EndTxn answers; PrepareCommit until then.
    row = table((await samsa('transactions', 'describe', '--transactional-id', TXN_ID)).stdout)[1]!;
    if (row[4] !== 'PrepareCommit') break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.deepEqual(row.slice(4, 6), ['CompleteCommit', '60000']);
  // Kafka's coordinator keeps txnStartTimestamp through PrepareCommit → CompleteCommit.
  assert.match(row[6]!, /^\d+$/);
  assert.equal(row[8] ?? '', '', 'no partitions left in the transaction');
  const list = await samsa('transactions', 'list');
  assert.deepEqual(table(list.stdout).slice(1), [[TXN_ID, '1', txn.producerId.toString(), 'CompleteCommit']]);
  const producers = await samsa('transactions', 'describe-producers', '--topic', 'orders', '--partition', '0');
  const [, p] = table(producers.stdout);
  assert.equal(p![0], txn.producerId.toString());
  assert.match(p![2]!, /^\d+$/, 'the marker\'s coordinator epoch');
  assert.equal(p![5], 'None');
});

test('an unknown transactional id and an unknown partition exit 1 with a message', async () => {
  const ghost = await samsa('transactions', 'describe', '--transactional-id', 'ghost-tx');
  assert.equal(ghost.code, 1);
  assert.equal(ghost.stderr.trim(), "Error: transactional id 'ghost-tx' was not found.");
  assert.equal(ghost.stdout, '');
  const missing = await samsa('transactions', 'describe-producers', '--topic', 'orders', '--partition', '7');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /partition orders-7 does not exist/);
});
