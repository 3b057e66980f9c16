/**
 * The transaction side of a broker across restarts (data on disk): producer ids are never
 * handed out twice (the controller's ProducerIdsRecord), transactional ids keep their producer
 * id and epoch (replayed from `__transaction_state`), and a transaction whose PrepareCommit was
 * durable but whose markers were never written (the broker stopped in between) is completed by
 * the coordinator when it loads again.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeTransactionRecord, TransactionState } from '../../src/coordinator/transaction/index.js';
import { ControlRecordType, ErrorCode, encodeRecordBatchSync, endTxnMarkerOfBatch } from '../../src/protocol/index.js';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { RawClient, createTopic } from './raw-client.js';
import { READ_COMMITTED, batchesOf, fetchPartition, produce, producerBatch, valuesOf } from './txn-data-requests.js';
import { addPartitions, describeTransactions, eventually, initProducerId, initTransactions, stateReached } from './transactions-requests.js';

const CONFIG = { 'transaction.state.log.num.partitions': '3', 'offsets.topic.num.partitions': '1' };

let dataDir: string;
let broker: TestBroker | undefined;
let client: RawClient | undefined;

async function restart(): Promise<RawClient> {
  client?.close();
  await broker?.stop({ keepData: true });
  broker = await startBroker({ dataDir, config: CONFIG });
  client = await RawClient.connect('127.0.0.1', broker.port);
  return client;
}

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'samsa-txn-restart-'));
});
after(async () => {
  client?.close();
  await broker?.stop({ keepData: true });
  await rm(dataDir, { recursive: true, force: true });
});

/** An idempotent producer id, retried while the broker's first block is on its way. */
async function idempotentProducerId(c: RawClient): Promise<bigint> {
  const r = await eventually(async () => {
    const answer = await initProducerId(c, null);
    return answer.errorCode === ErrorCode.NONE ? answer : undefined;
  }, 'an idempotent producer id');
  return r.producerId;
}

test('producer ids never repeat across restarts; a transactional id keeps its producer id and its epoch moves on', async () => {
  let c = await restart();
  await createTopic(c, 'restart', 1);
  const first = [await idempotentProducerId(c), await idempotentProducerId(c), await idempotentProducerId(c)];
  const txn = await initTransactions(c, 'restart-txn');
  c = await restart();
  const second = [await idempotentProducerId(c), await idempotentProducerId(c)];
  assert.equal(new Set([...first, ...second, txn.producerId]).size, 6, 'no producer id handed out twice');
  assert.ok(second.every((id) => id >= 1000n), 'the restarted broker works from a new block');
  const again = await initTransactions(c, 'restart-txn');
  assert.deepEqual([again.producerId, again.producerEpoch], [txn.producerId, txn.producerEpoch + 1]);
  c = await restart();
  const third = await idempotentProducerId(c);
  assert.ok(third >= 2000n, 'each start takes a fresh block');
});

test('a transaction whose PrepareCommit is durable but whose markers were never written is completed at the next start', async () => {
  let c = await restart();
  const p = await initTransactions(c, 'prepared-txn');
  assert.deepEqual(await addPartitions(c, p, { restart: [0] }), { 'restart-0': ErrorCode.NONE });
  const written = await produce(c, 'restart', 0, producerBatch({ ...p, baseSequence: 0, count: 2, transactional: true, prefix: 'prepared' }), p.transactionalId);
  assert.equal(written.errorCode, ErrorCode.NONE);
  const [ongoing] = await describeTransactions(c, ['prepared-txn']);
  assert.equal(ongoing!.transactionState, 'Ongoing');

  // What the coordinator persists on EndTxn(commit), appended as it would be, then the broker stops before any marker.
  const services = broker!.broker.services;
  const nowMs = BigInt(Date.now());
  const { key, value } = encodeTransactionRecord({
    type: 'TransactionLog',
    key: { transactionalId: 'prepared-txn' },
    value: {
      producerId: p.producerId, previousProducerId: -1n, nextProducerId: -1n, producerEpoch: p.producerEpoch,
      transactionTimeoutMs: ongoing!.transactionTimeoutMs, transactionStatus: TransactionState.PrepareCommit,
      transactionPartitions: [{ topic: 'restart', partitionIds: [0] }],
      transactionLastUpdateTimestampMs: nowMs, transactionStartTimestampMs: ongoing!.transactionStartTimeMs, clientTransactionVersion: 0,
    },
  });
  const appended = await services.replicas.append(
    '__transaction_state', services.transactionCoordinator.partitionFor('prepared-txn'),
    encodeRecordBatchSync({ records: [{ timestamp: nowMs, key, value }] }), { origin: 'coordinator' },
  );
  assert.equal(appended.errorCode, ErrorCode.NONE);
  const beforeRestart = await fetchPartition(c, 'restart', 0, 0n, { isolationLevel: READ_COMMITTED });
  assert.equal(beforeRestart.lastStableOffset < beforeRestart.highWatermark, true, 'the transaction is open when the broker stops');

  c = await restart();
  const completed = await stateReached(c, 'prepared-txn', 'CompleteCommit');
  assert.deepEqual([completed.producerId, completed.producerEpoch], [p.producerId, p.producerEpoch]);
  const afterRestart = await eventually(async () => {
    const r = await fetchPartition(c, 'restart', 0, 0n, { isolationLevel: READ_COMMITTED });
    return r.lastStableOffset === r.highWatermark ? r : undefined;
  }, 'the commit marker');
  assert.deepEqual(valuesOf(afterRestart), ['prepared-0', 'prepared-1']);
  const markers = batchesOf(afterRestart).filter((b) => b.isControl).map((b) => [endTxnMarkerOfBatch(b)?.type, b.producerId, b.producerEpoch]);
  assert.deepEqual(markers, [[ControlRecordType.Commit, p.producerId, p.producerEpoch]]);
});
