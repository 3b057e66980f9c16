/**
 * The newest full-run result of every suite, from bench-results/*.json: docs/performance.md shows
 * each suite as last measured in a full run, so a full run of one suite (`--only`) refreshes its
 * part of the page without dropping the others.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SuiteResult } from './report.js';

export interface DatedSuiteResult extends SuiteResult {
  /** When the run that measured it started (ISO 8601). */
  measuredAt: string;
}

interface RunFile {
  startedAt: string;
  quick: boolean;
  suites: SuiteResult[];
}

export function latestFullResults(root: string): DatedSuiteResult[] {
  const dir = join(root, 'bench-results');
  if (!existsSync(dir)) return [];
  const runs: RunFile[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    try {
      const run = JSON.parse(readFileSync(join(dir, f), 'utf8')) as RunFile;
      if (!run.quick && Array.isArray(run.suites)) runs.push(run);
    } catch {
      // a file being written or from another version: skipped
    }
  }
  runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const latest = new Map<string, DatedSuiteResult>();
  for (const run of runs) {
    for (const s of run.suites) if (s.error === undefined) latest.set(s.suite, { ...s, measuredAt: run.startedAt });
  }
  return [...latest.values()].sort((a, b) => a.suite.localeCompare(b.suite));
}
