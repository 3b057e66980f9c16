/** What a bench suite returns: rates of a subject and of a baseline measured in the same run. */
export interface BenchRow {
  name: string;
  /** Unit of every sample, e.g. "MB/s"; higher is better. */
  unit: string;
  samples: number[];
  /** Measured interleaved with the subject, so a noisy machine skews both alike. */
  baseline: { name: string; samples: number[] };
}

export interface BenchOptions {
  /** Fewer and shorter repetitions: a smoke run, not figures to compare. */
  quick: boolean;
}

/** A module in dist/bench/suites/ is a suite when it exports these two. */
export interface BenchSuite {
  name: string;
  run(opts: BenchOptions): Promise<BenchRow[]>;
  /** Optional lines printed under the suite's table. */
  notes?: readonly string[];
}
