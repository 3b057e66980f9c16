/**
 * Seeded random schedules of joins, leaves, crashes, static bounces, lost responses, slow
 * revocations, heartbeats and time passing. After every step no partition may be owned by two
 * live clients; at the end, once everyone heartbeats again, the group must settle: stable, every
 * partition owned once, balanced, and each client owning what the coordinator says it owns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRandom } from '../../../common/random.js';
import { assignmentSize, assignmentToEntries } from './assignment.js';
import { Harness } from './testing/harness.js';
import { assertDisjointOwnership, SimClient } from './testing/sim-client.js';

const SEEDS = Number(process.env.SAMSA_TEST_SIM_SEEDS ?? 24);
const STEPS = 400;

function pick<T>(rnd: SeededRandom, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[rnd.int(items.length)];
}

function run(seed: number, topics: Record<string, number>, subscriptions: string[][]): void {
  const h = new Harness({ topics, seed });
  const rnd = new SeededRandom(seed * 7919);
  const clients: SimClient[] = [];
  const successors: SimClient[] = [];
  let next = 0;
  const live = () => clients.filter((c) => c.alive);
  const newClient = (instanceId?: string) => {
    const name = `m${String(next++).padStart(3, '0')}`;
    return new SimClient(h, name, pick(rnd, subscriptions)!, { slowRevocation: rnd.int(2) === 0, ...(instanceId ? { instanceId } : {}) });
  };

  for (let step = 0; step < STEPS; step++) {
    const action = rnd.int(100);
    const c = pick(rnd, live());
    if (action < 8 && live().length < 6) {
      const joiner = newClient(rnd.int(3) === 0 ? `instance-${next}` : undefined);
      clients.push(joiner);
      joiner.heartbeat();
    } else if (action < 11 && c) {
      c.leave();
    } else if (action < 14 && c) {
      c.crash();
    } else if (action < 17 && c?.options.instanceId) {
      c.leave(-2);
      successors.push(newClient(c.options.instanceId));
    } else if (action < 21 && successors.length > 0) {
      const s = successors.splice(rnd.int(successors.length), 1)[0]!;
      clients.push(s);
      s.heartbeat();
    } else if (action < 32 && c) {
      c.completeRevocation();
    } else if (action < 45) {
      const ms = rnd.int(4000);
      const now = h.clock.monotonicMs();
      for (const x of live()) {
        if (x.revokingSinceMs !== undefined && now - x.revokingSinceMs >= 10_000) x.completeRevocation();
        if (now + ms - x.lastHeartbeatMs > 5000) x.heartbeat();
      }
      h.advance(ms);
    } else if (c) {
      c.heartbeat({ omitOwnedIfUnchanged: rnd.int(2) === 0, lose: rnd.int(20) === 0 });
    }
    try {
      assertDisjointOwnership(clients);
    } catch (e) {
      throw new Error(`seed ${seed}, step ${step}: ${(e as Error).message}`);
    }
  }

  // Everyone left heartbeats until the group settles (and the sessions of the departed expire).
  for (let round = 0; round < 60; round++) {
    for (const x of live()) x.heartbeat();
    for (const x of live()) x.completeRevocation();
    assertDisjointOwnership(clients);
    h.advance(1000);
  }
  const d = h.describe();
  assert.deepEqual(h.replayed().describe(['g'], false), [d], `seed ${seed}: replaying the records rebuilds the group`);
  const survivors = live().filter((x) => x.epoch > 0);
  assert.deepEqual(d.members.map((m) => m.memberId), survivors.map((x) => x.memberId).sort(), `seed ${seed}: members`);
  if (survivors.length === 0) return;
  assert.equal(d.groupState, 'Stable', `seed ${seed}`);
  for (const x of survivors) {
    assert.equal(x.epoch, d.groupEpoch, `seed ${seed}: ${x.memberId} epoch`);
    const view = d.members.find((m) => m.memberId === x.memberId)!;
    assert.deepEqual(view.assignment.topicPartitions.map(({ topicId, partitions }) => ({ topicId, partitions })),
      assignmentToEntries(x.owned), `seed ${seed}: ${x.memberId} owns what it is assigned`);
  }
  const subscribed = new Set(survivors.flatMap((x) => x.topics));
  const total = [...subscribed].reduce((n, t) => n + (topics[t] ?? 0), 0);
  assert.equal(survivors.reduce((n, x) => n + assignmentSize(x.owned), 0), total, `seed ${seed}: every partition owned`);
  if (subscriptions.length === 1) {
    const sizes = survivors.map((x) => assignmentSize(x.owned));
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `seed ${seed}: balanced ${sizes}`);
  }
}

test('simulation: members come and go around a 12-partition topic; no partition is ever owned twice', () => {
  for (let seed = 1; seed <= SEEDS; seed++) run(seed, { orders: 12 }, [['orders']]);
});

test('simulation: heterogeneous subscriptions over three topics', () => {
  for (let seed = 1; seed <= SEEDS; seed++) {
    run(1000 + seed, { a: 5, b: 7, c: 3 }, [['a'], ['a', 'b'], ['b', 'c'], ['a', 'b', 'c']]);
  }
});
