/**
 * The broker under real load: `samsa start` from the build as its own process, driven by kcat
 * (librdkafka), each figure against a baseline measured interleaved in the same run.
 *
 * - produce: kcat -P of a prepared file of N newline-separated records; the wall time of the kcat
 *   process, against Samsa and against the no-op server (bench/noop-server.ts, its own process).
 *   The headline rows: 1 KiB and 100 B, acks=1, 6 partitions, librdkafka's large batches
 *   (linger.ms=5, batch.size=1000000). Then 1 KiB rows that each change one thing: 1 and 100
 *   partitions, acks=all, small batches (batch.size=16384, linger.ms=0), idempotence on. The 1 KiB
 *   headline is also set against a bare Node ingest server (bench/ingest-server.ts: 16 KiB frames,
 *   CRC32C, appended to a file).
 * - consume: kcat -C -e of the whole backlog the produce rows left in Samsa, against a bare Node
 *   server streaming the same .log files over TCP to a Node client (bench/file-serve.ts).
 * - start-up: spawn to first Metadata answer, `samsa start` (empty data dir) against the no-op server.
 * - idle memory: VmRSS of `samsa start` after start-up and one Metadata request, against `node -e`.
 */
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Ready, cpuSeconds, kill, killAll, metadataRoundTrip, rssMB, runTimed, spawnReady } from '../proc.js';
import type { BenchOptions, BenchRow } from '../types.js';
import { Admin } from '../../src/client/index.js';
import { ApiKey, defaultMetadataResponse, encodeResponseFrame } from '../../src/protocol/index.js';

export const name = 'broker';

const STATIC_NOTES = [
  'start-up and RSS rows are ms and MB: lower is better there, so a ratio above 1 means Samsa is slower or larger.',
  'produce/consume rows time the whole kcat process (connect, metadata, all records, flush); 2 cores shared by kcat and the server.',
];
/** Filled during the run (CPU per GB, sizes); main prints the array after run() resolves. */
export const notes: string[] = [...STATIC_NOTES];

const SAMSA = fileURLToPath(new URL('../../src/cli/samsa.js', import.meta.url));
const NOOP = fileURLToPath(new URL('../noop-server.js', import.meta.url));
const FILE_SERVE = fileURLToPath(new URL('../file-serve.js', import.meta.url));
const INGEST = fileURLToPath(new URL('../ingest-server.js', import.meta.url));
const KCAT = '/usr/bin/kcat';
const PARTITIONS = 6;
const NODE = process.execPath;

interface Workload {
  label: string;
  size: number;
  records: number;
  topic: string;
  partitions: number;
  /** kcat -X settings besides bootstrap and topic. */
  props: string[];
  /** Settings for the run against the no-op server, when they differ (it has no InitProducerId). */
  noopProps?: string[];
  file: string;
  warmFile: string;
  warmRecords: number;
}

interface Plan {
  reps: number;
  kcatTimeoutMs: number;
  settleMs: number;
  workloads: Workload[];
}

const LARGE = ['acks=1', 'linger.ms=5', 'batch.size=1000000'];

function plan(opts: BenchOptions, root: string): Plan {
  const w = (label: string, size: number, records: number, topic: string, props = LARGE, partitions = PARTITIONS, noopProps?: string[]): Workload => ({
    label,
    size,
    records,
    topic,
    partitions,
    props,
    ...(noopProps ? { noopProps } : {}),
    file: join(root, `${topic}.txt`),
    warmFile: join(root, `${topic}.warm.txt`),
    warmRecords: Math.max(1000, Math.floor(records / 10)),
  });
  const [big, small, variant] = opts.quick ? [200_000, 600_000, 60_000] : [500_000, 2_000_000, 200_000];
  const with1k = (what: string, topic: string, props: string[], partitions = PARTITIONS, noopProps?: string[]): Workload =>
    w(`1 KiB ${what}`, 1024, variant, topic, props, partitions, noopProps);
  const workloads = [
    w('1 KiB', 1024, big, 'bench-1k'),
    w('100 B', 100, small, 'bench-100b'),
    with1k('1 partition', 'bench-1k-p1', LARGE, 1),
    with1k('100 partitions', 'bench-1k-p100', LARGE, 100),
    with1k('acks=all', 'bench-1k-acksall', ['acks=all', 'linger.ms=5', 'batch.size=1000000']),
    with1k('small batches (16 KiB, linger 0)', 'bench-1k-small', ['acks=1', 'linger.ms=0', 'batch.size=16384']),
    with1k('idempotent (acks=all; the no-op server, which has no InitProducerId, gets plain acks=all)', 'bench-1k-idem', ['enable.idempotence=true', 'linger.ms=5', 'batch.size=1000000'], PARTITIONS, ['acks=all', 'linger.ms=5', 'batch.size=1000000']),
  ];
  return opts.quick ? { reps: 3, kcatTimeoutMs: 60_000, settleMs: 1000, workloads } : { reps: 7, kcatTimeoutMs: 300_000, settleMs: 3000, workloads };
}

/** `records` lines of `size` random lowercase letters, each ended by a newline (kcat's delimiter). */
function writeRecords(path: string, size: number, records: number): void {
  const buf = Buffer.allocUnsafe(records * (size + 1));
  randomFillSync(buf);
  for (let i = 0; i < buf.length; i++) buf[i] = 97 + (buf[i]! % 26);
  for (let i = size; i < buf.length; i += size + 1) buf[i] = 10;
  writeFileSync(path, buf);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function startSamsa(dataDir: string, cwd: string, timeoutMs = 15_000): Promise<Ready> {
  const o = ['listeners=PLAINTEXT://127.0.0.1:0', `log.dirs=${dataDir}`, `num.partitions=${PARTITIONS}`];
  return spawnReady(NODE, [SAMSA, 'start', ...o.flatMap((x) => ['--override', x])], { cwd, timeoutMs });
}

export function startNoop(partitions = PARTITIONS): Promise<Ready> {
  return spawnReady(NODE, [NOOP, '--partitions', String(partitions)], { timeoutMs: 15_000 });
}

/** kcat -P of `file` into `topic`; seconds of the kcat process and CPU seconds the server used. */
async function produce(server: Ready, topic: string, file: string, props: string[], timeoutMs: number): Promise<{ seconds: number; cpu: number }> {
  const args = ['-P', '-b', `127.0.0.1:${server.port}`, '-t', topic, ...props.flatMap((x) => ['-X', x])];
  const fd = openSync(file, 'r');
  try {
    const cpu0 = cpuSeconds(server.child.pid!);
    const r = await runTimed(KCAT, args, { stdio: [fd, 'pipe'], timeoutMs });
    const cpu = cpuSeconds(server.child.pid!) - cpu0;
    if (/error|fail/i.test(r.stderr)) throw new Error(`kcat -P to port ${server.port}: ${r.stderr.slice(-2000)}`);
    return { seconds: r.seconds, cpu };
  } finally {
    closeSync(fd);
  }
}

/** One run of the bare ingest client sending `megabytes` to the ingest server; MB/s. */
async function ingestOnce(server: Ready, megabytes: number, timeoutMs: number): Promise<number> {
  const r = await runTimed(NODE, [INGEST, 'client', String(server.port), String(megabytes)], { timeoutMs });
  const [bytes, seconds] = r.stdout.trim().split(' ').map(Number);
  return bytes! / 1e6 / seconds!;
}

function consumeArgs(port: number, topic: string): string[] {
  return ['-C', '-b', `127.0.0.1:${port}`, '-t', topic, '-o', 'beginning', '-e', '-q'];
}

/** The topic's segment files in Samsa's data dir, partition by partition. */
function logFiles(dataDir: string, topic: string): string[] {
  const dirs = readdirSync(dataDir).filter((d) => new RegExp(`^${topic}-\\d+$`).test(d)).sort();
  if (dirs.length !== PARTITIONS) throw new Error(`${topic} has ${dirs.length} partition directories, not ${PARTITIONS}`);
  return dirs.flatMap((d) => readdirSync(join(dataDir, d)).filter((f) => f.endsWith('.log')).sort().map((f) => join(dataDir, d, f)));
}

interface Pair {
  subject: number[];
  baseline: number[];
}

const pair = (): Pair => ({ subject: [], baseline: [] });

/** Runs subject and baseline `reps` times each, alternating which goes first. */
async function alternate(reps: number, subject: () => Promise<void>, baseline: () => Promise<void>): Promise<void> {
  for (let i = 0; i < reps; i++) {
    if (i % 2 === 0) {
      await baseline();
      await subject();
    } else {
      await subject();
      await baseline();
    }
  }
}

async function produceAndConsume(p: Plan, root: string, rows: BenchRow[]): Promise<void> {
  const dataDir = join(root, 'data');
  for (const w of p.workloads) {
    writeRecords(w.file, w.size, w.records);
    writeRecords(w.warmFile, w.size, w.warmRecords);
  }
  const samsa = await startSamsa(dataDir, root);
  const noop = await startNoop();
  const ingest = await spawnReady(NODE, [INGEST, 'server', join(root, 'ingest.bin')], { timeoutMs: 15_000 });
  const admin = new Admin({ bootstrapServers: `127.0.0.1:${samsa.port}` });
  try {
    const custom = p.workloads.filter((w) => w.partitions !== PARTITIONS);
    await admin.createTopics(custom.map((w) => ({ name: w.topic, numPartitions: w.partitions })));
    for (const w of p.workloads) {
      // Creates the other topics in Samsa (auto-creation) and warms both servers up.
      await produce(samsa, w.topic, w.warmFile, w.props, p.kcatTimeoutMs);
      await produce(noop, w.topic, w.warmFile, w.noopProps ?? w.props, p.kcatTimeoutMs);
    }
    for (const [i, w] of p.workloads.entries()) {
      const rate = pair();
      const ingestRates: number[] = [];
      const cpu = { samsa: 0, noop: 0 };
      await alternate(
        p.reps,
        async () => {
          const r = await produce(samsa, w.topic, w.file, w.props, p.kcatTimeoutMs);
          rate.subject.push(w.records / r.seconds);
          cpu.samsa += r.cpu;
        },
        async () => {
          const r = await produce(noop, w.topic, w.file, w.noopProps ?? w.props, p.kcatTimeoutMs);
          rate.baseline.push(w.records / r.seconds);
          cpu.noop += r.cpu;
          if (i === 0) ingestRates.push(await ingestOnce(ingest, (w.records * w.size) / 1e6, p.kcatTimeoutMs));
        },
      );
      const settings = w.props.join(' ').replace('batch.size=1000000', 'large batches');
      const what = i < 2 ? `produce ${w.label} ${w.partitions}p kcat ${settings} (${w.records / 1000}k rec)` : `produce ${w.label}, else as the 1 KiB row (${w.records / 1000}k rec)`;
      const mb = (recordsPerSecond: number): number => (recordsPerSecond * w.size) / 1e6;
      rows.push({ name: `${what} → samsa`, unit: 'records/s', samples: rate.subject, baseline: { name: 'kcat → no-op server', samples: rate.baseline } });
      if (i < 2) rows.push({ name: `${what} → samsa`, unit: 'MB/s', samples: rate.subject.map(mb), baseline: { name: 'kcat → no-op server', samples: rate.baseline.map(mb) } });
      if (i === 0) rows.push({ name: `${what} → samsa`, unit: 'MB/s', samples: rate.subject.map(mb), baseline: { name: 'bare Node ingest: 16 KiB frames, CRC32C, append', samples: ingestRates } });
      const gb = (p.reps * w.records * w.size) / 1e9;
      notes.push(`produce ${w.label}: server CPU s per GB of record values: samsa ${(cpu.samsa / gb).toFixed(2)}, no-op server ${(cpu.noop / gb).toFixed(2)}`);
    }

    // Consume the 1 KiB topic's whole backlog: everything the produce rows put there.
    const w = p.workloads[0]!;
    const backlog = w.warmRecords + p.reps * w.records;
    const files = logFiles(dataDir, w.topic);
    const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
    const check = await runTimed(KCAT, [...consumeArgs(samsa.port, w.topic), '-f', '%o\n'], { timeoutMs: p.kcatTimeoutMs * 2 });
    const seen = check.stdoutLines;
    if (seen !== backlog) throw new Error(`kcat -C read ${seen} records of ${backlog}`);
    const fileServer = await spawnReady(NODE, [FILE_SERVE, 'server', ...files], { timeoutMs: 15_000 });
    const devNull = openSync('/dev/null', 'w');
    try {
      const serveOnce = async (): Promise<number> => {
        const r = await runTimed(NODE, [FILE_SERVE, 'client', String(fileServer.port)], { timeoutMs: p.kcatTimeoutMs });
        const [got, seconds] = r.stdout.trim().split(' ').map(Number);
        if (got !== bytes) throw new Error(`file-serve client read ${got} bytes of ${bytes}`);
        return bytes / 1e6 / seconds!;
      };
      await serveOnce();
      const rate = pair();
      let cpu = 0;
      await alternate(
        p.reps,
        async () => {
          const cpu0 = cpuSeconds(samsa.child.pid!);
          const r = await runTimed(KCAT, consumeArgs(samsa.port, w.topic), { stdio: ['ignore', devNull], timeoutMs: p.kcatTimeoutMs });
          cpu += cpuSeconds(samsa.child.pid!) - cpu0;
          rate.subject.push(bytes / 1e6 / r.seconds);
        },
        async () => {
          rate.baseline.push(await serveOnce());
        },
      );
      rows.push({
        name: `consume ${w.label} backlog ${PARTITIONS}p kcat -C -e ← samsa (${backlog / 1000}k rec, ${(bytes / 1e6).toFixed(0)} MB of .log)`,
        unit: 'MB/s',
        samples: rate.subject,
        baseline: { name: 'bare Node file-serve of the same .log files over TCP', samples: rate.baseline },
      });
      notes.push(`consume ${w.label}: samsa CPU s per GB of .log bytes served: ${(cpu / ((p.reps * bytes) / 1e9)).toFixed(2)}`);
      notes.push('consume baseline times its Node client from connect to EOF (no process start-up); the kcat row includes kcat start-up, metadata and offset lookups.');
    } finally {
      closeSync(devNull);
      await kill(fileServer.child);
    }
  } finally {
    await admin.close();
    await kill(samsa.child);
    await kill(noop.child);
    await kill(ingest.child);
  }
}

/**
 * A trivial TCP server as a `node -e` script: answers every frame with one Metadata v12 answer
 * pre-encoded here by the codecs (one broker, no topics; its port field is 0), correlation id patched in.
 */
function trivialServerScript(): string {
  const body = { ...defaultMetadataResponse(), brokers: [{ nodeId: 1, host: '127.0.0.1', port: 0, rack: null }], clusterId: 'samsa-bench-trivial', controllerId: 1, topics: [] };
  const hex = Buffer.concat(encodeResponseFrame(ApiKey.Metadata, 12, 0, body)).toString('hex');
  return `const net = require('node:net'); const answer = Buffer.from('${hex}', 'hex');
net.createServer((s) => { let b = Buffer.alloc(0); s.on('error', () => s.destroy());
  s.on('data', (c) => { b = Buffer.concat([b, c]);
    while (b.length >= 4 && b.length >= 4 + b.readInt32BE(0)) { const id = b.readInt32BE(8); b = b.subarray(4 + b.readInt32BE(0));
      const o = Buffer.from(answer); o.writeInt32BE(id, 4); s.write(o); } });
}).listen(0, '127.0.0.1', function () { console.log('ready on PLAINTEXT://127.0.0.1:' + this.address().port); });`;
}

/** Milliseconds from spawn to the first Metadata answer of a server that prints a ready line. */
async function timeToMetadata(start: () => Promise<Ready>): Promise<number> {
  const t0 = performance.now();
  const server = await start();
  try {
    await metadataRoundTrip(server.port, 10_000);
    return performance.now() - t0;
  } finally {
    await kill(server.child);
  }
}

async function startupAndMemory(p: Plan, root: string, rows: BenchRow[]): Promise<void> {
  const startup = pair();
  const startupNoop: number[] = [];
  const memory = pair();
  const trivial = trivialServerScript();
  let run = 0;
  const samsaOnce = async (): Promise<void> => {
    const dir = mkdtempSync(join(root, 'startup-'));
    let s: Ready | undefined;
    try {
      const t0 = performance.now();
      s = await startSamsa(join(dir, 'data'), dir);
      await metadataRoundTrip(s.port, 10_000);
      startup.subject.push(performance.now() - t0);
      await sleep(p.settleMs);
      memory.subject.push(rssMB(s.child.pid!));
    } finally {
      if (s) await kill(s.child);
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const baselinesOnce = async (): Promise<void> => {
    startup.baseline.push(await timeToMetadata(() => spawnReady(NODE, ['-e', trivial], { timeoutMs: 15_000 })));
    startupNoop.push(await timeToMetadata(startNoop));
    const bare = await spawnReady(NODE, ['-e', "console.log('ready on PLAINTEXT://127.0.0.1:0'); setInterval(() => {}, 60000);"], { timeoutMs: 15_000 });
    try {
      await sleep(p.settleMs);
      memory.baseline.push(rssMB(bare.child.pid!));
    } finally {
      await kill(bare.child);
    }
    run++;
  };
  await alternate(p.reps, samsaOnce, baselinesOnce);
  if (run !== p.reps) throw new Error('start-up repetitions incomplete');
  rows.push({ name: 'start-up: spawn → first Metadata answer, samsa start (empty dir)', unit: 'ms (lower better)', samples: startup.subject, baseline: { name: 'trivial node -e server, pre-encoded answer', samples: startup.baseline } });
  rows.push({ name: 'start-up: spawn → first Metadata answer, samsa start (empty dir)', unit: 'ms (lower better)', samples: startup.subject, baseline: { name: 'no-op server process (loads all codecs)', samples: startupNoop } });
  rows.push({ name: `idle RSS ${p.settleMs / 1000} s after start-up + 1 Metadata, samsa start`, unit: 'MB (lower better)', samples: memory.subject, baseline: { name: 'bare node -e (idle timer)', samples: memory.baseline } });
}

export async function run(opts: BenchOptions): Promise<BenchRow[]> {
  notes.length = 0;
  notes.push(...STATIC_NOTES);
  const root = mkdtempSync(join(tmpdir(), 'samsa-bench-broker-'));
  const p = plan(opts, root);
  const rows: BenchRow[] = [];
  try {
    await produceAndConsume(p, root, rows);
    await startupAndMemory(p, root, rows);
    return rows;
  } finally {
    await killAll();
    rmSync(root, { recursive: true, force: true });
  }
}
