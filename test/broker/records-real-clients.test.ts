/**
 * DeleteRecords and DescribeLogDirs from real clients against a testkit broker: KafkaJS
 * deleteTopicRecords then kcat reading from the new start; @platformatic/kafka deleteRecords and
 * describeLogDirs; the Python clients' delete_records where the installed version has it
 * (Debian's confluent-kafka 1.7 and kafka-python 2.0 do not: the test then says so and skips).
 * A missing client skips, or fails when SAMSA_TEST_REQUIRE_INTEROP=1.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { missing } from './missing-client.js';
import { KCAT, type TextRecord, kcatProduce, kcatVersion, loadKafkajs, run } from '../interop/clients.js';
import { pythonHas, runPython } from './python-clients.js';

let broker: TestBroker;


before(async () => {
  broker = await startBroker({ config: { 'num.partitions': '1' } });
});
after(async () => {
  await broker?.stop();
});

const values = (prefix: string, count: number): TextRecord[] => Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `${prefix}-${i}`, headers: [] }));

/** kcat from the beginning: "offset value" lines. */
async function kcatOffsets(topic: string): Promise<string[]> {
  const r = await run(KCAT, ['-b', broker.bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%o %s\n'], '', 10_000);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim().split('\n').filter((l) => l !== '');
}

test('KafkaJS deleteTopicRecords moves the start; kcat then reads from the new offset', async (t) => {
  if (!(await loadKafkajs()) || !kcatVersion()) return missing(t, 'kafkajs and kcat');
  const { Kafka, logLevel } = (await import('kafkajs')).default;
  const admin = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic: 'kafkajs-delete', numPartitions: 2 }] });
    await kcatProduce(broker.bootstrap, 'kafkajs-delete', 'none', values('v', 10).map((r) => ({ ...r, key: 'same' })));
    const [full] = (await admin.fetchTopicOffsets('kafkajs-delete')).filter((o) => o.high === '10');
    assert.ok(full, 'one partition holds the ten records');
    const partition = full.partition;

    await admin.deleteTopicRecords({ topic: 'kafkajs-delete', partitions: [{ partition, offset: '4' }] });
    const offsets = await admin.fetchTopicOffsets('kafkajs-delete');
    assert.deepEqual(offsets.filter((o) => o.partition === partition).map((o) => [o.low, o.high]), [['4', '10']]);
    assert.deepEqual(await kcatOffsets('kafkajs-delete'), Array.from({ length: 6 }, (_, i) => `${i + 4} v-${i + 4}`));

    await assert.rejects(admin.deleteTopicRecords({ topic: 'kafkajs-delete', partitions: [{ partition, offset: '11' }] }), (e: Error) => {
      // KafkaJS's retrier wraps the KafkaJSDeleteTopicRecordsError that lists the partition errors.
      type Failed = Error & { cause?: Failed; partitions?: { partition: number; error: { type: string } }[] };
      const failed = (e as Failed).partitions ?? (e as Failed).cause?.partitions;
      assert.deepEqual(failed?.map((p) => [p.partition, p.error.type]), [[partition, 'OFFSET_OUT_OF_RANGE']], `${e.name}: ${e.message}`);
      return true;
    });
    await admin.deleteTopicRecords({ topic: 'kafkajs-delete', partitions: [{ partition, offset: '-1' }] });
    assert.deepEqual((await admin.fetchTopicOffsets('kafkajs-delete')).filter((o) => o.partition === partition).map((o) => [o.low, o.high]), [['10', '10']]);
    assert.deepEqual(await kcatOffsets('kafkajs-delete'), []);
  } finally {
    await admin.disconnect();
  }
});

interface PltAdmin {
  deleteRecords(o: { topics: { name: string; partitions: { partition: number; offset: bigint }[] }[] }): Promise<{ name: string; partitions: { partition: number; lowWatermark: bigint }[] }[]>;
  describeLogDirs(o: { topics: { name: string; partitions: number[] }[] }): Promise<{ broker: number; results: { logDir: string; topics: { name: string; partitions: { partitionIndex: number; partitionSize: bigint; offsetLag: bigint }[] }[]; totalBytes: bigint }[] }[]>;
  close(): Promise<void>;
}

test('@platformatic/kafka deleteRecords and describeLogDirs', async (t) => {
  let mod: { Admin: new (o: object) => PltAdmin } | null = null;
  try {
    mod = (await import('@platformatic/kafka')) as unknown as { Admin: new (o: object) => PltAdmin };
  } catch {
    return missing(t, '@platformatic/kafka');
  }
  if (!kcatVersion()) return missing(t, 'kcat');
  await kcatProduce(broker.bootstrap, 'plt-delete', 'none', values('p', 5));
  const admin = new mod.Admin({ clientId: 'samsa-records', bootstrapBrokers: [broker.bootstrap], retries: 0, timeout: 5000 });
  try {
    const deleted = await admin.deleteRecords({ topics: [{ name: 'plt-delete', partitions: [{ partition: 0, offset: 3n }] }] });
    assert.deepEqual(deleted, [{ name: 'plt-delete', partitions: [{ partition: 0, lowWatermark: 3n }] }]);
    assert.deepEqual(await kcatOffsets('plt-delete'), ['3 p-3', '4 p-4']);

    const dirs = await admin.describeLogDirs({ topics: [{ name: 'plt-delete', partitions: [0] }] });
    const log = broker.broker.services.replicas.logManager.getLog({ topic: 'plt-delete', partition: 0 })!;
    assert.deepEqual(dirs.map((d) => [d.broker, d.results.map((r) => r.logDir)]), [[1, [broker.dataDir]]]);
    assert.deepEqual(dirs[0]!.results[0]!.topics.map((x) => [x.name, x.partitions.map((p) => [p.partitionIndex, p.partitionSize, p.offsetLag])]), [
      ['plt-delete', [[0, BigInt(log.size), 0n]]],
    ]);
    assert.ok(dirs[0]!.results[0]!.totalBytes > 0n);
  } finally {
    await admin.close();
  }
});

const PYTHON_DELETE = `
import json, sys
bootstrap, topic = sys.argv[1], sys.argv[2]
try:
    import confluent_kafka
    from confluent_kafka import TopicPartition
    from confluent_kafka.admin import AdminClient
    if not hasattr(AdminClient, 'delete_records'):
        raise ImportError('confluent-kafka %s has no AdminClient.delete_records' % confluent_kafka.version()[0])
    admin = AdminClient({'bootstrap.servers': bootstrap})
    futures = admin.delete_records([TopicPartition(topic, 0, 2)])
    low = [f.result(10).low_watermark for f in futures.values()]
    print(json.dumps({"client": "confluent-kafka", "low": low}))
except ImportError as e:
    import kafka
    from kafka import TopicPartition
    from kafka.admin import KafkaAdminClient
    if not hasattr(KafkaAdminClient, 'delete_records'):
        print(json.dumps({"client": None, "why": "%s; kafka-python %s has no KafkaAdminClient.delete_records" % (e, kafka.__version__)}))
        sys.exit(0)
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10000)
    result = admin.delete_records({TopicPartition(topic, 0): 2})
    low = [r['low_watermark'] if isinstance(r, dict) else r.low_watermark for r in result.values()]
    admin.close()
    print(json.dumps({"client": "kafka-python", "low": low}))
`;

test('Python AdminClient delete_records (confluent-kafka, else kafka-python), where the installed version has it', async (t) => {
  if (!pythonHas('confluent_kafka') && !pythonHas('kafka')) return missing(t, 'confluent-kafka or kafka-python (/usr/bin/python3)');
  if (!kcatVersion()) return missing(t, 'kcat');
  await kcatProduce(broker.bootstrap, 'python-delete', 'none', values('y', 4));
  const result = await runPython(PYTHON_DELETE, [broker.bootstrap, 'python-delete']) as { client: string | null; low?: number[]; why?: string };
  if (result.client === null) return t.skip(result.why);
  assert.deepEqual(result.low, [2], result.client);
  assert.deepEqual(await kcatOffsets('python-delete'), ['2 y-2', '3 y-3']);
});
