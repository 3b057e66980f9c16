/**
 * One broker with 10,000 partitions and with 1,000 connections.
 *
 * - 10,000 partitions (1,000 in a quick run): 100 topics of 100 partitions, one record in each, made through our admin
 *   client and producer; then the broker is stopped (SIGTERM, a clean stop) and the time from
 *   spawn to the first Metadata answer listing all of them is measured against the start-up of
 *   the same command on an empty data dir. One unclean restart (SIGKILL) is timed too.
 * - Metadata for all 10,000 partitions: the round trip of one Metadata request for every topic,
 *   against a trivial server answering with the same answer pre-encoded (the cost of moving
 *   and decoding the bytes, with nothing to look up).
 * - 1,000 connections: opened together, each asking ApiVersions and Metadata, against the no-op
 *   server; the broker's resident memory with all of them open, against the no-op server's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openConnections } from '../connections.js';
import { type Ready, kill, killAll, metadataRoundTrip, rssMB, spawnReady } from '../proc.js';
import { median } from '../stats.js';
import type { BenchOptions, BenchRow } from '../types.js';
import { startNoop, startSamsa } from './broker.js';
import { Admin, Producer } from '../../src/client/index.js';
import { ApiKey, defaultMetadataResponse, encodeResponseFrame } from '../../src/protocol/index.js';

export const name = 'scale';
export const notes: string[] = [];

const PARTITIONS_PER_TOPIC = 100;
const CONNECTIONS = 1000;
/** A restart after SIGKILL recovers every partition's active segment: give it time. */
const START_TIMEOUT_MS = 180_000;
const TARGET = { startupMs: 5000, metadataMs: 100 };
const topicName = (i: number): string => `scale-${String(i).padStart(3, '0')}`;

interface Plan {
  /** Topics of PARTITIONS_PER_TOPIC partitions: 100 (10,000 partitions) in a full run. */
  topics: number;
  reps: number;
  metadataCalls: number;
  unclean: boolean;
}

/** A quick run is a smoke test: 1,000 partitions, one restart each way, no unclean restart. The targets need a full run. */
const plan = (opts: BenchOptions): Plan => (opts.quick ? { topics: 10, reps: 1, metadataCalls: 3, unclean: false } : { topics: 100, reps: 5, metadataCalls: 5, unclean: true });

/** SIGTERM and wait for the exit: a clean stop, so the next start finds clean-shutdown markers. */
function stop(server: Ready): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGTERM');
  });
}

async function populate(port: number, topicCount: number): Promise<number> {
  const bootstrapServers = `127.0.0.1:${port}`;
  const admin = new Admin({ bootstrapServers, requestTimeoutMs: 120_000 });
  const producer = new Producer({ bootstrapServers, lingerMs: 5 });
  const t0 = performance.now();
  try {
    const topics = Array.from({ length: topicCount }, (_, i) => ({ name: topicName(i), numPartitions: PARTITIONS_PER_TOPIC }));
    for (let i = 0; i < topics.length; i += 10) await admin.createTopics(topics.slice(i, i + 10));
    const records = topics.flatMap((t) => Array.from({ length: PARTITIONS_PER_TOPIC }, (_, partition) => ({ topic: t.name, partition, value: `record of ${t.name}-${partition}` })));
    await producer.sendBatch(records);
    return performance.now() - t0;
  } finally {
    await producer.close();
    await admin.close();
  }
}

/** A Metadata v12 answer naming every topic and partition, as a broker with one node would send it. */
function metadataAnswer(topicCount: number): Buffer {
  const body = {
    ...defaultMetadataResponse(),
    brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }],
    clusterId: 'samsa-bench-scale',
    controllerId: 1,
    topics: Array.from({ length: topicCount }, (_, i) => ({
      errorCode: 0, name: topicName(i), topicId: Buffer.alloc(16, i + 1).toString('base64url'), isInternal: false, topicAuthorizedOperations: -2147483648,
      partitions: Array.from({ length: PARTITIONS_PER_TOPIC }, (_, p) => ({
        errorCode: 0, partitionIndex: p, leaderId: 1, leaderEpoch: 0, replicaNodes: [1], isrNodes: [1], offlineReplicas: [],
      })),
    })),
  };
  return Buffer.concat(encodeResponseFrame(ApiKey.Metadata, 12, 0, body));
}

/** A `node -e` server answering every frame with the bytes in `file` (correlation id patched in). */
function trivialServer(file: string): Promise<Ready> {
  const script = `const net = require('node:net'); const answer = require('node:fs').readFileSync(${JSON.stringify(file)});
net.createServer((s) => { let b = Buffer.alloc(0); s.on('error', () => s.destroy());
  s.on('data', (c) => { b = Buffer.concat([b, c]);
    while (b.length >= 4 && b.length >= 4 + b.readInt32BE(0)) { const id = b.readInt32BE(8); b = b.subarray(4 + b.readInt32BE(0));
      const o = Buffer.from(answer); o.writeInt32BE(id, 4); s.write(o); } });
}).listen(0, '127.0.0.1', function () { console.log('ready on PLAINTEXT://127.0.0.1:' + this.address().port); });`;
  return spawnReady(process.execPath, ['-e', script], { timeoutMs: 15_000 });
}

async function timedStart(dataDir: string, cwd: string): Promise<{ server: Ready; ms: number }> {
  const t0 = performance.now();
  const server = await startSamsa(dataDir, cwd, START_TIMEOUT_MS);
  await metadataRoundTrip(server.port, 60_000);
  return { server, ms: performance.now() - t0 };
}

export async function run(opts: BenchOptions): Promise<BenchRow[]> {
  notes.length = 0;
  const p = plan(opts);
  const PARTITIONS = p.topics * PARTITIONS_PER_TOPIC;
  const root = mkdtempSync(join(tmpdir(), 'samsa-bench-scale-'));
  const dataDir = join(root, 'data');
  const rows: BenchRow[] = [];
  try {
    let server = await startSamsa(dataDir, root, START_TIMEOUT_MS);
    const populateMs = await populate(server.port, p.topics);
    notes.push(`made ${p.topics} topics × ${PARTITIONS_PER_TOPIC} partitions with one record each in ${(populateMs / 1000).toFixed(1)} s (CreateTopics 10 topics a request, one producer batch)`);

    // Restarts with 10,000 partitions on disk, interleaved with start-ups on an empty dir.
    const restart = { subject: [] as number[], baseline: [] as number[] };
    await stop(server);
    for (let rep = 0; rep < p.reps; rep++) {
      const empty = async (): Promise<void> => {
        const dir = mkdtempSync(join(root, 'empty-'));
        const s = await timedStart(join(dir, 'data'), dir);
        restart.baseline.push(s.ms);
        await kill(s.server.child);
        rmSync(dir, { recursive: true, force: true });
      };
      const full = async (): Promise<void> => {
        const s = await timedStart(dataDir, root);
        restart.subject.push(s.ms);
        await stop(s.server);
      };
      if (rep % 2 === 0) { await empty(); await full(); } else { await full(); await empty(); }
    }
    rows.push({ name: `start-up with ${PARTITIONS} partitions on disk (clean stop before): spawn → first Metadata`, unit: 'ms (lower better)', samples: restart.subject, baseline: { name: 'samsa start on an empty data dir', samples: restart.baseline } });

    const again = await timedStart(dataDir, root);
    server = again.server;
    if (p.unclean) {
      await kill(server.child); // SIGKILL: no clean-shutdown marker, so every active segment is recovered
      const afterKill = await timedStart(dataDir, root);
      server = afterKill.server;
      notes.push(`start-up with ${PARTITIONS} partitions after SIGKILL (recovery): ${Math.round(afterKill.ms)} ms`);
    }

    // Metadata for every partition, against the same answer pre-encoded.
    const answerFile = join(root, 'metadata-answer.bin');
    const answer = metadataAnswer(p.topics);
    writeFileSync(answerFile, answer);
    const trivial = await trivialServer(answerFile);
    const metadata = { subject: [] as number[], baseline: [] as number[] };
    try {
      for (let i = 0; i < p.metadataCalls * 2; i++) {
        const first = i % 2 === 0 ? 'samsa' : 'trivial';
        for (const which of first === 'samsa' ? ['samsa', 'trivial'] : ['trivial', 'samsa']) {
          const ms = await metadataRoundTrip(which === 'samsa' ? server.port : trivial.port, 30_000);
          if (i > 0) (which === 'samsa' ? metadata.subject : metadata.baseline).push(ms); // the first call of each warms up
        }
      }
    } finally {
      await kill(trivial.child);
    }
    rows.push({ name: `Metadata round trip, all ${PARTITIONS} partitions (${(answer.length / 1024).toFixed(0)} KiB answer)`, unit: 'ms (lower better)', samples: metadata.subject, baseline: { name: 'trivial server, same answer pre-encoded', samples: metadata.baseline } });
    const rss10k = rssMB(server.child.pid!);
    notes.push(`resident memory with ${PARTITIONS} partitions loaded: ${rss10k.toFixed(0)} MB`);
    await stop(server);

    const startupMs = median(restart.subject);
    const metadataMs = median(metadata.subject);
    if (opts.quick) notes.push(`quick run: ${PARTITIONS} partitions, so the 10,000-partition targets are not judged here`);
    else notes.push(`targets: start-up with existing data ≤ ${TARGET.startupMs} ms: ${Math.round(startupMs)} ms, ${startupMs <= TARGET.startupMs ? 'met' : 'not met'}; metadata ≤ ${TARGET.metadataMs} ms: ${metadataMs.toFixed(1)} ms, ${metadataMs <= TARGET.metadataMs ? 'met' : 'not met'}`);

    // 1,000 connections on a broker (the data dir above, so it knows the topic asked for).
    const samsa = await startSamsa(dataDir, root, START_TIMEOUT_MS);
    const noop = await startNoop();
    const conns = { subject: [] as number[], baseline: [] as number[] };
    const memory = { subject: [] as number[], baseline: [] as number[] };
    try {
      for (let rep = 0; rep < p.reps; rep++) {
        for (const which of rep % 2 === 0 ? ['noop', 'samsa'] : ['samsa', 'noop']) {
          const target = which === 'samsa' ? samsa : noop;
          const open = await openConnections(target.port, CONNECTIONS, topicName(0), 60_000);
          const rss = rssMB(target.child.pid!);
          open.close();
          (which === 'samsa' ? conns.subject : conns.baseline).push(open.ms);
          (which === 'samsa' ? memory.subject : memory.baseline).push(rss);
        }
      }
    } finally {
      await kill(samsa.child);
      await kill(noop.child);
    }
    rows.push({ name: `${CONNECTIONS} connections opened together, each ApiVersions + Metadata: until all answered`, unit: 'ms (lower better)', samples: conns.subject, baseline: { name: 'no-op server', samples: conns.baseline } });
    rows.push({ name: `resident memory with ${CONNECTIONS} connections open (${PARTITIONS} partitions loaded)`, unit: 'MB (lower better)', samples: memory.subject, baseline: { name: 'no-op server', samples: memory.baseline } });
    return rows;
  } finally {
    await killAll();
    rmSync(root, { recursive: true, force: true });
  }
}
