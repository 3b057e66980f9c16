/**
 * The definition tables joined into lookups: by name, by listener-prefixed name
 * (listener.name.<listener>.<config>), and Kafka's groups of broker synonyms that describe
 * one setting (log.retention.ms / .minutes / .hours).
 */
import { assert } from '../../common/errors.js';
import { BROKER_COORDINATOR_DEFS } from './defs-broker-coordinators.js';
import { BROKER_LOG_DEFS } from './defs-broker-log.js';
import { BROKER_SECURITY_DEFS } from './defs-broker-security.js';
import { BROKER_SERVER_DEFS } from './defs-broker-server.js';
import { TOPIC_CONFIG_DEFS } from './defs-topic.js';
import type { BrokerConfigDef, TopicConfigDef } from './types.js';

export const BROKER_CONFIG_DEFS: readonly BrokerConfigDef[] = [
  ...BROKER_SERVER_DEFS,
  ...BROKER_LOG_DEFS,
  ...BROKER_COORDINATOR_DEFS,
  ...BROKER_SECURITY_DEFS,
];

function byName<T extends { name: string }>(defs: readonly T[]): ReadonlyMap<string, T> {
  const map = new Map<string, T>();
  for (const def of defs) {
    assert(!map.has(def.name), `config ${def.name} is defined twice`);
    map.set(def.name, def);
  }
  return map;
}

export const BROKER_DEFS = byName(BROKER_CONFIG_DEFS);
export const TOPIC_DEFS = byName(TOPIC_CONFIG_DEFS);

for (const topic of TOPIC_CONFIG_DEFS) {
  for (const synonym of topic.brokerSynonyms) {
    assert(BROKER_DEFS.has(synonym.name), `broker synonym ${synonym.name} of ${topic.name} is not defined`);
  }
}

const LISTENER_CONFIG = /^listener\.name\.([^.]*)\.(.+)$/;

/** Configs that may sit under a SASL mechanism inside a listener prefix (…<mechanism>.<config>). */
const LISTENER_MECHANISM_CONFIGS = ['sasl.jaas.config', 'connections.max.reauth.ms'];

/** Listener configs that are cluster-wide even with a listener prefix. */
const CLUSTER_LEVEL_LISTENER_CONFIGS = new Set(['max.connections', 'max.connection.creation.rate', 'num.network.threads']);

export interface BrokerConfigKey {
  readonly def: BrokerConfigDef;
  /** The listener of a listener-prefixed name, else null. */
  readonly listener: string | null;
}

/** The definition behind a broker config name, listener-prefixed names included. */
export function lookupBrokerConfig(name: string): BrokerConfigKey | null {
  const exact = BROKER_DEFS.get(name);
  if (exact !== undefined) return { def: exact, listener: null };
  const match = LISTENER_CONFIG.exec(name);
  if (match === null) return null;
  const [, listener = '', base = ''] = match;
  const def = BROKER_DEFS.get(base) ?? BROKER_DEFS.get(LISTENER_MECHANISM_CONFIGS.find((c) => base.endsWith(`.${c}`)) ?? '');
  return def === undefined ? null : { def, listener };
}

/** The base config name inside a listener-prefixed name, or null. */
export function listenerBaseName(name: string): string | null {
  const match = LISTENER_CONFIG.exec(name);
  if (match === null) return null;
  const base = match[2] ?? '';
  return LISTENER_MECHANISM_CONFIGS.find((c) => base.endsWith(`.${c}`)) ?? base;
}

/**
 * Kafka's DynamicBrokerConfig.brokerConfigSynonyms: the names that describe the same broker
 * setting, highest precedence first.
 */
export function brokerConfigSynonyms(name: string): readonly string[] {
  switch (name) {
    case 'log.roll.ms':
    case 'log.roll.hours':
      return ['log.roll.ms', 'log.roll.hours'];
    case 'log.roll.jitter.ms':
    case 'log.roll.jitter.hours':
      return ['log.roll.jitter.ms', 'log.roll.jitter.hours'];
    case 'log.flush.interval.ms':
      return ['log.flush.interval.ms', 'log.flush.scheduler.interval.ms'];
    case 'log.retention.ms':
    case 'log.retention.minutes':
    case 'log.retention.hours':
      return ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours'];
  }
  const base = listenerBaseName(name);
  return base === null ? [name] : [name, base];
}

/** True if AlterConfigs may change the config (Kafka's AllDynamicConfigs: exact names only). */
export function isDynamicBrokerConfig(name: string): boolean {
  const def = BROKER_DEFS.get(name);
  return def !== undefined && def.mode !== 'read-only';
}

/** True if the config can only be set for one broker, not as a cluster-wide default. */
export function isPerBrokerConfig(name: string): boolean {
  const base = listenerBaseName(name);
  if (base !== null) return !CLUSTER_LEVEL_LISTENER_CONFIGS.has(base);
  return BROKER_DEFS.get(name)?.mode === 'per-broker';
}

/** The topic config a broker config supplies the default for, if it is a first synonym. */
export function topicConfigForBrokerName(brokerName: string): TopicConfigDef | undefined {
  return TOPIC_CONFIG_DEFS.find((t) => t.brokerSynonyms.some((s) => s.name === brokerName));
}
