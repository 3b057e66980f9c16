/**
 * The Samsa client against KafkaJS and @platformatic/kafka, all driving one Samsa broker (from
 * the build, its own process, data on disk). Each client runs in its own process
 * (bench/clients/worker.ts); the three take turns in every repetition, in a rotating order.
 *
 * - produce: N records of 100 B / 1 KiB to a 6-partition topic, acks=all, idempotence off for
 *   all three (the others' default). Each sends arrays of 1,000 records per call (Samsa: sendBatch,
 *   batch.size 1 MB, linger.ms 5; KafkaJS and platformatic: send), up to 20 calls unanswered.
 * - consume: N records from offset 0 of a 6-partition backlog. Samsa: assign + async iterator;
 *   KafkaJS: eachBatch in a fresh group, no commits; platformatic: a stream from 'earliest', no commits.
 * - latency: one producer at a fixed rate and one consumer of the same client in one process;
 *   each record's latency runs from its scheduled send time (no coordinated omission) to its arrival.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Admin } from '../../src/client/index.js';
import { kill, killAll, runTimed } from '../proc.js';
import type { BenchOptions, BenchRow } from '../types.js';
import { startSamsa } from './broker.js';

export const name = 'clients';
export const notes: string[] = [
  'target: the Samsa client ahead of both KafkaJS and @platformatic/kafka on every row (ratio above 1 for rates, below 1 for latency).',
  'acks=all, idempotence off for all three; each client in its own process; Samsa broker in its own process; 2 shared cores.',
];

const WORKER = fileURLToPath(new URL('../clients/worker.js', import.meta.url));
const CLIENTS = ['samsa', 'kafkajs', 'platformatic'] as const;
type Client = (typeof CLIENTS)[number];

interface Plan {
  reps: number;
  produce: Array<{ label: string; size: number; count: number }>;
  consume: Array<{ label: string; size: number; count: number }>;
  latency: { rate: number; seconds: number };
}

function plan(opts: BenchOptions): Plan {
  return opts.quick
    ? {
      reps: 2,
      produce: [{ label: '100 B', size: 100, count: 60_000 }, { label: '1 KiB', size: 1024, count: 25_000 }],
      consume: [{ label: '100 B', size: 100, count: 120_000 }],
      latency: { rate: 1000, seconds: 2 },
    }
    : {
      reps: 5,
      produce: [{ label: '100 B', size: 100, count: 500_000 }, { label: '1 KiB', size: 1024, count: 200_000 }],
      consume: [{ label: '100 B', size: 100, count: 1_000_000 }, { label: '1 KiB', size: 1024, count: 300_000 }],
      latency: { rate: 2000, seconds: 10 },
    };
}

async function worker(client: Client, mode: string, bootstrap: string, topic: string, count: number, size: number, rate = 0): Promise<Record<string, unknown>> {
  const r = await runTimed(process.execPath, [WORKER, client, mode, bootstrap, topic, String(count), String(size), String(rate)], { timeoutMs: 300_000 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as Record<string, unknown>;
}

function rowsFor(what: string, unit: string, samples: Record<Client, number[]>): BenchRow[] {
  return [
    { name: `${what}: samsa`, unit, samples: samples.samsa, baseline: { name: 'kafkajs', samples: samples.kafkajs } },
    { name: `${what}: samsa`, unit, samples: samples.samsa, baseline: { name: 'platformatic', samples: samples.platformatic } },
  ];
}

const empty = (): Record<Client, number[]> => ({ samsa: [], kafkajs: [], platformatic: [] });
const order = (rep: number): Client[] => [...CLIENTS.slice(rep % 3), ...CLIENTS.slice(0, rep % 3)];

export async function run(opts: BenchOptions): Promise<BenchRow[]> {
  const p = plan(opts);
  const root = mkdtempSync(join(tmpdir(), 'samsa-bench-clients-'));
  const samsa = await startSamsa(join(root, 'data'), root);
  const bootstrap = `127.0.0.1:${samsa.port}`;
  const admin = new Admin({ bootstrapServers: bootstrap });
  const rows: BenchRow[] = [];
  try {
    for (const w of p.produce) {
      const rates = empty();
      for (let rep = 0; rep < p.reps; rep++) {
        for (const client of order(rep)) {
          const topic = `produce-${w.size}-${client}-${rep}`;
          await admin.createTopics([{ name: topic, numPartitions: 6 }]);
          const r = await worker(client, 'produce', bootstrap, topic, w.count, w.size);
          rates[client].push(w.count / (r.seconds as number));
        }
      }
      rows.push(...rowsFor(`produce ${w.label} acks=all 6p`, 'records/s', rates));
    }
    for (const w of p.consume) {
      const topic = `backlog-${w.size}`;
      await admin.createTopics([{ name: topic, numPartitions: 6 }]);
      await worker('samsa', 'produce', bootstrap, topic, w.count, w.size);
      const rates = empty();
      for (let rep = 0; rep < p.reps; rep++) {
        for (const client of order(rep)) {
          const r = await worker(client, 'consume', bootstrap, topic, w.count, w.size);
          rates[client].push(w.count / (r.seconds as number));
        }
      }
      rows.push(...rowsFor(`consume ${w.label} backlog 6p`, 'records/s', rates));
    }
    const pct = { p50: empty(), p99: empty(), p999: empty() };
    const count = p.latency.rate * p.latency.seconds;
    for (let rep = 0; rep < p.reps; rep++) {
      for (const client of order(rep)) {
        const topic = `latency-${client}-${rep}`;
        await admin.createTopics([{ name: topic, numPartitions: 6 }]);
        const r = await worker(client, 'latency', bootstrap, topic, count, 100, p.latency.rate);
        const arrived = r.count as number;
        if (arrived < count * 0.99) notes.push(`latency ${client} rep ${rep}: only ${arrived} of ${count} records arrived`);
        pct.p50[client].push(r.p50 as number);
        pct.p99[client].push(r.p99 as number);
        pct.p999[client].push(r.p999 as number);
      }
    }
    const what = `end-to-end latency at ${p.latency.rate} rec/s (100 B)`;
    rows.push(...rowsFor(`${what} p50`, 'ms (lower is better)', pct.p50));
    rows.push(...rowsFor(`${what} p99`, 'ms (lower is better)', pct.p99));
    rows.push(...rowsFor(`${what} p99.9`, 'ms (lower is better)', pct.p999));
    return rows;
  } finally {
    await admin.close();
    await kill(samsa.child);
    await killAll();
    rmSync(root, { recursive: true, force: true });
  }
}
