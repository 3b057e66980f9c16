/**
 * Child processes for the broker suite: spawned with a deadline, always killed, measured from
 * /proc. Every wait here is bounded by a timer; nothing listens or connects beyond 127.0.0.1.
 */
import { type ChildProcess, type StdioOptions, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { ApiKey, decodeResponseFrame, encodeRequestFrame } from '../src/protocol/index.js';

const live = new Set<ChildProcess>();
// A bench that dies mid-run must not leave servers behind.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface Ready {
  child: ChildProcess;
  port: number;
  /** Milliseconds from spawn to the ready line. */
  readyMs: number;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Spawns a server that prints `ready on PLAINTEXT://127.0.0.1:PORT`; resolves with its port. */
export function spawnReady(command: string, args: string[], opts: { cwd?: string; timeoutMs: number }): Promise<Ready> {
  const start = performance.now();
  const child = spawn(command, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let text = '';
  return new Promise((resolve, reject) => {
    const fail = (why: string): void => {
      clearTimeout(timer);
      void kill(child);
      reject(new Error(`${command} ${args.join(' ')}: ${why}\n${text.slice(-2000)}`));
    };
    const timer = setTimeout(() => fail(`not ready in ${opts.timeoutMs} ms`), opts.timeoutMs);
    const onData = (chunk: Buffer): void => {
      if (text.length < 64 * 1024) text += chunk.toString('utf8');
      const m = /ready on PLAINTEXT:\/\/127\.0\.0\.1:(\d+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stderr!.off('data', onData);
        child.stdout!.resume();
        child.stderr!.resume();
        resolve({ child, port: Number(m[1]), readyMs: performance.now() - start });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (e) => fail(e.message));
    child.once('exit', (code, signal) => fail(`exited (${code ?? signal}) before it was ready`));
  });
}

/** SIGKILL, and wait (at most 5 s) for the exit. */
export function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (exited(child)) return resolve();
    const timer = setTimeout(resolve, 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGKILL');
  });
}

/** Kills whatever this module spawned that is still running. */
export async function killAll(): Promise<void> {
  await Promise.all([...live].map(kill));
}

export interface Timed {
  seconds: number;
  /** The first 64 KiB of stdout when it is piped. */
  stdout: string;
  /** Newlines in all of stdout when it is piped. */
  stdoutLines: number;
  stderr: string;
}

/**
 * Runs a command to completion; seconds are its wall time from spawn to exit. Rejects on a
 * non-zero exit or when it outlives `timeoutMs` (then it is killed).
 */
export function runTimed(command: string, args: string[], opts: { stdio?: [number | 'ignore', number | 'pipe'] ; timeoutMs: number }): Promise<Timed> {
  const [stdin, stdout] = opts.stdio ?? ['ignore', 'pipe'];
  const stdio: StdioOptions = [stdin, stdout, 'pipe'];
  const start = process.hrtime.bigint();
  const child = spawn(command, args, { stdio });
  live.add(child);
  let out = '';
  let err = '';
  let lines = 0;
  child.stdout?.on('data', (c: Buffer) => {
    if (out.length < 64 * 1024) out += c.toString('utf8');
    for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) lines++;
  });
  child.stderr!.on('data', (c: Buffer) => {
    if (err.length < 64 * 1024) err += c.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void kill(child);
      reject(new Error(`${command} ${args.join(' ')}: still running after ${opts.timeoutMs} ms\n${err.slice(-2000)}`));
    }, opts.timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      live.delete(child);
      reject(e);
    });
    child.once('close', (code, signal) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      clearTimeout(timer);
      live.delete(child);
      if (code === 0) resolve({ seconds, stdout: out, stdoutLines: lines, stderr: err });
      else reject(new Error(`${command} ${args.join(' ')}: exit ${code ?? signal}\n${err.slice(-2000)}`));
    });
  });
}

let clockTicks: number | undefined;

/** User + system CPU seconds of a live process, from /proc/PID/stat. */
export function cpuSeconds(pid: number): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

/** Resident memory in MB (VmRSS) of a live process. */
export function rssMB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) / 1024;
}

/**
 * Connects to 127.0.0.1:port, sends one Metadata request (v12, all topics) and resolves with the
 * milliseconds until the whole answer arrived and decoded.
 */
export function metadataRoundTrip(port: number, timeoutMs: number): Promise<number> {
  const version = 12;
  const request = Buffer.concat(
    encodeRequestFrame(
      { apiKey: ApiKey.Metadata, apiVersion: version, correlationId: 1, clientId: 'samsa-bench' },
      { topics: null, allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false },
    ),
  );
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let buffered = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no Metadata answer from port ${port} in ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.once('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 4 || buffered.length < 4 + buffered.readInt32BE(0)) return;
      const ms = performance.now() - start;
      clearTimeout(timer);
      socket.destroy();
      try {
        const { correlationId } = decodeResponseFrame(ApiKey.Metadata, version, buffered.subarray(4, 4 + buffered.readInt32BE(0)));
        if (correlationId !== 1) throw new Error(`correlation id ${correlationId}`);
        resolve(ms);
      } catch (e) {
        reject(e as Error);
      }
    });
  });
}

/**
 * Writes the page cache's dirty data out (`sync`), so that what one run or suite wrote does not
 * make the kernel throttle the writes of the next one (on this VM a few GB of dirty pages left by
 * the broker suite stalled the latency runs after it for tens of milliseconds at a time).
 */
export function settleDisk(): void {
  execFileSync('sync', { stdio: 'ignore', timeout: 120_000 });
}
