/**
 * Starts consumer workers as separate processes and collects what they report (JSON lines on
 * stdout) into one timeline with the harness's own marks (kills, phases). Tests wait on the
 * timeline with `waitFor` and hand it to the checker at the end.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Collected, type Mark, type WorkerEvent, parseEvent } from './events.js';
import { PYTHON } from '../../broker/python-clients.js';
import { currentOwners } from './invariants.js';

const WORKERS = new URL('./workers/', import.meta.url);
/** Python workers are fixture files in the source tree (tsc does not copy them to dist/). */
const PY_WORKERS = new URL('../../../../test/groups/harness/workers/', import.meta.url);

export type WorkerKind = 'confluent-kafka' | 'kafka-python' | 'kafkajs' | 'node-rdkafka';

export interface WorkerConfig {
  bootstrap: string;
  topic: string;
  group: string;
  /** Worker name in the timeline, and the client.id. */
  name: string;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  processDelayMs?: number;
  batch?: number;
  /** confluent-kafka: partition.assignment.strategy; KafkaJS: 'roundrobin' renames its RoundRobinAssigner. */
  assignor?: string;
  /** node-rdkafka only. */
  protocol?: 'classic' | 'consumer';
  /** librdkafka properties (confluent-kafka, node-rdkafka). */
  extra?: Record<string, string | number | boolean>;
}

function command(kind: WorkerKind, cfg: WorkerConfig): [string, string[]] {
  const json = JSON.stringify(cfg);
  switch (kind) {
    case 'confluent-kafka': return [PYTHON, ['-u', fileURLToPath(new URL('confluent_worker.py', PY_WORKERS)), json]];
    case 'kafka-python': return [PYTHON, ['-u', fileURLToPath(new URL('kafka_python_worker.py', PY_WORKERS)), json]];
    case 'kafkajs': return [process.execPath, [fileURLToPath(new URL('kafkajs-worker.js', WORKERS)), json]];
    case 'node-rdkafka': return [process.execPath, [fileURLToPath(new URL('node-rdkafka-worker.js', WORKERS)), json]];
  }
}

export class Worker {
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  constructor(readonly name: string, readonly kind: WorkerKind, readonly group: string, readonly child: ChildProcess) {
    // 'close', not 'exit': by then every line the process wrote has been read.
    this.exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
    child.stderr!.on('data', (c: Buffer) => {
      // Bounded: the tail is what explains a failure.
      this.stderr = (this.stderr + c.toString('utf8')).slice(-20_000);
    });
    child.stdin!.on('error', () => undefined);
  }
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
}

export class Collector {
  readonly events: Collected[] = [];
  readonly marks: Mark[] = [];
  readonly workers = new Map<string, Worker>();
  private readonly t0 = performance.now();
  private seq = 0;
  private readonly waiters = new Set<() => void>();
  /** Called with the worker's name just before the harness SIGKILLs it (the wire tap records deaths). */
  onKill: (name: string) => void = () => undefined;
  /** Workers that did not close within the time limit and were killed: a finding to report. */
  readonly closeTimeouts: string[] = [];

  now(): number {
    return Math.round(performance.now() - this.t0);
  }

  start(kind: WorkerKind, cfg: WorkerConfig): Worker {
    if (this.workers.has(cfg.name)) throw new Error(`worker ${cfg.name} exists`);
    const [cmd, args] = command(kind, cfg);
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const worker = new Worker(cfg.name, kind, cfg.group, child);
    this.workers.set(cfg.name, worker);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const ev = parseEvent(line);
      if (ev) this.push(cfg.name, ev);
    });
    void worker.exited.then(({ code, signal }) => this.mark('exit', `exit ${signal ?? code}`, cfg.name));
    return worker;
  }

  mark(kind: Mark['kind'], label: string, worker?: string): void {
    this.marks.push({ kind, label, t: this.now(), seq: this.seq++, ...(worker === undefined ? {} : { worker }) });
    this.wake();
  }

  private push(worker: string, ev: WorkerEvent): void {
    this.events.push({ ...ev, worker, t: this.now(), seq: this.seq++ });
    this.wake();
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Resolves once `predicate` holds over the timeline; rejects with `what` and a summary after `timeoutMs`. */
  waitFor(what: string, predicate: () => boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        let ok = false;
        try {
          ok = predicate();
        } catch (e) {
          finish();
          reject(e as Error);
          return;
        }
        if (ok) {
          finish();
          resolve();
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${this.summary()}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** SIGKILL, marked in the timeline before the signal is sent. */
  async kill(name: string): Promise<void> {
    const w = this.worker(name);
    this.mark('kill', 'SIGKILL', name);
    this.onKill(name);
    w.child.kill('SIGKILL');
    await w.exited;
  }

  /** Asks the worker to close its consumer (leaving the group); SIGKILL after `timeoutMs`. */
  async close(name: string, timeoutMs = 20_000): Promise<void> {
    const w = this.worker(name);
    this.mark('phase', 'close requested', name);
    w.child.stdin!.write('close\n');
    const timer = setTimeout(() => {
      this.closeTimeouts.push(`${name} did not close within ${timeoutMs} ms`);
      this.mark('kill', 'SIGKILL: close timed out', name);
      this.onKill(name);
      w.child.kill('SIGKILL');
    }, timeoutMs);
    await w.exited;
    clearTimeout(timer);
  }

  /**
   * Closes the running workers one at a time, waiting after each until the rest of its group own
   * all `partitions` again: librdkafka 2.12 (node-rdkafka) does not finish closing when a rebalance
   * hands it partitions during its close, so members are not closed while a rebalance runs.
   */
  async closeAll(partitions: number): Promise<void> {
    for (const w of [...this.workers.values()].filter((x) => x.alive)) {
      await this.close(w.name);
      const rest = new Set([...this.workers.values()].filter((x) => x.alive && x.group === w.group).map((x) => x.name));
      if (rest.size === 0) continue;
      await this.waitFor(`${[...rest].join(', ')} to own all partitions after ${w.name} closed`, () => {
        const owners = currentOwners(this.events, this.marks, partitions, rest);
        return owners.every((o) => o.length === 1) && new Set(owners.flat()).size === Math.min(rest.size, partitions);
      }, 30_000);
    }
  }

  /** For after(): nothing outlives the test. With SAMSA_TEST_GROUPS_DUMP=<dir>, the timeline is kept there. */
  async killAll(): Promise<void> {
    const dumpDir = process.env.SAMSA_TEST_GROUPS_DUMP;
    if (dumpDir) {
      mkdirSync(dumpDir, { recursive: true });
      const lines = [...this.events, ...this.marks].sort((a, b) => a.seq - b.seq).map((e) => JSON.stringify(e));
      writeFileSync(join(dumpDir, `workers-${process.pid}-${Date.now()}.jsonl`), `${lines.join('\n')}\n`);
    }
    await Promise.all([...this.workers.values()].filter((w) => w.alive).map(async (w) => {
      w.child.kill('SIGKILL');
      await w.exited;
    }));
  }

  worker(name: string): Worker {
    const w = this.workers.get(name);
    if (!w) throw new Error(`no worker ${name}`);
    return w;
  }

  of(name: string): Collected[] {
    return this.events.filter((e) => e.worker === name);
  }

  /** The last few events of each worker and its stderr tail: what a failure message needs. */
  summary(perWorker = 6): string {
    const lines: string[] = [];
    for (const w of this.workers.values()) {
      const evs = this.of(w.name).filter((e) => e.e !== 'rec');
      const recs = this.of(w.name).filter((e) => e.e === 'rec').length;
      lines.push(`-- ${w.name} (${w.kind}, ${w.alive ? 'running' : 'exited'}, ${recs} records):`);
      for (const e of evs.slice(-perWorker)) lines.push(`   ${JSON.stringify(e)}`);
      const err = w.stderr.trim().split('\n').slice(-5).join('\n   ');
      if (err) lines.push(`   stderr: ${err}`);
    }
    return lines.join('\n');
  }
}
