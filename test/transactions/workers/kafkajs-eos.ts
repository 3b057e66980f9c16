/**
 * A KafkaJS consume-transform-produce worker (exactly-once) for the exactly-once suites:
 *   node kafkajs-eos.js '<json config>'
 * Config: bootstrap, name, group, input, output, transactionalId, batch? (inputs per
 * transaction), transactionTimeoutMs?. As confluent_eos.py: a read_committed group consumer;
 * per transaction each input becomes "<value>|<partition>|<offset>" on the same partition of the
 * output topic, `transaction.sendOffsets({ consumerGroupId, topics })` adds the next input
 * offset, then commit. A failed transaction is aborted and its inputs are read again (seek);
 * when even the abort fails the worker exits with 3 and the harness starts a new instance.
 */
import type { KafkaMessage, Transaction } from 'kafkajs';
import { cfg, describe, emit, kafka, readCommands, started } from './kafkajs-io.js';

const input = cfg.input as string;
const output = cfg.output as string;
const group = cfg.group as string;
const batchSize = (cfg.batch as number | undefined) ?? 10;

const producer = kafka.producer({
  transactionalId: cfg.transactionalId as string,
  idempotent: true,
  maxInFlightRequests: 1,
  transactionTimeout: (cfg.transactionTimeoutMs as number | undefined) ?? 30_000,
});
const consumer = kafka.consumer({ groupId: group, readUncommitted: false, sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => emit({ e: 'assign', partitions: [...(payload.memberAssignment[input] ?? [])].sort((a, b) => a - b) }));
consumer.on(consumer.events.CRASH, ({ payload }) => emit({ e: 'clientError', error: `crash: ${payload.error.message}` }));

let closing = false;
let inFlight: Promise<unknown> = Promise.resolve();
/** The first transaction, opened before the consumer starts (see below). */
let opened: Transaction | null = null;

function exit(stage: string, e: unknown): never {
  emit({ e: 'txnError', stage, action: 'exit', error: describe(e) });
  process.exit(3);
}

/** One transaction over `messages` of `partition`; false when it was aborted (the caller reads them again). */
async function transform(partition: number, messages: KafkaMessage[]): Promise<boolean> {
  let stage = 'begin';
  let txn: Transaction | null = null;
  try {
    txn = opened ?? (await producer.transaction());
    opened = null;
    stage = 'produce';
    await txn.send({ topic: output, messages: messages.map((m) => ({ partition, key: m.key, value: `${m.value?.toString() ?? ''}|${partition}|${m.offset}` })) });
    stage = 'sendOffsets';
    const next = Number(messages[messages.length - 1]!.offset) + 1;
    await txn.sendOffsets({ consumerGroupId: group, topics: [{ topic: input, partitions: [{ partition, offset: String(next) }] }] });
    stage = 'commit';
    await txn.commit();
    emit({ e: 'txn', inputs: messages.length, positions: [[partition, next]] });
    return true;
  } catch (e) {
    if (!txn) exit(stage, e);
    emit({ e: 'txnError', stage, action: 'abort', error: describe(e) });
    try {
      await txn.abort();
    } catch (e2) {
      exit('abort', e2);
    }
    return false;
  }
}

started();
readCommands(() => undefined, () => {
  closing = true;
  void inFlight.then(async () => {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    emit({ e: 'closed' });
    process.exit(0);
  });
});
// InitProducerId before the consumer reads its offsets: it returns once a predecessor's
// transaction is finished, so the committed offsets read next include that transaction's.
try {
  await producer.connect();
  opened = await producer.transaction();
} catch (e) {
  exit('init', e);
}
await consumer.connect();
await consumer.subscribe({ topics: [input], fromBeginning: true });
await consumer.run({
  autoCommit: false,
  eachBatchAutoResolve: false,
  eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
    for (let i = 0; i < batch.messages.length; i += batchSize) {
      if (closing || !isRunning() || isStale()) return;
      const chunk = batch.messages.slice(i, i + batchSize);
      const done = transform(batch.partition, chunk);
      inFlight = done;
      if (!(await done)) {
        consumer.seek({ topic: input, partition: batch.partition, offset: chunk[0]!.offset });
        return;
      }
      resolveOffset(chunk[chunk.length - 1]!.offset);
      await heartbeat();
    }
  },
});
