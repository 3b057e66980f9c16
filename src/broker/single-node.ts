/**
 * Samsa's defaults for a single node, under whatever the user sets: node id 1, a PLAINTEXT
 * listener on 127.0.0.1:9092, data in ./samsa-data. With process.roles unset the node runs
 * combined (broker and controller) with its own single-voter metadata log, and needs no
 * controller listener; a Kafka-style server.properties with one is accepted too (the controller
 * listener is not opened: there are no other voters to talk to).
 */
import { BrokerConfig } from './config/index.js';

export const SINGLE_NODE_DEFAULTS: Readonly<Record<string, string>> = {
  'node.id': '1',
  'listeners': 'PLAINTEXT://127.0.0.1:9092',
  'log.dirs': 'samsa-data',
};

export interface ConfigSources {
  /** server.properties text. */
  propertiesText?: string;
  /** The environment; SAMSA_* variables are config (SAMSA_LOG_DIRS → log.dirs). */
  env?: Readonly<Record<string, string | undefined>>;
  /** `key=value` overrides, strongest. */
  overrides?: readonly string[];
}

function defaultsText(): string {
  return Object.entries(SINGLE_NODE_DEFAULTS).map(([k, v]) => `${k}=${v}`).join('\n');
}

/** The static config from defaults < file < environment < overrides; throws ConfigError listing every problem. */
export function loadBrokerConfig(sources: ConfigSources): BrokerConfig {
  return BrokerConfig.fromSources({
    propertiesText: `${defaultsText()}\n${sources.propertiesText ?? ''}`,
    env: sources.env ?? {},
    overrides: sources.overrides ?? [],
  });
}
