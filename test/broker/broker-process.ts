/**
 * `samsa start` as a separate process, for tests that kill it (SIGKILL) and start it again.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The bundled command users run (`bin`, `npm start`), built by scripts/bundle.mjs. */
const MAIN = fileURLToPath(new URL('../../src/cli/samsa.js', import.meta.url));

export interface BrokerProcess {
  child: ChildProcess;
  port: number;
  output: () => string;
}

/** Starts `samsa start` on an ephemeral port with data in `dataDir`; resolves when it is ready. */
export function startBrokerProcess(dataDir: string, overrides: string[] = [], timeoutMs = 15_000): Promise<BrokerProcess> {
  const args = [MAIN, 'start', '--override', 'listeners=PLAINTEXT://127.0.0.1:0', '--override', `log.dirs=${dataDir}`];
  for (const o of overrides) args.push('--override', o);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`broker did not start:\n${text}`)); }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      const m = /ready on PLAINTEXT:\/\/127\.0\.0\.1:(\d+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), output: () => text });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`broker exited with ${code}:\n${text}`)); });
  });
}

export function killHard(p: BrokerProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.child.exitCode !== null || p.child.signalCode !== null) return resolve();
    p.child.once('exit', () => resolve());
    p.child.kill('SIGKILL');
  });
}

export function stopGracefully(p: BrokerProcess, timeoutMs = 10_000): Promise<number | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
    p.child.once('exit', (code) => { clearTimeout(timer); resolve(code); });
    p.child.kill('SIGTERM');
  });
}
