/**
 * The controller's view of config validation: topic configs checked by the broker's config
 * layer (Kafka answers INVALID_CONFIG for every topic config problem).
 */
import { ConfigResourceType, type ConfigPolicy } from '../metadata/index.js';
import { type BrokerConfig, lookupBrokerConfig, validateTopicConfigs, TOPIC_CONFIG_DEFS } from './config/index.js';

const LIST_TYPES = new Set(['list']);

export function configPolicy(config: BrokerConfig): ConfigPolicy {
  return {
    validate(resourceType, _name, configs) {
      if (resourceType !== ConfigResourceType.TOPIC) return null;
      const error = validateTopicConfigs(config, configs);
      return error === null ? null : (error.errorMessage ?? `invalid topic config`);
    },
    isList(resourceType, name) {
      if (resourceType === ConfigResourceType.TOPIC) return LIST_TYPES.has(TOPIC_CONFIG_DEFS.find((d) => d.name === name)?.type ?? '');
      return LIST_TYPES.has(lookupBrokerConfig(name)?.def.type ?? '');
    },
  };
}
