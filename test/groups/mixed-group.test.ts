/**
 * The acceptance test of classic consumer groups: three confluent-kafka (librdkafka) and three
 * KafkaJS consumers, each its own process, in ONE group over a 12-partition topic of numbered
 * records. They can share a group because both sides speak the "roundrobin" protocol name:
 * librdkafka with partition.assignment.strategy=roundrobin, KafkaJS with its RoundRobinAssigner
 * renamed (whichever member leads assigns for all). Each member reports every assignment,
 * revocation, record and acknowledged commit (manual commit after processing).
 *
 * During the run one librdkafka member and then one KafkaJS member are SIGKILLed (the group waits
 * out their 6 s session) and replaced, while a producer keeps adding records. Checked: after every generation (wire tap) the leader's plan
 * gives each partition to exactly one member and every member got what the leader assigned; from
 * the members' own reports no partition is ever owned twice; every record is processed, and a
 * record processed twice was never covered by an acknowledged commit (re-deliveries are the
 * killed member's uncommitted tail or a refused commit); commits never go back; OffsetFetch
 * always answers the last acknowledged commit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { absent } from './harness/clients.js';
import { missing } from '../broker/missing-client.js';
import { Collector, type WorkerKind } from './harness/collector.js';
import { checkGroupRun, currentOwners } from './harness/invariants.js';
import { adminView, backgroundProducer, committedOf, createGroupTopic, describedMatchesOwners, endOffsets, produceNumbered, startGroupBroker } from './harness/setup.js';
import { checkClassicGenerations, checkOffsetVisibility, errorCounts } from './harness/tap-checks.js';

const TOPIC = 'mixed';
const GROUP = 'mixed-group';
const PARTITIONS = 12;

test('3 confluent-kafka + 3 KafkaJS consumers in one group: rebalances, kills and replacements keep every invariant', { timeout: 240_000 }, async (t) => {
  const lacking = await absent('confluent-kafka', 'kafkajs', 'kcat', 'kafka-python');
  if (lacking) return missing(t, lacking);
  const started = Date.now();
  const gb = await startGroupBroker();
  const c = new Collector();
  c.onKill = (name) => gb.tap.recordDeath(name);
  t.after(async () => {
    await c.killAll();
    await gb.stop();
  });
  await createGroupTopic(gb.broker.port, TOPIC, PARTITIONS);

  const members = new Set<string>();
  const start = (kind: WorkerKind, name: string): void => {
    members.add(name);
    c.start(kind, { bootstrap: gb.bootstrap, topic: TOPIC, group: GROUP, name, assignor: 'roundrobin', processDelayMs: 2, batch: 25 });
  };
  const live = (): Set<string> => new Set([...members].filter((m) => c.worker(m).alive));
  const settled = async (what: string): Promise<void> => {
    await c.waitFor(`${what}: every partition owned by exactly one of ${[...live()].join(', ')}`, () => {
      const owners = currentOwners(c.events, c.marks, PARTITIONS);
      return owners.every((o) => o.length === 1) && new Set(owners.flat()).size === live().size;
    }, 60_000);
  };
  let produced = 0;
  const produce = async (prefix: string, count: number): Promise<void> => {
    await produceNumbered(gb.bootstrap, TOPIC, prefix, 0, count);
    produced += count;
  };
  const processedValues = (): Set<string> => new Set(c.events.flatMap((e) => (e.e === 'rec' ? [e.v] : [])));
  const phase = (label: string): void => c.mark('phase', label);

  const timings: string[] = [];
  const timed = async (label: string, f: () => Promise<void>): Promise<void> => {
    const t0 = Date.now();
    await f();
    timings.push(`${label} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  };

  phase('start 3 + 3');
  await produce('a', 600);
  for (const n of [1, 2, 3]) start('confluent-kafka', `ck-${n}`);
  for (const n of [1, 2, 3]) start('kafkajs', `kj-${n}`);
  await timed('six members joined', () => settled('six members joined'));

  // Records keep arriving through both kills and replacements.
  const background = backgroundProducer(gb.bootstrap, TOPIC, 'live');
  for (const [kind, victim, replacement] of [['confluent-kafka', 'ck-2', 'ck-4'], ['kafkajs', 'kj-2', 'kj-4']] as const) {
    phase(`kill ${victim}`);
    const before = c.of(victim).filter((e) => e.e === 'rec').length;
    await c.waitFor(`${victim} processing`, () => c.of(victim).filter((e) => e.e === 'rec').length > before, 30_000);
    await c.kill(victim);
    await timed(`${victim} killed → survivors settled`, () => settled(`${victim} gone`));
    start(kind, replacement);
    await timed(`${replacement} joined → settled`, () => settled(`${replacement} replaced ${victim}`));
  }
  produced += (await background.stop()).length;

  phase('drain');
  await produce('e', 300);
  await c.waitFor(`all ${produced} records processed`, () => processedValues().size >= produced, 60_000);
  const end = await endOffsets(gb.broker.port, TOPIC, PARTITIONS);
  await c.waitFor('commits reach the end offsets', () => {
    const last = new Map<number, number>();
    for (const e of c.events) if (e.e === 'commit') for (const [p, o] of e.offsets) last.set(p, o);
    return end.every((o, p) => last.get(p) === o);
  }, 30_000);
  const view = await adminView(gb.bootstrap, [GROUP]);
  assert.deepEqual(committedOf(view, GROUP, TOPIC, PARTITIONS), end, 'OffsetFetch (kafka-python admin) shows the last commits');
  const described = view.described[GROUP]!;
  assert.equal(described.state, 'Stable');
  assert.deepEqual(described.members.map((m) => m.clientId), ['ck-1', 'ck-3', 'ck-4', 'kj-1', 'kj-3', 'kj-4']);
  assert.deepEqual(describedMatchesOwners(view, GROUP, currentOwners(c.events, c.marks, PARTITIONS)), []);
  phase('close');
  await c.closeAll(PARTITIONS);

  const check = checkGroupRun(c.events, c.marks, { partitions: PARTITIONS, endOffsets: end });
  const gens = checkClassicGenerations(gb.tap.exchanges, TOPIC, PARTITIONS, GROUP);
  const offsets = checkOffsetVisibility(gb.tap.exchanges);
  const mine = gens.generations;
  t.diagnostic(`records: ${produced} produced, ${check.processed} processed (${check.distinct} distinct), ${check.redeliveries.length} re-deliveries `
    + `(${['afterKill', 'commitRefused', 'uncommitted'].map((cause) => `${cause} ${check.redeliveries.filter((r) => r.cause === cause).length}`).join(', ')})`);
  t.diagnostic(`rebalances: ${mine.length} generations (${mine.map((g) => `${g.generation}:${g.clients.size} members/${g.coverage}`).join(' ')}), ${check.settled} settled assignments reported`);
  t.diagnostic(`commits: ${check.commits} acknowledged, ${check.commitErrors} refused; tap: ${offsets.commits} commits, ${offsets.fetches} fetched offsets; errors answered: ${JSON.stringify([...errorCounts(gb.tap.exchanges)])}`);
  t.diagnostic(`timings: ${timings.join('; ')}; total ${Math.round((Date.now() - started) / 1000)} s`);

  assert.deepEqual(c.closeTimeouts, [], 'every member closed (LeaveGroup) in time');
  assert.deepEqual(gb.tap.errors, [], 'the tap decoded every group exchange');
  assert.deepEqual(gens.violations, [], 'per generation: one leader, every member listed, a full plan, SyncGroup answers as planned');
  assert.deepEqual(offsets.violations, [], 'OffsetFetch answers the last acknowledged commit');
  assert.deepEqual(check.violations, [], c.summary());
  const unexplained = check.redeliveries.filter((r) => r.cause === 'uncommitted');
  assert.deepEqual(unexplained, [], 'every re-delivery is the uncommitted tail of a killed member or follows a refused commit');
  for (const r of check.redeliveries.filter((x) => x.cause === 'afterKill')) assert.match(r.first.worker, /^(ck|kj)-2$/);
  assert.ok(mine.length >= 3, 'at least three generations (join, two kills and replacements)');
  assert.ok(mine.every((g) => g.protocol === 'roundrobin'), 'the shared protocol was chosen');
  assert.equal(mine[mine.length - 1]?.coverage, 'full', 'the last generation assigned every partition');
});
