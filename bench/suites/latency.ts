/**
 * Produce latency at fixed rates: 10, 50 and 80 percent of the highest rate the load generator
 * reaches against Samsa in the same run. The generator is confluent-kafka (librdkafka) from
 * Debian (bench/py/latency_producer.py, run by /usr/bin/python3): 1 KiB records, acks=1,
 * linger.ms=0, 6 partitions. It is open-loop: each record's latency runs from the moment it was
 * due to its delivery report, so a stall counts against every record that should have been sent
 * during it. The baseline is the same generator at the same absolute rate against the no-op
 * server (bench/noop-server.ts), which answers at once and keeps nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Ready, kill, killAll, runTimed } from '../proc.js';
import { median } from '../stats.js';
import type { BenchOptions, BenchRow } from '../types.js';
import { startNoop, startSamsa } from './broker.js';

export const name = 'latency';
export const notes: string[] = [];

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../../../bench/py/latency_producer.py', import.meta.url));
const SIZE = 1024;
const FRACTIONS = [0.1, 0.5, 0.8] as const;
const TARGET = { fraction: 0.5, p99Ms: 5, p999Ms: 20 };

interface Plan {
  reps: number;
  seconds: number;
  maxRateRecords: number;
  maxRateRuns: number;
}

function plan(opts: BenchOptions): Plan {
  return opts.quick ? { reps: 3, seconds: 1.2, maxRateRecords: 80_000, maxRateRuns: 2 } : { reps: 5, seconds: 6, maxRateRecords: 300_000, maxRateRuns: 3 };
}

interface Result {
  count: number;
  errors?: number;
  rate: number;
  p50?: number;
  p99?: number;
  p999?: number;
}

async function generate(server: Ready, topic: string, rate: number, secondsOrRecords: number): Promise<Result> {
  const args = [SCRIPT, `127.0.0.1:${server.port}`, topic, String(SIZE), String(rate), String(secondsOrRecords)];
  const r = await runTimed(PYTHON, args, { timeoutMs: 120_000 });
  const result = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Result;
  if (result.errors) throw new Error(`latency generator: ${result.errors} delivery errors against port ${server.port}`);
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

export async function run(opts: BenchOptions): Promise<BenchRow[]> {
  notes.length = 0;
  await available();
  const p = plan(opts);
  const root = mkdtempSync(join(tmpdir(), 'samsa-bench-latency-'));
  const rows: BenchRow[] = [];
  const samsa = await startSamsa(join(root, 'data'), root);
  const noop = await startNoop();
  try {
    const topic = 'bench-latency';
    await generate(samsa, topic, 0, 20_000); // creates the topic and warms the broker up
    await generate(noop, topic, 0, 20_000);
    const maxRates: number[] = [];
    for (let i = 0; i < p.maxRateRuns; i++) maxRates.push((await generate(samsa, topic, 0, p.maxRateRecords)).rate);
    const maxRate = median(maxRates);
    notes.push(`highest rate against samsa: ${Math.round(maxRate)} records/s of ${SIZE} B (median of ${p.maxRateRuns}); fixed rates ${FRACTIONS.map((f) => `${label(f)} = ${Math.round(f * maxRate)}/s`).join(', ')}`);
    notes.push(`confluent-kafka, acks=1, linger.ms=0, 6 partitions, ${p.seconds} s per run, first 0.5 s left out; generator and server share 2 cores.`);
    for (const fraction of FRACTIONS) {
      const rate = Math.round(fraction * maxRate);
      const samples = { samsa: [] as Result[], noop: [] as Result[] };
      for (let rep = 0; rep < p.reps; rep++) {
        const order: Array<'samsa' | 'noop'> = rep % 2 === 0 ? ['noop', 'samsa'] : ['samsa', 'noop'];
        for (const which of order) samples[which].push(await generate(which === 'samsa' ? samsa : noop, topic, rate, p.seconds));
      }
      for (const [key, what] of [['p50', 'p50'], ['p99', 'p99'], ['p999', 'p99.9']] as const) {
        rows.push({
          name: `produce latency ${what} at ${label(fraction)} of max (${rate}/s), 1 KiB acks=1 → samsa`,
          unit: 'ms (lower better)',
          samples: samples.samsa.map((r) => r[key] ?? Number.NaN),
          baseline: { name: 'same generator → no-op server', samples: samples.noop.map((r) => r[key] ?? Number.NaN) },
        });
      }
      if (fraction === TARGET.fraction) {
        const p99 = median(samples.samsa.map((r) => r.p99 ?? Number.NaN));
        const p999 = median(samples.samsa.map((r) => r.p999 ?? Number.NaN));
        const met = p99 <= TARGET.p99Ms && p999 <= TARGET.p999Ms;
        notes.push(`target at ${label(fraction)}: p99 ≤ ${TARGET.p99Ms} ms and p99.9 ≤ ${TARGET.p999Ms} ms; measured p99 ${p99.toFixed(1)} ms, p99.9 ${p999.toFixed(1)} ms: ${met ? 'met' : 'not met'}`);
      }
    }
    return rows;
  } finally {
    await kill(samsa.child);
    await kill(noop.child);
    await killAll();
    rmSync(root, { recursive: true, force: true });
  }
}
