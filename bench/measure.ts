/**
 * Timing for suites on a shared, noisy machine: a subject and its baseline are sampled in
 * alternation, so load that comes and goes lands on both, and only their ratio is trusted.
 */
import type { BenchOptions } from './types.js';

export interface Plan {
  /** Samples of each of subject and baseline. */
  repetitions: number;
  /** Rough wall time of one sample. */
  sampleMs: number;
}

export function planFor(opts: BenchOptions): Plan {
  return opts.quick ? { repetitions: 5, sampleMs: 40 } : { repetitions: 11, sampleMs: 250 };
}

/** Keeps results alive so the optimizer cannot drop the work that made them. */
export const blackhole: { value: unknown } = { value: undefined };

function secondsFor(fn: () => void, calls: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Warms `fn` up for about `sampleMs`, then returns how many calls take about `sampleMs`. */
export function calibrate(fn: () => void, sampleMs: number): number {
  const warmUntil = performance.now() + sampleMs;
  while (performance.now() < warmUntil) fn();
  let calls = 1;
  for (;;) {
    const seconds = secondsFor(fn, calls);
    if (seconds * 1000 >= sampleMs / 4 || calls >= 2 ** 30) {
      return Math.max(1, Math.round((calls * sampleMs) / (seconds * 1000 || 1e-3)));
    }
    calls *= seconds * 1000 < sampleMs / 100 ? 10 : 2;
  }
}

/** Calls per second of subject and baseline, sampled alternately (the order flips each round). */
export function interleaved(subject: () => void, baseline: () => void, plan: Plan): { subject: number[]; baseline: number[] } {
  const subjectCalls = calibrate(subject, plan.sampleMs);
  const baselineCalls = calibrate(baseline, plan.sampleMs);
  const out = { subject: [] as number[], baseline: [] as number[] };
  const one = (which: 'subject' | 'baseline'): void => {
    const calls = which === 'subject' ? subjectCalls : baselineCalls;
    out[which].push(calls / secondsFor(which === 'subject' ? subject : baseline, calls));
  };
  for (let i = 0; i < plan.repetitions; i++) {
    if (i % 2 === 0) {
      one('baseline');
      one('subject');
    } else {
      one('subject');
      one('baseline');
    }
  }
  return out;
}
