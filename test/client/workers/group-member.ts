/**
 * A consumer group member in its own process, for the kill tests:
 *   node group-member.js <bootstrap> <group> <topic> <classic|consumer>
 * Reads, commits after every poll, and prints one JSON line per poll: { partition, offsets }.
 */
import { Consumer } from '../../../src/client/index.js';

const [bootstrap, groupId, topic, protocol] = process.argv.slice(2);
const consumer = new Consumer({
  bootstrapServers: bootstrap!, groupId: groupId!, groupProtocol: protocol === 'consumer' ? 'consumer' : 'classic',
  autoOffsetReset: 'earliest', enableAutoCommit: false, sessionTimeoutMs: 6000, heartbeatIntervalMs: 500, maxPollRecords: 50,
});
consumer.subscribe([topic!], { onPartitionsAssigned: (ps) => console.log(JSON.stringify({ assigned: ps.map((p) => p.partition) })) });
process.on('SIGTERM', () => void consumer.close().then(() => process.exit(0)));
for (;;) {
  const records = await consumer.poll(200);
  if (records.length === 0) continue;
  console.log(JSON.stringify({ records: records.map((r) => [r.partition, Number(r.offset)]) }));
  await consumer.commit().catch(() => undefined);
  // A slow application: the kill lands while work is under way.
  await new Promise((resolve) => setTimeout(resolve, 20));
}
