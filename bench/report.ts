/** The bench results as a text table and as JSON. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { max, median, min } from './stats.js';
import type { BenchRow } from './types.js';

export interface SuiteResult {
  suite: string;
  rows: BenchRow[];
  notes: readonly string[];
  /** Set when the suite threw. */
  error?: string;
}

export interface RowSummary extends BenchRow {
  median: number;
  min: number;
  max: number;
  baselineMedian: number;
  /** median / baseline median. */
  ratio: number;
}

export function summarize(row: BenchRow): RowSummary {
  const m = median(row.samples);
  const b = median(row.baseline.samples);
  return { ...row, median: m, min: min(row.samples), max: max(row.samples), baselineMedian: b, ratio: m / b };
}

const COMPACT = new Intl.NumberFormat('en', { notation: 'compact', maximumSignificantDigits: 3 });

/** Three significant digits, with K/M/B/T beyond a thousand. */
export function formatNumber(v: number): string {
  return Number.isFinite(v) ? COMPACT.format(v) : String(v);
}

function table(header: string[], lines: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(fmt)].join('\n');
}

export function formatSuite(result: SuiteResult): string {
  if (result.error !== undefined) return `## ${result.suite}: FAILED\n${result.error}`;
  const lines = result.rows.map(summarize).map((s) => [
    s.name,
    formatNumber(s.median),
    `${formatNumber(s.min)}–${formatNumber(s.max)}`,
    s.unit,
    s.baseline.name,
    formatNumber(s.baselineMedian),
    `${formatNumber(s.ratio)}×`,
  ]);
  const header = ['row', 'median', 'min–max', 'unit', 'baseline', 'base median', 'ratio'];
  const notes = result.notes.map((n) => `  note: ${n}`);
  return [`## ${result.suite}`, table(header, lines), ...notes].join('\n');
}

export interface RunInfo {
  startedAt: Date;
  durationMs: number;
  quick: boolean;
}

/** Writes bench-results/<timestamp>.json under `root`; returns its path. */
export function writeJson(root: string, info: RunInfo, results: SuiteResult[]): string {
  const dir = join(root, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${info.startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  const body = {
    startedAt: info.startedAt.toISOString(),
    durationMs: Math.round(info.durationMs),
    quick: info.quick,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    suites: results.map((r) => ({ ...r, rows: r.rows.map(summarize) })),
  };
  writeFileSync(path, `${JSON.stringify(body, null, 2)}\n`);
  return path;
}
