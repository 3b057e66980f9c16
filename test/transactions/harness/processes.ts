/**
 * Starts the exactly-once workers (confluent-kafka in /usr/bin/python3, KafkaJS in node), each
 * its own process, and collects their JSON events into one timeline with the harness's marks
 * (kills, broker restarts, phases). Transactional producers are driven step by step: `request`
 * writes a command on the worker's stdin and resolves with its reply.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { PYTHON } from '../../broker/python-clients.js';
import { type Collected, type TxnEvent, parseTxnEvent } from './events.js';

export type ClientKind = 'confluent-kafka' | 'kafkajs';
export type Role = 'txn' | 'reader' | 'eos' | 'idempotent';

/** Short names for worker names and messages. */
export const SHORT: Readonly<Record<ClientKind, string>> = { 'confluent-kafka': 'ck', kafkajs: 'kj' };

/** Python workers are fixture files in the source tree (tsc does not copy them to dist/). */
const PY_WORKERS = new URL('../../../../test/transactions/workers/', import.meta.url);
const JS_WORKERS = new URL('../workers/', import.meta.url);
/** How often waitFor re-checks a predicate between worker lines. */
const POLL_MS = 50;

const SCRIPTS: Record<Role, [python: string, js: string]> = {
  txn: ['confluent_txn.py', 'kafkajs-txn.js'],
  reader: ['confluent_reader.py', 'kafkajs-reader.js'],
  eos: ['confluent_eos.py', 'kafkajs-eos.js'],
  idempotent: ['confluent_idempotent.py', 'kafkajs-idempotent.js'],
};

function command(kind: ClientKind, role: Role, cfg: object): [string, string[]] {
  const json = JSON.stringify(cfg);
  const [py, js] = SCRIPTS[role];
  return kind === 'confluent-kafka'
    ? [PYTHON, ['-u', fileURLToPath(new URL(py, PY_WORKERS)), json]]
    : [process.execPath, [fileURLToPath(new URL(js, JS_WORKERS)), json]];
}

export interface Mark {
  kind: 'kill' | 'exit' | 'phase' | 'broker';
  worker?: string;
  label: string;
  t: number;
  seq: number;
}

type Reply = Extract<TxnEvent, { e: 'reply' }>;

export class Proc {
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private nextId = 1;
  readonly waiting = new Map<number, (r: Reply) => void>();

  constructor(readonly name: string, readonly kind: ClientKind, readonly role: Role, readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
    child.stderr!.on('data', (c: Buffer) => {
      this.stderr = (this.stderr + c.toString('utf8')).slice(-20_000);
    });
    child.stdin!.on('error', () => undefined);
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends one command; resolves with its reply, rejects when the worker exits or `timeoutMs` passes. */
  request(op: string, args: object = {}, timeoutMs = 60_000): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${this.name}: no reply to ${op} within ${timeoutMs} ms\n${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      this.waiting.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      void this.exited.then(({ code, signal }) => {
        if (!this.waiting.delete(id)) return;
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${signal ?? code}) before answering ${op}\n${this.stderr.slice(-2000)}`));
      });
      this.child.stdin!.write(`${JSON.stringify({ id, op, ...args })}\n`);
    });
  }
}

export class Processes {
  readonly events: Collected[] = [];
  readonly marks: Mark[] = [];
  readonly procs = new Map<string, Proc>();
  private readonly t0 = performance.now();
  private seq = 0;
  private readonly waiters = new Set<() => void>();

  now(): number {
    return Math.round(performance.now() - this.t0);
  }

  start(name: string, kind: ClientKind, role: Role, cfg: object): Proc {
    if (this.procs.has(name)) throw new Error(`worker ${name} exists`);
    const [cmd, args] = command(kind, role, { ...cfg, name });
    const proc = new Proc(name, kind, role, spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] }));
    this.procs.set(name, proc);
    createInterface({ input: proc.child.stdout! }).on('line', (line) => {
      const ev = parseTxnEvent(line);
      if (!ev) return;
      this.events.push({ ...ev, worker: name, t: this.now(), seq: this.seq++ });
      if (ev.e === 'reply') {
        const resolve = proc.waiting.get(ev.id);
        proc.waiting.delete(ev.id);
        resolve?.(ev);
      }
      this.wake();
    });
    void proc.exited.then(({ code, signal }) => this.mark('exit', `exit ${signal ?? code}`, name));
    return proc;
  }

  mark(kind: Mark['kind'], label: string, worker?: string): void {
    this.marks.push({ kind, label, t: this.now(), seq: this.seq++, ...(worker === undefined ? {} : { worker }) });
    this.wake();
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Resolves once `predicate` holds; rejects with `what` and a summary after `timeoutMs`. */
  waitFor(what: string, predicate: () => boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        clearInterval(poll);
        this.waiters.delete(check);
      };
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
      // Worker lines wake the check; a predicate may also read state that changes without one
      // (a wire tap's exchanges, say), so it is polled as well.
      const poll = setInterval(check, POLL_MS);
      this.waiters.add(check);
      check();
    });
  }

  /** SIGKILL, marked in the timeline before the signal. */
  async kill(name: string): Promise<void> {
    const p = this.proc(name);
    this.mark('kill', 'SIGKILL', name);
    p.child.kill('SIGKILL');
    await p.exited;
  }

  /** "close" on stdin: the worker finishes what it is doing and exits; SIGKILL after `timeoutMs`. */
  async close(name: string, timeoutMs = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const p = this.proc(name);
    this.mark('phase', 'close requested', name);
    p.child.stdin!.write('close\n');
    const timer = setTimeout(() => {
      this.mark('kill', 'SIGKILL: close timed out', name);
      p.child.kill('SIGKILL');
    }, timeoutMs);
    const result = await p.exited;
    clearTimeout(timer);
    return result;
  }

  /** For after(): nothing outlives the test. */
  async killAll(): Promise<void> {
    await Promise.all([...this.procs.values()].filter((p) => p.alive).map(async (p) => {
      p.child.kill('SIGKILL');
      await p.exited;
    }));
  }

  proc(name: string): Proc {
    const p = this.procs.get(name);
    if (!p) throw new Error(`no worker ${name}`);
    return p;
  }

  of(name: string): Collected[] {
    return this.events.filter((e) => e.worker === name);
  }

  /** Records a reader worker has read so far, in the order read. */
  records(name: string): { p: number; o: number; v: string }[] {
    return this.of(name).flatMap((e) => (e.e === 'rec' ? [{ p: e.p, o: e.o, v: e.v }] : []));
  }

  /** The last few non-record events of each worker and its stderr tail: what a failure message needs. */
  summary(perWorker = 6): string {
    const lines: string[] = [];
    for (const p of this.procs.values()) {
      const evs = this.of(p.name).filter((e) => e.e !== 'rec' && e.e !== 'sent');
      const recs = this.of(p.name).length - evs.length;
      lines.push(`-- ${p.name} (${p.kind} ${p.role}, ${p.alive ? 'running' : 'exited'}, ${recs} records):`);
      for (const e of evs.slice(-perWorker)) lines.push(`   ${JSON.stringify(e)}`);
      const err = p.stderr.trim().split('\n').slice(-5).join('\n   ');
      if (err) lines.push(`   stderr: ${err}`);
    }
    return lines.join('\n');
  }
}
