/**
 * docs/performance.md from a bench run: the machine, every suite's table and notes, where each
 * target of the performance issue stands (read from the rows that measure it), and the profile
 * summary kept by hand in bench/profile-summary.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { DatedSuiteResult } from './history.js';
import type { Machine } from './machine.js';
import { type RowSummary, type SuiteResult, formatNumber, summarize } from './report.js';

interface Target {
  what: string;
  /** Finds the row in the results; the first match counts. */
  row: (suite: string, row: RowSummary) => boolean;
  /** The figure compared, from the row: its ratio or its median. */
  figure: 'ratio' | 'median';
  /** At least (rates) or at most (times, sizes). */
  bound: { atLeast?: number; atMost?: number };
  unit: string;
}

const TARGETS: Target[] = [
  { what: 'Produce 1 KiB, acks=1, 6 partitions, kcat: ≥ 0.8× kcat → no-op server', row: (s, r) => s === 'broker' && r.name.startsWith('produce 1 KiB 6p') && r.unit === 'records/s', figure: 'ratio', bound: { atLeast: 0.8 }, unit: '×' },
  { what: 'Produce 100 B records: ≥ 0.6× the no-op rate', row: (s, r) => s === 'broker' && r.name.startsWith('produce 100 B 6p') && r.unit === 'records/s', figure: 'ratio', bound: { atLeast: 0.6 }, unit: '×' },
  { what: 'Consume from backlog: ≥ 0.7× bare Node file-serve', row: (s, r) => s === 'broker' && r.name.startsWith('consume 1 KiB backlog'), figure: 'ratio', bound: { atLeast: 0.7 }, unit: '×' },
  { what: 'Latency at 50% of max produce rate: p99 ≤ 5 ms', row: (s, r) => s === 'latency' && r.name.startsWith('produce latency p99 at 50%'), figure: 'median', bound: { atMost: 5 }, unit: 'ms' },
  { what: 'Latency at 50% of max produce rate: p99.9 ≤ 20 ms', row: (s, r) => s === 'latency' && r.name.startsWith('produce latency p99.9 at 50%'), figure: 'median', bound: { atMost: 20 }, unit: 'ms' },
  { what: 'Start-up to first Metadata answer ≤ 250 ms', row: (s, r) => s === 'broker' && r.name.startsWith('start-up: spawn'), figure: 'median', bound: { atMost: 250 }, unit: 'ms' },
  { what: 'Idle resident memory ≤ 80 MB', row: (s, r) => s === 'broker' && r.name.startsWith('idle RSS'), figure: 'median', bound: { atMost: 80 }, unit: 'MB' },
  { what: '10,000 partitions: start-up with existing data ≤ 5 s', row: (s, r) => s === 'scale' && r.name.startsWith('start-up with 10000 partitions'), figure: 'median', bound: { atMost: 5000 }, unit: 'ms' },
  { what: '10,000 partitions: Metadata for all ≤ 100 ms', row: (s, r) => s === 'scale' && r.name.startsWith('Metadata round trip, all 10000 partitions'), figure: 'median', bound: { atMost: 100 }, unit: 'ms' },
];

const cell = (s: string): string => s.replace(/\|/g, '\\|');
const stamp = (iso: string): string => iso.slice(0, 16).replace('T', ' ');

function table(rows: RowSummary[]): string[] {
  const out = ['| row | median | min–max | unit | baseline | base median | ratio |', '|---|--:|--:|---|---|--:|--:|'];
  for (const r of rows) {
    out.push(`| ${cell(r.name)} | ${formatNumber(r.median)} | ${formatNumber(r.min)}–${formatNumber(r.max)} | ${cell(r.unit)} | ${cell(r.baseline.name)} | ${formatNumber(r.baselineMedian)} | ${formatNumber(r.ratio)}× |`);
  }
  return out;
}

function targets(results: SuiteResult[]): string[] {
  const out = ['| target | measured | status |', '|---|--:|---|'];
  for (const t of TARGETS) {
    let found: RowSummary | undefined;
    for (const r of results) found ??= r.rows.map(summarize).find((row) => t.row(r.suite, row));
    if (!found) {
      out.push(`| ${cell(t.what)} | not measured in this run | – |`);
      continue;
    }
    const v = t.figure === 'ratio' ? found.ratio : found.median;
    const met = (t.bound.atLeast === undefined || v >= t.bound.atLeast) && (t.bound.atMost === undefined || v <= t.bound.atMost);
    out.push(`| ${cell(t.what)} | ${formatNumber(v)} ${t.unit} | ${met ? 'met' : 'not met'} |`);
  }
  return out;
}

export function performanceMarkdown(info: { generatedAt: Date; quick: boolean; machine: Machine; profileFile: string }, results: DatedSuiteResult[]): string {
  const m = info.machine;
  const lines = [
    '# Performance',
    '',
    '<!-- Written by `npm run bench` (bench/markdown.ts); edit bench/profile-summary.md, not this file. -->',
    '',
    `Generated ${stamp(info.generatedAt.toISOString())} UTC from ${info.quick ? 'a `--quick` run (a smoke test, not figures to compare)' : 'the newest full run of each suite (`npm run bench`, or `npm run bench -- --only <suite>`)'}.`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.os}; Node ${m.node}; kcat ${m.kcat}.`,
    '',
    'Every figure is the median of interleaved repetitions with its min–max, beside a baseline measured in the same run; the ratio is median ÷ baseline median. The machine is shared and its speed drifts, so compare ratios, not absolute figures, across runs.',
    '',
    '## Targets',
    '',
    ...targets(results),
    '',
  ];
  for (const r of results) {
    lines.push(`## Suite: ${r.suite}`, '', `Measured ${stamp(r.measuredAt)} UTC.`, '');
    if (r.error !== undefined) lines.push('Failed:', '', '```', r.error, '```', '');
    else lines.push(...table(r.rows.map(summarize)), '');
    for (const n of r.notes) lines.push(`- ${n}`);
    lines.push('');
  }
  lines.push('## Where the time goes', '');
  lines.push(existsSync(info.profileFile) ? readFileSync(info.profileFile, 'utf8').trim() : '(no profile summary yet: bench/profile-summary.md)', '');
  return lines.join('\n');
}
