import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../protocol/index.js';
import type { BrokerLogger } from '../logger.js';
import { type ProducerIdBlockGrant, ProducerIdManager, ProducerIdsUnavailableError } from './producer-id-manager.js';
import { ManualTimer } from './testing/manual-timer.js';

/** A controller double: each AllocateProducerIds waits until the test answers it. */
class FakeController {
  readonly requests: { brokerId: number; brokerEpoch: bigint; answer: (grant: ProducerIdBlockGrant | Error) => void }[] = [];

  allocate = (brokerId: number, brokerEpoch: bigint): Promise<ProducerIdBlockGrant> => new Promise((resolve, reject) => {
    this.requests.push({ brokerId, brokerEpoch, answer: (g) => (g instanceof Error ? reject(g) : resolve(g)) });
  });

  /** Answers the oldest open request and lets the manager see the answer. */
  async answer(grant: ProducerIdBlockGrant | Error): Promise<void> {
    const request = this.requests.shift();
    assert.ok(request, 'a request to answer');
    request.answer(grant);
    await flush();
  }
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
const block = (producerIdStart: bigint, producerIdLen = 1000): ProducerIdBlockGrant => ({ errorCode: ErrorCode.NONE, producerIdStart, producerIdLen });

function setup() {
  const controller = new FakeController();
  const timer = new ManualTimer();
  const warnings: string[] = [];
  const logger: BrokerLogger = { info: () => {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };
  const manager = new ProducerIdManager({ brokerId: 3, allocate: controller.allocate, timer, logger });
  return { controller, timer, warnings, manager };
}

test('ids come one by one from the granted block; no id before the first grant', async () => {
  const { controller, manager } = setup();
  manager.start(42n);
  assert.deepEqual(controller.requests.map((r) => [r.brokerId, r.brokerEpoch]), [[3, 42n]]);
  assert.equal(manager.next(), null);
  assert.equal(controller.requests.length, 1, 'a request under way is not repeated');
  await controller.answer(block(5000n));
  assert.deepEqual([manager.next(), manager.next(), manager.next()], [5000n, 5001n, 5002n]);
});

test('prefetch: with a 1000-id block the request goes out at id 900 and the switch is seamless', async () => {
  const { controller, manager } = setup();
  manager.start(1n);
  await controller.answer(block(0n));
  for (let i = 0; i < 900; i++) manager.next();
  assert.equal(controller.requests.length, 0);
  assert.equal(manager.next(), 900n);
  assert.equal(controller.requests.length, 1, 'asked for the next block at 90%');
  await controller.answer(block(1000n));
  for (let i = 901; i < 1000; i++) assert.equal(manager.next(), BigInt(i));
  assert.equal(manager.next(), 1000n, 'the next block takes over');
  assert.equal(manager.next(), 1001n);
  assert.equal(controller.requests.length, 0);
});

test('an exhausted block without a successor answers null and asks again; waiters hear when ids arrive', async () => {
  const { controller, manager } = setup();
  manager.start(1n);
  await controller.answer(block(0n, 1));
  assert.equal(manager.next(), 0n);
  assert.equal(controller.requests.length, 1, 'the 1-id block asks for more at once');
  assert.equal(manager.next(), null);
  const ready = manager.ready();
  const later = manager.nextAsync();
  await controller.answer(block(1n, 1));
  assert.equal(await ready, true);
  assert.equal(await later, 1n);
});

test('controller refusals are retried after a growing backoff, logged; ready() reports each failed attempt', async () => {
  const { controller, timer, warnings, manager } = setup();
  manager.start(7n);
  const first = manager.ready();
  await controller.answer({ errorCode: ErrorCode.STALE_BROKER_EPOCH, producerIdStart: 0n, producerIdLen: 0 });
  assert.equal(await first, false);
  assert.equal(controller.requests.length, 0, 'no request while the backoff runs');
  const refused = assert.rejects(manager.nextAsync(), ProducerIdsUnavailableError);
  assert.equal(timer.runAll(), 1);
  await controller.answer(new Error('controller unreachable'));
  await refused;
  assert.equal(timer.runAll(), 1);
  await controller.answer({ errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, producerIdStart: 0n, producerIdLen: 0 });
  assert.deepEqual(timer.delaysMs, [50, 100, 200]);
  assert.equal(warnings.length, 3);
  assert.match(warnings[0]!, new RegExp(`error ${ErrorCode.STALE_BROKER_EPOCH}; retrying in 50 ms`));
  assert.match(warnings[1]!, /controller unreachable/);
  assert.equal(timer.runAll(), 1);
  await controller.answer(block(2000n));
  assert.equal(manager.next(), 2000n);
  // Success resets the backoff.
  for (let i = 1; i <= 900; i++) manager.next();
  await controller.answer({ errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, producerIdStart: 0n, producerIdLen: 0 });
  assert.equal(timer.delaysMs.at(-1), 50);
});

test('invalid or non-monotonic grants are refused and asked again', async () => {
  const { controller, timer, warnings, manager } = setup();
  manager.start(1n);
  await controller.answer(block(1000n, 2));
  assert.deepEqual([manager.next(), manager.next()], [1000n, 1001n]);
  // The 2-id block asked for more when id 1001 (90% rounded down is id 1001) was handed out.
  await controller.answer(block(1000n, 2));
  assert.equal(manager.next(), null, 'a block below the ids already granted is not used');
  assert.match(warnings[0]!, /below ids already granted/);
  timer.runAll();
  await controller.answer(block(-5n, 10));
  assert.match(warnings[1]!, /invalid producer id block/);
  timer.runAll();
  await controller.answer(block(1002n, 0));
  assert.match(warnings[2]!, /invalid producer id block/);
  timer.runAll();
  await controller.answer(block(5000n, 2));
  assert.equal(manager.next(), 5000n);
});

test('stop cancels the retry and releases waiters with false; nothing is asked afterwards', async () => {
  const { controller, timer, manager } = setup();
  manager.start(1n);
  await controller.answer({ errorCode: ErrorCode.BROKER_ID_NOT_REGISTERED, producerIdStart: 0n, producerIdLen: 0 });
  const waiting = manager.ready();
  manager.stop();
  assert.equal(await waiting, false);
  assert.equal(timer.pending, 0);
  assert.equal(manager.next(), null);
  assert.equal(controller.requests.length, 0);
  assert.equal(await manager.ready(), false);
});
