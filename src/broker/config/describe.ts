/**
 * DescribeConfigs entries with Kafka's semantics (ConfigHelper): per config its value (null when
 * sensitive), read-only flag, source, synonyms in precedence order (dynamic per-broker, dynamic
 * cluster default, static, default; for a topic its own override first, then the broker
 * synonyms), and the config type id. Unknown broker names kept with allowUnknown describe as
 * sensitive with type UNKNOWN, as Kafka does for configs it cannot type. Resource-level errors
 * (a broker name that is not this node, a missing topic) come from describe*Resource.
 */
import { ErrorCode } from '../../protocol/index.js';
import type { BrokerConfig, ConfigLayer } from './broker-config.js';
import { BROKER_DEFS, brokerConfigSynonyms, isDynamicBrokerConfig, lookupBrokerConfig, TOPIC_DEFS } from './registry.js';
import { resolveTopicConfig } from './topic-config.js';
import { type ConfigSourceId, type ConfigType, type ConfigTypeIdValue, ConfigSource, configTypeId } from './types.js';
import { formatValue } from './values.js';

export interface DescribeConfigsSynonym {
  readonly name: string;
  readonly value: string | null;
  readonly source: ConfigSourceId;
}

export interface DescribeConfigsEntry {
  readonly name: string;
  readonly value: string | null;
  readonly readOnly: boolean;
  /** DescribeConfigs v0's flag: the value is the built-in default. */
  readonly isDefault: boolean;
  readonly source: ConfigSourceId;
  readonly isSensitive: boolean;
  readonly synonyms: readonly DescribeConfigsSynonym[];
  readonly configType: ConfigTypeIdValue;
  /** Samsa carries no documentation strings. */
  readonly documentation: null;
}

export interface DescribeOptions {
  /** Only these names (Kafka's ConfigurationKeys); null or empty means all. */
  readonly keys?: readonly string[] | null;
  readonly includeSynonyms?: boolean;
}

const LAYER_SOURCES: readonly (readonly [ConfigLayer, ConfigSourceId])[] = [
  ['dynamic-broker', ConfigSource.DYNAMIC_BROKER_CONFIG],
  ['dynamic-default', ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG],
  ['static', ConfigSource.STATIC_BROKER_CONFIG],
  ['default', ConfigSource.DEFAULT_CONFIG],
];

/** Kafka's ConfigHelper.configSynonyms: every layer's value for each synonym, from `name` on. */
function configSynonyms(config: BrokerConfig, name: string, sensitive: boolean): DescribeConfigsSynonym[] {
  const names = brokerConfigSynonyms(name);
  const all: DescribeConfigsSynonym[] = [];
  for (const [layer, source] of LAYER_SOURCES) {
    const map = config.layer(layer);
    for (const synonym of names) {
      const value = map.get(synonym);
      if (value !== undefined) all.push({ name: synonym, value: sensitive ? null : value, source });
    }
  }
  const first = all.findIndex((s) => s.name === name);
  return first < 0 ? [] : all.slice(first);
}

function entry(
  name: string,
  value: string | null,
  type: ConfigType | undefined,
  readOnly: boolean,
  allSynonyms: readonly DescribeConfigsSynonym[],
  includeSynonyms: boolean,
): DescribeConfigsEntry {
  const isSensitive = type === undefined || type === 'password';
  const source = allSynonyms[0]?.source ?? ConfigSource.DEFAULT_CONFIG;
  return {
    name,
    value: isSensitive ? null : value,
    readOnly,
    isDefault: source === ConfigSource.DEFAULT_CONFIG,
    source,
    isSensitive,
    synonyms: includeSynonyms ? allSynonyms : [],
    configType: configTypeId(type),
    documentation: null,
  };
}

function filtered(entries: DescribeConfigsEntry[], keys: readonly string[] | null | undefined): DescribeConfigsEntry[] {
  const sorted = entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return keys === null || keys === undefined || keys.length === 0 ? sorted : sorted.filter((e) => keys.includes(e.name));
}

/** Describes this broker (resource name = its node id). */
export function describeBroker(config: BrokerConfig, options: DescribeOptions = {}): DescribeConfigsEntry[] {
  const names = new Set<string>(BROKER_DEFS.keys());
  for (const layer of ['static', 'dynamic-default', 'dynamic-broker'] as const) {
    for (const name of config.layer(layer).keys()) names.add(name);
  }
  const entries: DescribeConfigsEntry[] = [];
  for (const name of names) {
    const key = lookupBrokerConfig(name);
    const type = key?.def.type;
    const exact = key !== null && key.listener === null;
    const raw = config.layer('dynamic-broker').get(name) ?? config.layer('dynamic-default').get(name) ?? config.layer('static').get(name);
    const value = exact ? formatValue(config.get(name), type) : (raw ?? null);
    const synonyms = configSynonyms(config, name, type === undefined || type === 'password');
    entries.push(entry(name, value, type, !isDynamicBrokerConfig(name), synonyms, options.includeSynonyms ?? false));
  }
  return filtered(entries, options.keys);
}

/** Describes the cluster-wide dynamic defaults (the broker resource with an empty name). */
export function describeClusterDefault(config: BrokerConfig, options: DescribeOptions = {}): DescribeConfigsEntry[] {
  const entries: DescribeConfigsEntry[] = [];
  for (const [name, raw] of config.layer('dynamic-default')) {
    const type = lookupBrokerConfig(name)?.def.type;
    const synonyms = configSynonyms(config, name, type === undefined || type === 'password')
      .filter((s) => s.source === ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
    entries.push(entry(name, raw, type, !isDynamicBrokerConfig(name), synonyms, options.includeSynonyms ?? false));
  }
  return filtered(entries, options.keys);
}

/** Describes a topic from its stored overrides. */
export function describeTopic(
  config: BrokerConfig,
  overrides: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
  options: DescribeOptions = {},
): DescribeConfigsEntry[] {
  const resolved = resolveTopicConfig(config, overrides);
  const entries: DescribeConfigsEntry[] = [];
  for (const def of TOPIC_DEFS.values()) {
    const value = formatValue(resolved.values.get(def.name) ?? null, def.type);
    const primary = def.brokerSynonyms[0]?.name;
    const brokerSynonyms = primary === undefined ? [] : configSynonyms(config, primary, def.type === 'password');
    const synonyms = resolved.overridden.has(def.name)
      ? [{ name: def.name, value, source: ConfigSource.DYNAMIC_TOPIC_CONFIG }, ...brokerSynonyms]
      : brokerSynonyms;
    entries.push(entry(def.name, value, def.type, false, synonyms, options.includeSynonyms ?? false));
  }
  return filtered(entries, options.keys);
}

/** A DescribeConfigs result for one resource, with Kafka's resource-level errors. */
export interface DescribeResult {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly configs: readonly DescribeConfigsEntry[];
}

function failure(errorCode: number, errorMessage: string | null): DescribeResult {
  return { errorCode, errorMessage, configs: [] };
}

/** A broker resource: "" for the cluster-wide defaults, else this node's id. */
export function describeBrokerResource(config: BrokerConfig, resourceName: string, options: DescribeOptions = {}): DescribeResult {
  if (resourceName === '') return { errorCode: ErrorCode.NONE, errorMessage: null, configs: describeClusterDefault(config, options) };
  if (!/^[+-]?\d+$/.test(resourceName) || Math.abs(Number(resourceName)) > 2147483647) {
    return failure(ErrorCode.INVALID_REQUEST, `Broker id must be an integer, but it is: ${resourceName}`);
  }
  if (Number(resourceName) !== config.nodeId) {
    return failure(ErrorCode.INVALID_REQUEST, `Unexpected broker id, expected ${config.nodeId} or empty string, but received ${resourceName}`);
  }
  return { errorCode: ErrorCode.NONE, errorMessage: null, configs: describeBroker(config, options) };
}

/** A topic resource; `overrides` undefined means the topic does not exist. */
export function describeTopicResource(
  config: BrokerConfig,
  overrides: ReadonlyMap<string, string> | Readonly<Record<string, string>> | undefined,
  options: DescribeOptions = {},
): DescribeResult {
  if (overrides === undefined) return failure(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, null);
  return { errorCode: ErrorCode.NONE, errorMessage: null, configs: describeTopic(config, overrides, options) };
}
