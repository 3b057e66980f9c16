/**
 * A broker's configuration in Kafka's layers, highest precedence first: dynamic per-broker
 * overrides, dynamic cluster-wide defaults (both set through AlterConfigs), the static config
 * (file, environment, command line), and the built-in defaults. Values are kept both as the raw
 * text (for DescribeConfigs synonyms) and typed.
 */
import { assert } from '../../common/errors.js';
import { checkBrokerConfig } from './cross-checks.js';
import { type ConfigProblem, throwIfProblems } from './errors.js';
import { parseBrokerConfigMap } from './parse-map.js';
import { BROKER_DEFS } from './registry.js';
import { type StaticSources, collectStaticConfig } from './sources.js';
import type { BrokerConfigReader, ConfigType, ConfigValue } from './types.js';
import { formatValue, toSafeNumber } from './values.js';

export type ConfigLayer = 'dynamic-broker' | 'dynamic-default' | 'static' | 'default';
export type DynamicLayer = 'dynamic-broker' | 'dynamic-default';

export interface BrokerConfigOptions {
  /** Keep unknown names (Kafka only logs them) instead of failing; they describe as sensitive. */
  readonly allowUnknown?: boolean;
  /** Run the cross-config checks (node.id, listeners, KRaft roles, …); default true. */
  readonly crossChecks?: boolean;
}

interface Layer {
  readonly raw: ReadonlyMap<string, string>;
  readonly values: ReadonlyMap<string, ConfigValue>;
}

const EMPTY: Layer = { raw: new Map(), values: new Map() };

function sameId(a: string, b: string): boolean {
  const [x, y] = [a.trim(), b.trim()];
  return x === y || (/^[+-]?\d+$/.test(x) && /^[+-]?\d+$/.test(y) && Number(x) === Number(y));
}

/** Kafka's KafkaConfig.populateSynonyms: node.id and broker.id stand in for each other. */
function withIdSynonyms(raw: ReadonlyMap<string, string>, problems: ConfigProblem[]): Map<string, string> {
  const out = new Map(raw);
  const brokerId = raw.get('broker.id');
  const nodeId = raw.get('node.id');
  if (brokerId === undefined && nodeId !== undefined) out.set('broker.id', nodeId);
  else if (brokerId !== undefined && nodeId === undefined) out.set('node.id', brokerId);
  else if (brokerId !== undefined && nodeId !== undefined && !sameId(brokerId, nodeId)) {
    problems.push({ key: 'node.id', reason: 'You must set `node.id` to the same value as `broker.id`.' });
  }
  return out;
}

function parseLayer(raw: ReadonlyMap<string, string>, allowUnknown: boolean, problems: ConfigProblem[]): Layer {
  const parsed = parseBrokerConfigMap(raw);
  problems.push(...parsed.problems.filter((p) => !(allowUnknown && parsed.unknown.has(p.key))));
  return { raw, values: parsed.values };
}

/** The string forms of the non-null defaults: Kafka's DEFAULT_CONFIG synonym values. */
const DEFAULT_RAW: ReadonlyMap<string, string> = new Map(
  [...BROKER_DEFS.values()].flatMap((d) => {
    const text = formatValue(d.defaultValue, d.type);
    return text === null ? [] : [[d.name, text] as const];
  }),
);

export class BrokerConfig implements BrokerConfigReader {
  readonly allowUnknown: boolean;
  private readonly staticLayer: Layer;
  private dynamicDefault: Layer = EMPTY;
  private dynamicBroker: Layer = EMPTY;

  private constructor(staticLayer: Layer, allowUnknown: boolean) {
    this.staticLayer = staticLayer;
    this.allowUnknown = allowUnknown;
  }

  /** Builds the static config from a file, SAMSA_* variables and overrides; throws ConfigError. */
  static fromSources(sources: StaticSources, options: BrokerConfigOptions = {}): BrokerConfig {
    const collected = collectStaticConfig(sources);
    return BrokerConfig.build(collected.values, options, [...collected.problems]);
  }

  /** Builds the static config from raw key/value text; throws ConfigError listing every problem. */
  static fromMap(raw: ReadonlyMap<string, string> | Readonly<Record<string, string>>, options: BrokerConfigOptions = {}): BrokerConfig {
    return BrokerConfig.build(raw instanceof Map ? raw : new Map(Object.entries(raw)), options, []);
  }

  private static build(raw: ReadonlyMap<string, string>, options: BrokerConfigOptions, problems: ConfigProblem[]): BrokerConfig {
    const allowUnknown = options.allowUnknown ?? false;
    const layer = parseLayer(withIdSynonyms(raw, problems), allowUnknown, problems);
    const config = new BrokerConfig(layer, allowUnknown);
    if (problems.length === 0 && (options.crossChecks ?? true)) problems.push(...checkBrokerConfig(config));
    throwIfProblems(problems);
    return config;
  }

  /** This node's id (node.id, or broker.id standing in for it). */
  get nodeId(): number {
    return this.getInt('node.id');
  }

  /** Replaces a dynamic layer with already-validated raw values; throws ConfigError if not. */
  setDynamicLayer(layer: DynamicLayer, raw: ReadonlyMap<string, string>): void {
    const problems: ConfigProblem[] = [];
    const parsed = parseLayer(new Map(raw), this.allowUnknown, problems);
    throwIfProblems(problems);
    if (layer === 'dynamic-broker') this.dynamicBroker = parsed;
    else this.dynamicDefault = parsed;
  }

  /** A copy with one dynamic layer replaced (to try a change before applying it). */
  withDynamicLayer(layer: DynamicLayer, raw: ReadonlyMap<string, string>): BrokerConfig {
    const copy = new BrokerConfig(this.staticLayer, this.allowUnknown);
    copy.dynamicBroker = this.dynamicBroker;
    copy.dynamicDefault = this.dynamicDefault;
    copy.setDynamicLayer(layer, raw);
    return copy;
  }

  /** The raw text a layer holds, by name (the default layer: non-null defaults). */
  layer(layer: ConfigLayer): ReadonlyMap<string, string> {
    switch (layer) {
      case 'dynamic-broker': return this.dynamicBroker.raw;
      case 'dynamic-default': return this.dynamicDefault.raw;
      case 'static': return this.staticLayer.raw;
      case 'default': return DEFAULT_RAW;
    }
  }

  /** The layer that supplies a config's effective value. */
  sourceOf(name: string): ConfigLayer {
    if (this.dynamicBroker.values.has(name)) return 'dynamic-broker';
    if (this.dynamicDefault.values.has(name)) return 'dynamic-default';
    if (this.staticLayer.values.has(name)) return 'static';
    return 'default';
  }

  /** True if a config is set in any layer above the defaults. */
  isSet(name: string): boolean {
    return this.sourceOf(name) !== 'default';
  }

  /** The effective typed value (null for an unset config whose default is null). */
  get(name: string): ConfigValue {
    const value = this.dynamicBroker.values.get(name) ?? this.dynamicDefault.values.get(name) ?? this.staticLayer.values.get(name);
    if (value !== undefined) return value;
    const def = BROKER_DEFS.get(name);
    assert(def !== undefined, `unknown broker config ${name}`);
    return def.defaultValue;
  }

  private typed(name: string, types: readonly ConfigType[]): ConfigValue {
    const def = BROKER_DEFS.get(name);
    assert(def !== undefined && types.includes(def.type), `broker config ${name} is not of type ${types.join('/')}`);
    return this.get(name);
  }

  private present<T>(name: string, value: T | null): T {
    assert(value !== null, `broker config ${name} has no value`);
    return value;
  }

  getInt(name: string): number {
    return this.present(name, this.typed(name, ['int', 'short']) as number | null);
  }

  getLong(name: string): bigint {
    return this.present(name, this.typed(name, ['long']) as bigint | null);
  }

  /** A long as a number, saturating at Number.MAX_SAFE_INTEGER ("no limit" stays huge). */
  getLongAsNumber(name: string): number {
    return toSafeNumber(this.getLong(name));
  }

  getDouble(name: string): number {
    return this.present(name, this.typed(name, ['double']) as number | null);
  }

  getBoolean(name: string): boolean {
    return this.present(name, this.typed(name, ['boolean']) as boolean | null);
  }

  /** string, class and password configs; null when unset with a null default. */
  getString(name: string): string | null {
    return this.typed(name, ['string', 'class', 'password']) as string | null;
  }

  getList(name: string): readonly string[] {
    return (this.typed(name, ['list']) as readonly string[] | null) ?? [];
  }

  /** Long configs whose default is null (log.retention.ms, log.roll.ms, …). */
  getOptionalLong(name: string): bigint | null {
    return this.typed(name, ['long']) as bigint | null;
  }

  getOptionalInt(name: string): number | null {
    return this.typed(name, ['int', 'short']) as number | null;
  }
}
