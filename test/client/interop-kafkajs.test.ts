/** Records written by KafkaJS with each codec it supports, read exactly by the Samsa consumer. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { Consumer } from '../../src/client/index.js';
import type { ConsumerRecord } from '../../src/client/index.js';
import { registerKafkajsCodecs } from './kafkajs-codecs.js';
import { missing } from '../broker/missing-client.js';

let broker: TestBroker;

before(async () => {
  registerKafkajsCodecs();
  broker = await startBroker({ inMemory: true, config: { 'num.partitions': '1' } });
});

after(async () => {
  await broker.stop();
});

const CODECS = [
  ['none', kafkajs.CompressionTypes.None],
  ['gzip', kafkajs.CompressionTypes.GZIP],
  ['snappy', kafkajs.CompressionTypes.Snappy],
  ['lz4', kafkajs.CompressionTypes.LZ4],
] as const;

for (const [name, type] of CODECS) {
  test(`KafkaJS ${name} batches read by the Samsa consumer: keys, values, headers, timestamps`, async (t) => {
    if (!registerKafkajsCodecs().has(name)) {
      missing(t, `KafkaJS's ${name} codec on Node ${process.versions.node}`);
      return;
    }
    const topic = `kjs-${name}`;
    const kafka = new kafkajs.Kafka({ clientId: 'kjs-writer', brokers: [broker.bootstrap], logLevel: kafkajs.logLevel.NOTHING });
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    const base = 1_700_000_000_000;
    const messages = Array.from({ length: 120 }, (_, i) => ({
      key: i % 9 === 0 ? null : `k${i}`, value: i % 17 === 5 ? null : `v${i}`, timestamp: String(base + i), headers: { seq: String(i) },
    }));
    await producer.send({ topic, compression: type, messages: messages.slice(0, 60), acks: -1 });
    await producer.send({ topic, compression: type, messages: messages.slice(60), acks: -1 });
    await producer.disconnect();
    const c = new Consumer({ bootstrapServers: broker.bootstrap, autoOffsetReset: 'earliest' });
    c.assign([{ topic, partition: 0 }]);
    const got: ConsumerRecord[] = [];
    const deadline = Date.now() + 10_000;
    while (got.length < 120 && Date.now() < deadline) got.push(...await c.poll(100));
    await c.close();
    assert.equal(got.length, 120);
    got.forEach((r, i) => {
      assert.equal(r.offset, BigInt(i));
      assert.equal(r.key?.toString() ?? null, messages[i]!.key);
      assert.equal(r.value?.toString() ?? null, messages[i]!.value);
      assert.equal(r.timestamp, BigInt(base + i));
      assert.equal(r.headers[0]?.value?.toString(), String(i));
    });
  });
}
