/**
 * Which third-party clients a group suite needs and which are missing, so a skip (or, under
 * SAMSA_TEST_REQUIRE_INTEROP=1, a failure: see test/broker/missing-client.ts) names exactly those.
 */
import { kcatVersion, loadKafkajs } from '../../interop/clients.js';
import { pythonHas } from '../../broker/python-clients.js';
import { NODE_RDKAFKA_DIR, nodeRdkafkaVersion } from './node-rdkafka.js';

export type Client = 'kcat' | 'confluent-kafka' | 'kafka-python' | 'kafkajs' | 'node-rdkafka';

const probes: Record<Client, [string, () => Promise<boolean> | boolean]> = {
  'kcat': ['kcat', () => kcatVersion() !== null],
  'confluent-kafka': ['confluent-kafka (/usr/bin/python3)', () => pythonHas('confluent_kafka')],
  'kafka-python': ['kafka-python (/usr/bin/python3)', () => pythonHas('kafka')],
  'kafkajs': ['kafkajs', async () => (await loadKafkajs()) !== null],
  'node-rdkafka': [`node-rdkafka (${NODE_RDKAFKA_DIR})`, () => nodeRdkafkaVersion() !== null],
};

/** The missing ones among `clients`, as one phrase for missing(); null when all are there. */
export async function absent(...clients: Client[]): Promise<string | null> {
  const names: string[] = [];
  for (const c of clients) {
    const [name, probe] = probes[c];
    if (!(await probe())) names.push(name);
  }
  return names.length === 0 ? null : names.join(', ');
}
