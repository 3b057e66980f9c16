/**
 * Group state survives a broker restart on the same data dir, after SIGTERM and after SIGKILL:
 * consumers (separate processes) commit, the broker stops right after a commit was acknowledged,
 * and after it is back ListGroups and DescribeGroups (kafka-python admin, and confluent-kafka's
 * list_groups) show the groups and OffsetFetch the committed offsets. New members of the stopped
 * groups resume exactly after the commits; a member that kept running through the restart
 * rejoins and carries on without processing a committed record again. The wire tap stays in
 * front across the restart, so every OffsetFetch is checked against every commit acknowledged
 * before it, including those acknowledged by the broker that was stopped.
 *
 * Groups: classic (confluent-kafka, two members, closed before the restart), classic live
 * (confluent-kafka, running through the restart), KIP-848 (node-rdkafka, consumer protocol,
 * closed before) and KIP-848 live (running through the restart).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { absent } from './harness/clients.js';
import { INTEROP_REQUIRED, missing } from '../broker/missing-client.js';
import { Collector, type WorkerKind } from './harness/collector.js';
import { checkGroupRun } from './harness/invariants.js';
import { type AdminView, adminView, committedOf, consumerGroupDescribe, createGroupTopic, endOffsets, produceNumbered, startGroupBroker } from './harness/setup.js';
import { checkOffsetVisibility, errorCounts } from './harness/tap-checks.js';

const PARTITIONS = 6;

async function scenario(t: TestContext, how: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  const lacking = await absent('confluent-kafka', 'kafka-python', 'kcat');
  if (lacking) return missing(t, lacking);
  // Without node-rdkafka the KIP-848 group is left out (a failure when interop is required).
  const noRdkafka = await absent('node-rdkafka');
  const withKip848 = noRdkafka === null;
  if (noRdkafka) {
    if (INTEROP_REQUIRED) assert.fail(`${noRdkafka} is required (SAMSA_TEST_REQUIRE_INTEROP=1) but not available`);
    t.diagnostic(`${noRdkafka} not available: the KIP-848 group is left out`);
  }
  const started = Date.now();
  const gb = await startGroupBroker();
  const c = new Collector();
  c.onKill = (name) => gb.tap.recordDeath(name);
  t.after(async () => {
    await c.killAll();
    await gb.stop();
  });
  const topic = `restart-${how.toLowerCase()}`;
  const stopped = `${topic}-stopped`;
  const live = `${topic}-live`;
  const kip848 = `${topic}-kip848`;
  const kip848Live = `${topic}-kip848-live`;
  const groups = withKip848 ? [stopped, live, kip848, kip848Live] : [stopped, live];
  const liveGroups = [live, kip848Live];
  await createGroupTopic(gb.broker.port, topic, PARTITIONS);
  const membersOf = new Map<string, string[]>(groups.map((g) => [g, []]));
  const start = (kind: WorkerKind, group: string, name: string): void => {
    membersOf.get(group)!.push(name);
    c.start(kind, { bootstrap: gb.bootstrap, topic, group, name, ...(kind === 'node-rdkafka' ? { protocol: 'consumer' as const } : {}) });
  };
  const values = (group: string): string[] => c.events.flatMap((e) => (e.e === 'rec' && membersOf.get(group)!.includes(e.worker) ? [e.v] : []));
  const lastCommits = (group: string): number[] => {
    const last = Array.from({ length: PARTITIONS }, () => -1);
    for (const e of c.events) if (e.e === 'commit' && membersOf.get(group)!.includes(e.worker)) for (const [p, o] of e.offsets) last[p] = o;
    return last;
  };
  const caughtUp = async (group: string): Promise<void> => {
    const end = await endOffsets(gb.broker.port, topic, PARTITIONS);
    await c.waitFor(`${group} committed up to ${end}`, () => lastCommits(group).every((o, p) => o === end[p] || end[p] === 0), 40_000);
  };

  await produceNumbered(gb.bootstrap, topic, 'a', 0, 120);
  start('confluent-kafka', stopped, 'stopped-1');
  start('confluent-kafka', stopped, 'stopped-2');
  start('confluent-kafka', live, 'live-1');
  if (withKip848) start('node-rdkafka', kip848, 'kip848-1');
  if (withKip848) start('node-rdkafka', kip848Live, 'kip848live-1');
  for (const g of groups) await caughtUp(g);
  await c.close('stopped-1');
  await c.close('stopped-2');
  if (withKip848) await c.close('kip848-1');
  const before = await adminView(gb.bootstrap, groups);

  // The live members commit the next records; the broker stops right after those commits were acknowledged.
  await produceNumbered(gb.bootstrap, topic, 'b', 0, 30);
  for (const g of groups.filter((x) => liveGroups.includes(x))) await caughtUp(g);
  const endBefore = await endOffsets(gb.broker.port, topic, PARTITIONS);
  c.mark('phase', `broker ${how}`);
  await gb.restart(how);
  c.mark('phase', 'broker back');

  let after: AdminView | undefined;
  for (let i = 0; i < 30 && !after; i++) {
    try {
      const v = await adminView(gb.bootstrap, groups);
      if (groups.every((g) => v.offsets[g]?.length)) after = v;
    } catch {
      // The coordinator may still be loading.
    }
    if (!after) await new Promise((r) => setTimeout(r, 500));
  }
  assert.ok(after, 'the admin clients see the groups again after the restart');
  for (const g of groups.filter((x) => !liveGroups.includes(x))) {
    assert.deepEqual(committedOf(after, g, topic, PARTITIONS), committedOf(before, g, topic, PARTITIONS), `${g}: committed offsets are back`);
  }
  for (const g of groups.filter((x) => liveGroups.includes(x))) {
    assert.deepEqual(committedOf(after, g, topic, PARTITIONS), endBefore.map((o) => (o === 0 ? -1 : o)), `${g}: the commits acknowledged just before the ${how} are back`);
  }
  const listed = new Map(after.listed);
  for (const g of groups) assert.equal(listed.get(g), 'consumer', `ListGroups lists ${g}: ${JSON.stringify(after.listed)}`);
  // DescribeGroups describes classic groups; KIP-848 groups are read with ConsumerGroupDescribe (as in Kafka).
  for (const g of groups.filter((x) => !liveGroups.includes(x))) {
    const state: string | undefined = g === kip848 ? (await consumerGroupDescribe(gb.broker.port, g, topic)).state : after.described[g]?.state;
    assert.equal(state, 'Empty', g);
  }
  const confluentListed = Array.isArray(after.confluentListed) ? after.confluentListed.map(([g]) => g) : [];
  assert.ok(groups.every((g) => confluentListed.includes(g)), `confluent-kafka list_groups: ${JSON.stringify(after.confluentListed)}`);

  // Everyone resumes after the commits.
  await produceNumbered(gb.bootstrap, topic, 'c', 0, 30);
  start('confluent-kafka', stopped, 'stopped-3');
  if (withKip848) start('node-rdkafka', kip848, 'kip848-2');
  for (const g of groups) await caughtUp(g);
  const fresh = (name: string): string[] => c.of(name).flatMap((e) => (e.e === 'rec' ? [e.v] : [])).sort();
  const bc = [...Array.from({ length: 30 }, (_, i) => `b-${i}`), ...Array.from({ length: 30 }, (_, i) => `c-${i}`)].sort();
  assert.deepEqual(fresh('stopped-3'), bc, 'a new classic member starts after the committed offsets');
  if (withKip848) assert.deepEqual(fresh('kip848-2'), bc, 'a new KIP-848 member starts after the committed offsets');
  for (const g of groups.filter((x) => liveGroups.includes(x))) assert.equal(new Set(values(g)).size, 180, `${g}: the live member processed everything`);
  const liveView = await adminView(gb.bootstrap, [live]);
  assert.equal(liveView.described[live]?.state, 'Stable');
  assert.deepEqual(liveView.described[live]?.members.map((m) => m.clientId), ['live-1']);
  await c.closeAll(PARTITIONS);

  const end = await endOffsets(gb.broker.port, topic, PARTITIONS);
  const offsets = checkOffsetVisibility(gb.tap.exchanges);
  const notes: string[] = [];
  for (const g of groups) {
    const others = new Set([...membersOf].filter(([x]) => x !== g).flatMap(([, ms]) => ms));
    const check = checkGroupRun(c.events, c.marks, { partitions: PARTITIONS, endOffsets: end, ignore: others });
    assert.deepEqual(check.violations, [], `${g}\n${c.summary()}`);
    assert.deepEqual(check.redeliveries.filter((r) => r.cause !== 'commitRefused'), [], `${g}: nothing committed is processed again`);
    notes.push(`${g}: ${check.processed} processed (${check.distinct} distinct), ${check.commits} commits, ${check.commitErrors} refused`);
  }
  t.diagnostic(notes.join('; '));
  t.diagnostic(`tap: ${offsets.commits} commits, ${offsets.fetches} fetched offsets checked; errors answered ${JSON.stringify([...errorCounts(gb.tap.exchanges)])}; total ${Math.round((Date.now() - started) / 1000)} s`);
  assert.deepEqual(c.closeTimeouts, []);
  assert.deepEqual([...gb.tap.errors, ...offsets.violations], []);
}

test('broker SIGTERM and restart: groups, members and committed offsets come back; consumers resume', { timeout: 180_000 }, (t) => scenario(t, 'SIGTERM'));

test('broker SIGKILL right after acknowledged commits: the commits survive; consumers resume', { timeout: 180_000 }, (t) => scenario(t, 'SIGKILL'));
