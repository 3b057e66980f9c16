/**
 * Builders for the definition tables, so each table row reads like a line of Kafka's config
 * docs: name, type, default, valid values, update mode. Defaults are checked against the type
 * and validator when the tables load (a wrong row is a bug, so it stops the process).
 */
import { assert } from '../../common/errors.js';
import type { BrokerConfigDef, BrokerSynonym, ConfigType, ConfigValue, TopicConfigDef, UpdateMode, Validator } from './types.js';
import { parseValue } from './values.js';

export interface DefOptions {
  readonly validator?: Validator;
  /** Broker configs only; read-only unless given. */
  readonly mode?: UpdateMode;
}

/** A default as Kafka documents it: text for lists ("delete"), numbers and booleans as such. */
export type DefaultSpec = string | number | bigint | boolean | null;

function toDefault(name: string, type: ConfigType, spec: DefaultSpec): ConfigValue {
  if (spec === null) return null;
  if (type === 'long') return BigInt(spec as number | bigint);
  if (type === 'list') {
    const parsed = parseValue('list', String(spec));
    assert(parsed.ok, `bad list default for ${name}`);
    return parsed.value;
  }
  return spec as ConfigValue;
}

function checked<T extends { name: string; defaultValue: ConfigValue; validator?: Validator }>(def: T): T {
  if (def.defaultValue !== null && def.validator !== undefined) {
    const failure = def.validator.check(def.defaultValue);
    assert(failure === null, `default of ${def.name} fails its own validator: ${failure?.reason}`);
  }
  return def;
}

export function brokerDef(name: string, type: ConfigType, spec: DefaultSpec, options: DefOptions = {}): BrokerConfigDef {
  return checked({
    name,
    type,
    defaultValue: toDefault(name, type, spec),
    ...(options.validator === undefined ? {} : { validator: options.validator }),
    mode: options.mode ?? 'read-only',
  });
}

/** A broker synonym written as a name, or [name, unit] for hours and minutes. */
export type SynonymSpec = string | readonly [string, BrokerSynonym['unit']];

export function topicDef(
  name: string,
  type: ConfigType,
  spec: DefaultSpec,
  synonyms: readonly SynonymSpec[],
  validator?: Validator,
): TopicConfigDef {
  return checked({
    name,
    type,
    defaultValue: toDefault(name, type, spec),
    ...(validator === undefined ? {} : { validator }),
    brokerSynonyms: synonyms.map((s): BrokerSynonym => (typeof s === 'string' ? { name: s, unit: 'same' } : { name: s[0], unit: s[1] })),
  });
}
