/**
 * `samsa groups` as a user runs it: a separate process (spawned asynchronously, so the
 * in-process broker keeps serving) against a broker with a kafkajs consumer group.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { type KafkajsConsumer, consumeAndCommit, createTopic, kafkajsClient, produce } from '../client/helpers.js';

/** The bundled command users run (`bin`, `npm start`), built by scripts/bundle.mjs. */
const MAIN = fileURLToPath(new URL('../../src/cli/samsa.js', import.meta.url));
const BASE_MS = 1_700_000_000_000;
let broker: TestBroker;
let consumer: KafkajsConsumer | null = null;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function samsa(...args: string[]): Promise<Run> {
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

const groups = (...args: string[]): Promise<Run> => samsa('groups', ...args, '--bootstrap-server', broker.bootstrap);

/** Table lines as arrays of cells (cells never contain spaces here). */
function table(stdout: string): string[][] {
  return stdout.trim().split('\n').map((l) => l.trim().split(/\s+/));
}

before(async () => {
  broker = await startBroker({ inMemory: true, config: { 'group.initial.rebalance.delay.ms': '0', 'offsets.topic.num.partitions': '3' } });
  const kafka = kafkajsClient(broker.bootstrap, 'billing-app');
  await createTopic(kafka, 'payments', 2);
  await produce(kafka, 'payments', [0, 1], 6, BASE_MS);
  consumer = await consumeAndCommit(kafka, 'billing', 'payments', 12);
  await produce(kafka, 'payments', [1], 3, BASE_MS + 100_000);
});

after(async () => {
  await consumer?.disconnect();
  await broker?.stop();
});

test('groups list prints GROUP, TYPE and STATE', async () => {
  const r = await groups('list');
  assert.equal(r.code, 0, r.stderr);
  const rows = table(r.stdout);
  assert.deepEqual(rows[0], ['GROUP', 'TYPE', 'STATE']);
  assert.deepEqual(rows.find((x) => x[0] === 'billing'), ['billing', 'Classic', 'Stable']);
});

test('groups describe prints offsets, log end offsets and lag per partition with the owner', async () => {
  const r = await groups('describe', 'billing');
  assert.equal(r.code, 0, r.stderr);
  const [header, ...rows] = table(r.stdout);
  assert.deepEqual(header, ['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID']);
  assert.deepEqual(rows.map((x) => x.slice(0, 6)), [
    ['billing', 'payments', '0', '6', '6', '0'],
    ['billing', 'payments', '1', '6', '9', '3'],
  ]);
  for (const row of rows) {
    assert.match(row[6]!, /^billing-app-/);
    assert.match(row[7]!, /127\.0\.0\.1/);
    assert.equal(row[8], 'billing-app');
  }
});

test('groups describe --members and --state', async () => {
  const members = await groups('describe', 'billing', '--members', '--verbose');
  assert.equal(members.code, 0, members.stderr);
  const [mh, m] = table(members.stdout);
  assert.deepEqual(mh, ['GROUP', 'CONSUMER-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS', 'ASSIGNMENT']);
  assert.deepEqual([m![0], m![3], m![4], m![5]], ['billing', 'billing-app', '2', 'payments(0,1)']);

  const state = await groups('describe', 'billing', '--state');
  assert.equal(state.code, 0, state.stderr);
  const lines = state.stdout.trim().split('\n');
  assert.match(lines[0]!, /^GROUP\s+COORDINATOR \(ID\)\s+ASSIGNMENT-STRATEGY\s+STATE\s+#MEMBERS$/);
  assert.match(lines[1]!, new RegExp(`^billing\\s+${broker.bootstrap} \\(1\\)\\s+\\S+\\s+Stable\\s+1$`));
});

test('an unknown group is an error with a clear message', async () => {
  const r = await groups('describe', 'nobody');
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim(), "Consumer group 'nobody' does not exist.");
  assert.equal(r.stdout, '');
});

test('reset-offsets refuses an active group', async () => {
  const r = await groups('reset-offsets', 'billing', '--topic', 'payments', '--to-earliest', '--execute');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /group 'billing' is inactive, but the current state is Stable/);
});

test('reset-offsets on the empty group: a dry run by default, then --execute', async () => {
  await consumer!.disconnect();
  consumer = null;
  const describe = await groups('describe', 'billing');
  assert.equal(describe.code, 0);
  assert.match(describe.stderr, /Consumer group 'billing' has no active members\./);
  assert.deepEqual(table(describe.stdout).slice(1).map((x) => x.slice(5)), [['0', '-', '-', '-'], ['3', '-', '-', '-']]);

  const dry = await groups('reset-offsets', 'billing', '--topic', 'payments:1', '--to-offset', '2');
  assert.equal(dry.code, 0, dry.stderr);
  assert.deepEqual(table(dry.stdout), [['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET'], ['billing', 'payments', '1', '2']]);
  assert.match(dry.stderr, /--execute/);
  const unchanged = await groups('describe', 'billing');
  assert.equal(table(unchanged.stdout)[2]![3], '6');

  const run = await groups('reset-offsets', 'billing', '--topic', 'payments', '--to-earliest', '--execute');
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, '');
  const after = await groups('describe', 'billing');
  assert.deepEqual(table(after.stdout).slice(1).map((x) => x.slice(2, 6)), [['0', '0', '6', '6'], ['1', '0', '9', '9']]);

  const byTime = await groups('reset-offsets', 'billing', '--all-topics', '--to-datetime', new Date(BASE_MS + 4000).toISOString(), '--execute');
  assert.equal(byTime.code, 0, byTime.stderr);
  assert.deepEqual(table(byTime.stdout).slice(1).map((x) => x[3]), ['4', '4']);
});

test('usage mistakes exit 2', async () => {
  assert.equal((await groups('reset-offsets', 'billing', '--topic', 'payments')).code, 2);
  assert.equal((await groups('describe')).code, 2);
  assert.equal((await groups('frobnicate')).code, 2);
  assert.equal((await groups('reset-offsets', 'billing', '--topic', 'payments:x', '--to-latest')).code, 2);
});

test('groups delete removes the empty group; deleting it again fails', async () => {
  const r = await groups('delete', 'billing');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /'billing'/);
  const again = await groups('delete', 'billing');
  assert.equal(again.code, 1);
  assert.match(again.stderr, /'billing' was not deleted: no such group/);
  const list = await groups('list');
  assert.equal(table(list.stdout).some((x) => x[0] === 'billing'), false);
});

test('an unreachable cluster is an error, not a hang', async () => {
  const r = await samsa('groups', 'list', '--bootstrap-server', '127.0.0.1:1');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot reach the cluster/);
});
