/**
 * The `uniform` assignor: spreads all subscribed partitions evenly over the members, keeping each
 * member's current partitions where it can.
 *
 * 1. Every member keeps the partitions of its current assignment that it still subscribes to
 *    (a partition claimed twice goes to the first member by id).
 * 2. Unowned partitions go, most constrained topic first (fewest subscribers), each to the
 *    subscriber with the fewest partitions.
 * 3. Balancing: the member with the most partitions gives one to the subscriber of that topic
 *    with the fewest, if it holds at least two fewer; repeat until no member can give. Each move
 *    lowers the sum of squared counts, so this ends, and at the end no member can take a
 *    partition from one holding two more: with identical subscriptions, every count is within
 *    one of every other. Taking from the fullest first means a newcomer takes partitions only
 *    from the fullest members and never makes the others trade among themselves.
 */
import type { Uuid } from '../../../../protocol/index.js';
import { type Assignment, AssignmentBuilder } from '../assignment.js';
import { MaxHeap } from './max-heap.js';
import { type AssignmentGroupSpec, existingTopics, type PartitionAssignor, sortedMembers } from './types.js';

export const UNIFORM_ASSIGNOR_NAME = 'uniform';

class UniformAssignment {
  private readonly owner = new Map<Uuid, Int32Array>();
  private readonly subscribers = new Map<Uuid, number[]>();
  private readonly counts: number[];
  /** Per member, per topic: the partitions it owns, the ones to give away last at the front. */
  private readonly owned: Map<Uuid, number[]>[];

  constructor(spec: AssignmentGroupSpec, private readonly memberIds: string[], private readonly memberTopics: Uuid[][]) {
    this.counts = memberIds.map(() => 0);
    this.owned = memberIds.map(() => new Map());
    memberTopics.forEach((topics, i) => {
      for (const t of topics) {
        let subs = this.subscribers.get(t);
        if (!subs) {
          this.subscribers.set(t, (subs = []));
          this.owner.set(t, new Int32Array(spec.topics.get(t) ?? 0).fill(-1));
        }
        subs.push(i);
      }
    });
  }

  private give(t: Uuid, p: number, to: number): void {
    this.owner.get(t)![p] = to;
    this.counts[to]!++;
    let list = this.owned[to]!.get(t);
    if (!list) this.owned[to]!.set(t, (list = []));
    list.push(p);
  }

  keep(i: number, current: Assignment): void {
    for (const t of [...current.keys()].sort()) {
      const owners = this.owner.get(t);
      if (!owners || !this.memberTopics[i]!.includes(t)) continue;
      for (const p of [...current.get(t)!].sort((a, b) => a - b)) {
        if (p >= 0 && p < owners.length && owners[p] === -1) this.give(t, p, i);
      }
    }
  }

  private leastLoaded(t: Uuid): number {
    let best = -1;
    for (const s of this.subscribers.get(t)!) if (best === -1 || this.counts[s]! < this.counts[best]!) best = s;
    return best;
  }

  fillUnowned(): void {
    const topics = [...this.subscribers.keys()].sort((a, b) =>
      this.subscribers.get(a)!.length - this.subscribers.get(b)!.length || (a < b ? -1 : a > b ? 1 : 0));
    for (const t of topics) {
      const owners = this.owner.get(t)!;
      for (let p = 0; p < owners.length; p++) if (owners[p] === -1) this.give(t, p, this.leastLoaded(t));
    }
  }

  /** Moves one partition from `o` to a subscriber holding two fewer; false when there is none. */
  private moveOne(o: number): number | undefined {
    for (const t of this.memberTopics[o]!) {
      const list = this.owned[o]!.get(t);
      if (!list || list.length === 0) continue;
      const s = this.leastLoaded(t);
      if (this.counts[s]! > this.counts[o]! - 2) continue;
      const p = list.pop()!;
      this.counts[o]!--;
      this.give(t, p, s);
      return s;
    }
    return undefined;
  }

  balance(): void {
    for (;;) {
      let moved = false;
      const heap = new MaxHeap();
      this.counts.forEach((c, i) => heap.push(c, i));
      for (let top = heap.pop(); top; top = heap.pop()) {
        const [count, o] = top;
        if (count !== this.counts[o]) continue; // a stale entry; a fresh one is queued
        const receiver = this.moveOne(o);
        if (receiver === undefined) continue;
        moved = true;
        heap.push(this.counts[o]!, o);
        heap.push(this.counts[receiver]!, receiver);
      }
      if (!moved) return;
    }
  }

  result(): Map<string, Assignment> {
    const builders = this.memberIds.map(() => new AssignmentBuilder());
    for (const [t, owners] of this.owner) owners.forEach((o, p) => { if (o >= 0) builders[o]!.add(t, p); });
    return new Map(this.memberIds.map((id, i) => [id, builders[i]!.build()]));
  }
}

function assign(spec: AssignmentGroupSpec): Map<string, Assignment> {
  const members = sortedMembers(spec);
  const work = new UniformAssignment(spec, members.map((m) => m.memberId), members.map((m) => existingTopics(m, spec.topics)));
  members.forEach((m, i) => work.keep(i, m.currentAssignment));
  work.fillUnowned();
  work.balance();
  return work.result();
}

export const uniformAssignor: PartitionAssignor = { name: UNIFORM_ASSIGNOR_NAME, assign };
