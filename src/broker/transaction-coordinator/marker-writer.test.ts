import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MarkerJob } from '../../coordinator/transaction/shard-api.js';
import { ErrorCode } from '../../protocol/index.js';
import type { TxnMarker } from '../../storage/index.js';
import type { BrokerLogger } from '../logger.js';
import { MarkerWriter } from './marker-writer.js';
import { ManualTimer } from './testing/manual-timer.js';

const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

/** The partitions' side: scripted answers per partition (NONE once the script runs out), every call kept. */
class FakePartitions {
  readonly calls: string[] = [];
  readonly markers: TxnMarker[] = [];
  private readonly scripts = new Map<string, (number | Error)[]>();
  /** Partitions that exist in the metadata. */
  readonly existing = new Set<string>();
  /** While set, writes wait for `release()`. */
  private gate: { promise: Promise<void>; open: () => void } | undefined;

  script(partition: string, ...answers: (number | Error)[]): void {
    this.scripts.set(partition, answers);
  }

  hold(): void {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => { open = resolve; });
    this.gate = { promise, open };
  }

  release(): void {
    this.gate?.open();
    this.gate = undefined;
  }

  write = async (topic: string, partition: number, marker: TxnMarker): Promise<number> => {
    const name = `${topic}-${partition}`;
    this.calls.push(name);
    this.markers.push(marker);
    if (this.gate) await this.gate.promise;
    const answer = this.scripts.get(name)?.shift() ?? ErrorCode.NONE;
    if (answer instanceof Error) throw answer;
    return answer;
  };
}

function job(overrides: Partial<MarkerJob> = {}): MarkerJob {
  return {
    transactionalId: 'tx-1', producerId: 77n, producerEpoch: 3, coordinatorEpoch: 5, committed: true,
    partitions: [{ topic: 'orders', partition: 0 }, { topic: 'orders', partition: 1 }, { topic: '__consumer_offsets', partition: 12 }],
    ...overrides,
  };
}

function setup(options: { current?: (job: MarkerJob) => boolean; completeAnswers?: number[] } = {}) {
  const partitions = new FakePartitions();
  const timer = new ManualTimer();
  const completed: MarkerJob[] = [];
  const completeAnswers = options.completeAnswers ?? [];
  const logs: string[] = [];
  const logger: BrokerLogger = { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${m}`) };
  const writer = new MarkerWriter({
    writeMarker: partitions.write,
    complete: (j) => {
      completed.push(j);
      return Promise.resolve(completeAnswers.shift() ?? ErrorCode.NONE);
    },
    isCurrent: options.current ?? (() => true),
    partitionExists: (topic, partition) => partitions.existing.has(`${topic}-${partition}`),
    timer,
    logger,
  });
  return { partitions, timer, completed, logs, writer };
}

test('every partition gets the marker (producer, epoch, coordinator epoch, result), then the transaction is completed once', async () => {
  const { partitions, completed, writer } = setup();
  writer.send(job());
  assert.deepEqual(writer.inFlight, ['tx-1']);
  await flush();
  assert.deepEqual(partitions.calls, ['orders-0', 'orders-1', '__consumer_offsets-12']);
  assert.deepEqual(partitions.markers[0], { producerId: 77n, producerEpoch: 3, coordinatorEpoch: 5, committed: true });
  assert.deepEqual(completed.map((j) => j.transactionalId), ['tx-1']);
  assert.deepEqual(writer.inFlight, []);
});

test('partitions not ready are retried alone after a growing backoff; the transaction completes once all are written', async () => {
  const { partitions, timer, completed, writer, logs } = setup();
  partitions.script('orders-1', ErrorCode.NOT_LEADER_OR_FOLLOWER, ErrorCode.KAFKA_STORAGE_ERROR, ErrorCode.REQUEST_TIMED_OUT);
  partitions.script('__consumer_offsets-12', ErrorCode.NOT_ENOUGH_REPLICAS);
  writer.send(job({ committed: false }));
  await flush();
  assert.equal(completed.length, 0);
  assert.match(logs.join('\n'), /retrying the transaction markers of tx-1 for orders-1 \(error 6\), __consumer_offsets-12 \(error 19\)/);
  partitions.calls.length = 0;
  timer.runAll();
  await flush();
  assert.deepEqual(partitions.calls, ['orders-1', '__consumer_offsets-12']);
  partitions.calls.length = 0;
  timer.runAll();
  await flush();
  assert.deepEqual(partitions.calls, ['orders-1']);
  timer.runAll();
  await flush();
  assert.deepEqual(timer.delaysMs, [100, 200, 400]);
  assert.equal(completed.length, 1);
  assert.equal(partitions.markers.every((m) => !m.committed), true);
  assert.equal(timer.pending, 0);
});

test('backoff is capped; a marker write that throws is retried like a retriable error', async () => {
  const { partitions, timer, completed, writer } = setup();
  partitions.script('orders-0', ...Array.from({ length: 6 }, () => ErrorCode.NOT_LEADER_OR_FOLLOWER), new Error('disk on fire'));
  writer.send(job({ partitions: [{ topic: 'orders', partition: 0 }] }));
  for (let i = 0; i < 7; i++) {
    await flush();
    timer.runAll();
  }
  await flush();
  assert.deepEqual(timer.delaysMs, [100, 200, 400, 800, 1600, 2000, 2000]);
  assert.equal(completed.length, 1);
});

test('a deleted partition is skipped; an unknown partition that still exists is retried', async () => {
  const { partitions, timer, completed, writer } = setup();
  partitions.existing.add('orders-1');
  partitions.script('orders-0', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  partitions.script('orders-1', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  writer.send(job());
  await flush();
  partitions.calls.length = 0;
  timer.runAll();
  await flush();
  assert.deepEqual(partitions.calls, ['orders-1']);
  assert.equal(completed.length, 1);
});

test('a marker refused for a newer producer epoch or coordinator ends the job without completing it', async () => {
  for (const code of [ErrorCode.INVALID_PRODUCER_EPOCH, ErrorCode.TRANSACTION_COORDINATOR_FENCED]) {
    const { partitions, timer, completed, writer, logs } = setup();
    partitions.script('orders-1', code);
    partitions.script('orders-0', ErrorCode.NOT_LEADER_OR_FOLLOWER);
    writer.send(job());
    await flush();
    assert.equal(completed.length, 0);
    assert.equal(timer.pending, 0, 'nothing is retried');
    assert.deepEqual(writer.inFlight, []);
    assert.match(logs.join('\n'), /warn stopping the transaction markers of tx-1 .*orders-1/);
  }
});

test('a job whose coordinator moved (partition led elsewhere or a newer epoch) is dropped before writing', async () => {
  let current = true;
  const { partitions, timer, completed, writer } = setup({ current: () => current });
  partitions.script('orders-0', ErrorCode.NOT_LEADER_OR_FOLLOWER);
  writer.send(job());
  await flush();
  partitions.calls.length = 0;
  current = false;
  timer.runAll();
  await flush();
  assert.deepEqual(partitions.calls, []);
  assert.equal(completed.length, 0);
  assert.deepEqual(writer.inFlight, []);
});

test('the completion: a coordinator that moved ends the job (its next owner completes); other errors retry the completion only', async () => {
  const moved = setup({ completeAnswers: [ErrorCode.NOT_COORDINATOR] });
  moved.writer.send(job());
  await flush();
  assert.equal(moved.completed.length, 1);
  assert.equal(moved.timer.pending, 0);
  assert.deepEqual(moved.writer.inFlight, []);

  const failing = setup({ completeAnswers: [ErrorCode.UNKNOWN_SERVER_ERROR] });
  failing.writer.send(job());
  await flush();
  assert.equal(failing.completed.length, 1);
  failing.partitions.calls.length = 0;
  failing.timer.runAll();
  await flush();
  assert.deepEqual(failing.partitions.calls, [], 'markers already written are not written again');
  assert.equal(failing.completed.length, 2);
  assert.deepEqual(failing.writer.inFlight, []);
});

test('a resent job for the same transactional id replaces the one in flight', async () => {
  const { partitions, timer, completed, writer } = setup();
  partitions.script('orders-0', ErrorCode.NOT_LEADER_OR_FOLLOWER);
  writer.send(job());
  await flush();
  assert.equal(timer.pending, 1);
  writer.send(job({ coordinatorEpoch: 6 }));
  assert.equal(timer.pending, 0, 'the first job\'s retry is cancelled');
  await flush();
  assert.deepEqual(completed.map((j) => j.coordinatorEpoch), [6]);
  assert.equal(partitions.markers.at(-1)!.coordinatorEpoch, 6);
  // The replaced job's answers in flight are ignored too.
  partitions.hold();
  writer.send(job({ transactionalId: 'tx-2' }));
  await flush();
  writer.send(job({ transactionalId: 'tx-2', producerEpoch: 4 }));
  partitions.release();
  await flush();
  assert.deepEqual(completed.filter((j) => j.transactionalId === 'tx-2').map((j) => j.producerEpoch), [4]);
});

test('stop waits for the round under way (it may complete), cancels waiting retries and takes no new job', async () => {
  const { partitions, timer, completed, writer } = setup();
  partitions.script('orders-0', ErrorCode.NOT_LEADER_OR_FOLLOWER);
  writer.send(job({ transactionalId: 'waiting' }));
  await flush();
  partitions.hold();
  writer.send(job({ transactionalId: 'writing' }));
  await flush();
  let stopped = false;
  const stopping = writer.stop().then(() => { stopped = true; });
  await flush();
  assert.equal(stopped, false, 'the round under way is waited for');
  partitions.release();
  await stopping;
  assert.deepEqual(completed.map((j) => j.transactionalId), ['writing']);
  assert.equal(timer.pending, 0);
  assert.deepEqual(writer.inFlight, []);
  writer.send(job({ transactionalId: 'late' }));
  await flush();
  assert.equal(completed.length, 1);
});
