/**
 * The client examples in README.md run as written: each block marked `<!-- example: … -->` is
 * saved as an .mjs file inside the package (so `import … from 'samsa/client'` resolves to this
 * build) and run with node against a test broker, with `localhost:9092` pointed at it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DIR = join(ROOT, '.readme-examples');
let broker: TestBroker;

function examples(): Array<{ name: string; code: string }> {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const out: Array<{ name: string; code: string }> = [];
  const re = /<!-- example: ([\w-]+) -->\s*```js\n([\s\S]*?)```/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ name: m[1]!, code: m[2]! });
  return out;
}

function runNode(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

before(async () => {
  broker = await startBroker({ inMemory: true, config: { 'group.initial.rebalance.delay.ms': '0' } });
  mkdirSync(DIR, { recursive: true });
});

after(async () => {
  rmSync(DIR, { recursive: true, force: true });
  await broker.stop();
});

test('README has the producer, consumer and admin examples', () => {
  assert.deepEqual(examples().map((e) => e.name), ['producer', 'consumer', 'admin']);
});

for (const { name, code } of examples()) {
  test(`README example '${name}' runs as written`, async () => {
    const file = join(DIR, `${name}.mjs`);
    writeFileSync(file, code.replaceAll('localhost:9092', broker.bootstrap));
    const r = await runNode(file);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    if (name === 'producer') assert.match(r.stdout, /order-17 is at partition \d+, offset 0/);
    if (name === 'consumer') assert.match(r.stdout, /assigned/);
    if (name === 'admin') assert.match(r.stdout, /invoices/);
  });
}
