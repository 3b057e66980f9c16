/**
 * `npm run bench [-- --quick] [-- --only <suite>] [-- --docs]`: runs every suite compiled into
 * dist/bench/suites/, prints one table per suite and writes the figures to bench-results/. A full
 * run (of any suites) also rewrites docs/performance.md from the newest full run of each suite;
 * a quick run does so only with --docs, from its own results.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { type SuiteResult, formatSuite, writeJson } from './report.js';
import type { BenchSuite } from './types.js';
import { describeMachine } from './machine.js';
import { performanceMarkdown } from './markdown.js';
import { latestFullResults } from './history.js';
import { settleDisk } from './proc.js';

interface Args {
  quick: boolean;
  only: string[];
  docs: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, only: [], docs: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') args.quick = true;
    else if (a === '--docs') args.docs = true;
    else if (a === '--only' && argv[i + 1] !== undefined) args.only.push(argv[++i]!);
    else if (a.startsWith('--only=')) args.only.push(a.slice('--only='.length));
    else throw new Error(`bench: unknown argument ${a} (use --quick, --only <suite>, --docs)`);
  }
  return args;
}

function isSuite(m: unknown): m is BenchSuite {
  const s = m as Partial<BenchSuite> | null;
  return typeof s === 'object' && s !== null && typeof s.name === 'string' && typeof s.run === 'function';
}

async function discover(dir: string): Promise<BenchSuite[]> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.js')).sort();
  const suites: BenchSuite[] = [];
  for (const file of files) {
    const mod: unknown = await import(pathToFileURL(join(dir, file)).href);
    if (isSuite(mod)) suites.push(mod);
    else console.warn(`bench: ${file} exports no name and run(); skipped`);
  }
  return suites;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const here = fileURLToPath(new URL('.', import.meta.url));
  const root = join(here, '..', '..');
  const all = await discover(join(here, 'suites'));
  const suites = args.only.length === 0 ? all : all.filter((s) => args.only.includes(s.name));
  if (suites.length === 0) {
    console.error(`bench: no suite matches ${args.only.join(', ')}; there are: ${all.map((s) => s.name).join(', ')}`);
    return 1;
  }
  const startedAt = new Date();
  const t0 = performance.now();
  const results: SuiteResult[] = [];
  for (const suite of suites) {
    const result: SuiteResult = { suite: suite.name, rows: [], notes: suite.notes ?? [] };
    try {
      settleDisk();
      result.rows = await suite.run({ quick: args.quick });
    } catch (e) {
      result.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    }
    results.push(result);
    console.log(`${formatSuite(result)}\n`);
  }
  const durationMs = performance.now() - t0;
  const path = writeJson(root, { startedAt, durationMs, quick: args.quick }, results);
  if (args.docs || !args.quick) {
    // A full run (of any suites) refreshes the page from every suite's newest full run; a quick run only with --docs, and alone.
    const doc = join(root, 'docs', 'performance.md');
    mkdirSync(join(root, 'docs'), { recursive: true });
    const shown = args.quick ? results.map((r) => ({ ...r, measuredAt: startedAt.toISOString() })) : latestFullResults(root);
    const info = { generatedAt: new Date(), quick: args.quick, machine: describeMachine(), profileFile: join(root, 'bench', 'profile-summary.md') };
    writeFileSync(doc, performanceMarkdown(info, shown));
    console.log(`bench: wrote ${doc}`);
  }
  console.log(`bench: ${suites.length} suite(s) in ${(durationMs / 1000).toFixed(1)} s${args.quick ? ' (quick)' : ''}; ratios are median / baseline median from the same run; wrote ${path}`);
  return results.some((r) => r.error !== undefined) ? 1 : 0;
}

process.exitCode = await main();
