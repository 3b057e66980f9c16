/**
 * What a reader should have seen, and the comparison with what it did see. Streams are compared
 * per partition as sequences of strings (a value, or "offset:value" where offsets are known), so
 * one comparison names duplicates, gaps, records that should not be there and order.
 */
import type { Delivered } from './events.js';

/** A record as a reader reports it. */
export interface ReadRecord {
  p: number;
  o: number;
  v: string;
}

/** One transaction of a producer, as the harness drove it. */
export interface DrivenTxn {
  producer: string;
  outcome: 'commit' | 'abort' | 'open';
  delivered: Delivered[];
}

export type Streams = Map<number, string[]>;

const EXAMPLES = 5;

function sample(xs: readonly string[]): string {
  return `${xs.slice(0, EXAMPLES).join(', ')}${xs.length > EXAMPLES ? `, … (${xs.length})` : ''}`;
}

/**
 * Problems of `got` against `want`, per partition: values read more than once, values missing,
 * values that should not be there, and (when the values match) the first place the order differs.
 * Empty when every partition's sequence is exactly the wanted one.
 */
export function compareStreams(label: string, got: Streams, want: Streams): string[] {
  const problems: string[] = [];
  const partitions = [...new Set([...got.keys(), ...want.keys()])].sort((a, b) => a - b);
  for (const p of partitions) {
    const g = got.get(p) ?? [];
    const w = want.get(p) ?? [];
    if (g.length === w.length && g.every((x, i) => x === w[i])) continue;
    const counts = new Map<string, number>();
    for (const x of g) counts.set(x, (counts.get(x) ?? 0) + 1);
    const wanted = new Set(w);
    const duplicates = [...counts].filter(([, n]) => n > 1).map(([x, n]) => `${x} ×${n}`);
    const missing = w.filter((x) => !counts.has(x));
    const unexpected = [...counts.keys()].filter((x) => !wanted.has(x));
    const where = `${label} partition ${p}`;
    if (duplicates.length) problems.push(`${where}: read more than once: ${sample(duplicates)}`);
    if (missing.length) problems.push(`${where}: missing: ${sample(missing)}`);
    if (unexpected.length) problems.push(`${where}: should not be there: ${sample(unexpected)}`);
    if (!duplicates.length && !missing.length && !unexpected.length) {
      const i = g.findIndex((x, k) => x !== w[k]);
      problems.push(`${where}: out of order at position ${i}: read ${g[i]}, expected ${w[i]}`);
    }
  }
  return problems;
}

/** Records as streams of `render(record)`, in the order read. */
export function streamsOf(records: readonly ReadRecord[], render: (r: ReadRecord) => string = (r) => `${r.o}:${r.v}`): Streams {
  const out: Streams = new Map();
  for (const r of records) out.set(r.p, [...(out.get(r.p) ?? []), render(r)]);
  return out;
}

/** Delivered records (partition, offset, value) as "offset:value" streams in offset order. */
export function offsetStreams(delivered: readonly Delivered[]): Streams {
  const sorted = [...delivered].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return streamsOf(sorted.map(([p, o, v]) => ({ p, o, v })));
}

/** What a reader at `isolation` must read of these transactions: committed ones, or all written ones. */
export function visibleRecords(txns: readonly DrivenTxn[], isolation: 'read_committed' | 'read_uncommitted'): Delivered[] {
  return txns.filter((t) => isolation === 'read_uncommitted' || t.outcome === 'commit').flatMap((t) => t.delivered);
}

/**
 * Each producer's records of a partition were written in the order it sent them: offsets
 * increase along every producer's sends. Problems, empty when they do.
 */
export function produceOrderProblems(txns: readonly DrivenTxn[]): string[] {
  const problems: string[] = [];
  const last = new Map<string, Delivered>();
  for (const t of txns) {
    for (const d of t.delivered) {
      const key = `${t.producer}/${d[0]}`;
      const before = last.get(key);
      if (before && before[1] >= d[1]) problems.push(`${t.producer} partition ${d[0]}: ${d[2]} at offset ${d[1]} after ${before[2]} at ${before[1]}`);
      last.set(key, d);
    }
  }
  return problems;
}

/**
 * Every input record once, transformed, in input order: output partition p holds, for each input
 * record of partition p in offset order, "<value>|<p>|<offset>" (the EOS workers' transform).
 */
export function transformedInputs(inputs: readonly ReadRecord[]): Streams {
  const sorted = [...inputs].sort((a, b) => a.p - b.p || a.o - b.o);
  return streamsOf(sorted, (r) => `${r.v}|${r.p}|${r.o}`);
}
