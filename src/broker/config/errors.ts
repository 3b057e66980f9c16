import { SamsaError } from '../../common/errors.js';

/** One thing wrong with a configuration: the key, why, and a likely intended name for typos. */
export interface ConfigProblem {
  readonly key: string;
  readonly reason: string;
  /** For an unknown name: the known name it most likely meant. */
  readonly suggestion?: string;
}

function describeProblem(p: ConfigProblem): string {
  return p.suggestion === undefined ? `${p.key}: ${p.reason}` : `${p.key}: ${p.reason} (did you mean ${p.suggestion}?)`;
}

/**
 * A configuration that cannot be used: every bad key with its reason, reported at once so an
 * operator fixes a file in one pass.
 */
export class ConfigError extends SamsaError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const header = problems.length === 1 ? 'Invalid configuration' : `Invalid configuration (${problems.length} problems)`;
    super('SAMSA_ERR_CONFIG', `${header}:\n${problems.map((p) => `  ${describeProblem(p)}`).join('\n')}`);
    this.problems = problems;
  }
}

/** Throws a ConfigError if there is anything to report. */
export function throwIfProblems(problems: readonly ConfigProblem[]): void {
  if (problems.length > 0) throw new ConfigError(problems);
}
