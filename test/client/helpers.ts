/** Shared by the client and CLI tests: a quiet kafkajs client and a few records with known timestamps. */
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
export type KafkajsClient = InstanceType<typeof Kafka>;

export function kafkajsClient(bootstrap: string, clientId = 'samsa-client-test'): KafkajsClient {
  return new Kafka({ clientId, brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 100 } });
}

export async function createTopic(client: KafkajsClient, topic: string, numPartitions: number): Promise<void> {
  const admin = client.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions, replicationFactor: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** Produces `count` records to each partition; record i has timestamp baseMs + i * 1000. */
export async function produce(client: KafkajsClient, topic: string, partitions: number[], count: number, baseMs: number): Promise<void> {
  const producer = client.producer();
  await producer.connect();
  try {
    for (const partition of partitions) {
      const messages = Array.from({ length: count }, (_, i) => ({ partition, value: `v${i}`, timestamp: String(baseMs + i * 1000) }));
      await producer.send({ topic, messages, acks: -1 });
    }
  } finally {
    await producer.disconnect();
  }
}

export type KafkajsConsumer = ReturnType<KafkajsClient['consumer']>;

/**
 * Starts a consumer in `groupId` that reads `topic` from the beginning until it has seen
 * `expected` records, commits the next offset of every partition it read, and pauses (staying
 * in the group with its assignment). Returns the running consumer.
 */
export async function consumeAndCommit(client: KafkajsClient, groupId: string, topic: string, expected: number): Promise<KafkajsConsumer> {
  const consumer = client.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const next = new Map<number, string>();
  let seen = 0;
  let resolveDone!: () => void;
  let rejectDone!: (e: unknown) => void;
  const done = new Promise<void>((resolve, reject) => { resolveDone = resolve; rejectDone = reject; });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      next.set(partition, (BigInt(message.offset) + 1n).toString());
      if (++seen !== expected) return;
      try {
        await consumer.commitOffsets([...next].map(([p, offset]) => ({ topic, partition: p, offset })));
        consumer.pause([{ topic }]);
        resolveDone();
      } catch (e) {
        rejectDone(e);
      }
    },
  });
  await done;
  return consumer;
}
