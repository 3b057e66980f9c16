/**
 * Validating a topic's configs for CreateTopics, AlterConfigs and IncrementalAlterConfigs, with
 * the controller's answers (ControllerConfigurationValidator and LogConfig.validate): every
 * failure is INVALID_CONFIG with Kafka's message, the first failure in definition order wins;
 * an empty topic name is INVALID_REQUEST. Unknown names get a "did you mean" suffix.
 */
import { ErrorCode } from '../../protocol/index.js';
import { type AlterableConfig, type ApiError, apiError, applyTopicOps, checkRequestShape } from './incremental.js';
import { checkValue } from './parse-map.js';
import { TOPIC_CONFIG_DEFS } from './defs-topic.js';
import { TOPIC_DEFS } from './registry.js';
import { suggestTopicConfig } from './suggest.js';
import { topicDefaultsFromBroker } from './topic-config.js';
import type { BrokerConfigReader, ConfigValue } from './types.js';

export function unknownTopicConfigMessage(name: string): string {
  const suggestion = suggestTopicConfig(name);
  return `Unknown topic config name: ${name}${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}`;
}

/** Checks a topic's complete set of overrides (after the change); null when valid. */
export function validateTopicConfigs(
  broker: BrokerConfigReader,
  configs: ReadonlyMap<string, string | null>,
): ApiError | null {
  const nulls = [...configs].filter(([, v]) => v === null).map(([k]) => k);
  if (nulls.length > 0) return apiError(ErrorCode.INVALID_CONFIG, `Null value not supported for topic configs: ${nulls.join(',')}`);
  for (const name of configs.keys()) {
    if (!TOPIC_DEFS.has(name)) return apiError(ErrorCode.INVALID_CONFIG, unknownTopicConfigMessage(name));
  }
  const values: Map<string, ConfigValue> = topicDefaultsFromBroker(broker);
  for (const def of TOPIC_CONFIG_DEFS) {
    const raw = configs.get(def.name);
    if (raw === undefined || raw === null) continue;
    const checked = checkValue(def.name, def, raw);
    if (!checked.ok) return apiError(ErrorCode.INVALID_CONFIG, checked.message);
    values.set(def.name, checked.value);
  }
  const minLag = values.get('min.compaction.lag.ms') as bigint;
  const maxLag = values.get('max.compaction.lag.ms') as bigint;
  if (minLag > maxLag) {
    return apiError(ErrorCode.INVALID_CONFIG, `conflict topic config setting min.compaction.lag.ms (${minLag}) > max.compaction.lag.ms (${maxLag})`);
  }
  if (values.get('remote.storage.enable') === true && !broker.getBoolean('remote.log.storage.system.enable')) {
    return apiError(ErrorCode.INVALID_CONFIG, 'Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage.');
  }
  return null;
}

function checkTopicName(topic: string): ApiError | null {
  return topic === '' ? apiError(ErrorCode.INVALID_REQUEST, 'Default topic resources are not allowed.') : null;
}

/** The outcome of changing a topic's configs: an error, or the new overrides to store. */
export type TopicAlterResult = { readonly error: ApiError; readonly configs?: undefined } | { readonly error: null; readonly configs: Map<string, string> };

/** CreateTopics: the new topic's configs (a null value is refused). */
export function validateNewTopicConfigs(
  broker: BrokerConfigReader,
  configs: readonly { readonly name: string; readonly value: string | null }[],
): TopicAlterResult {
  const map = new Map(configs.map((c) => [c.name, c.value] as const));
  const error = validateTopicConfigs(broker, map);
  return error === null ? { error: null, configs: map as Map<string, string> } : { error };
}

/** IncrementalAlterConfigs on a topic: applies the operations and validates the result. */
export function incrementalAlterTopic(
  broker: BrokerConfigReader,
  topic: string,
  existing: ReadonlyMap<string, string>,
  ops: readonly AlterableConfig[],
): TopicAlterResult {
  const shape = checkRequestShape(ops, true) ?? checkTopicName(topic);
  if (shape !== null) return { error: shape };
  const applied = applyTopicOps(existing, ops);
  if (!applied.ok) return { error: applied.error };
  const error = validateTopicConfigs(broker, applied.configs);
  return error === null ? { error: null, configs: applied.configs } : { error };
}

/** AlterConfigs (legacy) on a topic: the given configs replace all stored overrides. */
export function alterTopic(
  broker: BrokerConfigReader,
  topic: string,
  configs: readonly { readonly name: string; readonly value: string | null }[],
): TopicAlterResult {
  const shape = checkRequestShape(configs.map((c) => ({ ...c, op: 0 })), false) ?? checkTopicName(topic);
  if (shape !== null) return { error: shape };
  return validateNewTopicConfigs(broker, configs);
}
