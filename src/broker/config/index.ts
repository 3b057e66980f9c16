/**
 * The broker's configuration layer: Kafka's broker and topic config definitions, loading from
 * server.properties / SAMSA_* variables / overrides, dynamic layers, topic resolution, and the
 * DescribeConfigs / AlterConfigs / IncrementalAlterConfigs / CreateTopics semantics.
 */
export {
  type BrokerConfigDef,
  type BrokerConfigReader,
  type BrokerSynonym,
  type ConfigDef,
  type ConfigSourceId,
  type ConfigType,
  type ConfigTypeIdValue,
  type ConfigValue,
  type TopicConfigDef,
  type UpdateMode,
  type ValidationFailure,
  type Validator,
  type AlterConfigOpId,
  AlterConfigOp,
  ConfigResourceType,
  ConfigSource,
  ConfigTypeId,
  configTypeId,
  INT_MAX,
  LONG_MAX,
} from './types.js';
export { type ConfigProblem, ConfigError } from './errors.js';
export { formatValue, javaDoubleToString, parseValue, toSafeNumber } from './values.js';
export { BROKER_CONFIG_DEFS, BROKER_DEFS, TOPIC_DEFS, brokerConfigSynonyms, isDynamicBrokerConfig, lookupBrokerConfig } from './registry.js';
export { TOPIC_CONFIG_DEFS } from './defs-topic.js';
export { suggestBrokerConfig, suggestTopicConfig } from './suggest.js';
export { type CheckedValue, checkValue, parseBrokerConfigMap, parseTopicConfigMap } from './parse-map.js';
export { type ParsedProperties, type PropertyEntry, parseProperties } from '../../common/properties.js';
export {
  CLUSTER_ID_ENV,
  ENV_PREFIX,
  clusterIdFromEnv,
  configFromEnv,
  configNameToEnvName,
  envNameToConfigName,
  isValidClusterId,
} from './env.js';
export { type CollectedConfig, type StaticOrigin, type StaticSources, collectStaticConfig, parseOverrides } from './sources.js';
export { type BrokerConfigOptions, type ConfigLayer, type DynamicLayer, BrokerConfig } from './broker-config.js';
export { checkBrokerConfig } from './cross-checks.js';
export { logDirs, logFlushIntervalMs, logRetentionMs, logRollJitterMs, logRollMs, metadataLogDir } from './derived.js';
export { type Endpoint, type SecurityProtocol, parseListeners, parseSecurityProtocolMap } from './listeners.js';
export { type BrokerSettings, brokerSettings } from './view.js';
export {
  type ResolvedTopicConfig,
  type TopicLogConfig,
  resolveTopicConfig,
  topicDefaultsFromBroker,
  topicLogConfig,
} from './topic-config.js';
export {
  type DescribeConfigsEntry,
  type DescribeConfigsSynonym,
  type DescribeOptions,
  type DescribeResult,
  describeBroker,
  describeBrokerResource,
  describeClusterDefault,
  describeTopic,
  describeTopicResource,
} from './describe.js';
export { type AlterableConfig, type ApiError, applyBrokerOps, applyTopicOps } from './incremental.js';
export {
  type TopicAlterResult,
  alterTopic,
  incrementalAlterTopic,
  validateNewTopicConfigs,
  validateTopicConfigs,
} from './topic-alter.js';
export { alterBroker, brokerResourceLayer, incrementalAlterBroker, validateBrokerLayer } from './broker-alter.js';
