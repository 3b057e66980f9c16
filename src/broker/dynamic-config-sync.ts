/**
 * Keeps the running BrokerConfig in step with the broker configs in the metadata image (Kafka's
 * DynamicConfigPublisher): the cluster-wide defaults (resource name "") become the
 * 'dynamic-default' layer and this node's own entry the 'dynamic-broker' layer, at start (the
 * first, full update) and whenever AlterConfigs or IncrementalAlterConfigs commit a change. A
 * stored value this node cannot use is skipped with a warning, as Kafka does, instead of failing.
 *
 * A topic's effective log config falls back to the broker's log.* synonyms, so when one of those
 * changes every topic's live logs get their config again.
 */
import type { MetadataPublisher, MetadataUpdate } from '../metadata/index.js';
import type { LogConfig, LogManager } from '../storage/index.js';
import { type BrokerConfig, type DynamicLayer, ConfigError, TOPIC_CONFIG_DEFS } from './config/index.js';
import type { BrokerLogger } from './logger.js';

const NONE: ReadonlyMap<string, string> = new Map();

/** Broker configs that supply topic defaults (log.retention.ms, log.segment.bytes, …). */
const TOPIC_DEFAULT_SOURCES: ReadonlySet<string> = new Set(TOPIC_CONFIG_DEFS.flatMap((d) => d.brokerSynonyms.map((s) => s.name)));

function changedNames(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => before.get(n) !== after.get(n));
}

export class DynamicConfigSync implements MetadataPublisher {
  readonly name = 'dynamic-config-sync';

  constructor(
    private readonly config: BrokerConfig,
    private readonly nodeId: number,
    private readonly logger: BrokerLogger,
    private readonly logs: LogManager,
    private readonly configFor: (topic: string) => LogConfig,
  ) {}

  onMetadataUpdate(u: MetadataUpdate): void {
    const resources: readonly (readonly [string, DynamicLayer])[] = [['', 'dynamic-default'], [String(this.nodeId), 'dynamic-broker']];
    let topicDefaultsChanged = false;
    for (const [resourceName, layer] of resources) {
      if (!u.changes.changedBrokerConfigs.has(resourceName)) continue;
      const before = u.previous.brokerConfigs.get(resourceName) ?? NONE;
      const after = u.image.brokerConfigs.get(resourceName) ?? NONE;
      this.apply(layer, after);
      if (changedNames(before, after).some((n) => TOPIC_DEFAULT_SOURCES.has(n))) topicDefaultsChanged = true;
    }
    if (!topicDefaultsChanged) return;
    for (const topic of u.image.topicsByName.keys()) this.logs.updateTopicConfig(topic, this.configFor(topic));
  }

  /** Installs a layer; entries that do not parse are left out, one warning each. */
  private apply(layer: DynamicLayer, raw: ReadonlyMap<string, string>): void {
    try {
      this.config.setDynamicLayer(layer, raw);
      return;
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
    }
    const usable = new Map<string, string>();
    for (const [name, value] of raw) {
      try {
        this.config.withDynamicLayer(layer, new Map([[name, value]]));
        usable.set(name, value);
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        this.logger.warn(`dynamic broker config ${name} ignored: ${e.problems.map((p) => p.reason).join('; ')}`);
      }
    }
    this.config.setDynamicLayer(layer, usable);
  }
}
