/**
 * A real Samsa broker (testkit) driven by third-party clients in separate processes: kcat
 * (librdkafka), kafka-python and confluent-kafka, and KafkaJS in process. Exact contents and
 * offsets are checked. A missing client skips its test with a message, or fails it when
 * SAMSA_TEST_REQUIRE_INTEROP=1 (as in CI).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { CODECS, type TextRecord, KCAT, kcatConsume, kcatProduce, kcatVersion, loadKafkajs, run } from '../interop/clients.js';
import { CONFLUENT_SCRIPT, KAFKA_PYTHON_LEGACY_SCRIPT, KAFKA_PYTHON_SCRIPT, pythonHas, runPython } from './python-clients.js';
import { missing } from './missing-client.js';

let broker: TestBroker;


before(async () => {
  broker = await startBroker({ config: { 'num.partitions': '1' } });
});
after(async () => {
  await broker?.stop();
});

function records(codec: string, count: number): TextRecord[] {
  return Array.from({ length: count }, (_, i) => ({ key: `${codec}-k${i}`, value: `${codec} value ${i} ${'x'.repeat(i * 10)}`, headers: [['trace', 'abc'], ['n', 'same']] }));
}

test('kcat: produce with every codec, then consume exactly what was produced, at offsets 0..n-1', async (t) => {
  if (!kcatVersion()) return missing(t, 'kcat');
  let expected: TextRecord[] = [];
  for (const codec of CODECS) {
    const batch = records(codec, 25);
    await kcatProduce(broker.bootstrap, 'kcat-all-codecs', codec, batch);
    expected = expected.concat(batch);
  }
  assert.deepEqual(await kcatConsume(broker.bootstrap, 'kcat-all-codecs'), expected);
  const offsets = await run(KCAT, ['-b', broker.bootstrap, '-C', '-t', 'kcat-all-codecs', '-o', 'beginning', '-e', '-q', '-f', '%o\n'], '', 10_000);
  assert.deepEqual(offsets.stdout.trim().split('\n').map(Number), expected.map((_, i) => i));
});

test('kcat: metadata lists the auto-created topic; offsets by timestamp', async (t) => {
  if (!kcatVersion()) return missing(t, 'kcat');
  await kcatProduce(broker.bootstrap, 'kcat-times', 'none', records('t', 5));
  const list = await run(KCAT, ['-b', broker.bootstrap, '-L', '-J'], '', 10_000);
  const md = JSON.parse(list.stdout) as { brokers: { id: number }[]; topics: { topic: string; partitions: { leader: number }[] }[] };
  assert.deepEqual(md.brokers.map((b) => b.id), [1]);
  assert.equal(md.topics.find((x) => x.topic === 'kcat-times')?.partitions[0]?.leader, 1);
  const q = await run(KCAT, ['-b', broker.bootstrap, '-Q', '-t', 'kcat-times:0:0'], '', 10_000);
  assert.match(q.stdout, /kcat-times \[0\] offset 0/);
  const future = await run(KCAT, ['-b', broker.bootstrap, '-Q', '-t', `kcat-times:0:${Date.now() + 3_600_000}`], '', 10_000);
  assert.match(future.stdout, /kcat-times \[0\] offset -1/);
});

test('KafkaJS: admin creates and describes topics; producer with each codec; kcat reads it back', async (t) => {
  const kafkajs = await loadKafkajs();
  if (!kafkajs || !kcatVersion()) return missing(t, 'kafkajs and kcat');
  const { Kafka, logLevel } = (await import('kafkajs')).default;
  const admin = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    assert.equal(await admin.createTopics({ topics: [{ topic: 'kafkajs-topic', numPartitions: 2 }] }), true);
    assert.ok((await admin.listTopics()).includes('kafkajs-topic'));
    const md = await admin.fetchTopicMetadata({ topics: ['kafkajs-topic'] });
    assert.equal(md.topics[0]?.partitions.length, 2);
    await admin.createPartitions({ topicPartitions: [{ topic: 'kafkajs-topic', count: 3 }] });
    assert.equal((await admin.fetchTopicMetadata({ topics: ['kafkajs-topic'] })).topics[0]?.partitions.length, 3);
    await assert.rejects(admin.createPartitions({ topicPartitions: [{ topic: 'kafkajs-topic', count: 2 }] }));
    await admin.createTopics({ topics: [{ topic: 'kafkajs-codecs', numPartitions: 1 }] });
    let expected: TextRecord[] = [];
    for (const codec of kafkajs.codecs.keys()) {
      const batch = records(`kafkajs-${codec}`, 10).map((r) => ({ ...r, headers: [['trace', 'abc']] as [string, string][] }));
      await kafkajs.produce(broker.bootstrap, 'kafkajs-codecs', codec, batch);
      expected = expected.concat(batch);
    }
    assert.deepEqual(await kcatConsume(broker.bootstrap, 'kafkajs-codecs'), expected);
    const offsets = await admin.fetchTopicOffsets('kafkajs-codecs');
    assert.deepEqual(offsets.map((o) => [o.partition, o.low, o.high]), [[0, '0', String(expected.length)]]);
    await admin.deleteTopics({ topics: ['kafkajs-topic'] });
    assert.ok(!(await admin.listTopics()).includes('kafkajs-topic'));
  } finally {
    await admin.disconnect();
  }
});

test('kafka-python: admin create, produce with gzip and timestamps, consume by assignment', async (t) => {
  if (!pythonHas('kafka')) return missing(t, 'kafka-python (/usr/bin/python3)');
  const result = await runPython(KAFKA_PYTHON_SCRIPT, [broker.bootstrap, 'kafka-python-topic', 'gzip']) as {
    topicListed: boolean; sent: [number, number][]; got: [number, number, string, string, [string, string][]][];
  };
  assert.equal(result.topicListed, true);
  assert.deepEqual(result.sent, Array.from({ length: 10 }, (_, i) => [i % 2, Math.floor(i / 2)]));
  const got = [...result.got].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const want = Array.from({ length: 10 }, (_, i) => i).sort((a, b) => (a % 2) - (b % 2) || a - b)
    .map((i) => [i % 2, Math.floor(i / 2), `k${i}`, `v${i}`, [['h', `x${i}`]], 1700000000000 + i]);
  assert.deepEqual(got, want);
});

test('confluent-kafka: admin create with configs, produce with every codec (16 partitions for one), delivery offsets', async (t) => {
  if (!pythonHas('confluent_kafka')) return missing(t, 'confluent-kafka (/usr/bin/python3)');
  for (const codec of CODECS) {
    const partitionCount = codec === 'none' ? 16 : 3;
    const result = await runPython(CONFLUENT_SCRIPT, [broker.bootstrap, `confluent-${codec}`, codec, String(partitionCount)]) as {
      partitions: number; delivered: [string | null, number, number][];
    };
    assert.equal(result.partitions, partitionCount);
    assert.equal(result.delivered.length, 30);
    assert.ok(result.delivered.every(([err]) => err === null), JSON.stringify(result.delivered.filter(([e]) => e !== null)));
    // Offsets per partition are 0..n-1 in delivery order.
    const byPartition = new Map<number, number[]>();
    for (const [, p, o] of result.delivered) byPartition.set(p, [...(byPartition.get(p) ?? []), o]);
    for (const offsets of byPartition.values()) assert.deepEqual([...offsets].sort((a, b) => a - b), offsets.map((_, i) => i));
    const consumed = await kcatConsume(broker.bootstrap, `confluent-${codec}`);
    assert.equal(consumed.length, 30);
  }
});

test('kafka-python on old protocol versions: message formats v0 and v1 converted both ways', async (t) => {
  if (!pythonHas('kafka')) return missing(t, 'kafka-python (/usr/bin/python3)');
  for (const [version, topic] of [['0.10.1', 'legacy-v1'], ['0.9', 'legacy-v0']] as const) {
    const result = await runPython(KAFKA_PYTHON_LEGACY_SCRIPT, [broker.bootstrap, topic, version]) as { sent: number[]; got: [number, string, string][] };
    assert.deepEqual(result.sent, [0, 1, 2, 3, 4, 5], version);
    assert.deepEqual(result.got, [0, 1, 2, 3, 4, 5].map((i) => [i, `k${i}`, `v${i}`]), version);
    // What old clients wrote reads back the same through a modern client.
    assert.deepEqual((await kcatConsume(broker.bootstrap, topic)).map((r) => [r.key, r.value]), [0, 1, 2, 3, 4, 5].map((i) => [`k${i}`, `v${i}`]));
  }
});
