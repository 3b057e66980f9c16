/**
 * Raw text values → typed values, checked against their definitions. One value gives Kafka's
 * ConfigException text; a whole map gives every problem at once (unknown names with a
 * suggestion, unparsable values, values out of range).
 */
import type { ConfigProblem } from './errors.js';
import { lookupBrokerConfig, TOPIC_DEFS } from './registry.js';
import { suggestBrokerConfig, suggestTopicConfig } from './suggest.js';
import type { ConfigDef, ConfigValue } from './types.js';
import { formatValue, invalidValueMessage, parseValue } from './values.js';

export type CheckedValue =
  | { readonly ok: true; readonly value: ConfigValue }
  | { readonly ok: false; readonly shown: string; readonly reason: string; readonly message: string };

function failed(name: string, shown: string, reason: string): CheckedValue {
  return { ok: false, shown, reason, message: invalidValueMessage(name, shown, reason) };
}

/** Parses and validates one raw value; `message` is Kafka's ConfigException text. */
export function checkValue(name: string, def: ConfigDef, raw: string): CheckedValue {
  const parsed = parseValue(def.type, raw);
  if (!parsed.ok) return failed(name, raw, parsed.reason);
  const failure = def.validator?.check(parsed.value) ?? null;
  if (failure !== null) return failed(name, failure.shown ?? formatValue(parsed.value, def.type) ?? 'null', failure.reason);
  return { ok: true, value: parsed.value };
}

export interface ParsedMap {
  readonly values: ReadonlyMap<string, ConfigValue>;
  /** Names with no definition, kept as raw text (for callers that accept them). */
  readonly unknown: ReadonlyMap<string, string>;
  readonly problems: readonly ConfigProblem[];
}

function parseWith(
  raw: ReadonlyMap<string, string>,
  lookup: (name: string) => ConfigDef | undefined,
  suggest: (name: string) => string | undefined,
  scope: string,
): ParsedMap {
  const values = new Map<string, ConfigValue>();
  const unknown = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  for (const [name, text] of raw) {
    const def = lookup(name);
    if (def === undefined) {
      unknown.set(name, text);
      const suggestion = suggest(name);
      problems.push({ key: name, reason: `unknown ${scope} config`, ...(suggestion === undefined ? {} : { suggestion }) });
      continue;
    }
    const checked = checkValue(name, def, text);
    if (checked.ok) values.set(name, checked.value);
    else problems.push({ key: name, reason: `invalid value '${checked.shown}': ${checked.reason}` });
  }
  return { values, unknown, problems };
}

/** Parses broker configs (listener-prefixed names included). */
export function parseBrokerConfigMap(raw: ReadonlyMap<string, string>): ParsedMap {
  return parseWith(raw, (name) => lookupBrokerConfig(name)?.def, suggestBrokerConfig, 'broker');
}

/** Parses topic config overrides. */
export function parseTopicConfigMap(raw: ReadonlyMap<string, string>): ParsedMap {
  return parseWith(raw, (name) => TOPIC_DEFS.get(name), suggestTopicConfig, 'topic');
}
