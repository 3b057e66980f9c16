/**
 * `samsa transactions` in-process against a scripted broker: the tables it prints, the exit
 * codes, and usage mistakes caught before anything is sent.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../common/clock.js';
import {
  ApiKey, DescribeProducersResponse, type DescribeTransactionsRequest, DescribeTransactionsResponse, ErrorCode, type FindCoordinatorRequest, FindCoordinatorResponse,
  type ListTransactionsRequest, ListTransactionsResponse, MetadataResponse, ZERO_UUID,
} from '../protocol/index.js';
import { FakeBroker, answeringApiVersions } from '../client/testing/fake-broker.js';
import { main } from './main.js';
import { transactionsCommand } from './transactions-command.js';

const START_MS = 1_700_000_000_000;
let fake: FakeBroker;

before(async () => {
  fake = await FakeBroker.start(answeringApiVersions((req) => {
    const self = { nodeId: 1, host: '127.0.0.1', port: fake.port };
    switch (req.apiKey) {
      case ApiKey.Metadata:
        return req.respond({
          ...MetadataResponse.defaults(), controllerId: 1, brokers: [{ ...self, rack: null }],
          topics: [{
            errorCode: 0, name: 'orders', topicId: ZERO_UUID, isInternal: false, topicAuthorizedOperations: 0,
            partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 1, leaderEpoch: 0, replicaNodes: [1], isrNodes: [1], offlineReplicas: [] }],
          }],
        });
      case ApiKey.ListTransactions: {
        const body = req.body as ListTransactionsRequest;
        const all = [
          { transactionalId: 'payments-tx', producerId: 4001n, transactionState: 'Ongoing' },
          { transactionalId: 'audit-tx', producerId: 4000n, transactionState: 'CompleteCommit' },
        ];
        return req.respond({
          ...ListTransactionsResponse.defaults(),
          transactionStates: all.filter((t) => body.stateFilters.length === 0 || body.stateFilters.includes(t.transactionState)),
        });
      }
      case ApiKey.FindCoordinator:
        return req.respond({
          ...FindCoordinatorResponse.defaults(),
          coordinators: (req.body as FindCoordinatorRequest).coordinatorKeys.map((key) => ({ key, ...self, errorCode: 0, errorMessage: null })),
        });
      case ApiKey.DescribeTransactions: {
        const [id] = (req.body as DescribeTransactionsRequest).transactionalIds;
        const known = id === 'payments-tx' || id === 'idle-tx';
        const open = id === 'payments-tx';
        return req.respond({
          ...DescribeTransactionsResponse.defaults(),
          transactionStates: [{
            errorCode: known ? 0 : ErrorCode.TRANSACTIONAL_ID_NOT_FOUND, transactionalId: id!,
            transactionState: open ? 'Ongoing' : 'Empty', transactionTimeoutMs: 60_000, transactionStartTimeMs: open ? BigInt(START_MS) : -1n,
            producerId: 4001n, producerEpoch: 3, topics: open ? [{ topic: 'orders', partitions: [1, 0] }] : [],
          }],
        });
      }
      case ApiKey.DescribeProducers:
        return req.respond({
          ...DescribeProducersResponse.defaults(),
          topics: [{
            name: 'orders',
            partitions: [{
              partitionIndex: 0, errorCode: 0, errorMessage: null,
              activeProducers: [
                { producerId: 4001n, producerEpoch: 3, lastSequence: 9, lastTimestamp: BigInt(START_MS), coordinatorEpoch: 0, currentTxnStartOffset: 17n },
                { producerId: 12n, producerEpoch: 0, lastSequence: 99, lastTimestamp: BigInt(START_MS - 5), coordinatorEpoch: -1, currentTxnStartOffset: -1n },
              ],
            }],
          }],
        });
    }
  }));
});

after(async () => {
  await fake?.stop();
});

interface Run {
  code: number;
  out: string[];
  err: string[];
}

async function run(args: string[], clock = new ManualClock(START_MS)): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await transactionsCommand(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, clock);
  return { code, out, err };
}

const txn = (...args: string[]): Promise<Run> => run([...args, '--bootstrap-server', `127.0.0.1:${fake.port}`]);
const cells = (lines: string[]): string[][] => lines.map((l) => l.trim().split(/\s+/));

test('list prints Kafka\'s columns, one row per transaction, sorted, and passes the filters', async () => {
  const all = await txn('list');
  assert.equal(all.code, 0, all.err.join('\n'));
  assert.deepEqual(cells(all.out), [
    ['TransactionalId', 'Coordinator', 'ProducerId', 'TransactionState'],
    ['audit-tx', '1', '4000', 'CompleteCommit'],
    ['payments-tx', '1', '4001', 'Ongoing'],
  ]);
  const ongoing = await txn('list', '--state', 'Ongoing', '--producer-id', '4001', '--duration-filter', '1000');
  assert.deepEqual(cells(ongoing.out).slice(1), [['payments-tx', '1', '4001', 'Ongoing']]);
  const sent = fake.requests.filter((r) => r.apiKey === ApiKey.ListTransactions).at(-1)!;
  const body = sent.body as ListTransactionsRequest;
  assert.deepEqual([body.stateFilters, body.producerIdFilters, body.durationFilter, sent.apiVersion], [['Ongoing'], [4001n], 1000n, 1]);
});

test('describe prints the open transaction with its duration by the clock, and None when nothing is open', async () => {
  const clock = new ManualClock(START_MS);
  clock.advance(2_500);
  const open = await run(['describe', '--transactional-id', 'payments-tx', '--bootstrap-server', `127.0.0.1:${fake.port}`], clock);
  assert.equal(open.code, 0, open.err.join('\n'));
  assert.deepEqual(cells(open.out), [
    ['CoordinatorId', 'TransactionalId', 'ProducerId', 'ProducerEpoch', 'TransactionState', 'TransactionTimeoutMs',
      'CurrentTransactionStartTimeMs', 'TransactionDurationMs', 'TopicPartitions'],
    ['1', 'payments-tx', '4001', '3', 'Ongoing', '60000', String(START_MS), '2500', 'orders-0,orders-1'],
  ]);
  const idle = await txn('describe', '--transactional-id', 'idle-tx');
  assert.deepEqual(cells(idle.out)[1], ['1', 'idle-tx', '4001', '3', 'Empty', '60000', 'None', 'None']);
});

test('describe of an unknown transactional id exits 1 with a message and no table', async () => {
  const r = await txn('describe', '--transactional-id', 'ghost');
  assert.equal(r.code, 1);
  assert.deepEqual(r.out, []);
  assert.deepEqual(r.err, ["Error: transactional id 'ghost' was not found."]);
});

test('describe-producers prints each producer; no coordinator epoch is -1, no open transaction None', async () => {
  const r = await txn('describe-producers', '--topic', 'orders', '--partition', '0');
  assert.equal(r.code, 0, r.err.join('\n'));
  assert.deepEqual(cells(r.out), [
    ['ProducerId', 'ProducerEpoch', 'LatestCoordinatorEpoch', 'LastSequence', 'LastTimestamp', 'CurrentTransactionStartOffset'],
    ['4001', '3', '0', '9', String(START_MS), '17'],
    ['12', '0', '-1', '99', String(START_MS - 5), 'None'],
  ]);
  const missing = await txn('describe-producers', '--topic', 'orders', '--partition', '5');
  assert.equal(missing.code, 1);
  assert.match(missing.err.join('\n'), /^Error: partition orders-5 does not exist$/);
});

test('usage mistakes exit 2 before anything is sent', async () => {
  const before = fake.requests.length;
  for (const args of [
    ['frobnicate'], ['describe'], ['describe', '--transactional-id', 'a', 'extra'], ['list', '--state', 'Running'],
    ['list', '--producer-id', 'x'], ['list', '--duration-filter', '-5'], ['describe-producers', '--topic', 'orders'],
    ['describe-producers', '--topic', 'orders', '--partition', 'one'], ['list', '--no-such-flag'],
  ]) {
    const r = await txn(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err.join('\n'), /^samsa transactions: .*\n\nusage: samsa transactions/s, args.join(' '));
  }
  assert.equal(fake.requests.length, before);
});

test('help, and the line in samsa help', async () => {
  const help = await run(['help']);
  assert.equal(help.code, 0);
  assert.match(help.out.join('\n'), /describe-producers --topic T --partition P/);
  const lines: string[] = [];
  assert.equal(await main(['help'], (l) => lines.push(l)), 0);
  assert.match(lines.join('\n'), /^ {2}transactions list\|describe\|describe-producers/m);
});

test('an unreachable cluster is an error, not a hang', async () => {
  const r = await run(['list', '--bootstrap-server', '127.0.0.1:1']);
  assert.equal(r.code, 1);
  assert.match(r.err.join('\n'), /cannot reach the cluster/);
});
