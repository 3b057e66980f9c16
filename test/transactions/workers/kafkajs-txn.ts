/**
 * A KafkaJS transactional producer driven step by step for the exactly-once suites:
 *   node kafkajs-txn.js '<json config>'   (bootstrap, name, transactionalId, transactionTimeoutMs?)
 * `producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 })`. Commands as for
 * confluent_txn.py: init, begin, send, commit, abort, each answered by a "reply" event.
 *
 * KafkaJS has no separate init: `transaction()` sends InitProducerId (once per producer) and then
 * begins. "init" therefore calls `transaction()` and keeps the transaction for the next "begin".
 */
import type { Transaction } from 'kafkajs';
import { cfg, describe, emit, kafka, readCommands, started } from './kafkajs-io.js';
import type { Delivered } from '../harness/events.js';

const producer = kafka.producer({
  transactionalId: cfg.transactionalId as string,
  idempotent: true,
  maxInFlightRequests: 1,
  ...(typeof cfg.transactionTimeoutMs === 'number' ? { transactionTimeout: cfg.transactionTimeoutMs } : {}),
});

let txn: Transaction | null = null;
/** The transaction "init" opened, not yet handed to "begin". */
let prepared: Transaction | null = null;

async function send(topic: string, records: [number, string][]): Promise<Delivered[]> {
  if (!txn) throw new Error('send outside a transaction');
  const result = await txn.send({ topic, messages: records.map(([partition, value]) => ({ partition, value })) });
  const base = new Map(result.map((r) => [r.partition, Number(r.baseOffset)]));
  const seen = new Map<number, number>();
  return records.map(([partition, value]) => {
    const index = seen.get(partition) ?? 0;
    seen.set(partition, index + 1);
    return [partition, base.get(partition)! + index, value];
  });
}

async function run(cmd: Record<string, unknown> & { op: string }): Promise<Delivered[] | undefined> {
  switch (cmd.op) {
    case 'init':
      prepared = await producer.transaction();
      return undefined;
    case 'begin':
      txn = prepared ?? (await producer.transaction());
      prepared = null;
      return undefined;
    case 'send':
      return send(cmd.topic as string, cmd.records as [number, string][]);
    case 'commit':
      await txn!.commit();
      return undefined;
    case 'abort':
      await txn!.abort();
      return undefined;
    default:
      throw new Error(`unknown op ${cmd.op}`);
  }
}

// One command at a time, in order.
let queue: Promise<void> = Promise.resolve();
started();
await producer.connect();
readCommands((cmd) => {
  queue = queue.then(async () => {
    try {
      const delivered = await run(cmd);
      emit({ e: 'reply', id: cmd.id, op: cmd.op, ok: true, ...(delivered ? { delivered } : {}) });
    } catch (e) {
      emit({ e: 'reply', id: cmd.id, op: cmd.op, ok: false, error: describe(e) });
    }
  });
}, () => {
  void queue.then(async () => {
    await producer.disconnect().catch(() => undefined);
    emit({ e: 'closed' });
    process.exit(0);
  });
});
