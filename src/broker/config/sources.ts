/**
 * The static configuration from its three sources, in Kafka's order of precedence for Samsa:
 * the properties file, then SAMSA_* environment variables, then command-line overrides
 * (`--override key=value`, as kafka-server-start takes them). Later sources win per key.
 */
import { configFromEnv } from './env.js';
import type { ConfigProblem } from './errors.js';
import { parseProperties } from '../../common/properties.js';

export type StaticOrigin = 'file' | 'env' | 'override';

export interface StaticSources {
  /** server.properties text. */
  readonly propertiesText?: string;
  /** The environment (usually process.env); only SAMSA_* config variables are read. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `key=value` strings, or a map of them. */
  readonly overrides?: readonly string[] | Readonly<Record<string, string>>;
}

export interface CollectedConfig {
  /** Raw values by name after precedence, in first-seen order. */
  readonly values: ReadonlyMap<string, string>;
  /** Which source supplied each surviving value. */
  readonly origins: ReadonlyMap<string, StaticOrigin>;
  readonly problems: readonly ConfigProblem[];
}

/** Parses `key=value` strings (split at the first `=`; an empty value is allowed). */
export function parseOverrides(args: readonly string[]): { values: Map<string, string>; problems: ConfigProblem[] } {
  const values = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  for (const arg of args) {
    const at = arg.indexOf('=');
    const key = (at < 0 ? arg : arg.slice(0, at)).trim();
    if (at < 0 || key === '') {
      problems.push({ key: key === '' ? arg : key, reason: `command-line override '${arg}' is not key=value` });
      continue;
    }
    values.set(key, arg.slice(at + 1));
  }
  return { values, problems };
}

/** Merges the sources; problems are those of the sources' syntax, not of the values. */
export function collectStaticConfig(sources: StaticSources): CollectedConfig {
  const values = new Map<string, string>();
  const origins = new Map<string, StaticOrigin>();
  const problems: ConfigProblem[] = [];
  const apply = (entries: ReadonlyMap<string, string>, origin: StaticOrigin): void => {
    for (const [key, value] of entries) {
      values.set(key, value);
      origins.set(key, origin);
    }
  };
  if (sources.propertiesText !== undefined) {
    const parsed = parseProperties(sources.propertiesText);
    problems.push(...parsed.problems);
    apply(parsed.values, 'file');
  }
  if (sources.env !== undefined) apply(configFromEnv(sources.env), 'env');
  if (sources.overrides !== undefined) {
    if (Array.isArray(sources.overrides)) {
      const parsed = parseOverrides(sources.overrides as readonly string[]);
      problems.push(...parsed.problems);
      apply(parsed.values, 'override');
    } else {
      apply(new Map(Object.entries(sources.overrides as Readonly<Record<string, string>>)), 'override');
    }
  }
  return { values, origins, problems };
}
