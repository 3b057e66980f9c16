/**
 * The invariants of one consumer group run, checked over the collected timeline (a pure
 * function: the unit test feeds it hand-written timelines).
 *
 * - ExclusiveOwnership: a partition is never owned by two live members at once (from the
 *   assignments and revocations the members report; a killed or closed member owns nothing).
 * - ProcessedWhileOwned: a member only processes records of partitions it owns.
 * - FullAssignment: counted, not asserted per event: each time the live members' assignments
 *   cover every partition exactly once is a settled rebalance (`settled`); tests assert the
 *   last state is settled.
 * - StableRecords: one offset of a partition always holds the same value.
 * - AtLeastOnce: every expected record (by offset, 0..end-1 per partition) was processed.
 * - NoCommittedRedelivery: a record processed again after a commit covering it was acknowledged
 *   (to anyone) is a violation. Re-deliveries without such a commit are classified: `afterKill`
 *   (the first processor was killed before committing it, and the new processor is another
 *   member), `commitRefused` (the first processor's commit covering it was refused, e.g. during a
 *   rebalance) or `uncommitted` (neither: the record was given up without a commit attempt).
 * - MonotonicCommits: acknowledged commits of a partition never move backwards.
 */
import type { Collected, Mark } from './events.js';

export interface Redelivery {
  partition: number;
  offset: number;
  /** The processing before this one (the member that did not get it committed). */
  first: { worker: string; t: number };
  again: { worker: string; t: number };
  cause: 'afterKill' | 'commitRefused' | 'uncommitted';
}

export interface GroupCheck {
  violations: string[];
  /** Times the live members' reported assignments covered every partition exactly once (changes only). */
  settled: number;
  /** Whether the final state is settled (every partition owned by exactly one live member). */
  settledAtEnd: boolean;
  /** Final owner of each partition (undefined when unowned). */
  finalOwners: (string | undefined)[];
  processed: number;
  distinct: number;
  redeliveries: Redelivery[];
  commits: number;
  commitErrors: number;
}

export interface CheckOptions {
  partitions: number;
  /** End offset per partition: offsets 0..end-1 must all be processed. */
  endOffsets?: readonly number[];
  /** Members whose events are not checked for ownership (e.g. a different group on the topic). */
  ignore?: ReadonlySet<string>;
}

type Entry = { kind: 'event'; ev: Collected } | { kind: 'mark'; mark: Mark };

export function checkGroupRun(events: readonly Collected[], marks: readonly Mark[], options: CheckOptions): GroupCheck {
  const violations: string[] = [];
  const own = new Ownership();
  const ownedSince = new Map<string, number>();
  const killedAt = new Map<string, number>();
  /** Per partition: acknowledged commits in order. */
  const commits = new Map<number, { offset: number; worker: string; t: number }[]>();
  /** Per "partition/offset": processings in order. */
  const processings = new Map<string, { worker: string; t: number; value: string }[]>();
  let settled = 0;
  let lastSettled = '';
  let processed = 0;
  let commitCount = 0;
  let commitErrors = 0;
  /** Per worker: refused commits (partition, offset, t). */
  const refused = new Map<string, [number, number, number][]>();

  const settledOwners = (): string | null => {
    const owners: string[] = [];
    for (let p = 0; p < options.partitions; p++) {
      const ws = own.owners(p);
      if (ws.length !== 1) return null;
      owners.push(ws[0]!);
    }
    return owners.join(',');
  };

  for (const entry of mergeTimeline(events.filter((e) => !options.ignore?.has(e.worker)), marks)) {
    if (entry.kind === 'mark') {
      if (entry.mark.kind === 'kill' && entry.mark.worker !== undefined) killedAt.set(entry.mark.worker, entry.mark.t);
      own.apply(entry);
      continue;
    }
    const ev = entry.ev;
    switch (ev.e) {
      case 'assign':
        for (const p of ev.partitions) {
          const [other] = own.owners(p, ev.worker);
          if (other !== undefined) {
            violations.push(`ExclusiveOwnership: partition ${p} assigned to ${ev.worker} at ${ev.t} ms while ${other} still owned it (since ${ownedSince.get(`${other}/${p}`)} ms, no revoke reported)`);
          }
          if (!own.owns(ev.worker, p)) ownedSince.set(`${ev.worker}/${p}`, ev.t);
        }
        break;
      case 'rec': {
        processed++;
        if (!own.owns(ev.worker, ev.p)) {
          violations.push(`ProcessedWhileOwned: ${ev.worker} processed partition ${ev.p} offset ${ev.o} at ${ev.t} ms without owning the partition`);
        }
        const key = `${ev.p}/${ev.o}`;
        const list = processings.get(key) ?? [];
        if (list.length > 0 && list[0]!.value !== ev.v) {
          violations.push(`StableRecords: partition ${ev.p} offset ${ev.o} read as ${JSON.stringify(list[0]!.value)} by ${list[0]!.worker} and as ${JSON.stringify(ev.v)} by ${ev.worker}`);
        }
        if (list.length > 0) {
          const covering = (commits.get(ev.p) ?? []).find((c) => c.offset > ev.o);
          if (covering) {
            violations.push(`NoCommittedRedelivery: partition ${ev.p} offset ${ev.o} processed again by ${ev.worker} at ${ev.t} ms after ${covering.worker} had a commit of offset ${covering.offset} acknowledged at ${covering.t} ms`);
          }
        }
        list.push({ worker: ev.worker, t: ev.t, value: ev.v });
        processings.set(key, list);
        break;
      }
      case 'commit':
        commitCount++;
        for (const [p, offset] of ev.offsets) {
          const list = commits.get(p) ?? [];
          const last = list[list.length - 1];
          if (last && offset < last.offset) {
            violations.push(`MonotonicCommits: partition ${p} commit went back from ${last.offset} (${last.worker} at ${last.t} ms) to ${offset} (${ev.worker} at ${ev.t} ms)`);
          }
          list.push({ offset, worker: ev.worker, t: ev.t });
          commits.set(p, list);
        }
        break;
      case 'commitError':
        commitErrors++;
        refused.set(ev.worker, [...(refused.get(ev.worker) ?? []), ...ev.offsets.map(([p, o]): [number, number, number] => [p, o, ev.t])]);
        break;
      default:
        break;
    }
    own.apply(entry);
    const now = settledOwners();
    if (now !== null && now !== lastSettled) settled++;
    lastSettled = now ?? '';
  }

  const redeliveries: Redelivery[] = [];
  for (const [key, list] of processings) {
    const [p, o] = key.split('/').map(Number) as [number, number];
    // Each re-processing is blamed on the processing before it: who did not commit it.
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1]!;
      const again = list[i]!;
      const killed = killedAt.get(prev.worker);
      const wasRefused = (refused.get(prev.worker) ?? []).some(([rp, ro, rt]) => rp === p && ro > o && rt >= prev.t && rt <= again.t);
      const cause = killed !== undefined && killed <= again.t && again.worker !== prev.worker ? 'afterKill' : wasRefused ? 'commitRefused' : 'uncommitted';
      redeliveries.push({ partition: p, offset: o, first: { worker: prev.worker, t: prev.t }, again: { worker: again.worker, t: again.t }, cause });
    }
  }
  redeliveries.sort((a, b) => a.partition - b.partition || a.offset - b.offset || a.again.t - b.again.t);

  if (options.endOffsets) {
    for (let p = 0; p < options.partitions; p++) {
      const end = options.endOffsets[p] ?? 0;
      const missing: number[] = [];
      for (let o = 0; o < end; o++) if (!processings.has(`${p}/${o}`)) missing.push(o);
      if (missing.length > 0) violations.push(`AtLeastOnce: partition ${p} offsets never processed: ${ranges(missing)} (end offset ${end})`);
    }
  }

  const finalOwners = Array.from({ length: options.partitions }, (_, p) => own.owners(p));
  return {
    violations,
    settled,
    settledAtEnd: finalOwners.every((ws) => ws.length === 1),
    finalOwners: finalOwners.map((ws) => ws[0]),
    processed,
    distinct: processings.size,
    redeliveries,
    commits: commitCount,
    commitErrors,
  };
}

function seqOf(e: Entry): number {
  return e.kind === 'event' ? e.ev.seq : e.mark.seq;
}

/** [1,2,3,7,9,10] → "1-3, 7, 9-10" */
export function ranges(sorted: readonly number[]): string {
  const out: string[] = [];
  let start = sorted[0];
  let prev = start;
  for (const n of [...sorted.slice(1), Number.NaN]) {
    if (n === (prev ?? 0) + 1) {
      prev = n;
      continue;
    }
    if (start !== undefined) out.push(start === prev ? `${start}` : `${start}-${prev}`);
    start = n;
    prev = n;
  }
  return out.join(', ');
}

/** The live owners of every partition from the events so far (for waiting until a rebalance settles). */
export function currentOwners(events: readonly Collected[], marks: readonly Mark[], partitions: number, members?: ReadonlySet<string>): string[][] {
  const state = new Ownership();
  for (const entry of mergeTimeline(members ? events.filter((e) => members.has(e.worker)) : events, marks)) state.apply(entry);
  return Array.from({ length: partitions }, (_, p) => state.owners(p));
}

/** Who owns what, replayed from assign/revoke/lost/closed events and kill/exit marks. */
class Ownership {
  readonly owned = new Map<string, Set<number>>();
  readonly dead = new Set<string>();

  apply(entry: Entry): void {
    if (entry.kind === 'mark') {
      const m = entry.mark;
      // Lines a killed worker wrote before the signal may still be read after the kill mark:
      // it owns nothing from its exit (marked once its output is drained).
      if (m.kind === 'exit' && m.worker !== undefined) this.drop(m.worker);
      return;
    }
    const ev = entry.ev;
    if (ev.e === 'assign') {
      const set = ev.incremental ? (this.owned.get(ev.worker) ?? new Set<number>()) : new Set<number>();
      for (const p of ev.partitions) set.add(p);
      this.owned.set(ev.worker, set);
    } else if (ev.e === 'revoke' || ev.e === 'lost') {
      for (const p of ev.partitions) this.owned.get(ev.worker)?.delete(p);
    } else if (ev.e === 'closed') {
      this.drop(ev.worker);
    }
  }

  owns(worker: string, p: number): boolean {
    return !this.dead.has(worker) && (this.owned.get(worker)?.has(p) ?? false);
  }

  owners(p: number, except?: string): string[] {
    return [...this.owned.keys()].filter((w) => w !== except && this.owns(w, p));
  }

  private drop(worker: string): void {
    this.dead.add(worker);
    this.owned.delete(worker);
  }
}

function mergeTimeline(events: readonly Collected[], marks: readonly Mark[]): Entry[] {
  return [
    ...events.map((ev): Entry => ({ kind: 'event', ev })),
    ...marks.map((mark): Entry => ({ kind: 'mark', mark })),
  ].sort((a, b) => seqOf(a) - seqOf(b));
}
