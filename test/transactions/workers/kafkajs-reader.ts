/**
 * A KafkaJS reader for the exactly-once suites: a consumer in a group of its own (KafkaJS reads
 * only through groups) that reads one topic from the beginning at one isolation level.
 *   node kafkajs-reader.js '<json config>'   (bootstrap, name, topic, isolation)
 * isolation "read_committed" is KafkaJS's default (`readUncommitted: false`). Events: "rec" per
 * record; nothing is committed.
 */
import { cfg, emit, kafka, readCommands, started } from './kafkajs-io.js';

const consumer = kafka.consumer({
  groupId: cfg.name,
  readUncommitted: cfg.isolation === 'read_uncommitted',
  sessionTimeout: 6000,
  heartbeatInterval: 500,
  maxWaitTimeInMs: 100,
});
consumer.on(consumer.events.CRASH, ({ payload }) => emit({ e: 'clientError', error: `crash: ${payload.error.message}` }));

started();
readCommands(() => undefined, () => {
  void consumer.disconnect().finally(() => {
    emit({ e: 'closed' });
    process.exit(0);
  });
});
await consumer.connect();
await consumer.subscribe({ topics: [cfg.topic as string], fromBeginning: true });
await consumer.run({
  autoCommit: false,
  eachBatch: async ({ batch }) => {
    for (const m of batch.messages) emit({ e: 'rec', p: batch.partition, o: Number(m.offset), v: m.value?.toString() ?? '' });
  },
});
