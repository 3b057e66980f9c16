/**
 * Produce latency at fixed rates: 10, 50 and 80 percent of the highest rate the load generator
 * reaches against Samsa in the same run. The generator is confluent-kafka (librdkafka) from
 * Debian (bench/py/latency_producer.py, run by /usr/bin/python3): 1 KiB records, acks=1,
 * linger.ms=0 (latency mode: nothing waits to fill a batch), 6 partitions. It is open-loop: each
 * record's latency runs from the moment it was due to its delivery report, so a stall counts
 * against every record that should have been sent during it. The baseline is the same generator
 * at the same absolute rate against the no-op server (bench/noop-server.ts), which answers at
 * once and keeps nothing, the two alternating which goes first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Ready, kill, killAll, runTimed, settleDisk } from '../proc.js';
import { median } from '../stats.js';
import type { BenchOptions, BenchRow } from '../types.js';
import { startNoop, startSamsa } from './broker.js';

export const name = 'latency';
/** Filled during the run (the rates measured, the target); main prints the array after run() resolves. */
export const notes: string[] = [];

/** Debian's python, which has python3-confluent-kafka (the python3 on PATH may be another). */
const PYTHON = '/usr/bin/python3';
/** dist/ holds no .py: the script is read from the source tree. */
const SCRIPT = fileURLToPath(new URL('../../../bench/py/latency_producer.py', import.meta.url));
const SIZE = 1024;
const ACKS = '1';
/** librdkafka settings besides bootstrap and acks. */
const SETTINGS = ['linger.ms=0'];
const TOPIC = 'bench-latency';
const FRACTIONS = [0.1, 0.5, 0.8] as const;
const TARGET = { fraction: 0.5, p99Ms: 5, p999Ms: 20 };

interface Plan {
  reps: number;
  /** Seconds per fixed-rate run, the generator's first 0.5 s of warm-up included. */
  seconds: number;
  maxRateRecords: number;
  maxRateRuns: number;
}

function plan(opts: BenchOptions): Plan {
  return opts.quick ? { reps: 3, seconds: 1.2, maxRateRecords: 80_000, maxRateRuns: 2 } : { reps: 5, seconds: 6, maxRateRecords: 300_000, maxRateRuns: 3 };
}

/** The generator's JSON line; latencies in ms (null when no record was measured). */
interface Result {
  count: number;
  errors: number;
  /** Records per second it sent (fixed rate) or delivered (RATE 0). */
  rate: number;
  p50?: number | null;
  p99?: number | null;
  p999?: number | null;
  max?: number | null;
  /** How late the generator sent, in ms: 99th percentile over the first (latest) record of each burst it sent at once. */
  lag_p99?: number | null;
}

/** One generator run: `rate` records/s for `amount` seconds, or with rate 0 `amount` records flat out. */
async function generate(server: Ready, rate: number, amount: number): Promise<Result> {
  if (rate > 0) settleDisk();
  const args = [SCRIPT, `127.0.0.1:${server.port}`, TOPIC, String(SIZE), String(rate), String(amount), ACKS, ...SETTINGS];
  const r = await runTimed(PYTHON, args, { timeoutMs: 120_000 });
  const result = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Result;
  if (result.errors !== 0) throw new Error(`latency generator: ${result.errors} delivery errors against port ${server.port}\n${r.stderr.slice(-2000)}`);
  return result;
}

async function available(): Promise<void> {
  try {
    await runTimed(PYTHON, ['-c', 'import confluent_kafka'], { timeoutMs: 30_000 });
  } catch {
    throw new Error(`${PYTHON} cannot import confluent_kafka: apt-get install python3-confluent-kafka`);
  }
}

const label = (f: number): string => `${Math.round(f * 100)}%`;
const ms = (v: number): string => v.toFixed(v < 10 ? 2 : 1);
const pick = (results: Result[], key: 'p50' | 'p99' | 'p999' | 'lag_p99'): number[] => results.map((r) => r[key] ?? Number.NaN);

/** Median of `runs` flat-out runs against `server`, in records/s. */
async function maxRate(server: Ready, p: Plan): Promise<number> {
  const rates: number[] = [];
  for (let i = 0; i < p.maxRateRuns; i++) rates.push((await generate(server, 0, p.maxRateRecords)).rate);
  return median(rates);
}

async function measure(p: Plan, samsa: Ready, noop: Ready, rows: BenchRow[]): Promise<void> {
  await generate(samsa, 0, 20_000); // creates the topic and warms the broker up
  await generate(noop, 0, 20_000);
  const max = await maxRate(samsa, p);
  const noopMax = await maxRate(noop, p);
  notes.push(`highest rate against samsa: ${Math.round(max)} records/s of ${SIZE} B (median of ${p.maxRateRuns}; against the no-op server ${Math.round(noopMax)}/s); fixed rates ${FRACTIONS.map((f) => `${label(f)} = ${Math.round(f * max)}/s`).join(', ')}`);
  notes.push(`confluent-kafka, acks=${ACKS}, ${SETTINGS.join(' ')} (latency mode), 6 partitions, ${p.seconds} s per run of which the first 0.5 s is left out; generator and server share the machine's cores; dirty pages are written out (sync) before each run.`);
  for (const fraction of FRACTIONS) {
    const rate = Math.round(fraction * max);
    const runs = { samsa: [] as Result[], noop: [] as Result[] };
    for (let rep = 0; rep < p.reps; rep++) {
      const order: Array<'samsa' | 'noop'> = rep % 2 === 0 ? ['noop', 'samsa'] : ['samsa', 'noop'];
      for (const which of order) runs[which].push(await generate(which === 'samsa' ? samsa : noop, rate, p.seconds));
    }
    for (const [key, what] of [['p50', 'p50'], ['p99', 'p99'], ['p999', 'p99.9']] as const) {
      rows.push({
        name: `produce latency ${what} at ${label(fraction)} of max (${rate}/s), 1 KiB acks=${ACKS} → samsa`,
        unit: 'ms (lower better)',
        samples: pick(runs.samsa, key),
        baseline: { name: 'same generator → no-op server', samples: pick(runs.noop, key) },
      });
    }
    const sent = (rs: Result[]): string => `${Math.round(median(rs.map((r) => r.rate)))}/s, p99 of its lateness ${ms(median(pick(rs, 'lag_p99')))} ms`;
    notes.push(`at ${label(fraction)} the generator kept to: samsa ${sent(runs.samsa)}; no-op ${sent(runs.noop)}`);
    if (fraction === TARGET.fraction) {
      const p99 = median(pick(runs.samsa, 'p99'));
      const p999 = median(pick(runs.samsa, 'p999'));
      const met = p99 <= TARGET.p99Ms && p999 <= TARGET.p999Ms;
      notes.push(`target at ${label(fraction)} of max: p99 ≤ ${TARGET.p99Ms} ms and p99.9 ≤ ${TARGET.p999Ms} ms; samsa's medians p99 ${ms(p99)} ms, p99.9 ${ms(p999)} ms: ${met ? 'met' : 'NOT met'}`);
    }
  }
}

export async function run(opts: BenchOptions): Promise<BenchRow[]> {
  notes.length = 0;
  await available();
  const p = plan(opts);
  const root = mkdtempSync(join(tmpdir(), 'samsa-bench-latency-'));
  const rows: BenchRow[] = [];
  let samsa: Ready | undefined;
  let noop: Ready | undefined;
  try {
    samsa = await startSamsa(join(root, 'data'), root);
    noop = await startNoop();
    await measure(p, samsa, noop, rows);
    return rows;
  } finally {
    if (samsa) await kill(samsa.child);
    if (noop) await kill(noop.child);
    await killAll();
    rmSync(root, { recursive: true, force: true });
  }
}
