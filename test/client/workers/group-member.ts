/**
 * A consumer group member in its own process, for the kill tests:
 *   node group-member.js <bootstrap> <group> <topic> <classic|consumer>
 * Reads, commits after every poll, and prints one JSON line per event: the records of a poll,
 * partitions assigned or revoked, a failed commit, a failed poll (which ends the process).
 */
import { Consumer } from '../../../src/client/index.js';

const [bootstrap, groupId, topic, protocol] = process.argv.slice(2);
const started = performance.now();
const say = (event: Record<string, unknown>): void => console.log(JSON.stringify({ ...event, t: Math.round(performance.now() - started) }));
const consumer = new Consumer({
  bootstrapServers: bootstrap!, groupId: groupId!, groupProtocol: protocol === 'consumer' ? 'consumer' : 'classic',
  autoOffsetReset: 'earliest', enableAutoCommit: false, sessionTimeoutMs: 6000, heartbeatIntervalMs: 500, maxPollRecords: 50,
});
consumer.subscribe([topic!], {
  onPartitionsAssigned: (ps) => say({ assigned: ps.map((p) => p.partition) }),
  onPartitionsRevoked: (ps) => say({ revoked: ps.map((p) => p.partition) }),
  onPartitionsLost: (ps) => say({ lost: ps.map((p) => p.partition) }),
});
process.on('SIGTERM', () => void consumer.close().then(() => process.exit(0)));
try {
  for (;;) {
    const records = await consumer.poll(200);
    if (records.length === 0) continue;
    say({ records: records.map((r) => [r.partition, Number(r.offset)]) });
    await consumer.commit().catch((e: unknown) => say({ commitError: String(e) }));
    // A slow application: the kill lands while work is under way.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
} catch (e) {
  say({ pollError: String(e) });
  process.exit(1);
}
