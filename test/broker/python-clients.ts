/**
 * Debian's Python Kafka clients (kafka-python, confluent-kafka) driven by small scripts run with
 * /usr/bin/python3, each printing one JSON line with what it saw.
 */
import { spawnSync } from 'node:child_process';
import { run } from '../interop/clients.js';

export const PYTHON = process.env.SAMSA_TEST_PYTHON ?? '/usr/bin/python3';

export function pythonHas(module: string): boolean {
  const r = spawnSync(PYTHON, ['-c', `import ${module}`], { timeout: 10_000 });
  return r.status === 0;
}

export async function runPython(script: string, args: string[], timeoutMs = 30_000): Promise<unknown> {
  const r = await run(PYTHON, ['-c', script, ...args], '', timeoutMs);
  if (r.code !== 0) throw new Error(`python ${r.timedOut ? 'timed out' : `exited with ${r.code}`}:\n${r.stderr}\n${r.stdout}`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as unknown;
}

/** kafka-python: create a topic, produce with a codec, read back by assignment (no group). */
export const KAFKA_PYTHON_SCRIPT = `
import json, sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic
bootstrap, topic, codec = sys.argv[1], sys.argv[2], sys.argv[3]
admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10000)
admin.create_topics([NewTopic(topic, num_partitions=2, replication_factor=1)])
topics = admin.list_topics()
admin.close()
producer = KafkaProducer(bootstrap_servers=bootstrap, acks='all', compression_type=None if codec == 'none' else codec)
sent = []
for i in range(10):
    md = producer.send(topic, key=('k%d' % i).encode(), value=('v%d' % i).encode(), partition=i % 2, headers=[('h', b'x%d' % i)], timestamp_ms=1700000000000 + i).get(timeout=10)
    sent.append([md.partition, md.offset])
producer.close()
consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, consumer_timeout_ms=3000)
parts = [TopicPartition(topic, 0), TopicPartition(topic, 1)]
consumer.assign(parts)
consumer.seek_to_beginning()
got = []
for m in consumer:
    got.append([m.partition, m.offset, m.key.decode(), m.value.decode(), [[k, v.decode()] for k, v in m.headers], m.timestamp])
    if len(got) == 10:
        break
consumer.close()
print(json.dumps({"topicListed": topic in topics, "sent": sent, "got": got}))
`;

/** confluent-kafka: AdminClient create/list/delete, a Producer with a codec and delivery reports. */
export const CONFLUENT_SCRIPT = `
import json, sys
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic
bootstrap, topic, codec, partitions = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
admin = AdminClient({'bootstrap.servers': bootstrap})
fs = admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1, config={'retention.ms': '3600000'})])
for f in fs.values():
    f.result(10)
md = admin.list_topics(timeout=10)
partitions = len(md.topics[topic].partitions)
p = Producer({'bootstrap.servers': bootstrap, 'acks': 'all', 'compression.type': codec, 'linger.ms': 5})
delivered = []
def report(err, msg):
    delivered.append([None if err is None else str(err), msg.partition(), msg.offset()])
for i in range(30):
    p.produce(topic, key=('key-%d' % (i % 7)).encode(), value=('value-%d' % i).encode(), headers=[('n', str(i).encode())], on_delivery=report)
p.flush(15)
print(json.dumps({"partitions": partitions, "delivered": delivered}))
`;

/** kafka-python pinned to an old protocol (message format v0/v1: Produce v1/v2, Fetch v1/v3). */
export const KAFKA_PYTHON_LEGACY_SCRIPT = `
import json, sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition
bootstrap, topic, version = sys.argv[1], sys.argv[2], tuple(int(x) for x in sys.argv[3].split('.'))
producer = KafkaProducer(bootstrap_servers=bootstrap, api_version=version, compression_type='gzip', acks=1)
sent = [producer.send(topic, key=b'k%d' % i, value=b'v%d' % i, partition=0).get(timeout=10).offset for i in range(6)]
producer.close()
consumer = KafkaConsumer(bootstrap_servers=bootstrap, api_version=version, group_id=None, consumer_timeout_ms=3000)
consumer.assign([TopicPartition(topic, 0)])
consumer.seek_to_beginning()
got = []
for m in consumer:
    got.append([m.offset, m.key.decode(), m.value.decode()])
    if len(got) == 6:
        break
consumer.close()
print(json.dumps({"sent": sent, "got": got}))
`;
