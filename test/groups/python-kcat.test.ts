/**
 * kafka-python and kcat -G as group members in separate processes against `samsa start`: they
 * join, share the partitions, consume and commit; OffsetFetch (kafka-python's admin) shows the
 * commits; a member leaving hands its partitions over; a restarted consumer resumes after the
 * committed offsets. Every exchange passes the wire tap, whose per-generation and offset checks
 * must hold too. A missing client skips, or fails when SAMSA_TEST_REQUIRE_INTEROP=1.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { KCAT } from '../interop/clients.js';
import { absent } from './harness/clients.js';
import { missing } from '../broker/missing-client.js';
import { Collector } from './harness/collector.js';
import { checkGroupRun, currentOwners } from './harness/invariants.js';
import { adminView, committedOf, createGroupTopic, endOffsets, type GroupBroker, produceNumbered, startGroupBroker } from './harness/setup.js';
import { checkClassicGenerations, checkOffsetVisibility, errorCounts } from './harness/tap-checks.js';

let gb: GroupBroker;
const PARTITIONS = 6;

before(async () => {
  gb = await startGroupBroker();
});
after(async () => {
  await gb?.stop();
});

function tapReport(topic: string, partitions: number, group: string): string[] {
  const gens = checkClassicGenerations(gb.tap.exchanges, topic, partitions, group);
  const offsets = checkOffsetVisibility(gb.tap.exchanges);
  return [...gb.tap.errors, ...gens.violations, ...offsets.violations];
}

test('kafka-python: two members share the topic, one leaves, a restarted member resumes after the commits', async (t) => {
  const lacking = await absent('kafka-python', 'kcat');
  if (lacking) return missing(t, lacking);
  const topic = 'kp-topic';
  const group = 'kp-group';
  await createGroupTopic(gb.broker.port, topic, PARTITIONS);
  const c = new Collector();
  c.onKill = (name) => gb.tap.recordDeath(name);
  t.after(() => c.killAll());
  const recs = (): number => c.events.filter((e) => e.e === 'rec').length;
  const cfg = (name: string): Parameters<Collector['start']>[1] => ({ bootstrap: gb.bootstrap, topic, group, name });
  const settled = (members: string[]): (() => boolean) => () => currentOwners(c.events, c.marks, PARTITIONS, new Set(members)).every((o) => o.length === 1);
  const committedAll = async (): Promise<boolean> => {
    const end = await endOffsets(gb.broker.port, topic, PARTITIONS);
    const lastCommit = new Map<number, number>();
    for (const e of c.events) if (e.e === 'commit') for (const [p, o] of e.offsets) lastCommit.set(p, o);
    return end.every((o, p) => o === 0 || lastCommit.get(p) === o);
  };

  await produceNumbered(gb.bootstrap, topic, 'a', 0, 60);
  c.start('kafka-python', cfg('kp-1'));
  c.start('kafka-python', cfg('kp-2'));
  await c.waitFor('both kafka-python members own partitions', () => settled(['kp-1', 'kp-2'])() && new Set(currentOwners(c.events, c.marks, PARTITIONS).flat()).size === 2, 40_000);
  await c.waitFor('60 records processed', () => recs() >= 60, 30_000);
  for (let i = 0; i < 100 && !(await committedAll()); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(await committedAll(), c.summary());

  const view = await adminView(gb.bootstrap, [group]);
  assert.deepEqual(committedOf(view, group, topic, PARTITIONS), await endOffsets(gb.broker.port, topic, PARTITIONS), 'OffsetFetch shows the commits');
  assert.ok(view.listed.some(([g, type]) => g === group && type === 'consumer'), JSON.stringify(view.listed));
  const described = view.described[group]!;
  assert.equal(described.state, 'Stable');
  assert.deepEqual(described.members.map((m) => m.clientId), ['kp-1', 'kp-2']);
  assert.deepEqual(described.members.flatMap((m) => m.partitions ?? []).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5]);

  // kp-2 leaves (LeaveGroup): kp-1 takes every partition and consumes what comes next.
  await c.close('kp-2');
  await c.waitFor('kp-1 owns all partitions', () => currentOwners(c.events, c.marks, PARTITIONS).every((o) => o.length === 1 && o[0] === 'kp-1'), 30_000);
  await produceNumbered(gb.bootstrap, topic, 'b', 0, 30);
  await c.waitFor('90 records processed', () => recs() >= 90, 30_000);
  for (let i = 0; i < 100 && !(await committedAll()); i++) await new Promise((r) => setTimeout(r, 100));
  await c.close('kp-1');

  // A new member resumes after the committed offsets: only the 20 new records.
  await produceNumbered(gb.bootstrap, topic, 'c', 0, 20);
  c.start('kafka-python', cfg('kp-3'));
  await c.waitFor('kp-3 processed the 20 new records', () => c.of('kp-3').filter((e) => e.e === 'rec').length >= 20, 40_000);
  await new Promise((r) => setTimeout(r, 1000));
  const kp3 = c.of('kp-3').flatMap((e) => (e.e === 'rec' ? [e.v] : []));
  assert.deepEqual(kp3.sort(), Array.from({ length: 20 }, (_, i) => `c-${i}`).sort(), 'kp-3 starts after the committed offsets');
  await c.close('kp-3');

  const end = await endOffsets(gb.broker.port, topic, PARTITIONS);
  const check = checkGroupRun(c.events, c.marks, { partitions: PARTITIONS, endOffsets: end });
  assert.deepEqual(check.violations, [], c.summary());
  assert.deepEqual(c.closeTimeouts, [], 'every member closed (LeaveGroup) in time');
  assert.deepEqual(check.redeliveries, [], 'nothing is processed twice without a kill');
  assert.equal(check.distinct, 110);
  assert.deepEqual(tapReport(topic, PARTITIONS, group), []);
  const gens = checkClassicGenerations(gb.tap.exchanges, topic, PARTITIONS, group).generations;
  t.diagnostic(`kafka-python: ${check.processed} records, ${check.commits} commits, ${check.settled} settled assignments; ${gens.length} generations: ${gens.map((g) => `${g.generation}:${g.clients.size} members, plan ${g.coverage}`).join('; ')}`);
  t.diagnostic(`errors answered: ${JSON.stringify([...errorCounts(gb.tap.exchanges)])}`);
});

/** A `kcat -G` member printing "partition offset value" lines; its stderr has the rebalance lines. */
function kcatMember(group: string, topic: string, exitAtEnd: boolean): { lines: string[]; stderr: () => string; stop: () => Promise<number | null>; exited: Promise<number | null> } {
  const args = ['-b', gb.bootstrap, '-G', group, '-X', 'auto.offset.reset=earliest', '-X', 'fetch.wait.max.ms=100', '-X', 'session.timeout.ms=6000',
    '-X', 'heartbeat.interval.ms=500', '-X', 'auto.commit.interval.ms=200', '-u', '-f', '%p %o %s\\n', ...(exitAtEnd ? ['-e'] : []), topic];
  const child = spawn(KCAT, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => { stderr = (stderr + b.toString('utf8')).slice(-20_000); });
  createInterface({ input: child.stdout }).on('line', (l) => lines.push(l));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  void exited.then(() => clearTimeout(timer));
  return {
    lines,
    stderr: () => stderr,
    exited,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

async function until(what: string, f: () => boolean | Promise<boolean>, timeoutMs: number, detail: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await f()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}\n${detail()}`);
}

test('kcat -G: two members split the topic and commit; a restarted member reads only what is new', async (t) => {
  const lacking = await absent('kcat', 'kafka-python');
  if (lacking) return missing(t, lacking);
  const topic = 'kcat-topic';
  const group = 'kcat-group';
  await createGroupTopic(gb.broker.port, topic, PARTITIONS);
  await produceNumbered(gb.bootstrap, topic, 'a', 0, 60);
  const m1 = kcatMember(group, topic, false);
  const m2 = kcatMember(group, topic, false);
  const detail = (): string => `member 1 stderr:\n${m1.stderr()}\nmember 2 stderr:\n${m2.stderr()}`;
  await until('two kcat members to read 60 records', () => m1.lines.length + m2.lines.length >= 60, 40_000, detail);
  // Both got partitions (the rebalance lines say what each was assigned).
  await until('both kcat members assigned', () => /assigned: .*\[/.test(m1.stderr()) && /assigned: .*\[/.test(m2.stderr()), 20_000, detail);
  const seen = [...m1.lines, ...m2.lines].map((l) => l.split(' ')[2]).sort();
  assert.equal(new Set(seen).size, 60, detail());
  // kcat commits (auto commit, and on close) on SIGTERM.
  await Promise.all([m1.stop(), m2.stop()]);
  const end = await endOffsets(gb.broker.port, topic, PARTITIONS);
  const view = await adminView(gb.bootstrap, [group]);
  assert.deepEqual(committedOf(view, group, topic, PARTITIONS), end, `OffsetFetch shows kcat's commits\n${detail()}`);
  assert.equal(view.described[group]?.state, 'Empty');

  await produceNumbered(gb.bootstrap, topic, 'b', 0, 12);
  const m3 = kcatMember(group, topic, true);
  assert.equal(await m3.exited, 0, m3.stderr());
  assert.deepEqual(m3.lines.map((l) => l.split(' ')[2]).sort(), Array.from({ length: 12 }, (_, i) => `b-${i}`).sort(), m3.stderr());
  const view2 = await adminView(gb.bootstrap, [group]);
  assert.deepEqual(committedOf(view2, group, topic, PARTITIONS), await endOffsets(gb.broker.port, topic, PARTITIONS));
  assert.deepEqual(tapReport(topic, PARTITIONS, group), []);
  const gens = checkClassicGenerations(gb.tap.exchanges, topic, PARTITIONS, group).generations;
  t.diagnostic(`kcat -G: ${gens.length} generations: ${gens.map((g) => `${g.generation}:${g.clients.size} members, plan ${g.coverage}`).join('; ')}`);
});
