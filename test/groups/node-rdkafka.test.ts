/**
 * node-rdkafka 3.6 (librdkafka 2.12) consumers as separate processes, with the KIP-848 consumer
 * protocol (ConsumerGroupHeartbeat, server-side assignment, incremental assign/revoke) and with
 * the classic protocol: three members share a 12-partition topic while records keep arriving;
 * one leaves, one joins, one is SIGKILLed (the broker runs KIP-848 sessions of 6 s,
 * --override group.consumer.session.timeout.ms=6000); the survivors take everything over; after
 * all close, a new member resumes after the committed offsets.
 *
 * Checked from the members' reports: no partition is ever owned by two members at once, every
 * record is processed, a re-delivery only follows the kill or a refused commit. The classic
 * protocol runs twice: librdkafka's default eager assignors, and cooperative-sticky. From the wire tap: (KIP-848) the
 * broker never hands a partition to a member while another live member still holds it, and
 * member epochs only grow; (classic) the per-generation checks; OffsetFetch always answers the
 * last acknowledged commit.
 *
 * node-rdkafka is installed outside the package (see harness/node-rdkafka.ts); missing, the tests
 * skip, or fail when SAMSA_TEST_REQUIRE_INTEROP=1.
 */
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { absent } from './harness/clients.js';
import { missing } from '../broker/missing-client.js';
import { Collector } from './harness/collector.js';
import { checkGroupRun, currentOwners } from './harness/invariants.js';
import { CONSUMER_SESSION_TIMEOUT_MS, adminView, backgroundProducer, committedOf, consumerGroupDescribe, consumerGroupMatchesOwners, createGroupTopic, describedMatchesOwners, endOffsets, type GroupBroker, produceNumbered, startGroupBroker } from './harness/setup.js';
import { checkClassicGenerations, checkConsumerGroupEpochs, checkOffsetVisibility, errorCounts } from './harness/tap-checks.js';

const PARTITIONS = 12;
let gb: GroupBroker | undefined;
let lacking: string | null = null;

before(async () => {
  lacking = await absent('node-rdkafka', 'kcat', 'kafka-python');
  if (!lacking) gb = await startGroupBroker();
});
after(async () => {
  await gb?.stop();
});

/** `cooperative`: classic with librdkafka's cooperative-sticky assignor (incremental rebalances, KIP-429). */
async function scenario(t: TestContext, protocol: 'consumer' | 'classic', cooperative = false): Promise<void> {
  if (lacking || !gb) return missing(t, lacking ?? 'the broker');
  const broker = gb;
  const started = Date.now();
  const name = cooperative ? 'cooperative' : protocol;
  const topic = `nr-${name}`;
  const group = `nr-${name}-group`;
  await createGroupTopic(broker.broker.port, topic, PARTITIONS);
  const c = new Collector();
  c.onKill = (name) => broker.tap.recordDeath(name);
  t.after(() => c.killAll());
  const members = new Set<string>();
  const start = (member: string): void => {
    members.add(member);
    const extra: Record<string, string> = cooperative ? { 'partition.assignment.strategy': 'cooperative-sticky' } : {};
    c.start('node-rdkafka', { bootstrap: broker.bootstrap, topic, group, name: member, protocol, processDelayMs: 2, batch: 25, extra });
  };
  const live = (): Set<string> => new Set([...members].filter((m) => c.worker(m).alive));
  const timings: string[] = [];
  const settled = async (what: string): Promise<void> => {
    const t0 = Date.now();
    await c.waitFor(`${what}: every partition owned by exactly one of ${[...live()].join(', ')}`, () => {
      const owners = currentOwners(c.events, c.marks, PARTITIONS);
      return owners.every((o) => o.length === 1) && new Set(owners.flat()).size === live().size;
    }, 60_000);
    timings.push(`${what} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  };
  const processed = (): Set<string> => new Set(c.events.flatMap((e) => (e.e === 'rec' ? [e.v] : [])));
  const recsOf = (member: string): number => c.of(member).filter((e) => e.e === 'rec').length;

  const first = await produceNumbered(broker.bootstrap, topic, 'a', 0, 600);
  for (const n of [1, 2, 3]) start(`${name}-${n}`);
  await settled('three joined');
  const background = backgroundProducer(broker.bootstrap, topic, 'live');

  c.mark('phase', 'member 2 leaves');
  await c.close(`${name}-2`);
  await settled('member 2 left');
  start(`${name}-4`);
  await settled('member 4 joined');
  // The describe APIs show the members and what they own: ConsumerGroupDescribe for KIP-848
  // (kafka-python's DescribeGroups is reported only: Kafka answers it for classic groups alone),
  // DescribeGroups (kafka-python) for classic groups.
  const owners = currentOwners(c.events, c.marks, PARTITIONS);
  const stable = await adminView(broker.bootstrap, [group]);
  const described = stable.described[group];
  if (protocol === 'consumer') {
    const cg = await consumerGroupDescribe(broker.broker.port, group, topic);
    assert.equal(cg.errorCode, 0);
    assert.equal(cg.state, 'Stable', JSON.stringify(cg));
    assert.deepEqual(cg.members.map((m) => m.clientId), [`${name}-1`, `${name}-3`, `${name}-4`]);
    assert.deepEqual(consumerGroupMatchesOwners(cg, group, owners), []);
    t.diagnostic(`ConsumerGroupDescribe: group epoch ${cg.groupEpoch}, assignment epoch ${cg.assignmentEpoch}; DescribeGroups (kafka-python) on it: ${JSON.stringify(described)}`);
  } else {
    assert.equal(described?.state, 'Stable', JSON.stringify(described));
    assert.deepEqual(described?.members.map((m) => m.clientId), [`${name}-1`, `${name}-3`, `${name}-4`]);
    assert.deepEqual(describedMatchesOwners(stable, group, owners), []);
  }

  c.mark('phase', 'member 1 killed');
  const before = recsOf(`${name}-1`);
  await c.waitFor('member 1 processing', () => recsOf(`${name}-1`) > before, 30_000);
  await c.kill(`${name}-1`);
  await settled('member 1 killed');
  const live1 = await background.stop();

  const all = [...first, ...live1];
  const end = await endOffsets(broker.broker.port, topic, PARTITIONS);
  await c.waitFor(`all ${all.length} records processed`, () => processed().size >= all.length, 60_000).catch((e: Error) => {
    const missed = checkGroupRun(c.events, c.marks, { partitions: PARTITIONS, endOffsets: end }).violations;
    throw new Error(`${e.message}\n${missed.join('\n')}`);
  });
  await c.waitFor('commits reach the end offsets', () => {
    const last = new Map<number, number>();
    for (const e of c.events) if (e.e === 'commit') for (const [p, o] of e.offsets) last.set(p, o);
    return end.every((o, p) => last.get(p) === o);
  }, 30_000);
  await c.closeAll(PARTITIONS);

  // Commits resume: a new member reads only what was produced after everyone left.
  const view = await adminView(broker.bootstrap, [group]);
  assert.deepEqual(committedOf(view, group, topic, PARTITIONS), end, 'OffsetFetch (kafka-python admin) shows the last commits');
  const later = await produceNumbered(broker.bootstrap, topic, 'later', 0, 40);
  start(`${name}-5`);
  await c.waitFor('member 5 read the 40 new records', () => recsOf(`${name}-5`) >= 40, 40_000);
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(c.of(`${name}-5`).flatMap((e) => (e.e === 'rec' ? [e.v] : [])).sort(), later.sort(), 'member 5 starts after the committed offsets');
  await c.closeAll(PARTITIONS);

  const check = checkGroupRun(c.events, c.marks, { partitions: PARTITIONS, endOffsets: await endOffsets(broker.broker.port, topic, PARTITIONS) });
  const offsets = checkOffsetVisibility(broker.tap.exchanges);
  const mine = broker.tap.exchanges.filter((x) => (x.request as { groupId?: string }).groupId === group);
  const tapViolations = [...broker.tap.errors, ...offsets.violations];
  if (protocol === 'consumer') {
    const epochs = checkConsumerGroupEpochs(mine, { sessionTimeoutMs: CONSUMER_SESSION_TIMEOUT_MS });
    tapViolations.push(...epochs.violations);
    const g = epochs.groups[0];
    t.diagnostic(`KIP-848: ${g?.members} members, group epoch reached ${g?.maxEpoch}, ${g?.heartbeats} heartbeats, errors ${JSON.stringify([...(g?.errors ?? [])])}`);
  } else {
    const gens = checkClassicGenerations(mine, topic, PARTITIONS);
    tapViolations.push(...gens.violations);
    t.diagnostic(`classic: ${gens.generations.length} generations: ${gens.generations.map((x) => `${x.generation}:${x.clients.size}/${x.coverage}`).join(' ')}`);
  }
  const causes = ['afterKill', 'commitRefused', 'uncommitted'].map((cause) => `${cause} ${check.redeliveries.filter((r) => r.cause === cause).length}`).join(', ');
  t.diagnostic(`records: ${all.length + later.length} produced, ${check.processed} processed (${check.distinct} distinct), re-deliveries ${check.redeliveries.length} (${causes}); ${check.settled} settled assignments; commits ${check.commits} acknowledged, ${check.commitErrors} refused`);
  t.diagnostic(`errors answered: ${JSON.stringify([...errorCounts(mine)])}`);
  t.diagnostic(`timings: ${timings.join('; ')}; total ${Math.round((Date.now() - started) / 1000)} s`);
  assert.deepEqual(c.closeTimeouts, [], 'every member closed (left the group) in time');
  assert.deepEqual(tapViolations, []);
  assert.deepEqual(check.violations, [], c.summary());
  // Re-delivered: the killed member's uncommitted records, and records whose commit the broker
  // refused (a commit queued behind the member's own JoinGroup on its connection is answered
  // ILLEGAL_GENERATION once the new generation exists, as Kafka does).
  const unexplained = check.redeliveries.filter((r) => !(r.cause === 'afterKill' && r.first.worker === `${name}-1`) && r.cause !== 'commitRefused');
  assert.deepEqual(unexplained, [], 'every re-delivery is the killed member\'s uncommitted tail or follows a refused commit');
}

test('node-rdkafka, group.protocol=consumer (KIP-848): leave, join, kill; exclusive ownership; commits resume', { timeout: 180_000 }, (t) => scenario(t, 'consumer'));

test('node-rdkafka, group.protocol=classic: leave, join, kill; exclusive ownership; commits resume', { timeout: 180_000 }, (t) => scenario(t, 'classic'));

test('node-rdkafka, classic with the cooperative-sticky assignor (incremental rebalances): leave, join, kill', { timeout: 180_000 }, (t) => scenario(t, 'classic', true));

test('node-rdkafka KIP-848 churn: two members join while an owner is SIGKILLed before it can revoke; its partitions wait for its session', { timeout: 120_000 }, async (t) => {
  if (lacking || !gb) return missing(t, lacking ?? 'the broker');
  const broker = gb;
  const topic = 'nr-churn';
  const group = 'nr-churn-group';
  await createGroupTopic(broker.broker.port, topic, PARTITIONS);
  const c = new Collector();
  t.after(() => c.killAll());
  const start = (member: string): void => {
    c.start('node-rdkafka', { bootstrap: broker.bootstrap, topic, group, name: member, protocol: 'consumer', processDelayMs: 1, batch: 25 });
  };
  const settledAmong = (members: string[]): (() => boolean) => () => {
    const owners = currentOwners(c.events, c.marks, PARTITIONS);
    return owners.every((o) => o.length === 1) && new Set(owners.flat()).size === members.length && owners.flat().every((w) => members.includes(w));
  };
  await produceNumbered(broker.bootstrap, topic, 'a', 0, 400);
  for (const n of [1, 2]) start(`churn-${n}`);
  await c.waitFor('two members own everything', settledAmong(['churn-1', 'churn-2']), 30_000);
  const background = backgroundProducer(broker.bootstrap, topic, 'live');
  const t0 = Date.now();
  start('churn-3');
  start('churn-4');
  await c.kill('churn-1');
  await c.waitFor('churn-2, 3 and 4 own everything', settledAmong(['churn-2', 'churn-3', 'churn-4']), 40_000);
  const settleMs = Date.now() - t0;
  const produced = [...Array.from({ length: 400 }, (_, i) => `a-${i}`), ...(await background.stop())];
  await c.waitFor(`all ${produced.length} records processed`, () => new Set(c.events.flatMap((e) => (e.e === 'rec' ? [e.v] : []))).size >= produced.length, 40_000);
  const end = await endOffsets(broker.broker.port, topic, PARTITIONS);
  await c.waitFor('commits reach the end offsets', () => {
    const last = new Map<number, number>();
    for (const e of c.events) if (e.e === 'commit') for (const [p, o] of e.offsets) last.set(p, o);
    return end.every((o, p) => last.get(p) === o);
  }, 30_000);
  await c.closeAll(PARTITIONS);

  const check = checkGroupRun(c.events, c.marks, { partitions: PARTITIONS, endOffsets: end });
  const mine = broker.tap.exchanges.filter((x) => (x.request as { groupId?: string }).groupId === group);
  const epochs = checkConsumerGroupEpochs(mine, { sessionTimeoutMs: CONSUMER_SESSION_TIMEOUT_MS });
  t.diagnostic(`records ${produced.length}, processed ${check.processed}, re-deliveries ${check.redeliveries.length} (${[...new Set(check.redeliveries.map((r) => r.cause))].join(',') || 'none'}); settled ${(settleMs / 1000).toFixed(1)} s after the kill; group epoch ${epochs.groups[0]?.maxEpoch}; errors ${JSON.stringify([...errorCounts(mine)])}`);
  assert.deepEqual([...broker.tap.errors, ...epochs.violations, ...checkOffsetVisibility(mine).violations], []);
  assert.deepEqual(check.violations, [], c.summary());
  assert.deepEqual(check.redeliveries.filter((r) => !(r.cause === 'afterKill' && r.first.worker === 'churn-1') && r.cause !== 'commitRefused'), []);
  assert.deepEqual(c.closeTimeouts, []);
  assert.ok(settleMs >= CONSUMER_SESSION_TIMEOUT_MS - 1000, `the killed member's partitions moved after ${settleMs} ms, before its ${CONSUMER_SESSION_TIMEOUT_MS} ms session could run out`);
});
