/**
 * An assignment: topic id → partition numbers. Values are treated as immutable once built; every
 * change makes a new map (members and target assignments are compared and copied freely).
 */
import type { Uuid } from '../../../protocol/index.js';

export type Assignment = ReadonlyMap<Uuid, ReadonlySet<number>>;

export const EMPTY_ASSIGNMENT: Assignment = new Map();

/** The wire/record shape: one entry per topic, partitions sorted (topics sorted by id). */
export interface TopicPartitionsEntry {
  topicId: Uuid;
  partitions: number[];
}

/** Builds an assignment from entries; repeated topics add up, empty topics are dropped. */
export function assignmentFromEntries(entries: readonly { readonly topicId: Uuid; readonly partitions: readonly number[] }[] | null | undefined): Assignment {
  const out = new Map<Uuid, Set<number>>();
  for (const e of entries ?? []) {
    if (e.partitions.length === 0) continue;
    let set = out.get(e.topicId);
    if (!set) out.set(e.topicId, (set = new Set()));
    for (const p of e.partitions) set.add(p);
  }
  return out;
}

export function assignmentToEntries(a: Assignment): TopicPartitionsEntry[] {
  return [...a.keys()].sort().map((topicId) => ({
    topicId,
    partitions: [...(a.get(topicId) ?? [])].sort((x, y) => x - y),
  }));
}

export function assignmentEquals(a: Assignment | undefined, b: Assignment | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  if (a.size !== b.size) return false;
  for (const [topicId, partitions] of a) {
    const other = b.get(topicId);
    if (!other || other.size !== partitions.size) return false;
    for (const p of partitions) if (!other.has(p)) return false;
  }
  return true;
}

export function assignmentHas(a: Assignment, topicId: Uuid, partition: number): boolean {
  return a.get(topicId)?.has(partition) ?? false;
}

export function assignmentSize(a: Assignment): number {
  let n = 0;
  for (const partitions of a.values()) n += partitions.size;
  return n;
}

/** Every (topic, partition) of the assignment, topics by id, partitions ascending. */
export function* assignmentPartitions(a: Assignment): Generator<[Uuid, number]> {
  for (const topicId of [...a.keys()].sort()) {
    for (const p of [...(a.get(topicId) ?? [])].sort((x, y) => x - y)) yield [topicId, p];
  }
}

/** A mutable builder that freezes into an Assignment without empty topics. */
export class AssignmentBuilder {
  private readonly map = new Map<Uuid, Set<number>>();

  add(topicId: Uuid, partition: number): this {
    let set = this.map.get(topicId);
    if (!set) this.map.set(topicId, (set = new Set()));
    set.add(partition);
    return this;
  }

  addAll(a: Assignment): this {
    for (const [topicId, partitions] of a) for (const p of partitions) this.add(topicId, p);
    return this;
  }

  remove(topicId: Uuid, partition: number): this {
    const set = this.map.get(topicId);
    if (set) {
      set.delete(partition);
      if (set.size === 0) this.map.delete(topicId);
    }
    return this;
  }

  get size(): number {
    return assignmentSize(this.map);
  }

  build(): Assignment {
    const out = new Map<Uuid, Set<number>>();
    for (const [topicId, set] of this.map) if (set.size > 0) out.set(topicId, new Set(set));
    return out;
  }
}

/** True when every partition of `owned` is in `target` (Kafka's isSubset for the previous-epoch check). */
export function entriesAreSubsetOf(owned: readonly { readonly topicId: Uuid; readonly partitions: readonly number[] }[] | null, target: Assignment): boolean {
  if (owned === null) return false;
  for (const e of owned) {
    const partitions = target.get(e.topicId);
    if (!partitions) return false;
    for (const p of e.partitions) if (!partitions.has(p)) return false;
  }
  return true;
}

/** True when `owned` still lists any partition of `revoking` (null owned: unknown, so yes). */
export function entriesIntersect(owned: readonly { readonly topicId: Uuid; readonly partitions: readonly number[] }[] | null, revoking: Assignment): boolean {
  if (owned === null) return true;
  for (const e of owned) {
    const partitions = revoking.get(e.topicId);
    if (!partitions) continue;
    for (const p of e.partitions) if (partitions.has(p)) return true;
  }
  return false;
}
